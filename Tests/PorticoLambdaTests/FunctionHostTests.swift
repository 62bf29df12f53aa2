import Testing

/// Every test that runs real function processes. Serialized: they measure timeouts and idle
/// times on a small machine, and must not compete with each other for its two cores.
@Suite(.serialized) struct FunctionHostTests {}
