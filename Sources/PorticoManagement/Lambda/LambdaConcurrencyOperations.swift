import Foundation
import PorticoModel
import PorticoStore

/// PutFunctionConcurrency, GetFunctionConcurrency and DeleteFunctionConcurrency: a function's
/// reserved concurrency, which the function host enforces (it scales a function out to its
/// reserved concurrency and answers `TooManyRequestsException` beyond it).
enum LambdaConcurrencyOperations {
    static func register(into router: inout Router<Operation>) {
        router.add("PUT", "/2017-10-31/functions/{FunctionName}/concurrency", putFunctionConcurrency)
        router.add("GET", "/2019-09-30/functions/{FunctionName}/concurrency", getFunctionConcurrency)
        router.add("DELETE", "/2017-10-31/functions/{FunctionName}/concurrency", deleteFunctionConcurrency)
    }

    /// Lambda always leaves this much of the account's concurrency unreserved.
    static let minimumUnreserved = 100

    @Sendable static func putFunctionConcurrency(_ context: OperationContext) async throws -> ManagementResponse {
        let reference = try context.functionReference(allowQualifier: false)
        let body = try context.body()
        guard let reserved = try body.integer("ReservedConcurrentExecutions") else {
            throw LambdaFunctionOperations.missing("reservedConcurrentExecutions")
        }
        guard reserved >= 0 else {
            throw LambdaErrors.validation([
                "Value '\(reserved)' at 'reservedConcurrentExecutions' failed to satisfy constraint: Member must have value greater than or equal to 0"
            ])
        }
        let limit = context.configuration.accountConcurrencyLimit
        let updated = try await context.transaction { transaction in
            var function = try context.lambdaFunction(transaction, reference)
            let others = try transaction.allLambdaFunctions()
                .filter { $0.functionName != function.functionName }
                .reduce(0) { $0 + ($1.reservedConcurrency ?? 0) }
            guard others + reserved <= limit - minimumUnreserved else {
                // AWS's wording.
                throw LambdaErrors.invalidParameter(
                    "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [\(minimumUnreserved)].")
            }
            function.reservedConcurrency = reserved
            try transaction.putLambdaFunction(function)
            return function
        }
        context.upsertIntoHost(updated)
        return .lambdaJSON(200, .object(["ReservedConcurrentExecutions": .integer(Int64(reserved))]))
    }

    @Sendable static func getFunctionConcurrency(_ context: OperationContext) async throws -> ManagementResponse {
        let reference = try context.functionReference(allowQualifier: false)
        let function = try await context.transaction { transaction in try context.lambdaFunction(transaction, reference) }
        // With nothing reserved Lambda answers an empty object.
        guard let reserved = function.reservedConcurrency else { return .lambdaJSON(200, .object([:])) }
        return .lambdaJSON(200, .object(["ReservedConcurrentExecutions": .integer(Int64(reserved))]))
    }

    @Sendable static func deleteFunctionConcurrency(_ context: OperationContext) async throws -> ManagementResponse {
        let reference = try context.functionReference(allowQualifier: false)
        let updated = try await context.transaction { transaction in
            var function = try context.lambdaFunction(transaction, reference)
            function.reservedConcurrency = nil
            try transaction.putLambdaFunction(function)
            return function
        }
        context.upsertIntoHost(updated)
        return .noContent
    }
}
