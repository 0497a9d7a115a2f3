import Foundation

/// The HS256 secret: `auth.jwtSecret` when configured, else one generated on
/// first start into the state directory (mode 0600) and reused afterwards, so
/// tokens survive restarts.
enum JWTSecretStore {
    static let fileName = "jwt-secret"

    static func secret(configured: String?, stateDirectory: String) throws(ConfigurationError) -> String {
        if let configured { return configured }
        let path = stateDirectory + "/" + fileName
        if let existing = try? String(contentsOfFile: path, encoding: .utf8) {
            let trimmed = existing.trimmingCharacters(in: .whitespacesAndNewlines)
            guard trimmed.utf8.count >= 32 else {
                throw ConfigurationError(.authJWTSecret, "\(path) holds fewer than 32 bytes; delete it to generate a new one")
            }
            return trimmed
        }
        var bytes = [UInt8](repeating: 0, count: 48)
        var generator = SystemRandomNumberGenerator()
        for index in bytes.indices { bytes[index] = generator.next() }
        let secret = Data(bytes).base64EncodedString()
        do {
            try FileManager.default.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true)
            // Created with 0600 from the start: never readable by others, even briefly.
            let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
            guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            defer { close(descriptor) }
            let data = Array((secret + "\n").utf8)
            guard write(descriptor, data, data.count) == data.count else { throw POSIXError(.EIO) }
        } catch {
            throw ConfigurationError(.authJWTSecret, "cannot write a generated secret to \(path): \(error)")
        }
        return secret
    }
}
