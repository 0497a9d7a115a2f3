import Foundation
import Hummingbird
import HummingbirdCore

/// Reads request bodies, path ids and query parameters, turning every client
/// mistake into a 400 problem that names the field.
enum RequestInput {
    static func decode<Body: Decodable>(_ type: Body.Type, from request: Request, context: some RequestContext) async throws -> Body {
        guard let body = try await decodeIfPresent(type, from: request, context: context) else {
            throw HTTPProblem(.badRequest, title: "Invalid request", detail: "body: a JSON object is required")
        }
        return body
    }

    /// As `decode`, but an empty body is nil rather than an error.
    static func decodeIfPresent<Body: Decodable>(_ type: Body.Type, from request: Request, context: some RequestContext) async throws -> Body? {
        // Over the limit, collect throws Hummingbird's 413, which ProblemMiddleware renders.
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        guard buffer.readableBytes > 0 else { return nil }
        return try decode(type, json: buffer)
    }

    /// A JSON body as `Body`; every way it can be wrong is a 400 naming the field.
    static func decode<Body: Decodable>(_ type: Body.Type, json buffer: ByteBuffer) throws(HTTPProblem) -> Body {
        do {
            return try JSONDecoder().decode(Body.self, from: buffer)
        } catch let error as DecodingError {
            throw describe(error)
        } catch let problem as HTTPProblem {
            throw problem
        } catch {
            // JSONDecoder throws only DecodingError; anything else is a bug worth a clear answer, not a 500.
            throw HTTPProblem.invalid("body", "cannot be read")
        }
    }

    private static func describe(_ error: DecodingError) -> HTTPProblem {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.isEmpty ? "body" : codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return .invalid(path(context.codingPath + [key]), "is required")
        case .typeMismatch(let type, let context):
            return .invalid(path(context.codingPath), "must be \(typeName(type))")
        case .valueNotFound(let type, let context):
            return .invalid(path(context.codingPath), "must be \(typeName(type)), not null")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return .invalid("body", "is not valid JSON") }
            return .invalid(path(context.codingPath), context.debugDescription)
        @unknown default:
            return .invalid("body", "cannot be read")
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type, is Int64.Type: return "an integer"
        case is Bool.Type: return "true or false"
        default: return type == [String: Any].self ? "an object" : "of type \(type)"
        }
    }

    /// A positive integer path parameter.
    static func id(_ name: String, in context: some RequestContext) throws -> Int64 {
        guard let text = context.parameters.get(name), let value = Int64(text), value > 0 else {
            throw HTTPProblem.invalid(name, "must be a positive integer")
        }
        return value
    }

    /// An optional positive integer query parameter.
    static func queryID(_ name: String, in query: FlatDictionary<Substring, Substring>) throws -> Int64? {
        guard let text = query[Substring(name)] else { return nil }
        guard let value = Int64(text), value > 0 else { throw HTTPProblem.invalid(name, "must be a positive integer") }
        return value
    }

    /// Parses an enum from its API spelling, naming the allowed values on failure.
    static func enumValue<Value: RawRepresentable & CaseIterable>(_ text: String, field: String, as type: Value.Type) throws -> Value
    where Value.RawValue == String {
        guard let value = Value(rawValue: text) else {
            throw HTTPProblem.invalid(field, "must be one of \(Value.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }
}
