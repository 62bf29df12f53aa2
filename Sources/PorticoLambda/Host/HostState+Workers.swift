import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// Starting, supervising and stopping function processes.
extension HostState {
    /// Starts a process for `function`, handing it `running` as its first invocation: a listener
    /// on an ephemeral loopback port first (its address is the process's `AWS_LAMBDA_RUNTIME_API`),
    /// then the process.
    func startWorker(for function: HostedFunction, with running: RunningInvocation) {
        let command: [String]?
        var missingBootstrap: String?
        do {
            command = try LaunchPlan.command(for: function.configuration, configuration: configuration)
        } catch {
            switch error {
            case .missingBootstrap(let path):
                (command, missingBootstrap) = (nil, path)
            case .unsupportedRuntime(let runtime):
                // Refused by the service before anything runs, as AWS refuses an unusable runtime.
                running.completed = true
                running.promise?.succeed(.rejected(LambdaMessages.invalidRuntime(runtime)))
                return
            }
        }

        let worker = FunctionWorker(id: nextWorkerId, function: function)
        nextWorkerId += 1
        function.workers.append(worker)
        workers[worker.id] = worker
        assign(running, to: worker)
        guard let command else {
            // The invocation runs and fails, as on AWS, with the function's error and log lines.
            failLaunch(worker, detail: "Couldn't find valid bootstrap(s): [\(missingBootstrap ?? "bootstrap")]")
            return
        }

        let host = NIOLoopBound(self, eventLoop: loop)
        let boundWorker = NIOLoopBound(worker, eventLoop: loop)
        let maxBody = configuration.maxRuntimeBodyBytes
        ServerBootstrap(group: loop)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let operations = channel.pipeline.syncOperations
                    try operations.configureHTTPServerPipeline(withErrorHandling: true)
                    try operations.addHandler(RuntimeAPIHandler(host: host.value, worker: boundWorker.value, maxBodyBytes: maxBody))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .assumeIsolated()
            .whenComplete { result in
                switch result {
                case .success(let listener):
                    self.launch(worker, command: command, listener: listener)
                case .failure(let error):
                    self.failLaunch(worker, detail: "cannot open the Runtime API listener: \(error)")
                }
            }
    }

    private func launch(_ worker: FunctionWorker, command: [String], listener: any Channel) {
        worker.listener = listener
        guard worker.phase == .starting, !isShutDown else {
            // Stopped while the listener was being opened.
            listener.close(promise: nil)
            workerGone(worker)
            return
        }
        let function = worker.function.configuration
        let runtimeAPI = "127.0.0.1:\(listener.localAddress?.port ?? 0)"
        var environment = LaunchPlan.environment(
            for: function, runtimeAPI: runtimeAPI, logStream: LaunchPlan.logStreamName(version: function.version),
            configuration: configuration)
        if let role = function.role, let sessions = configuration.sessionCredentials {
            // Lambda hands the execution environment its role's temporary credentials in these
            // reserved variables; the session is named after the function, as on AWS.
            let credentials = sessions.issue(roleArn: role, sessionName: function.name, lifetime: configuration.sessionCredentialLifetime)
            worker.sessionAccessKeyId = credentials.accessKeyId
            worker.credentialsExpireAt = .now() + .milliseconds(Int64(configuration.sessionCredentialLifetime * 1000))
            LaunchPlan.addCredentials(credentials, to: &environment)
        }
        let process: LaunchedProcess
        do {
            process = try ProcessLauncher.launch(argv: command, environment: environment, directory: function.codeDirectory)
        } catch {
            failLaunch(worker, detail: "cannot start \(command.joined(separator: " ")): \(error)")
            return
        }
        worker.pid = process.pid
        startMemoryWatchIfNeeded()
        logger.debug(
            "started a function process",
            metadata: ["function": "\(function.name)", "pid": "\(process.pid)", "runtime-api": "\(runtimeAPI)"])

        let host = NIOLoopBound(self, eventLoop: loop)
        let boundWorker = NIOLoopBound(worker, eventLoop: loop)
        NIOPipeBootstrap(group: loop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(OutputHandler(host: host.value, worker: boundWorker.value))
                }
            }
            .takingOwnershipOfDescriptor(input: process.outputDescriptor)
            .assumeIsolated()
            .whenComplete { result in
                switch result {
                case .success(let channel): worker.output = channel
                case .failure(let error):
                    self.logger.warning("cannot read a function process's output", metadata: ["error": "\(error)"])
                }
            }

