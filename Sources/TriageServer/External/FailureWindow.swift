import Foundation

/// Outcomes of the calls in the last `window` seconds, in ten buckets so that
/// memory stays fixed however many calls there are. A bucket is dropped as a
/// whole once it falls out of the window, so the window slides in steps of a
/// tenth of its length.
struct FailureWindow: Sendable {
    static let bucketCount = 10

    private struct Bucket {
        var index: Int
        var calls = 0
        var failures = 0
    }

    private var buckets: [Bucket] = []

    /// Records one call's outcome at `now`.
    mutating func record(failed: Bool, at now: Date, window: TimeInterval) {
        let index = Self.bucketIndex(now, window: window)
        prune(before: index, window: window)
        if buckets.last?.index != index { buckets.append(Bucket(index: index)) }
        buckets[buckets.count - 1].calls += 1
        if failed { buckets[buckets.count - 1].failures += 1 }
    }

    /// Calls and failures in the window ending at `now`.
    mutating func totals(at now: Date, window: TimeInterval) -> (calls: Int, failures: Int) {
        prune(before: Self.bucketIndex(now, window: window), window: window)
        return buckets.reduce(into: (0, 0)) { totals, bucket in
            totals.0 += bucket.calls
            totals.1 += bucket.failures
        }
    }

    mutating func clear() {
        buckets.removeAll(keepingCapacity: true)
    }

    private mutating func prune(before current: Int, window: TimeInterval) {
        buckets.removeAll { $0.index <= current - Self.bucketCount || $0.index > current }
    }

    private static func bucketIndex(_ date: Date, window: TimeInterval) -> Int {
        let width = max(window, 0.001) / Double(bucketCount)
        return Int((date.timeIntervalSince1970 / width).rounded(.down))
    }
}
