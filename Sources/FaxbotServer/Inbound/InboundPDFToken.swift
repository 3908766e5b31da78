import Crypto
import FaxbotCore
import Foundation

/// The `token` of `pdf_url`: stateless, `<expiry in Unix seconds>.<base64url HMAC-SHA256>` over
/// the fax id and the expiry, under a key derived from the session pepper (so the pepper itself
/// never signs anything but API keys). A token opens one fax's PDF, until it expires, without an
/// API key; changing the pepper voids every token.
struct InboundPDFToken: Sendable {
    private let key: SymmetricKey
    let lifetime: TimeInterval

    init(pepper: String, lifetimeMinutes: Int) {
        let derived = HMAC<SHA256>.authenticationCode(
            for: Data("faxbot inbound pdf token v1".utf8), using: SymmetricKey(data: Data(pepper.utf8)))
        self.key = SymmetricKey(data: Data(derived))
        self.lifetime = TimeInterval(lifetimeMinutes * 60)
    }

    func make(id: String, now: Date) -> String {
        let expiry = Int64(now.timeIntervalSince1970.rounded(.down)) + Int64(lifetime)
        return "\(expiry).\(mac(id: id, expiry: expiry))"
    }

    /// Whether `token` was made for `id` and has not expired at `now`.
    func verify(_ token: String, id: String, now: Date) -> Bool {
        guard token.utf8.count <= 96 else { return false }
        let parts = token.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].utf8.count <= 12, parts[0].utf8.allSatisfy({ (48...57).contains($0) }),
            let expiry = Int64(parts[0])
        else { return false }
        let valid = ConstantTime.equal(String(parts[1]), mac(id: id, expiry: expiry))
        return valid && now.timeIntervalSince1970 < Double(expiry)
    }

    private func mac(id: String, expiry: Int64) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data("\(id)\n\(expiry)".utf8), using: key)
        return Data(code).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
