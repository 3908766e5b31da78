/// A ``FaxLoopback`` call could not be set up at all (failures during the call are
/// reported as completion codes in ``LoopbackResult`` instead).
public enum FaxLoopbackError: Error, Sendable, Hashable, CustomStringConvertible {
    /// spandsp returned NULL when creating an endpoint (out of memory).
    case endpointCreationFailed(FaxLoopback.Mode)

    public var description: String {
        switch self {
        case .endpointCreationFailed(let mode): "spandsp could not create a \(mode.rawValue) fax endpoint"
        }
    }
}
