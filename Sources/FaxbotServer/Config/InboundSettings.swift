import Foundation

/// Received faxes (`inbound.*`). See docs/inbound.md.
public struct InboundSettings: Sendable, Equatable {
    /// `inbound.enabled` (`INBOUND_ENABLED`): false makes every inbound route answer 404, as in v3,
    /// and leaves received TIFFs in the spool untouched.
    public var enabled = true
    /// `inbound.retention_days` (`INBOUND_RETENTION_DAYS`): PDFs are deleted this many days after
    /// the fax arrived (the record stays); 0 keeps them.
    public var retentionDays = 30
    /// `inbound.token_ttl_minutes` (`INBOUND_TOKEN_TTL_MINUTES`): lifetime of the `pdf_url` token.
    public var tokenTTLMinutes = 60
    /// `inbound.secret` (`ASTERISK_INBOUND_SECRET`), secret: the `X-Internal-Secret` of
    /// `POST /_internal/asterisk/inbound`. Unset: that route answers 404.
    public var secret: String?
    /// `inbound.spool_dir` (`FAXBOT_INBOUND_DIR`): where the PBX writes received TIFFs; nil: `<data_dir>/incoming`.
    public var spoolDir: String?
    /// `inbound.mailboxes` (`FAXBOT_INBOUND_MAILBOXES`, `number=label,…`): the digits of a
    /// destination number → its mailbox; other numbers go to ``defaultMailbox``.
    public var mailboxes: [String: String] = [:]
    /// The transport a TIFF found in the spool without any report is recorded under (`sip`, or
    /// `freeswitch` when only FreeSWITCH runs), so a late report of the same call still collapses into it.
    public var spoolTransport = "sip"

    public static let defaultMailbox = "default"

    public init() {}

    /// The mailbox of a destination number, matched on its digits (`+12125550100` = `12125550100`).
    public func mailbox(for to: String?) -> String {
        guard let to else { return Self.defaultMailbox }
        return mailboxes[Self.digits(to)] ?? Self.defaultMailbox
    }

    static func digits(_ number: String) -> String { String(number.filter(\.isASCII).filter(\.isNumber)) }

    /// A mailbox label: 1 to 64 of `A–Z a–z 0–9 . _ -`.
    public static func isValidMailbox(_ label: String) -> Bool {
        (1...64).contains(label.utf8.count)
            && label.utf8.allSatisfy { $0.isASCIIAlphanumeric || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
    }
}

extension UInt8 {
    var isASCIIAlphanumeric: Bool { (48...57).contains(self) || (65...90).contains(self) || (97...122).contains(self) }
}

extension ValueParser {
    mutating func parseInbound(into settings: inout InboundSettings) {
        if let value = bool("inbound.enabled") { settings.enabled = value }
        if let value = int("inbound.retention_days", 0...36_500) { settings.retentionDays = value }
        if let value = int("inbound.token_ttl_minutes", 1...10_080) { settings.tokenTTLMinutes = value }
        if let (value, source) = raw["inbound.secret"], !value.isEmpty {
            if value.utf8.count < 16 {
                issue("inbound.secret", source, "must be at least 16 characters (use 32 random bytes, e.g. `openssl rand -hex 32`)")
            } else {
                settings.secret = value
            }
        }
        if let (value, _) = raw["inbound.spool_dir"], !value.isEmpty { settings.spoolDir = value }
        if let (value, source) = raw["inbound.mailboxes"] {
            var mailboxes: [String: String] = [:]
            for entry in value.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !entry.isEmpty {
                let parts = entry.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                let number = parts.first ?? ""
                let digits = InboundSettings.digits(number)
                let numberOK = !digits.isEmpty && digits.count <= 20 && (number == digits || number == "+" + digits)
                guard parts.count == 2, numberOK, InboundSettings.isValidMailbox(parts[1]) else {
                    issue(
                        "inbound.mailboxes", source,
                        "expected number=label pairs separated by commas, e.g. +12125550100=front-desk (labels: letters, digits, . _ -); got '\(entry)'"
                    )
                    return
                }
                guard mailboxes[digits] == nil else {
                    issue("inbound.mailboxes", source, "the number \(number) is listed twice")
                    return
                }
                mailboxes[digits] = parts[1]
            }
            settings.mailboxes = mailboxes
        }
    }
}
