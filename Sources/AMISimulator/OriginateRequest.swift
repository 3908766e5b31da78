import AsteriskAMI

/// The parts of an `Action: Originate` the simulator uses.
struct OriginateRequest: Sendable {
    var actionID: String?
    var dialString: String
    var context: String
    var exten: String
    var callerIDNum: String
    var callerIDName: String
    var channelID: String
    var otherChannelID: String
    var variables: [String: String]
    var number: String

    init(_ message: AMIMessage, fallbackID: String) {
        actionID = message.actionID
        dialString = message["Channel"] ?? ""
        context = message["Context"] ?? "default"
        exten = message["Exten"] ?? "s"
        channelID = message["ChannelId"].flatMap { $0.isEmpty ? nil : $0 } ?? fallbackID
        otherChannelID = message["OtherChannelId"].flatMap { $0.isEmpty ? nil : $0 } ?? "\(channelID)-rx"
        var variables: [String: String] = [:]
        for line in message.values("Variable") {
            for assignment in line.split(separator: ",") {
                guard let equals = assignment.firstIndex(of: "=") else { continue }
                variables[String(assignment[..<equals])] = String(assignment[assignment.index(after: equals)...])
            }
        }
        self.variables = variables
        (callerIDName, callerIDNum) = Self.parseCallerID(message["CallerID"] ?? "")
        number = Self.longestDigitRun(dialString)
    }

    /// `"name" <number>` → (name, number); a bare number → ("", number).
    static func parseCallerID(_ text: String) -> (name: String, number: String) {
        guard let open = text.lastIndex(of: "<"), let close = text.lastIndex(of: ">"), open < close else {
            return ("", text.trimmingBlanks())
        }
        let number = String(text[text.index(after: open)..<close])
        var name = String(text[..<open]).trimmingBlanks()
        if name.hasPrefix("\"") && name.hasSuffix("\"") && name.count >= 2 {
            name = String(name.dropFirst().dropLast())
        }
        return (name, number)
    }

    static func longestDigitRun(_ text: String) -> String {
        var best = Substring()
        var start: String.Index?
        var index = text.startIndex
        while index <= text.endIndex {
            let isDigit = index < text.endIndex && text[index].isASCII && text[index].isNumber
            if isDigit {
                if start == nil { start = index }
            } else if let runStart = start {
                if text.distance(from: runStart, to: index) > best.count { best = text[runStart..<index] }
                start = nil
            }
            if index == text.endIndex { break }
            index = text.index(after: index)
        }
        return String(best)
    }

    /// Channel names for the call: the originated (tx) channel and the simulated far end.
    func channelNames(sequence: Int) -> (tx: String, rx: String) {
        let suffix = String(sequence, radix: 16).leftPadded(to: 8)
        let parts = dialString.split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false)
        let tech = parts.first.map(String.init) ?? "Local"
        let resource = parts.count > 1 ? String(parts[1]) : "s@fax-rx"
        if tech.lowercased() == "local" {
            return ("Local/\(resource)-\(suffix);1", "Local/\(resource)-\(suffix);2")
        }
        let endpoint = resource.split(separator: "@").last.map(String.init) ?? resource
        return ("\(tech)/\(endpoint)-\(suffix)", "Local/s@fax-rx-\(suffix);2")
    }
}

extension String {
    func trimmingBlanks() -> String {
        var scalars = Substring(self)
        while scalars.first == " " || scalars.first == "\t" { scalars = scalars.dropFirst() }
        while scalars.last == " " || scalars.last == "\t" { scalars = scalars.dropLast() }
        return String(scalars)
    }

    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
