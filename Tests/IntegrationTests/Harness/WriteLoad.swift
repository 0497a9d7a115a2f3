import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A steady load of writes through the public API, recorded in a `WriteLedger`:
/// each worker creates an issue, comments on it, moves it to IN_PROGRESS and
/// reads it (a view), over and over, until its task is cancelled. Names carry
/// `prefix` so that several rounds against restarted daemons stay apart.
struct WriteLoad: Sendable {
    let port: Int
    let token: String
    let ledger: WriteLedger
    let prefix: String
    var workers = 4
    /// A pause between writes, so the load is steady rather than all the daemon can take.
    var pause: Duration = .milliseconds(5)

    /// Runs until cancelled.
    func run() async {
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<workers {
                group.addTask { await self.work(as: worker) }
            }
        }
    }

    private func work(as worker: Int) async {
        var iteration = 0
        while !Task.isCancelled {
            iteration += 1
            let title = "\(prefix)-w\(worker)-\(iteration)"
            let created = await send(.POST, "/api/issues", #"{"title":"\#(title)","description":"load"}"#, what: "create \(title)")
            guard case .answered(201, let body) = created, let id = Self.id(in: body) else {
                ledger.issue(title, created.outcome)
                try? await Task.sleep(for: .milliseconds(50))
                continue
            }
            ledger.issue(title, .acknowledged, id: id)
            try? await Task.sleep(for: pause)
            let content = "\(title)-comment"
            ledger.comment(content, await send(.POST, "/api/issues/\(id)/comments", #"{"content":"\#(content)"}"#, what: "comment on \(id)").outcome)
            try? await Task.sleep(for: pause)
            ledger.status(of: id, "IN_PROGRESS", await send(.PATCH, "/api/issues/\(id)", #"{"status":"IN_PROGRESS"}"#, what: "move \(id)").outcome)
            try? await Task.sleep(for: pause)
            let sent = ContinuousClock.now
            if case .answered(200, let body) = await send(.GET, "/api/issues/\(id)", nil, what: "read \(id)"), let views = Self.number("viewCount", in: body) {
                ledger.viewed(id, count: views, sent: sent)
            }
            try? await Task.sleep(for: pause)
        }
    }

    enum Answer {
        case answered(Int, String)
        case none

        var outcome: WriteLedger.Outcome {
            switch self {
            case .answered(let status, _) where (200..<300).contains(status): return .acknowledged
            case .answered: return .refused
            case .none: return .unanswered
            }
        }
    }

    private func send(_ method: HTTPMethod, _ path: String, _ json: String?, what: String) async -> Answer {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        if let json {
            request.body = .bytes(ByteBuffer(string: json))
            request.headers.add(name: "Content-Type", value: "application/json")
        }
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
            let body = String(buffer: try await response.body.collect(upTo: 1 << 20))
            ledger.answer(Int(response.status.code), what)
            return .answered(Int(response.status.code), body)
        } catch {
            return .none
        }
    }

    static func id(in body: String) -> Int64? { number("id", in: body) }

    static func number(_ key: String, in body: String) -> Int64? {
        let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
        return (object?[key] as? NSNumber)?.int64Value
    }
}
