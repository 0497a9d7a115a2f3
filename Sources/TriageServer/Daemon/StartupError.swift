import Foundation
import NIOCore

/// Maps what can go wrong while starting to the exit codes of DESIGN §2:
/// configuration problems (78) happen before READY=1 is sent.
public enum StartupFailure {
    /// The `ConfigurationError` an error amounts to, when the operator must fix the configuration.
    public static func configurationProblem(in error: any Error, settings: Settings) -> ConfigurationError? {
        switch error {
        case let error as ConfigurationError:
            return error
        case let error as StoreError where error.isConfigurationProblem:
            return ConfigurationError(.databaseURL, error.description)
        case let error as IOError where error.errnoCode == EADDRINUSE:
            return ConfigurationError(.httpPort, "\(settings.httpHost):\(settings.httpPort) is already in use")
        case let error as IOError where error.errnoCode == EADDRNOTAVAIL:
            return ConfigurationError(.httpHost, "\(settings.httpHost) is not an address of this machine")
        case let error as SocketAddressError:
            return ConfigurationError(.httpHost, "cannot resolve \(settings.httpHost): \(error)")
        default:
            return nil
        }
    }
}
