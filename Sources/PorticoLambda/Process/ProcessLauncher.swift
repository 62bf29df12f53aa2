import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A started function process: its id (also its process-group id) and the read end of the pipe
/// that carries its stdout and stderr.
struct LaunchedProcess: Sendable {
    let pid: pid_t
    let outputDescriptor: CInt
}

/// How a process ended, worded as AWS words it in `Runtime.ExitError` ("exit status 1",
/// "signal: killed": the Go `ProcessState` strings the Lambda service prints).
enum ProcessExit: Sendable, Equatable, CustomStringConvertible {
    case exited(Int32)
    case signaled(Int32)

    /// Decodes a `waitpid` status (the `WIFEXITED`/`WTERMSIG` macros are not imported into Swift).
    init(waitStatus status: Int32) {
        if status & 0x7f == 0 {
            self = .exited((status >> 8) & 0xff)
        } else {
            self = .signaled(status & 0x7f)
        }
    }

    var description: String {
        switch self {
        case .exited(let code): return "exit status \(code)"
        case .signaled(let signal):
            switch signal {
            case SIGKILL: return "signal: killed"
            case SIGTERM: return "signal: terminated"
            case SIGSEGV: return "signal: segmentation fault"
            case SIGABRT: return "signal: aborted"
            case SIGINT: return "signal: interrupt"
            case SIGBUS: return "signal: bus error"
            default: return "signal: \(signal)"
            }
        }
    }
}

struct LaunchError: Error, CustomStringConvertible {
    let description: String
}

/// Starts function processes with `posix_spawn`, each in a process group of its own so that a
/// timeout or a stop kills whatever the function started too, and reaps them.
enum ProcessLauncher {
    /// Starts `argv` in `directory` with exactly `environment`, stdin from /dev/null and
    /// stdout+stderr into one pipe (so the log keeps their order).
    ///
    /// The working directory is set by `/bin/sh -c 'cd -- "$0" && exec "$@"'`: glibc's
    /// `posix_spawn_file_actions_addchdir_np` is not visible to Swift, and `exec` keeps the pid, so
    /// the process group and the pid stay the function's own.
    static func launch(argv: [String], environment: [String: String], directory: String) throws -> LaunchedProcess {
        guard !argv.isEmpty else { throw LaunchError(description: "empty command") }
        var fds: [CInt] = [-1, -1]
        guard pipe(&fds) == 0 else { throw LaunchError(description: "pipe: \(String(cString: strerror(errno)))") }
        // Close-on-exec, so no other process inherits them. (All launches happen on the host's one
        // event loop thread, so nothing spawns between `pipe` and these calls.)
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)

