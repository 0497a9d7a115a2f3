import Foundation
import NIOCore
import Testing
@testable import TriageServer

/// The hand-written bodies are byte for byte what the API's JSONEncoder writes.
@Suite(.timeLimit(.minutes(1))) struct JSONOutputTests {
    static let awkward = "quote \" backslash \\ slash / tab \t newline \n return \r \u{08}\u{0C}\u{01}\u{1F}\u{7F} é 日本 🐛 \u{2028}\u{2029} </script>"
    static let when = Date(timeIntervalSince1970: 1_780_000_000.123)

    static let issues = [
        Issue(id: 1, title: awkward, description: "", status: .inProgress, priority: .critical, reporterId: 7, assigneeId: nil,
              viewCount: 0, commentCount: 12, createdAt: when, updatedAt: when.addingTimeInterval(0.001)),
        Issue(id: 9_007_199_254_740_993, title: "t", description: awkward, status: .closed, priority: .low, reporterId: 1, assigneeId: 42,
              viewCount: Int.max, commentCount: 0, createdAt: Date(timeIntervalSince1970: 0), updatedAt: when),
    ]

    static func written(_ value: some JSONWritable) -> String {
        var output = JSONOutput(capacity: 16)
        value.write(to: &output)
        return String(buffer: output.buffer)
    }

    static func encoded(_ value: some Encodable) throws -> String {
        String(decoding: try JSONCoding.encoder.encode(value), as: UTF8.self)
    }

    @Test func issuesCommentsAndUsers() throws {
        for issue in Self.issues { #expect(Self.written(issue) == (try Self.encoded(issue))) }
        let comment = Comment(id: 3, issueId: 1, authorId: 2, content: Self.awkward, createdAt: Self.when, updatedAt: Self.when)
        #expect(Self.written(comment) == (try Self.encoded(comment)))
        let user = User(id: 5, username: "a.b_c-d", role: .viewer, createdAt: Self.when)
        #expect(Self.written(user) == (try Self.encoded(user)))
    }

    @Test func numbersInEveryLengthAndSign() throws {
        var numbers: [Int64] = [0, -1, 1, 9, 10, 99, 100, Int64.max, Int64.min, Int64.min + 1]
        var power: Int64 = 1
        for _ in 0..<18 {
            power *= 10
            numbers += [power - 1, power, -power, -(power - 1)]
        }
        var output = JSONOutput(capacity: 4)
        output.array(numbers) { output, number in output.value(number) }
        #expect(String(buffer: output.buffer) == (try Self.encoded(numbers)))
    }

    @Test func pagesWithAndWithoutANextCursor() throws {
        let slices = [
            ListSlice(items: Self.issues, total: .exact(2), hasMore: false),
            ListSlice(items: Self.issues, total: ListTotal(count: 1_000, exact: false), hasMore: true),
            ListSlice(items: [], total: .exact(0), hasMore: false),
        ]
        for (index, slice) in slices.enumerated() {
            let page = Page(slice: slice, page: index, size: 20, nextCursor: slice.hasMore ? "MXxpc3N1ZXN8MXwxLDF8LCw" : nil)
            #expect(Self.written(page) == (try Self.encoded(page)))
        }
    }
}
