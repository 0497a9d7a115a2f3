// swift-tools-version:6.2
import Foundation
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "triage",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "triaged", targets: ["triaged"]),
        .executable(name: "triagectl", targets: ["triagectl"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        // Already under Hummingbird; named because the immediate-response handler works on the channel pipeline.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
    ],
    targets: [
        // libsystemd: sd_notify, sd_watchdog_enabled, sd_journal_sendv.
        .systemLibrary(
            name: "CSystemd",
            path: "Sources/CSystemd",
            pkgConfig: "libsystemd",
            providers: [.apt(["libsystemd-dev"])]
        ),
        // glibc's mallopt, which the Glibc module leaves out.
        .systemLibrary(name: "CGlibcMalloc", path: "Sources/CGlibcMalloc"),
        // The only module the CLI shares with the daemon: Codable shapes of the control API.
        .target(
            name: "TriageControlAPI",
            swiftSettings: swiftSettings
        ),
        // Cron and civil dates: no server dependencies, so the CLI previews schedules with the daemon's own rules.
        .target(
            name: "TriageCron",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TriageServer",
            dependencies: [
                "CSystemd",
                "TriageCron",
                "CGlibcMalloc",
                "TriageControlAPI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            resources: [
                .embedInCode("HTTP/OpenAPI/openapi.yaml"),
                .embedInCode("HTTP/Dashboard/dashboard.html"),
                .embedInCode("HTTP/Dashboard/dashboard.js"),
                .embedInCode("HTTP/Dashboard/dashboard.css"),
                .embedInCode("HTTP/Dashboard/favicon.svg"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "triaged",
            dependencies: [
                "TriageServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "triagectl",
            dependencies: [
                "TriageControlAPI",
                "TriageCron",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: swiftSettings
        ),
        // The parsers that take untrusted or operator text, as fuzz targets: driven by
        // libFuzzer through `triage-fuzz` (scripts/fuzz), replayed over the corpus by the unit tests.
        .target(
            name: "TriageFuzzTargets",
            dependencies: [
                "TriageServer",
                "TriageCron",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Fuzz/Targets",
            swiftSettings: swiftSettings
        ),
        // Helpers both test targets share (temporary directories, raw Unix sockets).
        .target(
            name: "TriageTestSupport",
            path: "Tests/TriageTestSupport",
            swiftSettings: swiftSettings
        ),
        // Stand-ins for the daemon's seams (clocks, upstream, systemd), kept out of the product.
        .target(
            name: "TriageTestDoubles",
            dependencies: [
                "TriageServer",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Tests/TriageTestDoubles",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TriageServerTests",
            dependencies: [
                "TriageServer",
                "TriageCron",
                "TriageTestSupport",
                "TriageTestDoubles",
                "TriageFuzzTargets",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "TriageControlAPI",
                "TriageTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)

// libFuzzer's entry point, only in scripts/fuzz's own build (`TRIAGE_FUZZ=1`,
// `--sanitize fuzzer`): libFuzzer brings `main`, so an ordinary build could not
// link it, and the manual-page plugin would take it for a command.
if ProcessInfo.processInfo.environment["TRIAGE_FUZZ"] == "1" {
    package.targets.append(
        .executableTarget(name: "triage-fuzz", dependencies: ["TriageFuzzTargets"], path: "Fuzz/Driver", swiftSettings: swiftSettings)
    )
}

// What PostgresNIO alone costs per statement on this machine, the floor under
// triaged on PostgreSQL: only in bench/lists.py's build (`TRIAGE_BENCH=1`), so
// neither the tests' build nor the manual pages see it.
if ProcessInfo.processInfo.environment["TRIAGE_BENCH"] == "1" {
    package.targets.append(
        .executableTarget(
            name: "postgres-floor",
            dependencies: [
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "bench/postgres-floor",
            swiftSettings: swiftSettings
        )
    )
}
