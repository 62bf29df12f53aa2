import Foundation
import PorticoAuth
import PorticoModel
import Testing

/// Requests signed by the real botocore (`Vectors/generate.py`): each must verify, and each must
/// fail, with AWS's error, once any signed part of it changes by one byte.
struct SigV4VectorTests {
    static let vectors = SigV4Vector.all

    @Test func theVectorFileCoversBothFormsAndTheServices() {
        let vectors = Self.vectors
        #expect(vectors.count >= 25)
        #expect(vectors.contains { $0.isPresigned })
        #expect(vectors.contains { !$0.isPresigned })
        #expect(Set(vectors.map(\.service)) == ["apigateway", "execute-api"])
        #expect(vectors.contains { $0.path.contains("%2F") })
        #expect(vectors.contains { $0.path.contains("%24default") })
        #expect(vectors.contains { $0.path.contains("@connections") })
        #expect(vectors.contains { $0.headerPairs.contains { $0.name == "X-Amz-Security-Token" } })
        #expect(Set(vectors.map(\.method)).isSuperset(of: ["GET", "POST", "PUT", "PATCH", "DELETE"]))
    }

    @Test(arguments: vectors) func theBodyHashIsTheHashOfTheBody(_ vector: SigV4Vector) {
        #expect(SigV4Verifier.sha256Hex(vector.body) == vector.bodySHA256)
    }

