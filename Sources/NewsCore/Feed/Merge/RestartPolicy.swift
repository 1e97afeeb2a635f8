/// How a failed source is retried: after `initial`, then twice as long each time it fails
/// again without producing anything, up to `maximum`. The waits are real time (a remote
/// server's), slept with `sleep` (a test clock's in tests).
public struct RestartPolicy: Sendable {
    public var initial: Duration
    public var maximum: Duration
    public var sleep: @Sendable (Duration) async throws -> Void

    public init(initial: Duration = .seconds(1), maximum: Duration = .seconds(60),
                sleep: @escaping @Sendable (Duration) async throws -> Void = { try await ContinuousClock().sleep(for: $0) }) {
        self.initial = initial
        self.maximum = maximum
        self.sleep = sleep
    }

    /// The wait after `delay`: doubled, capped.
    public func next(after delay: Duration) -> Duration { Swift.min(delay * 2, maximum) }
}
