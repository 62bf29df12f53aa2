import GRDB
import PorticoModel

/// Lambda functions, one JSON document each in `lambda_functions`.
extension SQLiteTransaction {
    func lambdaFunction(name: String) throws -> LambdaFunctionDocument? {
        try JSONTable.lambdaFunctions.read(LambdaFunctionDocument.self, keys: [name], in: db)
    }

    func allLambdaFunctions() throws -> [LambdaFunctionDocument] {
        try JSONTable.lambdaFunctions.readAll(LambdaFunctionDocument.self, in: db)
    }

    func putLambdaFunction(_ function: LambdaFunctionDocument) throws {
        try JSONTable.lambdaFunctions.write(function, keys: [function.functionName], in: db)
        touchedFunctionNames.insert(function.functionName)
    }

    func deleteLambdaFunction(name: String) throws {
        try JSONTable.lambdaFunctions.delete(keys: [name], in: db)
        touchedFunctionNames.insert(name)
    }
}
