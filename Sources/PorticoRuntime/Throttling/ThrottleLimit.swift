/// A throttle's two numbers: tokens added per second (`rateLimit`) and the bucket's size (`burstLimit`), as every
/// API Gateway throttle is given (account, stage, method or route, usage plan).
public struct ThrottleLimit: Sendable, Hashable, CustomStringConvertible {
    public var rate: Double
    public var burst: Int

    public init(rate: Double, burst: Int) {
        self.rate = rate
        self.burst = burst
    }

    /// AWS's account-level limit per Region: 10,000 requests per second, burst 5,000 (AWS_FACTS, quotas). It is
    /// also what AWS shows in a stage's method settings that set no throttle of their own.
    public static let awsAccountDefault = ThrottleLimit(rate: 10_000, burst: 5_000)

    /// A fresh (full) bucket for this limit, shared by every event loop.
    public func makeBucket() -> SharedTokenBucket {
        SharedTokenBucket(rate: rate, burst: burst)
    }

    public var description: String { "\(rate) rps, burst \(burst)" }
}
