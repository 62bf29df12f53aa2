#if canImport(Glibc)
import Glibc

/// glibc's per-thread cache of freed chunks (tcache) holds 7 chunks per size class by default. An event
/// loop allocates a few objects per request (the exchange, the header strings) and, with dozens of
/// requests in flight, frees them in batches larger than that; the surplus goes through `_int_free`'s
/// and `_int_malloc`'s bin sorting and consolidation. In a profile of a Cognito-authorized REST request
/// that was 10.4% of the event loop's CPU time; with a deeper cache, 5.0% (HTTP API route: 3.1% and 1.7%).
///
/// glibc reads its tunables only when a process starts, so `portico` re-executes itself once, first
/// thing, with `glibc.malloc.tcache_count` added to `GLIBC_TUNABLES`, and the re-executed process puts
/// the variable back as it was (so that function processes do not inherit it). Nothing happens when the
/// variable already sets `tcache_count` (the operator's choice wins) or when `PORTICO_MALLOC_TUNING=0`;
/// a failed `execv` is ignored and the process carries on with glibc's defaults.
enum MallocTuning {
    /// Chunks kept per size class and thread: enough for a loop's in-flight requests in the benchmark
    /// (64 connections). The memory it can hold is bounded by what the loop had allocated at its peak.
    static let tcacheCount = 512

    /// Set across the re-execution: `-` when `GLIBC_TUNABLES` was unset, else `=` and its value.
    private static let marker = "PORTICO_MALLOC_TUNED"

    static func reexecIfNeeded() {
        if let original = environment(marker) {
            // The re-executed process: glibc has read the tunables; restore the variable.
            if original.hasPrefix("=") {
                setenv("GLIBC_TUNABLES", String(original.dropFirst()), 1)
            } else {
                unsetenv("GLIBC_TUNABLES")
            }
            unsetenv(marker)
            return
        }
        if environment("PORTICO_MALLOC_TUNING") == "0" { return }
        let existing = environment("GLIBC_TUNABLES")
        if let existing, existing.contains("glibc.malloc.tcache_count") { return }
        let setting = "glibc.malloc.tcache_count=\(tcacheCount)"
        let tunables = existing.map { $0.isEmpty ? setting : "\($0):\(setting)" } ?? setting
        setenv(marker, existing.map { "=\($0)" } ?? "-", 1)
        setenv("GLIBC_TUNABLES", tunables, 1)
        // `/proc/self/exe` rather than argv[0]: the binary itself, however it was found.
        _ = execv("/proc/self/exe", CommandLine.unsafeArgv)
        // Still here: exec failed (no /proc, say). Carry on untuned, with the environment as it was.
        if let existing { setenv("GLIBC_TUNABLES", existing, 1) } else { unsetenv("GLIBC_TUNABLES") }
        unsetenv(marker)
    }

    private static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}
#else
enum MallocTuning {
    static func reexecIfNeeded() {}
}
#endif
