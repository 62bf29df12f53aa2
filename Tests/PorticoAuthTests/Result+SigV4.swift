import PorticoAuth
import PorticoModel

/// Short accessors so that expectations read `#expect(result.errorType == "...")`.
extension Result where Success == SigV4Identity, Failure == APIError {
    var identity: SigV4Identity? {
        if case .success(let identity) = self { return identity }
        return nil
    }

    var error: APIError? {
        if case .failure(let error) = self { return error }
        return nil
    }

    var errorType: String? { error?.type }
    var errorMessage: String? { error?.message }
}
