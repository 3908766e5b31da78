import Foundation

/// The parts of a `bgapi originate …` the simulator uses.
struct OriginateRequest: Sendable {
    /// Everything after `originate ` (FreeSWITCH echoes it as `Job-Command-Arg`).
    var argument: String
    /// The `{k=v,…}` variables in order.
    var variables: [(key: String, value: String)]
    var dialString: String
    /// The TIFF of `&txfax(…)`, or empty.
    var faxFile: String
    var uuid: String
    var number: String

    init(argument: String, fallbackUUID: String) {
        self.argument = argument
        var rest = Substring(argument)
        var variables: [(key: String, value: String)] = []
        if rest.first == "{", let close = rest.firstIndex(of: "}") {
            let inner = rest[rest.index(after: rest.startIndex)..<close]
            for assignment in inner.split(separator: ",") {
                guard let equals = assignment.firstIndex(of: "=") else { continue }
                variables.append((String(assignment[..<equals]), String(assignment[assignment.index(after: equals)...])))
            }
            rest = rest[rest.index(after: close)...]
        }
        self.variables = variables
        let dial = rest.prefix { $0 != " " }
        dialString = String(dial)
        let application = rest.dropFirst(dial.count).drop { $0 == " " }
        if let open = application.range(of: "txfax("), let close = application.lastIndex(of: ")"), open.upperBound <= close {
            faxFile = String(application[open.upperBound..<close])
        } else {
            faxFile = ""
        }
        uuid = variables.last { $0.key == "origination_uuid" }?.value ?? fallbackUUID
        number = Self.longestDigitRun(String(dial))
    }

    func variable(_ key: String) -> String? {
        variables.last { $0.key == key }?.value
    }

    static func longestDigitRun(_ text: String) -> String {
        var best = ""
        var current = ""
        for character in text {
            if character.isASCII && character.isNumber {
                current.append(character)
                if current.count > best.count { best = current }
            } else {
                current = ""
            }
        }
        return best
    }
}
