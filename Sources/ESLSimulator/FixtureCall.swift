import Foundation
import FreeSWITCHESL

/// The recorded call inside a fixture, and how to re-target its events at a new call.
struct FixtureCall: Sendable {
    let fixture: ESLFixture
    /// The call's events, in recorded order.
    let events: [ESLEvent]
    let aLeg: String
    let bLeg: String
    let jobUUID: String
    let faxFile: String
    let number: String
    /// The variable names of the recorded originate's `{…}`.
    let variableNames: [String]

    static let all: [ESLFixture: FixtureCall] = Dictionary(
        uniqueKeysWithValues: ESLFixture.allCases.map { ($0, FixtureCall($0)) }
    )

    private init(_ fixture: ESLFixture) {
        self.fixture = fixture
        events = fixture.events
        let job = events.first { $0.name == "BACKGROUND_JOB" }
        jobUUID = job?.jobUUID ?? ""
        let request = OriginateRequest(argument: job?["Job-Command-Arg"] ?? "", fallbackUUID: "")
        aLeg = request.uuid
        faxFile = request.faxFile
        number = request.number
        variableNames = request.variables.map(\.key)
        bLeg = events.first { $0.uniqueID != nil && $0.uniqueID != request.uuid }?.uniqueID ?? ""
    }

    /// The fixture's events re-targeted at `call`: uuids, Job-UUID, TIFF path, dialled number and
    /// the originate's variables replaced; `Job-Command-Arg` set to the request's argument.
    func retarget(_ event: ESLEvent, to call: CallIdentity) -> ESLEvent {
        var replacements: [(String, String)] = [(aLeg, call.aLeg), (bLeg, call.bLeg), (jobUUID, call.jobUUID)]
        if !faxFile.isEmpty && !call.request.faxFile.isEmpty { replacements.append((faxFile, call.request.faxFile)) }
        if !number.isEmpty && !call.request.number.isEmpty {
            replacements.append(("loopback/\(number)-", "loopback/\(call.request.number)-"))
        }
        var fields: [ESLField] = []
        fields.reserveCapacity(event.headers.count + call.request.variables.count)
        let replaced = Set((variableNames + call.request.variables.map(\.key)).map { "variable_" + $0 })
        var insertedVariables = false
        for field in event.headers.fields {
            if replaced.contains(field.key) {
                if !insertedVariables {
                    insertedVariables = true
                    for variable in call.request.variables {
                        fields.append(ESLField("variable_" + variable.key, variable.value))
                    }
                }
                continue
            }
            var value = field.value
            switch field.key {
            case "Job-Command-Arg":
                value = call.request.argument
            case "Caller-Destination-Number" where !call.request.number.isEmpty:
                value = call.request.number
            default:
                for (old, new) in replacements where !old.isEmpty && value.contains(old) {
                    value = value.replacingAll(old, with: new)
                }
            }
            fields.append(ESLField(field.key, value))
        }
        var body = event.body
        if let text = body {
            var replacedBody = text
            for (old, new) in replacements where !old.isEmpty { replacedBody = replacedBody.replacingAll(old, with: new) }
            body = replacedBody
        }
        return ESLEvent(headers: ESLHeaders(fields), body: body)
    }
}

/// The ids of one simulated call.
struct CallIdentity: Sendable {
    let request: OriginateRequest
    let aLeg: String
    let bLeg: String
    let jobUUID: String
}

extension String {
    func replacingAll(_ old: String, with new: String) -> String {
        guard !old.isEmpty else { return self }
        var result = ""
        var rest = Substring(self)
        while let range = rest.range(of: old) {
            result += rest[..<range.lowerBound]
            result += new
            rest = rest[range.upperBound...]
        }
        result += rest
        return result
    }
}
