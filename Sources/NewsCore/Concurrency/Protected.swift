import Glibc

/// A value behind a lock: `Mutex` from the standard library's Synchronization module, but
/// built on `pthread_mutex_t`, which ThreadSanitizer understands. (The stdlib's `Mutex`
/// takes its futex slow path in code TSan does not see, so every contended use of it is
/// reported as a race; with this lock `make sanitize` reports only real ones.)
public final class Protected<Value>: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var value: Value

    public init(_ value: Value) {
        self.value = value
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` with the value, holding the lock.
    @inline(__always)
    public func withLock<Result, E: Error>(_ body: (inout Value) throws(E) -> Result) throws(E) -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
