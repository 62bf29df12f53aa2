extension CommonLogTime {
    /// The time as text, for `$context.requestTime` in REST mapping templates (the access log
    /// writes it into its line buffer instead).
    public static func string(epochMillis: Int64) -> String {
        String(unsafeUninitializedCapacity: maximumLength) { buffer in
            var cursor = ByteCursor(base: buffer.baseAddress!, capacity: maximumLength)
            write(epochMillis: epochMillis, to: &cursor)
            return cursor.count
        }
    }
}
