import Crypto
import FaxbotCore
import FaxbotStore
import Foundation

/// API keys look like `fbk_live_<key id: 12 hex>_<secret: 43 base64url>`. Only an HMAC-SHA256 of
/// the secret under the server's pepper is stored, so a copy of the database cannot be replayed.
public struct APIKeyCodec: Sendable {
    private let pepper: SymmetricKey

    public init(pepper: String) {
        self.pepper = SymmetricKey(data: Data(pepper.utf8))
    }

    public struct Parsed: Sendable, Equatable {
        public var keyID: String
        public var secret: String
    }

    /// A new key: the full token to show once, and the record to store.
    public func generate(name: String, scopes: Set<Scope>, at now: Date) -> (token: String, record: APIKeyRecord) {
        var generator = SystemRandomNumberGenerator()
        let keyID = String(JobID.make(using: &generator).prefix(12))
        let secretBytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let secret = Data(secretBytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        let record = APIKeyRecord(keyID: keyID, name: name, secretHMAC: mac(secret), scopes: scopes, createdAt: now)
        return ("fbk_live_\(keyID)_\(secret)", record)
    }

    public static func parse(_ token: String) -> Parsed? {
        guard token.hasPrefix("fbk_live_"), token.utf8.count <= 200 else { return nil }
        let rest = token.dropFirst("fbk_live_".count)
        guard let underscore = rest.firstIndex(of: "_") else { return nil }
        let keyID = String(rest[..<underscore])
        let secret = String(rest[rest.index(after: underscore)...])
        guard keyID.utf8.count == 12, JobID.isValid(keyID + String(repeating: "0", count: 20)), !secret.isEmpty else {
            return nil
        }
        return Parsed(keyID: keyID, secret: secret)
    }

    public func mac(_ secret: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Data(secret.utf8), using: pepper).map { String(format: "%02x", $0) }.joined()
    }

    /// Whether `secret` matches the stored HMAC, compared in constant time.
    public func verify(secret: String, against record: APIKeyRecord) -> Bool {
        ConstantTime.equal(mac(secret), record.secretHMAC)
    }
}

/// Comparison whose time does not depend on where two strings differ.
public enum ConstantTime {
    public static func equal(_ lhs: String, _ rhs: String) -> Bool {
        // Compare fixed-length digests so neither content nor length leaks through timing.
        let left = Array(SHA256.hash(data: Data(lhs.utf8)))
        let right = Array(SHA256.hash(data: Data(rhs.utf8)))
        var difference: UInt8 = 0
        for index in 0..<left.count { difference |= left[index] ^ right[index] }
        return difference == 0
    }
}
