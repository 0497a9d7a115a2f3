import Foundation
import Prometheus

/// The standard `process_*` metrics, read from /proc at scrape time.
public struct ProcessMetrics: Sendable {
    private let cpuSeconds: Gauge
    private let residentBytes: Gauge
    private let virtualBytes: Gauge
    private let openDescriptors: Gauge
    private let startTime: Gauge

    public init(registry: PrometheusCollectorRegistry, startedAt: Date) {
        cpuSeconds = registry.makeGauge(descriptor: .named("process_cpu_seconds_total", help: "User and system CPU time spent in seconds."))
        residentBytes = registry.makeGauge(descriptor: .named("process_resident_memory_bytes", help: "Resident memory size in bytes."))
        virtualBytes = registry.makeGauge(descriptor: .named("process_virtual_memory_bytes", help: "Virtual memory size in bytes."))
        openDescriptors = registry.makeGauge(descriptor: .named("process_open_fds", help: "Number of open file descriptors."))
        startTime = registry.makeGauge(
            descriptor: .named("process_start_time_seconds", help: "Start time of the process since the Unix epoch in seconds.")
        )
        startTime.set(startedAt.timeIntervalSince1970)
    }

    public func update() {
        if let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
           let afterName = stat.range(of: ") ", options: .backwards)
        {
            // Fields after the command name start at field 3 (state); utime and stime are fields 14 and 15.
            let fields = stat[afterName.upperBound...].split(separator: " ")
            if fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) {
                cpuSeconds.set((user + system) / Double(sysconf(Int32(_SC_CLK_TCK))))
            }
        }
        if let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) {
            let pages = statm.split(separator: " ").compactMap { Double($0) }
            let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))
            if pages.count > 1 {
                virtualBytes.set(pages[0] * pageSize)
                residentBytes.set(pages[1] * pageSize)
            }
        }
        if let descriptors = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
            openDescriptors.set(Double(descriptors.count))
        }
    }
}
