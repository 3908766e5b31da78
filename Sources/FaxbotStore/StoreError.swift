/// What the store can fail with. Callers map it to HTTP at the edge.
public enum StoreError: Error, Sendable, Equatable {
    /// The database could not be opened, migrated, read or written.
    case database(String)
    /// A row already exists where a new one was expected.
    case duplicate(String)
}
