import Logging
import Synchronization

/// Views of issues, counted in memory and written to the store in batches
/// (`flush`, at most a second apart and once more at shutdown) instead of one
/// write per read: a read of an issue is a read. The count a reader gets back
/// is exact for this instance: what the store holds plus what this instance
/// has counted and not yet written. A crash loses at most the views since
/// the last batch; nothing else is held here.
final class IssueViews: Sendable {
    private struct State {
        var pending: [IssueID: Int] = [:]
        /// The batch being written; it is in the store or back in `pending` when the write ends.
        var writing: [IssueID: Int] = [:]
        /// Odd while a batch is being written; readers use it to tell whether the row
        /// they read already held a batch or not.
        var generation: UInt64 = 0
        var lastWriteFailed = false
    }

    private let state = Mutex(State())
    private let issues: any IssueRepository
    private let logger: Logger

    init(issues: any IssueRepository, logger: Logger) {
        self.issues = issues
        self.logger = logger
    }

    /// Counts one view of `id` and returns the issue with every view this instance
    /// knows of; nil (and nothing counted) for an issue that does not exist.
    func view(_ id: IssueID) async throws(RepositoryError) -> Issue? {
        var counted = false
        // A batch written while the row was read leaves it unknown whether the row
        // holds that batch: read again (a write takes milliseconds, once a second).
        for _ in 0..<Self.reads {
            let before = generation
            guard let issue = try await issues.find(id: id) else { return nil }
            if let seen = settle(issue, readAt: before, counted: &counted) { return seen }
        }
        return try await issues.find(id: id).map(withUnwritten)
    }

    /// `view` through a store read that does not suspend, for the event loop.
    func viewNow(_ id: IssueID, reads: any ImmediateIssueReads) throws(RepositoryError) -> Issue? {
        var counted = false
        for _ in 0..<Self.reads {
            let before = generation
            guard let issue = try reads.findNow(id: id) else { return nil }
            if let seen = settle(issue, readAt: before, counted: &counted) { return seen }
        }
        return try reads.findNow(id: id).map(withUnwritten)
    }

    private static let reads = 3

    private var generation: UInt64 { state.withLock { $0.generation } }

    /// Counts the view once, and returns the issue with this instance's unwritten views
    /// if no batch was written while `issue` was read (else nil: read again).
    private func settle(_ issue: Issue, readAt before: UInt64, counted: inout Bool) -> Issue? {
        let id = issue.id
        let alreadyCounted = counted
        let (unwritten, settled) = state.withLock { state in
            if !alreadyCounted { state.pending[id, default: 0] += 1 }
            return (state.pending[id] ?? 0, state.generation == before && before.isMultiple(of: 2))
        }
        counted = true
        guard settled else { return nil }
        var seen = issue
        seen.viewCount += unwritten
        return seen
    }

    /// Still racing batches: the stored count plus this instance's unwritten views,
    /// which at worst leaves out the batch in flight (a moment's undercount, never a double count).
    private func withUnwritten(_ issue: Issue) -> Issue {
        var seen = issue
        seen.viewCount += state.withLock { $0.pending[issue.id] ?? 0 }
        return seen
    }

    /// Writes the views counted so far as one batch. A failed write keeps them
    /// for the next batch and is logged once until a write succeeds again.
    func flush() async {
        let batch: [IssueID: Int] = state.withLock { state in
            guard !state.pending.isEmpty, state.writing.isEmpty else { return [:] }
            state.writing = state.pending
            state.pending = [:]
            state.generation &+= 1
            return state.writing
        }
        guard !batch.isEmpty else { return }
        var failure: RepositoryError?
        do {
            try await issues.addViews(batch)
        } catch {
            failure = error
        }
        let (wasFailing, unwritten) = state.withLock { state in
            if failure != nil {
                for (id, views) in state.writing { state.pending[id, default: 0] += views }
            }
            state.writing = [:]
            state.generation &+= 1
            defer { state.lastWriteFailed = failure != nil }
            return (state.lastWriteFailed, state.pending.values.reduce(0, +))
        }
        switch (failure, wasFailing) {
        case (let failure?, false):
            logger.warning("issue views not written; kept in memory and retried every second", metadata: [
                "error": "\(failure)", "unwrittenViews": "\(unwritten)",
            ])
        case (nil, true):
            logger.notice("issue views written again", metadata: ["views": "\(batch.values.reduce(0, +))"])
        default:
            break
        }
    }

    /// Views counted and not yet in the store.
    var unwritten: Int { state.withLock { $0.pending.values.reduce(0, +) + $0.writing.values.reduce(0, +) } }
}
