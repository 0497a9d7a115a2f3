import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import TriageControlAPI

/// HTTP/1.1 + JSON over the daemon's Unix socket.
struct ControlClient {
    let socketPath: String
    var timeout: TimeAmount = .seconds(30)

    func get<Response: Decodable>(_ path: String, as type: Response.Type) async throws(ControlClientError) -> Response {
        try await send(.GET, path, body: Optional<Data>.none, as: type)
    }

    func send<Body: Encodable, Response: Decodable>(
        _ method: HTTPMethod, _ path: String, body: Body?, as type: Response.Type
    ) async throws(ControlClientError) -> Response {
        let data = try await exchange(method, path, body: body)
        do {
            return try Self.decoder.decode(Response.self, from: data)
        } catch {
            throw .badResponse("cannot decode \(Response.self): \(error)")
        }
    }

    /// Receives each chunk of the answer as it arrives, with a buffer it may keep partial lines in.
    typealias ChunkHandler = (_ chunk: Data, _ pending: inout Data) -> Void

    /// The raw JSON answer, for `--json`.
    func exchange<Body: Encodable>(
        _ method: HTTPMethod, _ path: String, body: Body?, accept: String? = nil, onChunk: ChunkHandler? = nil
    ) async throws(ControlClientError) -> Data {
        let url = try checkedURL(path)
        let client = makeClient()
        let outcome: Result<Data, ControlClientError>
        do throws(ControlClientError) {
            outcome = .success(try await perform(method, url: url, body: body, accept: accept, onChunk: onChunk, client: client))
        } catch {
            outcome = .failure(error)
        }
        // Nothing useful to do if tearing down the client fails; the process is about to exit.
        try? await client.shutdown()
        return try outcome.get()
    }

    private func makeClient() -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .seconds(2), read: timeout)
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    /// The socket, checked before it is trusted, as the URL of `path` on it.
    private func checkedURL(_ path: String) throws(ControlClientError) -> URL {
        var status = stat()
        guard stat(socketPath, &status) == 0 else {
            // "Permission denied" is not "no daemon": say which one it is.
            let reason = errno == ENOENT
                ? "no such socket (is triaged running?)"
                : "\(String(cString: strerror(errno))) (only the daemon's user and root may use it)"
            throw .unreachable(socket: socketPath, reason: reason)
        }
        guard SocketTrust.trusts(ownerUID: status.st_uid) else {
            throw .unreachable(
                socket: socketPath,
                reason: "owned by uid \(status.st_uid), which is neither root, you, nor the \(SocketTrust.daemonUser) user; not talking to it"
            )
        }
        guard let url = URL(httpURLWithSocketPath: socketPath, uri: path) else {
            throw .unreachable(socket: socketPath, reason: "not a usable socket path")
        }
        return url
    }

    /// POSTs and hands a successful answer's body to `sink` chunk by chunk, without
    /// holding it (a database copy can be gigabytes); returns the answer's headers.
    func download(_ path: String, into sink: (ByteBuffer) throws -> Void) async throws(ControlClientError) -> HTTPHeaders {
        let url = try checkedURL(path)
        let client = makeClient()
        let outcome: Result<HTTPHeaders, ControlClientError>
        do throws(ControlClientError) {
            var request = HTTPClientRequest(url: url.absoluteString)
            request.method = .POST
            let response: HTTPClientResponse
            do {
                response = try await client.execute(request, timeout: timeout)
            } catch {
                throw .unreachable(socket: socketPath, reason: Self.describe(error))
            }
            guard (200..<300).contains(response.status.code) else {
                let data: Data
                do {
                    data = Data((try await response.body.collect(upTo: 1 << 20)).readableBytesView)
                } catch {
                    throw .badResponse("reading the answer failed: \(error)")
                }
                if let problem = try? Self.decoder.decode(ProblemDocument.self, from: data) { throw .refused(problem) }
                throw .refused(ProblemDocument(title: response.status.reasonPhrase, status: Int(response.status.code), detail: String(decoding: data, as: UTF8.self)))
            }
            do {
                for try await chunk in response.body { try sink(chunk) }
            } catch let error as ControlClientError {
                throw error
            } catch {
                throw .badResponse("receiving the copy failed: \(error)")
            }
            outcome = .success(response.headers)
        } catch {
            outcome = .failure(error)
        }
        try? await client.shutdown()
        return try outcome.get()
    }

    private func perform<Body: Encodable>(
        _ method: HTTPMethod, url: URL, body: Body?, accept: String?, onChunk: ChunkHandler?, client: HTTPClient
    ) async throws(ControlClientError) -> Data {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = method
        if let accept { request.headers.add(name: "Accept", value: accept) }
        if let body {
            do {
                request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(body)))
            } catch {
                throw .badResponse("cannot encode the request: \(error)")
            }
            request.headers.add(name: "Content-Type", value: "application/json")
        }

        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: timeout)
        } catch {
            throw .unreachable(socket: socketPath, reason: Self.describe(error))
        }
        var data = Data()
        var pending = Data()
        do {
            for try await chunk in response.body {
                let bytes = Data(chunk.readableBytesView)
                data.append(bytes)
                guard data.count <= 16 << 20 else { throw ControlClientError.badResponse("the answer is over 16 MiB") }
                onChunk?(bytes, &pending)
            }
        } catch let error as ControlClientError {
            throw error
        } catch {
            throw .badResponse("reading the answer failed: \(error)")
        }
        guard (200..<300).contains(response.status.code) else {
            if let problem = try? Self.decoder.decode(ProblemDocument.self, from: data) {
                throw .refused(problem)
            }
            throw .refused(ProblemDocument(title: response.status.reasonPhrase, status: Int(response.status.code), detail: String(decoding: data, as: UTF8.self)))
        }
        return data
    }

    static func decode<Value: Decodable>(_ type: Value.Type, from data: Data) throws(ControlClientError) -> Value {
        do {
            return try decoder.decode(Value.self, from: data)
        } catch {
            throw .badResponse("cannot decode \(Value.self): \(error)")
        }
    }

    /// POSTs `body` asking for newline-delimited JSON, hands every line but the
    /// last to `onLine` as it arrives, and decodes the last as the answer.
    func streamLines<Body: Encodable, Response: Decodable>(
        _ path: String, body: Body, onLine: @escaping (Data) -> Void
    ) async throws(ControlClientError) -> Response {
        let data = try await exchange(.POST, path, body: body, accept: "application/x-ndjson", onChunk: { chunk, pending in
            pending.append(chunk)
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = pending[pending.startIndex..<newline]
                pending.removeSubrange(pending.startIndex...newline)
                onLine(Data(line))
            }
        })
        let lines = data.split(separator: UInt8(ascii: "\n"))
        guard let last = lines.last else { throw .badResponse("empty answer") }
        if let problem = try? Self.decoder.decode(ProblemDocument.self, from: Data(last)), problem.status >= 400 {
            throw .refused(problem)
        }
        return try Self.decode(Response.self, from: Data(last))
    }

    private static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    private static func describe(_ error: any Error) -> String {
        if let io = error as? IOError { return String(cString: strerror(io.errnoCode)) }
        return "\(error)"
    }
}

/// A body-less request.
struct NoBody: Encodable {}
