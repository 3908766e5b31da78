/// What an API key may do.
public enum Scope: String, Sendable, Codable, CaseIterable, Hashable {
    case faxSend = "fax:send"
    case faxRead = "fax:read"
    case inboundList = "inbound:list"
    case inboundRead = "inbound:read"
    case keysManage = "keys:manage"
}
