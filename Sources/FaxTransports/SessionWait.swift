/// Gives a PBX session a few seconds to come up before a lookup (e.g. right after the daemon
/// starts); returns at once when its credentials were rejected, since waiting cannot help.
func waitForSession(connected: @Sendable () -> Bool, rejected: @Sendable () -> Bool) async {
    for _ in 0..<100 where !connected() {
        if rejected() { return }
        try? await Task.sleep(for: .milliseconds(100))
    }
}
