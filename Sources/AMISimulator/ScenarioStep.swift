import AsteriskAMI

/// One step of a simulated call's playback.
enum ScenarioStep: Sendable {
    /// Emit an event to logged-in clients.
    case event(AMIMessage)
    /// Wait for `release(channelID:)`.
    case pause
    /// Store `database` under `faxbot/<ChannelId>`, then emit the FaxbotResult event.
    case result(AMIMessage, database: String)
}
