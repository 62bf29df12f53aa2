import Foundation
import PorticoAuth
import Testing

/// One request signed by the real botocore (see `Vectors/generate.py`), as the server receives it.
///
/// The file is read relative to this source file rather than as a bundle resource, so that
/// Package.swift needs no `resources:` entry.
struct SigV4Vector: Decodable, Sendable, CustomTestStringConvertible {
    var name: String
    var kind: String
    var accessKeyId: String
    var secretAccessKey: String
    var region: String
    var service: String
    var signedAt: String
    var method: String
    var path: String
    var query: String
    var headers: [[String]]
    var bodyBase64: String
    var bodySHA256: String
    var signature: String

    var testDescription: String { name }
    var isPresigned: Bool { kind == "presigned" }

    /// The vector as a ``SigV4Request``, optionally changed first.
    func request(
        path: String? = nil, query: String? = nil, headers: [(name: String, value: String)]? = nil,
        bodySHA256: String? = nil
    ) -> SigV4Request {
        SigV4Request(
            method: method, path: path ?? self.path, query: query ?? self.query,
            headers: headers ?? self.headerPairs, bodySHA256: bodySHA256 ?? self.bodySHA256)
    }

    var headerPairs: [(name: String, value: String)] { headers.map { ($0[0], $0[1]) } }

    var body: [UInt8] { Array(Data(base64Encoded: bodyBase64) ?? Data()) }

    /// The time the vector was signed at.
    var signingDate: Date { Self.date(basicFormat: signedAt) }

    /// The lower-cased names in SignedHeaders / X-Amz-SignedHeaders.
    var signedHeaderNames: [String] {
        if isPresigned {
            let list = queryValue("X-Amz-SignedHeaders") ?? ""
            return list.split(separator: ";").map(String.init)
        }
        let authorization = headerPairs.first { $0.name.lowercased() == "authorization" }?.value ?? ""
        let list = authorization.components(separatedBy: "SignedHeaders=").last?.split(separator: ",").first ?? ""
        return list.split(separator: ";").map(String.init)
    }

    /// `X-Amz-Expires` of a presigned vector.
    var expires: Int? { queryValue("X-Amz-Expires").flatMap { Int($0) } }

    func verifier(credentials: [String: String]? = nil) -> SigV4Verifier {
        SigV4Verifier(mode: .verify(credentials: credentials ?? [accessKeyId: secretAccessKey]))
    }

    private func queryValue(_ name: String) -> String? {
        for pair in query.split(separator: "&") where pair.hasPrefix(name + "=") {
            return String(pair.dropFirst(name.count + 1)).removingPercentEncoding
        }
        return nil
    }

    static let all: [SigV4Vector] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Vectors/sigv4-vectors.json")
        struct File: Decodable { var vectors: [SigV4Vector] }
        do {
            return try JSONDecoder().decode(File.self, from: Data(contentsOf: url)).vectors
        } catch {
            Issue.record("cannot load \(url.path): \(error)")
            return []
        }
    }()

    static func date(basicFormat text: String) -> Date {
        let digits = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int { Int(String(decoding: digits[range], as: UTF8.self)) ?? 0 }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let components = DateComponents(
            year: number(0..<4), month: number(4..<6), day: number(6..<8),
            hour: number(9..<11), minute: number(11..<13), second: number(13..<15))
        return calendar.date(from: components)!
    }
}
