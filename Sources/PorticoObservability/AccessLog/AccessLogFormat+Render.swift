extension AccessLogFormat {
    /// `render(_:into:)` for a record the caller keeps and reuses (a class's stored property): passed `inout`,
    /// it is rendered where it lies rather than copied out, field by field, for the call.
    public func render(_ record: inout AccessLogRecord, into buffer: inout [UInt8]) {
        render(record, into: &buffer)
    }

    /// Appends one log line for `record`, terminated by `\n`, to `buffer`.
    ///
    /// One pass sizes the line (an upper bound: every value as if each byte needed escaping), `buffer` grows
    /// once, and a second pass writes literals, digits and string bytes straight into it, with no
    /// intermediate `String`. Reuse one buffer per event loop (`removeAll(keepingCapacity: true)`) and this
    /// allocates nothing.
    public func render(_ record: AccessLogRecord, into buffer: inout [UInt8]) {
        let bound = maximumLength(of: record)
        let start = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: bound))
        let written = buffer.withUnsafeMutableBufferPointer { whole in
            var cursor = ByteCursor(base: whole.baseAddress! + start, capacity: bound)
            writeLine(record, to: &cursor)
            return cursor.count
        }
        buffer.removeLast(bound - written)
    }

    private func writeLine(_ record: AccessLogRecord, to cursor: inout ByteCursor) {
        literals.withUnsafeBufferPointer { literals in
            segments.withUnsafeBufferPointer { segments in
                for segment in segments {
                    cursor.write(UnsafeBufferPointer(rebasing: literals[segment.literalStart..<segment.literalEnd]))
                    if let variable = segment.variable {
                        writeValue(of: variable, from: record, to: &cursor)
                    }
                }
            }
        }
        cursor.write(UInt8(ascii: "\n"))
    }

    /// No line is longer than this; used to size the buffer before writing.
    private func maximumLength(of record: AccessLogRecord) -> Int {
        var sizer = LineSizer(expansion: AccessLogEscaper.maximumExpansion(escaping))
        for segment in segments {
            if let variable = segment.variable {
                variable.visit(in: record, names: names, &sizer)
            }
        }
        return literals.count + 1 + sizer.length
    }

    private func writeValue(of variable: AccessLogVariable, from record: AccessLogRecord, to cursor: inout ByteCursor) {
        var writer = LineWriter(cursor: cursor, escaping: escaping)
        variable.visit(in: record, names: names, &writer)
        cursor = writer.cursor
    }
}

/// First pass: the most bytes each value can take.
private struct LineSizer: AccessLogValueVisitor {
    let expansion: Int
    var length = 0

    mutating func string(_ value: String) {
        length += max(value.utf8.count, 1) * expansion
    }

    mutating func optionalString(_ value: String?) {
        length += max(value?.utf8.count ?? 0, 1) * expansion
    }

    mutating func quotedString(_ value: String?) {
        length += max(value?.utf8.count ?? 0, 1) * expansion + 2
    }

    mutating func number(_ value: Int64) {
        length += 20
    }

    mutating func optionalNumber(_ value: Int?) {
        length += 20
    }

    mutating func requestTime(_ epochMillis: Int64) {
        length += CommonLogTime.maximumLength
    }

    mutating func dash() {
        length += 1
    }
}

/// Second pass: the bytes. Empty strings, nil and unavailable values are `-`, as API Gateway writes them.
private struct LineWriter: AccessLogValueVisitor {
    var cursor: ByteCursor
    let escaping: AccessLogFormat.Escaping

    mutating func string(_ value: String) {
        guard !value.isEmpty else {
            return dash()
        }
        let escaping = escaping
        let written: Void? = value.utf8.withContiguousStorageIfAvailable { bytes in
            AccessLogEscaper.write(bytes, escaping: escaping, to: &cursor)
        }
        if written == nil {
            // Only strings bridged from elsewhere lack contiguous UTF-8; Swift's own always have it.
            var copy = value
            copy.makeContiguousUTF8()
            _ = copy.utf8.withContiguousStorageIfAvailable { bytes in
                AccessLogEscaper.write(bytes, escaping: escaping, to: &cursor)
            }
        }
    }

    mutating func optionalString(_ value: String?) {
        if let value {
            string(value)
        } else {
            dash()
        }
    }

    mutating func quotedString(_ value: String?) {
        cursor.write(UInt8(ascii: "\""))
        optionalString(value)
        cursor.write(UInt8(ascii: "\""))
    }

    mutating func number(_ value: Int64) {
        cursor.writeDecimal(value)
    }

    mutating func optionalNumber(_ value: Int?) {
        if let value {
            cursor.writeDecimal(value)
        } else {
            dash()
        }
    }

    mutating func requestTime(_ epochMillis: Int64) {
        CommonLogTime.write(epochMillis: epochMillis, to: &cursor)
    }

    mutating func dash() {
        cursor.write(UInt8(ascii: "-"))
    }
}
