import Crypto

/// How ``AMIConnection`` logs in.
public enum AMIAuth: String, Sendable {
    /// `Action: Login` with `Secret:` in clear text.
    case plain
    /// `Action: Challenge` then `Action: Login` with `Key: md5hex(challenge + secret)`.
    case md5
}

/// Helpers for AMI's challenge/response login.
public enum AMIAuthentication {
    /// The `Key:` value for an MD5 login: the lowercase hex MD5 of `challenge + secret`.
    public static func md5Key(challenge: String, secret: String) -> String {
        let digest = Insecure.MD5.hash(data: Array((challenge + secret).utf8))
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(32)
        for byte in digest {
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
