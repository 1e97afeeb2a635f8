/// How long the merge waits, on a jumping clock (`--speed max`), for a scheduled source
/// that has nothing ready, before going on without it (rule 3): until `grace` passes in
/// which the sources' thread was idle. The wait is real time (the stalled source's
/// own), slept with `sleep` (a test clock's in tests).
///
/// A healthy source makes its next batch in well under a millisecond, and while the shared
/// source thread is still busy with the others the wait goes on, so a healthy source is not
/// given up on even on a loaded machine; a source that stops answering costs the run about
/// 200 ms, once.
public struct StallPolicy: Sendable {
    public var grace: Duration
    public var sleep: @Sendable (Duration) async throws -> Void

    public init(grace: Duration = .milliseconds(200),
                sleep: @escaping @Sendable (Duration) async throws -> Void = { try await ContinuousClock().sleep(for: $0) }) {
        self.grace = grace
        self.sleep = sleep
    }
}
