import Foundation
@testable import TriageCron
@testable import TriageServer

/// `stats.cron`: an operator's text. Whatever parses must print back to
/// itself and fire strictly later than asked, in a zone with DST gaps.
enum CronFuzzing {
    private static let zones = [TimeZone(identifier: "UTC"), TimeZone(identifier: "Europe/Berlin")].compactMap { $0 }
    /// 2026-03-29 00:30 UTC, half an hour before Berlin's spring-forward gap.
    private static let start = Date(timeIntervalSince1970: 1_774_744_200)

    static func run(_ input: [UInt8]) throws(FuzzFinding) {
        let text = String(fuzzInput: input)
        guard let expression = try? CronExpression(text) else { return }
        guard let reparsed = try? CronExpression(expression.description), reparsed == expression else {
            throw FuzzFinding("\(text.debugDescription) parsed, but its description \(expression.description.debugDescription) does not parse back to it")
        }
        for zone in zones {
            let schedule = CronSchedule(expression: expression, timeZone: zone)
            guard let next = schedule.nextFire(after: start) else { continue }
            guard next > start else { throw FuzzFinding("\(text.debugDescription) in \(zone.identifier): next fire \(next) is not after \(start)") }
            if let following = schedule.nextFire(after: next), following <= next {
                throw FuzzFinding("\(text.debugDescription) in \(zone.identifier): \(following) follows \(next)")
            }
        }
    }
}
