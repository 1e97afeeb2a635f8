import Foundation
import NewsFetch
import NewsHTTP

// libNewsdeskHTTP.so: NewsHTTP's `FeedFetcher` (async-http-client, SwiftNIO, BoringSSL)
// behind a C interface, loaded by newsdesk (NewsFetch's `PluginFetcher`) only when a feed is
// a URL. Linked into newsdesk, the HTTP stack made every start pay for it: its 2,700
// protocol-conformance records are scanned by each of the ~140 conformance checks that
// argument parsing makes, 3 ms of a 17 ms start (DECISIONS.md, 2026-12-02).
//
// Nothing Swift crosses the boundary: requests and results are bytes (`FetchWire`), and
// this image has its own copies of the types (linked with -Bsymbolic, opened RTLD_LOCAL).
// Every call answers through a callback, from a task of this image.

/// The interface's version: newsdesk refuses a plugin of another version.
@_cdecl("newsdesk_http_abi_version")
public func newsdeskHTTPABIVersion() -> Int32 { 1 }

public typealias ReadyCallback = @convention(c) (UnsafeMutableRawPointer?, UnsafeMutableRawPointer?) -> Void
public typealias DoneCallback = @convention(c) (UnsafeMutableRawPointer?, UnsafeRawPointer?, Int) -> Void
public typealias ClosedCallback = @convention(c) (UnsafeMutableRawPointer?) -> Void

/// A C callback and its context, carried into a task (neither is `Sendable` to Swift).
struct Callback<F>: @unchecked Sendable {
    let function: F
    let context: UnsafeMutableRawPointer?
}

/// One fetcher: open until `newsdesk_http_close`.
final class Session: @unchecked Sendable {
    private let lock = NSLock()
    private var fetcher: FeedFetcher?
    private var tasks: [UInt64: Task<Void, Never>] = [:]
    private var cancelledEarly: Set<UInt64> = []
    private var closing = false
    private var closeWaiter: CheckedContinuation<Void, Never>?
    private var closedCallback: Callback<ClosedCallback>?

    func opened(_ fetcher: FeedFetcher) { lock.withLock { self.fetcher = fetcher } }

    /// Returns once `close()` is called.
    func waitForClose() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let now = lock.withLock { () -> Bool in
                if closing { return true }
                closeWaiter = c
                return false
            }
            if now { c.resume() }
        }
    }

    /// Ends the session: what runs is cancelled, and `then` is told once the clients are down (``closed()``).
    func close(then: Callback<ClosedCallback>) {
        let (waiter, running) = lock.withLock { () -> (CheckedContinuation<Void, Never>?, [Task<Void, Never>]) in
            closing = true
            closedCallback = then
            defer { closeWaiter = nil }
            return (closeWaiter, Array(tasks.values))
        }
        for task in running { task.cancel() }
        waiter?.resume()
    }

    /// The clients are down: tells whoever closed the session.
    func closed() {
        guard let callback = lock.withLock({ closedCallback }) else { return }
        callback.function(callback.context)
    }

    func fetch(_ request: FeedRequest, id: UInt64, done: Callback<DoneCallback>) {
        lock.withLock {
            guard let fetcher, !closing else {
                let bytes = FetchWire.encode(result: .failed(.cancelled))
                bytes.withUnsafeBytes { done.function(done.context, $0.baseAddress, $0.count) }
                return
            }
            // Made under the lock, so that its own removal below waits for its insertion.
            let task = Task {
                let result = await fetcher.fetch(request)
                let bytes = FetchWire.encode(result: result)
                bytes.withUnsafeBytes { done.function(done.context, $0.baseAddress, $0.count) }
                self.lock.withLock { _ = self.tasks.removeValue(forKey: id) }
            }
            tasks[id] = task
            if cancelledEarly.remove(id) != nil { task.cancel() }
        }
    }

    func cancel(_ id: UInt64) {
        lock.withLock {
            if let task = tasks[id] { task.cancel() } else { cancelledEarly.insert(id) }
        }
    }
}

/// Starts a fetcher with the configuration (`FetchWire` JSON); `ready(context, handle)` is
/// called once it runs (handle nil: the configuration could not be read).
@_cdecl("newsdesk_http_open")
public func newsdeskHTTPOpen(_ configuration: UnsafeRawPointer?, _ length: Int, _ ready: ReadyCallback,
                             _ context: UnsafeMutableRawPointer?) {
    let callback = Callback(function: ready, context: context)
    guard let configuration,
          let config = FetchWire.decode(FetchConfiguration.self, UnsafeRawBufferPointer(start: configuration, count: length)) else {
        callback.function(callback.context, nil)
        return
    }
    let session = Session()
    let handle = Callback<UnsafeMutableRawPointer>(function: Unmanaged.passRetained(session).toOpaque(), context: nil)
    Task {
        try? await FeedFetcher.withFetcher(config) { fetcher in
            session.opened(fetcher)
            callback.function(callback.context, handle.function)
            await session.waitForClose()
        }
        session.closed()
        Unmanaged<Session>.fromOpaque(handle.function).release()
    }
}

/// Fetches a request (`FetchWire` JSON, read before this returns); `done(context, bytes,
/// count)` gets the result (`FetchWire.encode(result:)`), valid during the call only.
@_cdecl("newsdesk_http_fetch")
public func newsdeskHTTPFetch(_ handle: UnsafeMutableRawPointer, _ request: UnsafeRawPointer?, _ length: Int, _ id: UInt64,
                              _ done: DoneCallback, _ context: UnsafeMutableRawPointer?) {
    let session = Unmanaged<Session>.fromOpaque(handle).takeUnretainedValue()
    let callback = Callback(function: done, context: context)
    guard let request, let decoded = FetchWire.decode(FeedRequest.self, UnsafeRawBufferPointer(start: request, count: length)) else {
        let bytes = FetchWire.encode(result: .failed(.invalidURL("(a request the HTTP plugin could not read)")))
        bytes.withUnsafeBytes { done(context, $0.baseAddress, $0.count) }
        return
    }
    session.fetch(decoded, id: id, done: callback)
}

/// Cancels fetch `id` (its callback still comes, with a cancelled result), also when the
/// fetch has not been asked for yet.
@_cdecl("newsdesk_http_cancel")
public func newsdeskHTTPCancel(_ handle: UnsafeMutableRawPointer, _ id: UInt64) {
    Unmanaged<Session>.fromOpaque(handle).takeUnretainedValue().cancel(id)
}

/// Cancels what runs, shuts the clients down, then calls `closed(context)`; the handle is
/// gone after that.
@_cdecl("newsdesk_http_close")
public func newsdeskHTTPClose(_ handle: UnsafeMutableRawPointer, _ closed: ClosedCallback, _ context: UnsafeMutableRawPointer?) {
    Unmanaged<Session>.fromOpaque(handle).takeUnretainedValue().close(then: Callback(function: closed, context: context))
}
