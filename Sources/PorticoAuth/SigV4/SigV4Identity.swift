/// Who signed a request and for which region and service, as named in its credential scope.
///
/// The management API uses `service` to refuse signatures made for another service, and
/// `region` to answer in the region the client believes it is talking to.
public struct SigV4Identity: Sendable, Equatable {
    public var accessKeyId: String
    public var region: String
    public var service: String

    public init(accessKeyId: String, region: String, service: String) {
        self.accessKeyId = accessKeyId
        self.region = region
        self.service = service
    }
}
