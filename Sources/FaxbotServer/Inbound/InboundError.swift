/// Why a received fax could not be recorded. The messages never hold a file name, a number or
/// any content: they are logged and returned by the internal hook.
public struct InboundError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The report itself is malformed (transport, call id).
        case invalidReport
        /// The TIFF is not a file directly inside the inbound spool directory.
        case outsideSpool
        /// The PBX reported success but the TIFF is missing, not a regular file or too large.
        case unreadable
        /// The PBX reported success but the TIFF holds no page that could be read.
        case rejected
        /// Our own storage failed (inbound directory, database); nothing was recorded.
        case storage
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