        let loop = self.loop
        let workerId = worker.id
        ProcessLauncher.onExit(of: process.pid) { exit in
            loop.execute { host.value.workerExited(workerId, exit: exit) }
        }
    }

    /// The process could not be started: the invocation it was started for fails the way AWS
    /// fails an invocation whose runtime cannot start (`Runtime.InvalidEntrypoint`).
    private func failLaunch(_ worker: FunctionWorker, detail: String) {
        logger.warning("a function process could not start", metadata: ["function": "\(worker.functionName)", "reason": "\(detail)"])
        worker.phase = .stopping
        if let running = worker.current {
            running.answered = true
            logLine("\(LambdaMessages.timestamp()) \(running.requestId) \(detail)", worker: worker)
            finish(
                running, on: worker, payload: LambdaMessages.invalidEntrypoint(requestId: running.requestId, detail: detail),
                functionError: "Unhandled")
        }
        worker.listener?.close(promise: nil)
        workerGone(worker)
    }

    /// Stops a process: takes no more work, its process group is killed, its listener closed.
    /// It leaves the tables when it has been reaped (`workerExited`).
    func stop(_ worker: FunctionWorker, reason: String) {
        guard worker.phase != .stopping, worker.phase != .exited else { return }
        worker.phase = .stopping
        worker.idleTimer?.cancel()
        worker.idleTimer = nil
        logger.debug("stopping a function process", metadata: ["function": "\(worker.functionName)", "pid": "\(worker.pid)", "reason": "\(reason)"])
        if worker.pid > 0 {
            ProcessLauncher.killGroup(worker.pid)
        } else if worker.listener != nil {
            // Listener open but no process (cannot happen after `launch`); nothing will be reaped.
            worker.listener?.close(promise: nil)
            workerGone(worker)
        }
        // Otherwise the listener is still being opened; `launch` sees the phase and cleans up.
    }

    /// The process has been reaped. An invocation it had not answered fails as AWS reports a
    /// runtime that died: with the init error it posted, or `Runtime.ExitError`.
    func workerExited(_ workerId: Int, exit: ProcessExit) {
        guard let worker = workers[workerId] else { return }
        worker.phase = .exited
        // Whatever the function left running in its group goes too (and with it the pipe's last writer).
        ProcessLauncher.killGroup(worker.pid)
        worker.listener?.close(promise: nil)
        worker.idleTimer?.cancel()
        if let running = worker.current, !running.answered {
            running.answered = true
            if worker.outOfMemory {
                // AWS logs the runtime's death and the error type, and its REPORT line ends with
                // `Status: error  Error Type: Runtime.OutOfMemory`.
                afterOutputDrains(worker) {
                    guard !running.completed else { return }
                    self.logLine(
                        "RequestId: \(running.requestId) Error: Runtime exited with error: signal: killed\nRuntime.OutOfMemory",
                        worker: worker, running: running)
                    self.finish(
                        running, on: worker, payload: LambdaMessages.outOfMemory(requestId: running.requestId),
                        functionError: "Unhandled", status: "error", errorType: "Runtime.OutOfMemory")
                }
            } else if let initError = worker.initError, running.deliveredAt == nil {
                finish(running, on: worker, payload: initError, functionError: "Unhandled")
            } else {
                let payload = LambdaMessages.exited(requestId: running.requestId, exit: exit)
                let reason = exit == .exited(0) ? "Runtime exited without providing a reason" : "Runtime exited with error: \(exit)"
                // What the process wrote just before dying belongs in the log (and the tail) first.
                afterOutputDrains(worker) {
                    guard !running.completed else { return }
                    self.logLine("RequestId: \(running.requestId) Error: \(reason)\nRuntime.ExitError", worker: worker, running: running)
                    self.finish(running, on: worker, payload: payload, functionError: "Unhandled")
                }
            }
        }
        workerGone(worker)
    }

    /// Runs `body` once the process's output pipe has been read to its end (every writer in
    /// the group is gone), or after 200 ms if something outside the group still holds it.
    private func afterOutputDrains(_ worker: FunctionWorker, _ body: @escaping () -> Void) {
        guard let output = worker.output, output.isActive else {
            loop.assumeIsolated().execute(body)
            return
        }
        // `body` guards against running twice (the invocation is completed by the first).
        output.closeFuture.assumeIsolated().whenComplete { _ in body() }
        loop.assumeIsolated().scheduleTask(in: .milliseconds(200)) { body() }
    }

    /// Takes the worker out of the tables and lets queued events use the room it leaves.
    func workerGone(_ worker: FunctionWorker) {
        worker.phase = .exited
        if let accessKeyId = worker.sessionAccessKeyId {
            // The credentials die with the process.
            configuration.sessionCredentials?.revoke(accessKeyId: accessKeyId)
            worker.sessionAccessKeyId = nil
        }
        workers.removeValue(forKey: worker.id)
        worker.function.workers.removeAll { $0 === worker }
        if workers.isEmpty, let drained {
            self.drained = nil
            drained.succeed()
        }
        if !isShutDown { dispatchQueued(worker.function) }
    }

    /// Output from a process: into the function's log, and the running invocation's tail.
    func output(_ bytes: ByteBufferView, from worker: FunctionWorker) {
        logs.append(bytes, to: worker.functionName)
        if let running = worker.current, !running.completed { running.appendLog(bytes) }
    }

    /// A line the host writes into the function's log (and the running invocation's tail).
    func logLine(_ line: String, worker: FunctionWorker, running: RunningInvocation? = nil) {
        let bytes = Array((line + "\n").utf8)
        logs.append(bytes, to: worker.functionName)
        if let running = running ?? worker.current { running.appendLog(bytes) }
    }

    /// Starts the memory watch with the first process (it runs while the host does).
    func startMemoryWatchIfNeeded() {
        let interval = configuration.memoryCheckMilliseconds
        guard memoryWatch == nil, interval > 0, !isShutDown else { return }
        let host = NIOLoopBound(self, eventLoop: loop)
        let period = TimeAmount.milliseconds(Int64(interval))
        memoryWatch = loop.scheduleRepeatedTask(initialDelay: period, delay: period) { _ in host.value.checkMemory() }
    }

    /// Kills every process whose resident memory is over its function's memory size, as
    /// Lambda's cgroup does (the process's own memory: children it starts are not counted).
    func checkMemory() {
        for worker in workers.values where worker.pid > 0 && (worker.phase == .starting || worker.phase == .ready) {
            guard let resident = ProcessLauncher.residentKilobytes(worker.pid) else { continue }
            let limit = worker.function.configuration.memorySizeMB * 1024
            guard resident > limit else { continue }
            worker.outOfMemory = true
            logger.info(
                "a function process used more than its memory size and was killed",
                metadata: ["function": "\(worker.functionName)", "pid": "\(worker.pid)", "resident-kb": "\(resident)", "limit-kb": "\(limit)"])
            stop(worker, reason: "out of memory")
        }
    }

    /// A process with nothing to do stays warm for the idle time, then is stopped.
    func startIdleTimer(_ worker: FunctionWorker) {
        worker.idleTimer?.cancel()
        let seconds = configuration.idleSeconds
        worker.idleTimer = loop.assumeIsolated().scheduleTask(in: .nanoseconds(Int64(seconds * 1e9))) {
            guard worker.current == nil else { return }
            self.stop(worker, reason: "idle for \(seconds) s")
        }
    }
}
