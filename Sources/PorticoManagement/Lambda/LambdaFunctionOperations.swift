import Foundation
import PorticoModel
import PorticoStore

/// CreateFunction, GetFunction, GetFunctionConfiguration, ListFunctions and DeleteFunction (the
/// Lambda API, botocore's lambda 2015-03-31 model). Each is one store transaction; the code is
/// unpacked before it and removed again if the transaction fails, and the function host hears
/// about a change only after it committed.
enum LambdaFunctionOperations {
    static func register(into router: inout Router<Operation>) {
        router.add("POST", "/2015-03-31/functions", createFunction)
        router.add("GET", "/2015-03-31/functions", listFunctions)
        router.add("GET", "/2015-03-31/functions/{FunctionName}", getFunction)
        router.add("GET", "/2015-03-31/functions/{FunctionName}/configuration", getFunctionConfiguration)
        router.add("DELETE", "/2015-03-31/functions/{FunctionName}", deleteFunction)
    }

    /// ListFunctions returns at most 50 functions per page, whatever `MaxItems` says (AWS).
    static let maximumPageSize = 50

    @Sendable static func createFunction(_ context: OperationContext) async throws -> ManagementResponse {
        let body = try context.body()
        guard let nameText = try body.string("FunctionName") else { throw missing("functionName") }
        let reference = try createReference(nameText, context)
        guard reference.qualifier == nil else { throw LambdaFunctionReference.patternViolation(nameText) }
        let name = reference.name
        guard let role = try body.string("Role") else { throw missing("role") }
        let settings = try LambdaFunctionSettings(reading: body)
        let packageType = try body.string("PackageType") ?? "Zip"
        switch packageType {
        case "Zip": break
        case "Image": throw LambdaErrors.invalidParameter("Portico runs .zip deployment packages only; PackageType Image is not supported.")
        default:
            throw LambdaErrors.validation([
                "Value '\(packageType)' at 'packageType' failed to satisfy constraint: Member must satisfy enum value set: [Image, Zip]"
            ])
        }
        guard settings.runtime != nil, settings.handler != nil else {
            // AWS's wording for a .zip function created without them.
            throw LambdaErrors.invalidParameter("Runtime and Handler are mandatory parameters for functions created with deployment packages.")
        }
        guard let code = try body.object("Code") else { throw missing("code") }
        let zipText = try zipFile(code)
        let tags = try body.stringMap("Tags")
        // `Publish` is accepted and has no effect: Portico keeps `$LATEST` only, so the answer's
        // `Version` stays `$LATEST`. VpcConfig, DeadLetterConfig, KMSKeyArn and FileSystemConfigs
        // have no local meaning and are ignored likewise.
        if let tags { try LambdaTagOperations.validate(tags) }

        // A cheap early answer for a duplicate, before any unpacking (checked again below).
        if try await context.transaction({ transaction in try transaction.lambdaFunction(name: name) != nil }) {
            throw LambdaErrors.functionExists(name)
        }
        let package = try context.codePackage(zipText, operation: "CreateFunction")
        let stored = try context.functionCode.store(package, functionName: name)
        let created: LambdaFunctionDocument
        do {
            let now = context.lambdaNow
            created = try await context.transaction { transaction in
                guard try transaction.lambdaFunction(name: name) == nil else { throw LambdaErrors.functionExists(name) }
                var function = LambdaFunctionDocument(
                    functionName: name, runtime: nil, role: role, handler: nil, code: stored.code, lastModified: now,
                    revisionId: UUID().uuidString.lowercased(), tags: tags?.isEmpty == true ? nil : tags)
                settings.apply(to: &function)
                try transaction.putLambdaFunction(function)
                return function
            }
        } catch {
            context.functionCode.remove(stored)
            throw error
        }
        context.upsertIntoHost(created)
        return .lambdaJSON(201, context.view(created).configuration())
    }

    @Sendable static func getFunction(_ context: OperationContext) async throws -> ManagementResponse {
        let reference = try context.functionReference()
        let function = try await context.transaction { transaction in try context.lambdaFunction(transaction, reference) }
        return .lambdaJSON(200, context.view(function).getFunction(codeLocation: codeLocation(function, context)))
    }

    @Sendable static func getFunctionConfiguration(_ context: OperationContext) async throws -> ManagementResponse {
        let reference = try context.functionReference()
        let function = try await context.transaction { transaction in try context.lambdaFunction(transaction, reference) }
        return .lambdaJSON(200, context.view(function).configuration())
    }

