import Foundation
import Synchronization
import TriageServer

/// A manual clock whose sleeps return at once, moving time to their deadline
/// and remembering how long each was.
public final class SteppingClock: WallClock {
    private let state: Mutex<(now: Date, sleeps: [TimeInterval])>

    public init(_ start: Date = Date(timeIntervalSince1970: 1_780_000_000)) {
        state = Mutex((start, []))
    }

    public func now() -> Date { state.withLock { $0.now } }

    public var sleeps: [TimeInterval] { state.withLock { $0.sleeps } }

    public func advance(by seconds: TimeInterval) {
        state.withLock { $0.now = $0.now.addingTimeInterval(seconds) }
    }

    public func sleep(until deadline: Date) async throws {
        try Task.checkCancellation()
        state.withLock { state in
            state.sleeps.append(deadline.timeIntervalSince(state.now))
            if deadline > state.now { state.now = deadline }
        }
    }
}

extension SteppingClock: ElapsedClock {}
