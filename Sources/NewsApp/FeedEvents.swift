import NewsCore
import NewsFetch
import NewsUI

/// Where the HTTP feeds' events go (``HTTPFeedSource``'s `onEvent`): the sources are made
/// before the view or the printer that shows their events, which connects here once it
/// runs. Each event is stamped with the time it came (`now`).
public final class FeedEvents: Sendable {
    public typealias Handler = @Sendable (_ source: String, _ event: HTTPFeedEvent, _ at: Timestamp) -> Void
    private let handler = Protected<Handler?>(nil)
    private let stateFile = Protected<FeedStateFile?>(nil)
    private let storeState = Protected<StoreFeedState?>(nil)
    private let now: @Sendable () -> Timestamp

    public init(now: @escaping @Sendable () -> Timestamp = LiveFeeds.realNow) { self.now = now }

    /// From now on, every event goes to `handler` (the one before is dropped).
    public func connect(_ handler: @escaping Handler) { self.handler.withLock { $0 = handler } }

    /// Every event is also recorded in `file`, for `feeds list` after the run.
    public func record(into file: FeedStateFile) { stateFile.withLock { $0 = file } }

    /// Every event also updates the feed's state in the store (the next run's first poll).
    public func record(into state: StoreFeedState) { storeState.withLock { $0 = state } }

    /// What a source calls with each event.
    public var onEvent: @Sendable (String, HTTPFeedEvent) -> Void {
        { [handler, stateFile, storeState, now] source, event in
            let time = now()
            stateFile.withLock { $0 }?.record(source, event, at: time)
            storeState.withLock { $0 }?.record(source, event, at: time)
            let connected = handler.withLock { $0 }
            connected?(source, event, time)
        }
    }

    /// The event as the view's state takes it.
    public static func update(_ event: HTTPFeedEvent, at time: Timestamp) -> FeedHealthUpdate {
        switch event {
        case .fetched(_, let items, _, let next): return .fetched(items: items, at: time, nextDue: next)
        case .notModified(_, let next): return .notModified(at: time, nextDue: next)
        case .movedPermanently(_, let to): return .moved(to: to)
        case .rateLimited(let status, let until): return .rateLimited(status: status, at: time, until: until)
        case .failed(let reason, let next): return .failed(reason: reason, at: time, nextDue: next)
        }
    }

    /// The plain mode's line for a move (after `newsdesk: `), or nil for any other event.
    /// A source reports a move once, when it moves (then it asks at the new URL).
    public static func plainMessage(_ source: String, _ event: HTTPFeedEvent) -> String? {
        guard case .movedPermanently(_, let to) = event else { return nil }
        return "\(TerminalSafe.sanitize(source)): moved permanently to \(TerminalSafe.sanitize(to)) (update the subscription)"
    }
}
