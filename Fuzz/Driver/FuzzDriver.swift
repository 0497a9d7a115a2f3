import Foundation
import TriageFuzzTargets

/// libFuzzer's entry (its own `main` drives it). The target comes from
/// `TRIAGE_FUZZ_TARGET`, read once: one binary serves every target.
private let target: FuzzTarget = {
    let name = ProcessInfo.processInfo.environment["TRIAGE_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
        fatalError("TRIAGE_FUZZ_TARGET must be one of \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")), not \(name.debugDescription)")
    }
    return target
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    do {
        try target.run(input)
    } catch {
        // A finding is a crash to libFuzzer, which then saves the input.
        fatalError("\(target.rawValue): \(error)")
    }
    return 0
}
