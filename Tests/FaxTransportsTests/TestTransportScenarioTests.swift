import FaxTransports
import FaxbotCore
import Testing

@Suite struct TestTransportScenarioTests {
    @Test(arguments: [
        ("+15558670000", TestTransportScenario.deliver),
        ("+15558671111", .busy),
        ("+15558672222", .noAnswer),
        ("+15558673333", .lineErrorAfterFirstPage),
        ("+15558674444", .ringForever),
        ("+15558675555", .silence),
    ])
    func lastFourDigitsChooseTheScenario(number: String, scenario: TestTransportScenario) {
        #expect(TestTransportScenario(destination: TransportFixture.number(number)) == scenario)
    }

    @Test(arguments: ["111111", "222222", "15553333"])
    func numbersWithoutAPlusAreMatchedToo(number: String) {
        let expected: [String: TestTransportScenario] = ["111111": .busy, "222222": .noAnswer, "15553333": .lineErrorAfterFirstPage]

        #expect(TestTransportScenario(destination: TransportFixture.number(number)) == expected[number])
    }

    @Test(arguments: ["+15551234567", "+15550006666", "+11111000000", "+15551119999", "+1555111", "+15551110", "+15556666", "+15559999"])
    func everyOtherNumberDelivers(number: String) {
        #expect(TestTransportScenario(destination: TransportFixture.number(number)) == .deliver)
    }

    @Test func onlyTheLastFourDigitsMatter() {
        #expect(TestTransportScenario(destination: TransportFixture.number("+44444441234")) == .deliver)
        #expect(TestTransportScenario(destination: TransportFixture.number("+12345674444")) == .ringForever)
        #expect(TestTransportScenario(destination: TransportFixture.number("+15555550000")) == .deliver)
    }

    @Test func everyScenarioIsReachable() {
        let numbers = ["0000", "1111", "2222", "3333", "4444", "5555"].map(TransportFixture.destination)

        #expect(Set(numbers.map(TestTransportScenario.init(destination:))) == Set(TestTransportScenario.allCases))
    }
}
