/// The outcome of a completed action.
public struct AMIResponse: Sendable, Equatable {
    /// The `Response:` packet.
    public var message: AMIMessage
    /// For EventList actions (CoreShowChannels, DBGet, Status, …): the list items in order,
    /// without the final `…Complete` event. Empty for ordinary actions.
    public var events: [AMIMessage]
    /// The final `…Complete` event of an EventList action (`EventList: Complete`, `ListItems: N`).
    public var completion: AMIMessage?

    /// Creates a response.
    public init(message: AMIMessage, events: [AMIMessage] = [], completion: AMIMessage? = nil) {
        self.message = message
        self.events = events
        self.completion = completion
    }

    /// `true` for `Response: Success` and `Response: Follows`.
    public var isSuccess: Bool {
        guard let response = message.response else { return false }
        return response.amiEqualsIgnoringCase("Success") || response.amiEqualsIgnoringCase("Follows")
    }
}
