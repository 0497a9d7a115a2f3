/// Runs `body` with `resource` and awaits `cleanUp` afterwards, whether `body`
/// returned or threw: the shape every fixture's `with` takes, so no test leaves
/// a daemon, a database or a directory behind (and no cleanup runs in an
/// unstructured task that may never finish before the process exits).
public func scoped<Resource, Result>(
    _ resource: Resource, cleanUp: (Resource) async -> Void, _ body: (Resource) async throws -> Result
) async throws -> Result {
    let result: Result
    do {
        result = try await body(resource)
    } catch {
        await cleanUp(resource)
        throw error
    }
    await cleanUp(resource)
    return result
}
