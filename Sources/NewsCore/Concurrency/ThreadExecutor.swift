import Foundation

/// A task executor with a thread of its own. The merge runs its source tasks on one,
/// so that producing headlines (CPU-bound at `--speed max`) never competes with the
/// consumer for the threads of the shared concurrency pool, which has only as many
/// threads as cores.
public final class ThreadExecutor: TaskExecutor, @unchecked Sendable {
    // `jobs`, `taken` and `idle` are guarded by `condition`.
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var taken: UInt64 = 0
    private var idle = false

    /// How many jobs the thread has taken on so far, and whether it is waiting for one now.
    /// The same count twice, idle the second time, means the thread did nothing in between:
    /// every task on it was waiting for something else.
    public var activity: (jobsTaken: UInt64, idle: Bool) {
        condition.lock()
        defer { condition.unlock() }
        return (taken, idle)
    }

    public init(name: String) {
        let thread = Thread { [unowned self] in self.run() }
        thread.name = name
        thread.start()
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func run() {
        var batch: [UnownedJob] = []
        while true {
            condition.lock()
            while jobs.isEmpty {
                idle = true
                condition.wait()
            }
            idle = false
            swap(&batch, &jobs)
            taken &+= UInt64(batch.count)
            condition.unlock()
            for job in batch { job.runSynchronously(on: asUnownedTaskExecutor()) }
            batch.removeAll(keepingCapacity: true)
        }
    }

    /// The executor the merge's source tasks run on, shared by all feeds.
    public static let sources = ThreadExecutor(name: "newsdesk sources")
}
