import Foundation
import PorticoModel
import PorticoStore

/// What the Lambda operations share: reading `FunctionName` and `Qualifier`, finding the
/// function in the store, and telling the function host about committed changes.
extension OperationContext {
    var functionCode: FunctionCodeStorage { FunctionCodeStorage(configuration) }

    func functionArn(_ name: String, qualifier: String? = nil) -> String {
        LambdaArn.function(name, qualifier: qualifier, region: configuration.region, accountId: configuration.accountId)
    }

    /// The `{FunctionName}` path parameter with the `Qualifier` query parameter, if the operation has one.
    func functionReference(allowQualifier: Bool = true) throws(APIError) -> LambdaFunctionReference {
        let qualifier = allowQualifier ? try query().first("Qualifier") : nil
        return try LambdaFunctionReference(
            parsing: parameter("FunctionName"), qualifier: qualifier, region: configuration.region,
            accountId: configuration.accountId)
    }

    /// The function `reference` names, or Lambda's 404. Only `$LATEST` exists: any other
    /// qualifier names a version or alias that was never published.
    func lambdaFunction(_ transaction: any StoreTransaction, _ reference: LambdaFunctionReference) throws -> LambdaFunctionDocument {
        guard reference.isLatest, let function = try transaction.lambdaFunction(name: reference.name) else {
            throw LambdaErrors.functionNotFound(functionArn(reference.name, qualifier: reference.isLatest ? nil : reference.qualifier))
        }
        return function
    }

    /// A `ZipFile` member decoded, within the zipped quota. (A larger zip cannot reach here
    /// through Lambda's request limit, which is 4/3 of the quota; this catches the rest.)
    func codePackage(_ base64: String, operation: String) throws(APIError) -> FunctionCodeStorage.Package {
        let package = try FunctionCodeStorage.Package(base64: base64)
        guard package.zip.count <= configuration.maxFunctionZipBytes else {
            throw APIError(
                status: 413, type: "RequestEntityTooLargeException",
                message: "Request must be smaller than \(LambdaRoutes.requestLimit(maxZipBytes: configuration.maxFunctionZipBytes)) bytes for the \(operation) operation")
        }
        return package
    }

    /// Tells the function host about a committed function.
    func upsertIntoHost(_ function: LambdaFunctionDocument) {
        functionHost.upsert(FunctionHostFeed.hostConfiguration(function, configuration: configuration))
    }

    func view(_ function: LambdaFunctionDocument) -> LambdaFunctionView {
        LambdaFunctionView(function, region: configuration.region, accountId: configuration.accountId)
    }

    /// `LastModified` for a change made now.
    var lambdaNow: String { LambdaFunctionView.lastModified(now) }
}
