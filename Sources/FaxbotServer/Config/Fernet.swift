import Crypto
import Foundation
import _CryptoExtras

/// Fernet (the `cryptography` package's spec): AES-128-CBC with PKCS#7 padding, then
/// HMAC-SHA256 over `0x80 | timestamp | IV | ciphertext`, all base64url. Tokens made by Python's
/// `Fernet(key).encrypt(...)` decrypt here, and ours decrypt there.
public struct Fernet: Sendable {
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        case badKey
        case badToken

        public var description: String {
            switch self {
            case .badKey: "CONFIG_MASTER_KEY is not a Fernet key (32 bytes, url-safe base64)"
            case .badToken: "the value cannot be decrypted with CONFIG_MASTER_KEY (wrong key or damaged token)"
            }
        }
    }

    private let signingKey: SymmetricKey
    private let encryptionKey: SymmetricKey

    public init(key: String) throws(Failure) {
        guard let bytes = Self.base64URLDecode(key.trimmingCharacters(in: .whitespacesAndNewlines)), bytes.count == 32 else { throw .badKey }
        signingKey = SymmetricKey(data: bytes.prefix(16))
        encryptionKey = SymmetricKey(data: bytes.suffix(16))
    }

    /// A new random key, as `Fernet.generate_key()` makes.
    public static func generateKey() -> String {
        base64URLEncode(SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) })
    }

    public func encrypt(_ plaintext: Data, at date: Date = Date(), iv: [UInt8]? = nil) throws(Failure) -> String {
        let ivBytes = iv ?? (0..<16).map { _ in UInt8.random(in: 0...255) }
        let ciphertext: Data
        do {
            ciphertext = try AES._CBC.encrypt(plaintext, using: encryptionKey, iv: AES._CBC.IV(ivBytes: ivBytes))
        } catch {
            throw .badKey
        }
        var token = Data([0x80])
        withUnsafeBytes(of: UInt64(max(0, date.timeIntervalSince1970)).bigEndian) { token.append(contentsOf: $0) }
        token.append(contentsOf: ivBytes)
        token.append(ciphertext)
        token.append(contentsOf: HMAC<SHA256>.authenticationCode(for: token, using: signingKey))
        return Self.base64URLEncode(token)
    }

    public func decrypt(_ token: String) throws(Failure) -> Data {
        guard let bytes = Self.base64URLDecode(token.trimmingCharacters(in: .whitespacesAndNewlines)), bytes.count >= 1 + 8 + 16 + 16 + 32,
            bytes.first == 0x80, (bytes.count - 57) % 16 == 0
        else { throw .badToken }
        let signed = bytes.prefix(bytes.count - 32)
        let mac = bytes.suffix(32)
        guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: signed, using: signingKey) else { throw .badToken }
        let iv = bytes[bytes.startIndex + 9..<bytes.startIndex + 25]
        let ciphertext = bytes[bytes.startIndex + 25..<bytes.endIndex - 32]
        do {
            return try AES._CBC.decrypt(ciphertext, using: encryptionKey, iv: AES._CBC.IV(ivBytes: iv))
        } catch {
            throw .badToken
        }
    }

    static func base64URLEncode(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
    }

    static func base64URLDecode(_ text: String) -> Data? {
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        standard += String(repeating: "=", count: (4 - standard.count % 4) % 4)
        return Data(base64Encoded: standard)
    }
}
