import Foundation
import PorticoModel
import PorticoStore

/// UpdateFunctionCode and UpdateFunctionConfiguration. Both change `$LATEST` in place, give it a
/// new `RevisionId` and `LastModified`, honour a `RevisionId` precondition, and tell the host the
/// new revision once committed.
enum LambdaFunctionUpdateOperations {
    static func register(into router: inout Router<Operation>) {
        router.add("PUT", "/2015-03-31/functions/{FunctionName}/code", updateFunctionCode)
        router.add("PUT", "/2015-03-31/functions/{FunctionName}/configuration", updateFunctionConfiguration)
    }

    @Sendable static func updateFunctionCode(_ context: OperationContext) async throws -> ManagementResponse {
        let reference = try context.functionReference(allowQualifier: false)
        let body = try context.body()
        let zipText = try LambdaFunctionOperations.zipFile(body)
        let revisionId = try body.string("RevisionId")
        let dryRun = try body.bool("DryRun") ?? false
        let architectures = try LambdaFunctionSettings.architectures(body)
        let current = try await context.transaction { transaction in try context.lambdaFunction(transaction, reference) }
        try checkRevision(revisionId, current)
        let package = try context.codePackage(zipText, operation: "UpdateFunctionCode")

        if dryRun {
            // DryRun validates and answers what the configuration would be, changing nothing.
            var preview = current
            preview.code.sha256 = package.sha256Base64
            preview.code.size = package.zip.count
            return .lambdaJSON(200, context.view(preview).configuration())
        }
        let stored = try context.functionCode.store(package, functionName: reference.name)
        let previousDirectory = current.code.directory
        let updated: LambdaFunctionDocument
        do {
            let now = context.lambdaNow
            updated = try await context.transaction { transaction in
                var function = try context.lambdaFunction(transaction, reference)
                try checkRevision(revisionId, function)
                function.code = stored.code
                if let architectures { function.architectures = architectures }
                function.lastModified = now
                function.revisionId = UUID().uuidString.lowercased()
                try transaction.putLambdaFunction(function)
                return function
            }
        } catch {
            context.functionCode.remove(stored)
            throw error
        }
        context.upsertIntoHost(updated)
        context.functionCode.prune(functionName: reference.name, keeping: [updated.code.directory, previousDirectory])
        return .lambdaJSON(200, context.view(updated).configuration())
    }

    @Sendable static func updateFunctionConfiguration(_ context: OperationContext) async throws -> ManagementResponse {
        let reference = try context.functionReference(allowQualifier: false)
        let body = try context.body()
        let settings = try LambdaFunctionSettings(reading: body)
        let revisionId = try body.string("RevisionId")
        let now = context.lambdaNow
        let updated = try await context.transaction { transaction in
            var function = try context.lambdaFunction(transaction, reference)
            try checkRevision(revisionId, function)
            settings.apply(to: &function)
            function.lastModified = now
            function.revisionId = UUID().uuidString.lowercased()
            try transaction.putLambdaFunction(function)
            return function
        }
        context.upsertIntoHost(updated)
        return .lambdaJSON(200, context.view(updated).configuration())
    }

    static func checkRevision(_ revisionId: String?, _ function: LambdaFunctionDocument) throws(APIError) {
        if let revisionId, revisionId != function.revisionId { throw LambdaErrors.revisionMismatch }
    }
}
