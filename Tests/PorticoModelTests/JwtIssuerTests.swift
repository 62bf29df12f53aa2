import PorticoModel
import Testing

struct JwtIssuerTests {
    @Test func httpsAnywhereHttpOnlyOnLoopback() {
        #expect(JwtIssuer.isAcceptable("https://issuer.example"))
        #expect(JwtIssuer.isAcceptable("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc"))
        #expect(JwtIssuer.isAcceptable("http://127.0.0.1:9229/pool"))
        #expect(JwtIssuer.isAcceptable("http://localhost:9229"))
        #expect(JwtIssuer.isAcceptable("http://[::1]:80"))
        #expect(!JwtIssuer.isAcceptable("http://issuer.example"))
        #expect(!JwtIssuer.isAcceptable("http://127.0.0.1.evil.example"))
        #expect(!JwtIssuer.isAcceptable("ftp://issuer.example"))
        #expect(!JwtIssuer.isAcceptable("https://user@issuer.example"))
        #expect(!JwtIssuer.isAcceptable("https://"))
        #expect(!JwtIssuer.isAcceptable("issuer.example"))
    }

    @Test func cognitoPoolArns() {
        let arn = "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbC"
        #expect(JwtIssuer.cognitoIssuer(providerArn: arn, endpoint: nil) == "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC")
        #expect(JwtIssuer.cognitoIssuer(providerArn: arn, endpoint: "http://localhost:9229/") == "http://localhost:9229/eu-west-1_AbC")
        #expect(JwtIssuer.cognitoIssuer(providerArn: "arn:aws:iam::123456789012:role/x", endpoint: nil) == nil)
        #expect(JwtIssuer.cognitoIssuer(providerArn: "arn:aws:cognito-idp:eu-west-1:1:userpool/", endpoint: nil) == nil)
        #expect(JwtIssuer.cognitoIssuer(providerArn: "arn:aws:cognito-idp::1:userpool/x", endpoint: nil) == nil)
    }
}
