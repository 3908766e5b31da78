/// One unit produced by ``AMIDecoder``.
public enum AMIFrame: Sendable, Equatable {
    /// The greeting line sent on connect, e.g. `Asterisk Call Manager/11.0.0`.
    case banner(String)
    /// A response or event packet.
    case message(AMIMessage)
}
