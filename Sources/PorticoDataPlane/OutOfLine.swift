/// An optional value kept in a heap box of its own, so that the class holding it carries one
/// pointer instead of the whole value inline. For ``Exchange``'s large, rarely set state (the
/// deferred Lambda/authorizer/mapping steps: a few hundred bytes each): inline, they made every
/// exchange a 2 KB allocation, zeroed and torn down on every request, and large enough to send
/// glibc's allocator into its slow consolidating path. Unset (the usual case), nothing is allocated.
///
/// Reads copy the value out and writes replace it; keep values that are appended to in place
/// (byte buffers, arrays) inline instead.
@propertyWrapper
struct OutOfLine<Value> {
    private final class Box {
        var value: Value
        init(_ value: Value) { self.value = value }
    }

    private var box: Box?

    init(wrappedValue: Value?) {
        box = wrappedValue.map(Box.init)
    }

    var wrappedValue: Value? {
        get { box?.value }
        set {
            guard let newValue else {
                box = nil
                return
            }
            if isKnownUniquelyReferenced(&box) {
                box!.value = newValue
            } else {
                box = Box(newValue)
            }
        }
    }
}
