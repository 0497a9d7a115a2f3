import Foundation
import Synchronization

/// What a write load through the public API was told, write by write: what was
/// acknowledged (201/200: it must be stored), what was refused (503: it must
/// not be), and what never got an answer (the process died or the connection
/// broke mid-request: either is allowed). `verify` compares that with the
/// rows found afterwards. Every write is named by a unique title or content.
final class WriteLedger: Sendable {
    enum Outcome: Sendable, Equatable {
        case acknowledged
        case refused
        case unanswered
    }

    /// One answered read of an issue: the daemon counted it somewhere between the
    /// request being sent and its answer being read, and before that daemon died.
    struct View: Sendable {
        let issue: Int64
        let count: Int64
        let sent: ContinuousClock.Instant
        let answered: ContinuousClock.Instant

        /// The crash that ended the daemon which answered, if one did: the first after the request was sent.
        func answerer(diedAt crashes: [ContinuousClock.Instant]) -> ContinuousClock.Instant? {
            crashes.filter { $0 >= sent }.min()
        }

        /// The latest moment the view can have been counted. The answer may be read after
        /// the kill (it was already in the socket), so `answered` alone can fall in the next round.
        func countedBy(_ crashes: [ContinuousClock.Instant]) -> ContinuousClock.Instant {
            answerer(diedAt: crashes).map { min($0, answered) } ?? answered
        }
    }

    private struct State {
        var issues: [String: (outcome: Outcome, id: Int64?)] = [:]
        var comments: [String: Outcome] = [:]
        /// Per issue: the last status acknowledged, and statuses asked for without an answer since.
        var statuses: [Int64: (acknowledged: String, unanswered: Set<String>)] = [:]
        var views: [View] = []
        var answers: [Int: Int] = [:]
        var unexpected: [String] = []
    }

    private let state = Mutex(State())

    func issue(_ title: String, _ outcome: Outcome, id: Int64? = nil) {
        state.withLock { $0.issues[title] = (outcome, id) }
    }

    func comment(_ content: String, _ outcome: Outcome) {
        state.withLock { $0.comments[content] = outcome }
    }

    func status(of issue: Int64, _ status: String, _ outcome: Outcome) {
        state.withLock { state in
            var entry = state.statuses[issue] ?? ("OPEN", [])
            switch outcome {
            case .acknowledged:
                entry = (status, [])
            case .unanswered:
                entry.unanswered.insert(status)
            case .refused:
                break
            }
            state.statuses[issue] = entry
        }
    }

    func viewed(_ issue: Int64, count: Int64, sent: ContinuousClock.Instant) {
        let answered = ContinuousClock.now
        state.withLock { $0.views.append(View(issue: issue, count: count, sent: sent, answered: answered)) }
    }

    /// Every HTTP status seen; a 5xx other than 503, or a 4xx, is also kept as unexpected.
    func answer(_ status: Int, _ what: String) {
        state.withLock { state in
            state.answers[status, default: 0] += 1
            if status >= 500 && status != 503 || (400..<500).contains(status) {
                if state.unexpected.count < 20 { state.unexpected.append("\(status) for \(what)") }
            }
        }
    }

    var answers: [Int: Int] { state.withLock { $0.answers } }
    var unexpected: [String] { state.withLock { $0.unexpected } }
    var acknowledgedIssues: Int { state.withLock { $0.issues.values.filter { $0.outcome == .acknowledged }.count } }
    var acknowledgedComments: Int { state.withLock { $0.comments.values.filter { $0 == .acknowledged }.count } }
    var views: [View] { state.withLock { $0.views } }

    /// What the store holds, as the test read it afterwards.
    struct Stored {
        /// title → (id, status, view count) of every issue the load made.
        var issues: [String: (id: Int64, status: String, views: Int64)]
        /// The content of every comment the load made.
        var comments: Set<String>
    }

    /// Each mismatch between what was told and what is stored. `crashes` are the instants
    /// just after each kill. A view counted within `viewLoss` before its daemon was killed
    /// may be lost (views are flushed each second, #12, and the flusher's wake-up can lag
    /// behind a saturating load on a debug build); every other view counted must be stored.
    /// A crash instant taken before the kill once made views answered in between look
    /// like views of the next round, lost seconds before its kill.
    func mismatches(
        against stored: Stored, crashes: [ContinuousClock.Instant] = [], viewLoss: Duration = .seconds(3)
    ) -> [String] {
        let state = state.withLock { $0 }
        var problems: [String] = []
        for (title, entry) in state.issues {
            let found = stored.issues[title]
            switch entry.outcome {
            case .acknowledged:
                if found == nil { problems.append("acknowledged issue \(title) is missing") }
                if let found, let id = entry.id, found.id != id { problems.append("issue \(title) is stored as \(found.id), acknowledged as \(id)") }
            case .refused:
                if found != nil { problems.append("refused issue \(title) was stored") }
            case .unanswered:
                break
            }
        }
        for title in stored.issues.keys where state.issues[title] == nil {
            problems.append("issue \(title) is stored but was never sent")
        }
        for (content, outcome) in state.comments {
            let found = stored.comments.contains(content)
            if outcome == .acknowledged && !found { problems.append("acknowledged comment \(content) is missing") }
            if outcome == .refused && found { problems.append("refused comment \(content) was stored") }
        }
        for content in stored.comments where state.comments[content] == nil {
            problems.append("comment \(content) is stored but was never sent")
        }
        let statusByID = Dictionary(stored.issues.values.map { ($0.id, $0.status) }, uniquingKeysWith: { first, _ in first })
        for (issue, expected) in state.statuses {
            guard let found = statusByID[issue] else { continue }
            if found != expected.acknowledged && !expected.unanswered.contains(found) {
                problems.append("issue \(issue) has status \(found); acknowledged \(expected.acknowledged)")
            }
        }
        let viewsByID = Dictionary(stored.issues.values.map { ($0.id, $0.views) }, uniquingKeysWith: { first, _ in first })
        var shown: [Int64: Int64] = [:]
        var safe: [Int64: View] = [:]
        for view in state.views {
            shown[view.issue] = max(shown[view.issue] ?? 0, view.count)
            let lost = view.answerer(diedAt: crashes).map { $0 - view.countedBy(crashes) <= viewLoss } ?? false
            if !lost, view.count > (safe[view.issue]?.count ?? 0) { safe[view.issue] = view }
        }
        for (issue, count) in shown {
            guard let stored = viewsByID[issue] else { continue }
            if stored > count { problems.append("issue \(issue) has \(stored) views; at most \(count) were counted") }
            if let floor = safe[issue], stored < floor.count {
                let crash = floor.answerer(diedAt: crashes).map { "its daemon killed \($0 - floor.countedBy(crashes)) later" } ?? "its daemon not killed"
                problems.append("issue \(issue) has \(stored) views; \(floor.count) had been shown, \(crash)")
            }
        }
        return problems
    }
}