        let shellArguments = ["/bin/sh", "-c", "cd -- \"$0\" && exec \"$@\"", directory] + argv
        let environmentLines = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        posix_spawn_file_actions_adddup2(&actions, fds[1], 2)
        // Nothing else of Portico's goes to the function: NIO's sockets are not close-on-exec, and
        // an inherited listener or connection would stay open as long as the function lives (a
        // client waiting for Portico to close its connection would wait for the function).
        if let addCloseFrom = Self.addCloseFrom {
            _ = addCloseFrom(&actions, 3)
        } else {
            markDescriptorsCloseOnExec()
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // A new process group (pgid = pid); default dispositions and an empty mask for every
        // signal, since Portico ignores or traps some (SIGPIPE, SIGTERM) and those would be inherited.
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        var pid: pid_t = 0
        let result = withCStrings(shellArguments) { argvPointer in
            withCStrings(environmentLines) { environmentPointer in
                posix_spawn(&pid, "/bin/sh", &actions, &attributes, argvPointer, environmentPointer)
            }
        }
        close(fds[1])
        guard result == 0 else {
            close(fds[0])
            throw LaunchError(description: "posix_spawn: \(String(cString: strerror(result)))")
        }
        return LaunchedProcess(pid: pid, outputDescriptor: fds[0])
    }

    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, CInt) -> CInt

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+), which Swift's Glibc module does
    /// not show: closes every descriptor from 3 up in the child, with no race against other threads.
    private static let addCloseFrom: AddCloseFrom? = {
        guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "posix_spawn_file_actions_addclosefrom_np") else {
            return nil
        }
        return unsafeBitCast(symbol, to: AddCloseFrom.self)
    }()

    /// The fallback without `addclosefrom`: every descriptor from 3 up is made close-on-exec
    /// before spawning (one opened by another thread meanwhile can still slip through).
    private static func markDescriptorsCloseOnExec() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return }
        for name in names {
            guard let fd = CInt(name), fd > 2 else { continue }
            let flags = fcntl(fd, F_GETFD)
            if flags >= 0 { _ = fcntl(fd, F_SETFD, flags | FD_CLOEXEC) }
        }
    }

    /// Waits for `pid` on a thread of its own (a blocking `waitpid` must not sit on an event
    /// loop) and reports how it ended.
    static func onExit(of pid: pid_t, _ report: @escaping @Sendable (ProcessExit) -> Void) {
        let thread = Thread {
            var status: Int32 = 0
            while true {
                let result = waitpid(pid, &status, 0)
                if result == pid { break }
                if result == -1 && errno == EINTR { continue }
                // ECHILD: reaped elsewhere; nothing more can be learned.
                status = 0
                break
            }
            report(ProcessExit(waitStatus: status))
        }
        thread.name = "portico-fn-wait-\(pid)"
        thread.stackSize = 64 * 1024
        thread.start()
    }

    /// Kills the whole process group: the function and anything it started.
    static func killGroup(_ pid: pid_t) {
        guard pid > 0 else { return }
        _ = kill(-pid, SIGKILL)
    }

    /// The process's peak resident size (`VmHWM` in /proc), in MB, for the REPORT line.
    static func peakMemoryMB(_ pid: pid_t) -> Int? {
        statusKilobytes(pid, key: vmHWM).map { max(1, ($0 + 1023) / 1024) }
    }

    /// The process's resident size now (`VmRSS`), in kB: what the memory watch compares with
    /// the function's memory size.
    static func residentKilobytes(_ pid: pid_t) -> Int? {
        statusKilobytes(pid, key: vmRSS)
    }

    static let vmHWM = Array("VmHWM:".utf8)
    static let vmRSS = Array("VmRSS:".utf8)

    /// A kB figure of `/proc/{pid}/status`. Read with plain `read(2)` into a stack buffer and
    /// scanned as bytes: it runs once per invocation (and per memory check) on the host's loop,
    /// where Foundation's file reading and line splitting cost more than the rest of the invocation.
    private static func statusKilobytes(_ pid: pid_t, key: [UInt8]) -> Int? {
        guard pid > 0 else { return nil }
        let fd = "/proc/\(pid)/status".withCString { open($0, O_RDONLY | O_CLOEXEC) }
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4096) { buffer -> Int? in
            var used = 0
            while used < buffer.count {
                let got = read(fd, buffer.baseAddress! + used, buffer.count - used)
                if got < 0, errno == EINTR { continue }
                guard got > 0 else { break }
                used += got
            }
            return kilobytes(after: key, in: UnsafeBufferPointer(rebasing: buffer[..<used]))
        }
    }

    /// The number after `key` (e.g. `VmHWM:`) at the start of a line of `/proc/{pid}/status`, in kB.
    static func kilobytes(after key: [UInt8], in status: UnsafeBufferPointer<UInt8>) -> Int? {
        var index = 0
        while index + key.count <= status.count {
            let atLineStart = index == 0 || status[index - 1] == UInt8(ascii: "\n")
            if atLineStart, status[index] == key[0], zip(key.indices, key).allSatisfy({ status[index + $0] == $1 }) {
                var cursor = index + key.count
                while cursor < status.count, status[cursor] == UInt8(ascii: " ") || status[cursor] == UInt8(ascii: "\t") { cursor += 1 }
                var value = 0
                var digits = 0
                while cursor < status.count, status[cursor] >= UInt8(ascii: "0"), status[cursor] <= UInt8(ascii: "9") {
                    value = value * 10 + Int(status[cursor] - UInt8(ascii: "0"))
                    cursor += 1
                    digits += 1
                }
                return digits > 0 ? value : nil
            }
            index += 1
        }
        return nil
    }

    /// A NULL-terminated `char *[]` of `strings`, valid inside `body`.
    private static func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
        var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        pointers.append(nil)
        defer { for pointer in pointers { free(pointer) } }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
