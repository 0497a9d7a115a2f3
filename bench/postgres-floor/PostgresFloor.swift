// The floor PostgresNIO sets under any Swift service on this machine: the
// statement `GET /api/issues/{id}` runs, prepared, from N concurrent tasks
// through a PostgresClient configured as triaged's (default pool, the
// singleton event loops), with no HTTP, JSON or routing around it. Its rate
// and this process's CPU per statement bound what triaged can reach on
// PostgreSQL (bench/lists.py prints both beside triaged's).
//
//   [PGPASSWORD=…] [FLOOR_UNNAMED=1] postgres-floor HOST PORT USER DATABASE IDS [SECONDS] [TASKS] [SQL]
//
// Prints one JSON object: statements, seconds, rate, cpu_us (per statement).
import Foundation
import Logging
import NIOPosix
import PostgresNIO

struct Statement: PostgresPreparedStatement {
    // Read once from argv; a prepared statement's text is a static property.
    static let sql = CommandLine.arguments.count > 8 ? CommandLine.arguments[8] : "SELECT * FROM issues WHERE id = $1"
    typealias Row = PostgresRandomAccessRow
    let id: Int64
    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings()
        if Self.sql.contains("$1") { bindings.append(id) }
        return bindings
    }
    func decodeRow(_ row: PostgresRow) throws -> PostgresRandomAccessRow { row.makeRandomAccess() }
    func unnamed() throws -> PostgresQuery { PostgresQuery(unsafeSQL: Self.sql, binds: try makeBindings()) }
}

func cpuMicroseconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    let user = Double(usage.ru_utime.tv_sec) * 1e6 + Double(usage.ru_utime.tv_usec)
    let system = Double(usage.ru_stime.tv_sec) * 1e6 + Double(usage.ru_stime.tv_usec)
    return user + system
}

@main
struct PostgresFloor {
    static func main() async {
        let arguments = CommandLine.arguments
        guard arguments.count >= 6, let port = Int(arguments[2]), let ids = Int(arguments[5]), ids > 0 else {
            FileHandle.standardError.write(Data("usage: postgres-floor HOST PORT USER DATABASE IDS [SECONDS] [TASKS] [SQL]\n".utf8))
            exit(64)
        }
        let seconds = arguments.count > 6 ? Double(arguments[6]) ?? 5 : 5
        let tasks = arguments.count > 7 ? Int(arguments[7]) ?? 32 : 32
        // Parsed and planned on every execution, as triaged's lists are (their text depends on the filters).
        let unnamed = ProcessInfo.processInfo.environment["FLOOR_UNNAMED"] == "1"

        let configuration = PostgresClient.Configuration(
            host: arguments[1], port: port, username: arguments[3], password: ProcessInfo.processInfo.environment["PGPASSWORD"], database: arguments[4], tls: .disable
        )
        let client = PostgresClient(
            configuration: configuration, eventLoopGroup: MultiThreadedEventLoopGroup.singleton, backgroundLogger: Logger(label: "floor")
        )
        let logger = Logger(label: "floor")

        func run(for duration: Duration) async throws -> Int {
            let deadline = ContinuousClock.now + duration
            return try await withThrowingTaskGroup(of: Int.self) { group in
                for task in 0..<tasks {
                    group.addTask {
                        var done = 0
                        var id = Int64(task * 7919 % ids) + 1
                        while ContinuousClock.now < deadline {
                            if unnamed {
                                for try await _ in try await client.query(try Statement(id: id).unnamed(), logger: logger) {}
                            } else {
                                for try await _ in try await client.execute(Statement(id: id), logger: logger) {}
                            }
                            done += 1
                            id = (id * 48271) % Int64(ids) + 1
                        }
                        return done
                    }
                }
                var total = 0
                for try await done in group { total += done }
                return total
            }
        }

        await withTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            do {
                _ = try await run(for: .seconds(1))  // every connection opened and the statement prepared on each
                let cpuBefore = cpuMicroseconds()
                let started = ContinuousClock.now
                let statements = try await run(for: .milliseconds(Int64(seconds * 1000)))
                let elapsed = ContinuousClock.now - started
                let wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                let cpu = cpuMicroseconds() - cpuBefore
                print(#"{"statements": \#(statements), "seconds": \#(wall), "rate": \#(Double(statements) / wall), "cpu_us": \#(cpu / Double(statements))}"#)
            } catch {
                FileHandle.standardError.write(Data("postgres-floor: \(String(reflecting: error))\n".utf8))
                exit(1)
            }
            group.cancelAll()
        }
    }
}
