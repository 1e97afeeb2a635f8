import Foundation

/// A task executor with a thread of its own. The merge runs its source tasks on one,
/// so that producing headlines (CPU-bound at `--speed max`) never competes with the
/// consumer for the threads of the shared concurrency pool, which has only as many
/// threads as cores.
public final class ThreadExecutor: TaskExecutor, @unchecked Sendable {
    // `jobs` is guarded by `condition`.
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []

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
            while jobs.isEmpty { condition.wait() }
            swap(&batch, &jobs)
            condition.unlock()
            for job in batch { job.runSynchronously(on: asUnownedTaskExecutor()) }
            batch.removeAll(keepingCapacity: true)
        }
    }

    /// The executor the merge's source tasks run on, shared by all feeds.
    public static let sources = ThreadExecutor(name: "newsdesk sources")
}
