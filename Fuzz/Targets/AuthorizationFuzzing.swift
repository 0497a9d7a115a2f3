import Foundation
import Synchronization
@testable import TriageServer

/// `Authorization` header values: read as a bearer token, then verified as a
/// JWT, as every authenticated request does. A forged or malformed token must
/// be a `TokenService.Rejection`, never accepted.
enum AuthorizationFuzzing {
    private static let service = BlockingCall.run {
        await TokenService(secret: FuzzTarget.authorizationSecret, clock: SystemWallClock(), lifetime: { 3600 })
    }

    static func run(_ input: [UInt8]) throws(FuzzFinding) {
        let header = String(fuzzInput: input)
        guard let token = BearerCredential.token(fromAuthorization: header) else { return }
        // Made here, on the caller's thread: first touched inside the task, its own blocking
        // initialisation would wait for a cooperative thread while holding one.
        let service = Self.service
        let verdict = BlockingCall.run { () async -> String? in
            do {
                let verified = try await service.verify(token)
                return "accepted for user \(verified.userID)"
            } catch {
                return nil
            }
        }
        if let verdict {
            throw FuzzFinding("\(header.debugDescription): a token never issued was \(verdict)")
        }
    }
}

/// libFuzzer calls a synchronous function; token verification is async. Call it
/// only from a thread outside Swift's cooperative pool (libFuzzer's, `offThePool`):
/// it blocks its thread until a pool thread has run `work`.
enum BlockingCall {
    static func run<Value: Sendable>(_ work: @escaping @Sendable () async -> Value) -> Value {
        let done = DispatchSemaphore(value: 0)
        let result = Mutex<Value?>(nil)
        Task {
            let value = await work()
            result.withLock { $0 = value }
            done.signal()
        }
        done.wait()
        guard let value = result.withLock({ $0 }) else { fatalError("the task signalled without a value") }
        return value
    }
}
