import Synchronization

/// A fixed number of atomic counters in one allocation, for histogram buckets.
///
/// `Atomic` is non-copyable, so `[Atomic<Int>]` cannot exist, and `InlineArray` needs newer OS releases
/// than the package's macOS 15 floor. Hence a pointer, allocated and initialised once in `init` and never
/// reassigned: every later access goes through an atomic operation, which is why this is
/// `@unchecked Sendable`.
final class AtomicCounterArray: @unchecked Sendable {
    let count: Int
    private let storage: UnsafeMutablePointer<Atomic<Int>>

    init(count: Int) {
        precondition(count > 0)
        self.count = count
        self.storage = .allocate(capacity: count)
        for index in 0..<count {
            (storage + index).initialize(to: Atomic(0))
        }
    }

    deinit {
        storage.deinitialize(count: count)
        storage.deallocate()
    }

    @inline(__always)
    func add(_ amount: Int, at index: Int) {
        precondition(index >= 0 && index < count)
        storage[index].wrappingAdd(amount, ordering: .relaxed)
    }

    func load(at index: Int) -> Int {
        precondition(index >= 0 && index < count)
        return storage[index].load(ordering: .relaxed)
    }
}