    @Test(arguments: vectors) func botocoresSignatureVerifies(_ vector: SigV4Vector) {
        let result = vector.verifier().verify(vector.request(), now: vector.signingDate)
        #expect(result.error == nil)
        #expect(
            result.identity
                == SigV4Identity(accessKeyId: vector.accessKeyId, region: vector.region, service: vector.service))
    }

    @Test(arguments: vectors) func aVerifierWithOtherKeysToo(_ vector: SigV4Vector) {
        let credentials = [
            vector.accessKeyId: vector.secretAccessKey, "AKIDOTHER": "other-secret", "AKIDTHIRD": "third-secret",
        ]
        let result = vector.verifier(credentials: credentials).verify(vector.request(), now: vector.signingDate)
        #expect(result.identity?.accessKeyId == vector.accessKeyId)
    }

    @Test(arguments: vectors) func oneByteOfTheSignatureChanged(_ vector: SigV4Vector) {
        let forged = SigV4Fixtures.oneByteChanged(vector.signature)
        let request: SigV4Request
        if vector.isPresigned {
            request = vector.request(
                query: vector.query.replacingOccurrences(of: "X-Amz-Signature=" + vector.signature, with: "X-Amz-Signature=" + forged))
        } else {
            request = vector.request(
                headers: vector.headerPairs.map { header in
                    header.name.lowercased() == "authorization"
                        ? (name: header.name, value: header.value.replacingOccurrences(of: vector.signature, with: forged))
                        : header
                })
        }
        #expect(request.query != vector.query || request.headers.map(\.value) != vector.headerPairs.map(\.value))
        let result = vector.verifier().verify(request, now: vector.signingDate)
        #expect(result.errorType == "InvalidSignatureException")
        #expect(result.errorMessage == SigV4Fixtures.signatureMismatchMessage)
        #expect(result.error?.status == 403)
    }

    @Test(arguments: vectors) func oneByteOfTheSecretChanged(_ vector: SigV4Vector) {
        let verifier = SigV4Verifier(
            mode: .verify(credentials: [vector.accessKeyId: SigV4Fixtures.oneByteChanged(vector.secretAccessKey)]))
        let result = verifier.verify(vector.request(), now: vector.signingDate)
        #expect(result.errorType == "InvalidSignatureException")
        #expect(result.errorMessage == SigV4Fixtures.signatureMismatchMessage)
    }

    @Test(arguments: vectors) func anUnknownAccessKey(_ vector: SigV4Vector) {
        let verifier = SigV4Verifier(mode: .verify(credentials: ["AKIDSOMEONEELSE": vector.secretAccessKey]))
        let result = verifier.verify(vector.request(), now: vector.signingDate)
        #expect(result.errorType == "UnrecognizedClientException")
        #expect(result.errorMessage == "The security token included in the request is invalid.")
        #expect(result.error?.status == 403)
    }

    @Test(arguments: vectors) func oneByteOfEachSignedHeaderChanged(_ vector: SigV4Vector) {
        let names = vector.signedHeaderNames
        #expect(names.contains("host"))
        for name in names {
            guard let index = vector.headerPairs.firstIndex(where: { $0.name.lowercased() == name }) else {
                Issue.record("\(vector.name): signed header \(name) is not in the request")
                continue
            }
            var headers = vector.headerPairs
            headers[index].value = SigV4Fixtures.oneByteChanged(headers[index].value)
            let result = vector.verifier().verify(vector.request(headers: headers), now: vector.signingDate)
            #expect(result.errorType == "InvalidSignatureException", "changed \(name)")
            #expect(result.errorMessage == SigV4Fixtures.signatureMismatchMessage, "changed \(name)")
        }
    }

    @Test(arguments: vectors) func anUnsignedHeaderChangedOrAddedDoesNotMatter(_ vector: SigV4Vector) {
        var headers = vector.headerPairs.map { header in
            vector.signedHeaderNames.contains(header.name.lowercased()) || header.name.lowercased() == "authorization"
                ? header : (name: header.name, value: header.value + "-changed")
        }
        headers.append((name: "X-Forwarded-For", value: "203.0.113.7"))
        let result = vector.verifier().verify(vector.request(headers: headers), now: vector.signingDate)
        #expect(result.error == nil)
    }

    @Test(arguments: vectors) func oneByteOfTheBodyHashChanged(_ vector: SigV4Vector) {
        let result = vector.verifier().verify(
            vector.request(bodySHA256: SigV4Fixtures.oneByteChanged(vector.bodySHA256)), now: vector.signingDate)
        let unsignedPayload = vector.headerPairs.contains {
            $0.name.lowercased() == "x-amz-content-sha256" && $0.value == "UNSIGNED-PAYLOAD"
        }
        if unsignedPayload {
            // The client declared the body unsigned: like AWS, the body is not covered.
            #expect(result.error == nil)
        } else {
            #expect(result.errorType == "InvalidSignatureException")
            #expect(result.errorMessage == SigV4Fixtures.signatureMismatchMessage)
        }
    }

    @Test(arguments: vectors) func oneByteOfThePathChanged(_ vector: SigV4Vector) {
        let path = SigV4Fixtures.oneByteChanged(vector.path)
        let result = vector.verifier().verify(vector.request(path: path), now: vector.signingDate)
        #expect(result.errorType == "InvalidSignatureException", "path \(path)")
        #expect(result.errorMessage == SigV4Fixtures.signatureMismatchMessage)
    }

    @Test(arguments: vectors) func oneByteOfTheQueryChanged(_ vector: SigV4Vector) {
        var pairs = vector.query.isEmpty ? [] : vector.query.split(separator: "&", omittingEmptySubsequences: false).map(String.init)
        if let index = pairs.firstIndex(where: { !$0.hasPrefix("X-Amz-") }) {
            pairs[index] = SigV4Fixtures.oneByteChanged(pairs[index])
        } else {
            pairs.append("a")  // no operation parameter to change: add one
        }
        let query = pairs.joined(separator: "&")
        let result = vector.verifier().verify(vector.request(query: query), now: vector.signingDate)
        #expect(result.errorType == "InvalidSignatureException", "query \(query)")
        #expect(result.errorMessage == SigV4Fixtures.signatureMismatchMessage)
    }

    @Test(arguments: vectors) func theMethodChanged(_ vector: SigV4Vector) {
        var request = vector.request()
        request.method = vector.method == "GET" ? "HEAD" : "GET"
        let result = vector.verifier().verify(request, now: vector.signingDate)
        #expect(result.errorType == "InvalidSignatureException")
    }

    @Test(arguments: vectors) func clockSkewBothWays(_ vector: SigV4Vector) {
        let signed = vector.signingDate
        // A presigned URL lives for its X-Amz-Expires; a header signature for the skew window.
        let lifetime = TimeInterval(vector.isPresigned ? (vector.expires ?? 900) : 900)
        let verifier = vector.verifier()

        #expect(verifier.verify(vector.request(), now: signed.addingTimeInterval(lifetime)).error == nil)
        #expect(verifier.verify(vector.request(), now: signed.addingTimeInterval(lifetime + 0.999)).error == nil)
        let late = verifier.verify(vector.request(), now: signed.addingTimeInterval(lifetime + 1))
        #expect(late.errorType == "InvalidSignatureException")
        #expect(late.errorMessage?.hasPrefix("Signature expired: \(vector.signedAt) is now earlier than ") == true)

        #expect(verifier.verify(vector.request(), now: signed.addingTimeInterval(-900)).error == nil)
        let early = verifier.verify(vector.request(), now: signed.addingTimeInterval(-901))
        #expect(early.errorType == "InvalidSignatureException")
        #expect(early.errorMessage?.hasPrefix("Signature not yet current: \(vector.signedAt) is still later than ") == true)
    }

    @Test(arguments: vectors) func developmentModeAcceptsAnyWellFormedSignature(_ vector: SigV4Vector) {
        let verifier = SigV4Verifier(mode: .acceptAnyWellFormed)
        let forged = vector.request(bodySHA256: SigV4Fixtures.oneByteChanged(vector.bodySHA256))
        let result = verifier.verify(forged, now: vector.signingDate.addingTimeInterval(86_400))
        #expect(
            result.identity
                == SigV4Identity(accessKeyId: vector.accessKeyId, region: vector.region, service: vector.service))
    }
}
