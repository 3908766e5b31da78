import FaxbotCore

/// What the test transport does, chosen by the destination's last four digits.
public enum TestTransportScenario: String, Sendable, CaseIterable {
    /// `0000` (and any number not listed): delivered, pages = document pages.
    case deliver
    /// `1111`: busy.
    case busy
    /// `2222`: no answer.
    case noAnswer
    /// `3333`: the line drops after page 1.
    case lineErrorAfterFirstPage
    /// `4444`: rings until canceled or timed out.
    case ringForever
    /// `5555`: the submission is accepted, then silence: the outcome can never be known.
    case silence

    public init(destination: PhoneNumber) {
        switch destination.lastFour {
        case "1111": self = .busy
        case "2222": self = .noAnswer
        case "3333": self = .lineErrorAfterFirstPage
        case "4444": self = .ringForever
        case "5555": self = .silence
        default: self = .deliver
        }
    }
}