    @Sendable static func listFunctions(_ context: OperationContext) async throws -> ManagementResponse {
        let query = try context.query()
        var size = maximumPageSize
        if let text = query.first("MaxItems") {
            guard let value = Int(text), (1...10000).contains(value) else {
                throw LambdaErrors.validation([
                    "Value '\(text)' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 10000"
                ])
            }
            size = min(value, maximumPageSize)
        }
        var after: String?
        if let marker = query.first("Marker") {
            do {
                after = try Pagination.decodeToken(marker, kind: "functions")
            } catch {
                // Lambda's exact text for a foreign marker was not found; the type is Lambda's.
                throw LambdaErrors.invalidParameter("Invalid Marker: \(marker)")
            }
        }
        let functions = try await context.transaction { transaction in try transaction.allLambdaFunctions() }
        // Functions are listed in name order (the store's key order); a marker is the last name
        // of the previous page, so a page boundary survives creations and deletions in between.
        let remaining = functions.filter { after == nil || $0.functionName > after! }
        let page = remaining.prefix(size)
        var members: [String: JSONValue] = [
            "Functions": .array(page.map { context.view($0).configuration(forList: true) })
        ]
        if remaining.count > size, let last = page.last {
            members["NextMarker"] = .string(Pagination.encodeToken(kind: "functions", after: last.functionName))
        }
        return .lambdaJSON(200, .object(members))
    }

    @Sendable static func deleteFunction(_ context: OperationContext) async throws -> ManagementResponse {
        let reference = try context.functionReference()
        if reference.qualifier == "$LATEST" {
            // AWS's answer: $LATEST goes only with the function itself.
            throw LambdaErrors.invalidParameter("$LATEST version cannot be deleted without deleting the function.")
        }
        try await context.transaction { transaction in
            _ = try context.lambdaFunction(transaction, reference)
            try transaction.deleteLambdaFunction(name: reference.name)
        }
        context.functionHost.remove(functionName: reference.name)
        context.functionCode.removeAll(functionName: reference.name)
        // The model now says 200 with an optional StatusCode; Lambda has always answered a
        // plain delete with 204 and no body, which every SDK accepts.
        return .noContent
    }

    /// `Code.ZipFile` from a `FunctionCode` object; S3 and container images are not available.
    static func zipFile(_ code: JSONBody) throws(APIError) -> String {
        if let zip = try code.string("ZipFile") { return zip }
        if code.has("S3Bucket") || code.has("S3Key") {
            throw LambdaErrors.invalidParameter("Portico has no S3: give the deployment package as Code.ZipFile.")
        }
        if code.has("ImageUri") {
            throw LambdaErrors.invalidParameter("Portico runs .zip deployment packages only; Code.ImageUri is not supported.")
        }
        // AWS's wording when no code source is given (as LocalStack records it is not known;
        // this is Portico's).
        throw LambdaErrors.invalidParameter("Please provide a source for function code: Code.ZipFile.")
    }

    /// CreateFunction's `FunctionName`. For it, a pattern violation is reported as
    /// InvalidParameterValueException rather than ValidationException (AWS, as LocalStack's
    /// snapshot tests record it).
    static func createReference(_ text: String, _ context: OperationContext) throws(APIError) -> LambdaFunctionReference {
        let parsed = Result { () throws(APIError) in
            try LambdaFunctionReference(parsing: text, region: context.configuration.region, accountId: context.configuration.accountId)
        }
        switch parsed {
        case .success(let reference):
            return reference
        case .failure(let error):
            guard error.type == "ValidationException" else { throw error }
            throw LambdaErrors.invalidParameter(error.message)
        }
    }

    static func missing(_ member: String) -> APIError {
        LambdaErrors.validation(["Value null at '\(member)' failed to satisfy constraint: Member must not be null"])
    }

    /// Where GetFunction says the package can be downloaded: the management listener itself, at
    /// the address the caller used.
    static func codeLocation(_ function: LambdaFunctionDocument, _ context: OperationContext) -> String {
        let host = context.request.header("host") ?? "\(context.configuration.host):\(context.configuration.port)"
        let hex = Data(base64Encoded: function.code.sha256).map { $0.map { String(format: "%02x", $0) }.joined() } ?? ""
        return "http://\(host)\(LambdaRoutes.codeLocationPrefix)\(function.functionName)/\(hex).zip"
    }

    /// Serves a kept package for `Code.Location` (no credentials, like AWS's presigned URL; the
    /// path holds the package's SHA-256, which only those who may read the function learn).
    static func serveCode(path: String, storage: FunctionCodeStorage) -> ManagementResponse {
        let rest = path.dropFirst(LambdaRoutes.codeLocationPrefix.count).split(separator: "/")
        guard rest.count == 2, rest[1].hasSuffix(".zip"),
            let file = storage.zipPath(functionName: String(rest[0]), sha256Hex: String(rest[1].dropLast(4))),
            let data = FileManager.default.contents(atPath: file)
        else {
            return .error(.notFound("Not Found"))
        }
        return ManagementResponse(status: 200, headers: [("Content-Type", "application/zip")], body: Array(data))
    }
}
