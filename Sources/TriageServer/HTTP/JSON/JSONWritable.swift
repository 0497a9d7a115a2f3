import Hummingbird
import NIOCore

/// A body `JSONOutput` writes; as a route's result it becomes a JSON response
/// with the headers Hummingbird's JSON encoder sets.
public protocol JSONWritable: ResponseGenerator {
    func write(to output: inout JSONOutput)
}

extension JSONWritable {
    /// The media type of every body written this way, routed or immediate.
    static var contentType: String { "application/json; charset=utf-8" }

    /// The body's bytes.
    var json: ByteBuffer {
        var output = JSONOutput()
        write(to: &output)
        return output.buffer
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = json
        return Response(
            status: .ok,
            headers: [.contentType: Self.contentType, .contentLength: String(body.readableBytes)],
            body: .init(byteBuffer: body)
        )
    }
}

// Keys in sorted order, as `JSONCoding.encoder` writes them.

extension Issue: JSONWritable {
    public func write(to output: inout JSONOutput) {
        output.object { output in
            output.key("assigneeId"); output.value(assigneeId)
            output.key("commentCount"); output.value(commentCount)
            output.key("createdAt"); output.value(createdAt)
            output.key("description"); output.value(description)
            output.key("id"); output.value(id)
            output.key("priority"); output.value(priority.rawValue)
            output.key("reporterId"); output.value(reporterId)
            output.key("status"); output.value(status.rawValue)
            output.key("title"); output.value(title)
            output.key("updatedAt"); output.value(updatedAt)
            output.key("viewCount"); output.value(viewCount)
        }
    }
}

extension Comment: JSONWritable {
    public func write(to output: inout JSONOutput) {
        output.object { output in
            output.key("authorId"); output.value(authorId)
            output.key("content"); output.value(content)
            output.key("createdAt"); output.value(createdAt)
            output.key("id"); output.value(id)
            output.key("issueId"); output.value(issueId)
            output.key("updatedAt"); output.value(updatedAt)
        }
    }
}

extension User: JSONWritable {
    public func write(to output: inout JSONOutput) {
        output.object { output in
            output.key("createdAt"); output.value(createdAt)
            output.key("id"); output.value(id)
            output.key("role"); output.value(role.rawValue)
            output.key("username"); output.value(username)
        }
    }
}

extension Page: JSONWritable, ResponseGenerator where Item: JSONWritable {
    public func write(to output: inout JSONOutput) {
        output.object { output in
            output.key("items"); output.array(items) { output, item in item.write(to: &output) }
            output.key("nextCursor"); output.value(nextCursor)
            output.key("page"); output.value(page)
            output.key("size"); output.value(size)
            output.key("totalItems"); output.value(totalItems)
            output.key("totalItemsExact"); output.value(totalItemsExact)
            output.key("totalPages"); output.value(totalPages)
        }
    }
}
