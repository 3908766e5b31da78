import FaxbotCLI

await faxbotMain()
