import Foundation

/// Reads a whole file with POSIX calls, so that a failure carries the system's
/// own reason ("Permission denied", "Is a directory"): Foundation's errors
/// often lose it ("NSCocoaErrorDomain error 256"), and an operator needs it.
enum FileContents {
    struct Failure: Error {
        let reason: String
    }

    /// Nothing is at `path`. Anything else that stops a `stat` (no permission, a
    /// symlink loop) means something is there, and reading it must fail loudly.
    static func isAbsent(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) != 0 && (errno == ENOENT || errno == ENOTDIR)
    }

    static func read(_ path: String) throws(Failure) -> Data {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Failure(reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = Foundation.read(descriptor, &buffer, buffer.count)
            if count < 0 {
                if errno == EINTR { continue }
                throw Failure(reason: String(cString: strerror(errno)))
            }
            if count == 0 { return data }
            data.append(buffer, count: count)
        }
    }
}
