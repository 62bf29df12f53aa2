"""An OpenID provider on loopback for the JWT authorizer tests: `/.well-known/openid-configuration`
names `/jwks`, whose keys the test changes at will (rotation), and every fetch is counted. Tokens
are signed with PyJWT; the hostile ones (alg none, HMAC with the public key, ...) are made by hand."""
import base64
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa


def b64url(data):
    if isinstance(data, str):
        data = data.encode()
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_int(value):
    return b64url(value.to_bytes((value.bit_length() + 7) // 8, "big"))


class Key:
    """A signing key and its public JWK."""

    def __init__(self, kid, kind="RSA"):
        self.kid = kid
        self.kind = kind
        if kind == "RSA":
            self.private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            numbers = self.private.public_key().public_numbers()
            self.jwk = {"kty": "RSA", "kid": kid, "use": "sig", "n": b64url_int(numbers.n), "e": b64url_int(numbers.e)}
        else:
            self.private = ec.generate_private_key(ec.SECP256R1())
            numbers = self.private.public_key().public_numbers()
            self.jwk = {"kty": "EC", "kid": kid, "crv": "P-256", "x": b64url(numbers.x.to_bytes(32, "big")),
                        "y": b64url(numbers.y.to_bytes(32, "big"))}

    def public_pem(self):
        return self.private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        owner = self.server.owner
        with owner.lock:
            owner.fetches.append(self.path)
            keys = [key.jwk for key in owner.keys]
        suffix = "/.well-known/openid-configuration"
        if self.path.endswith(suffix):
            # Any prefix is an issuer too (`/us-east-1_pool` for Cognito user pools).
            base = owner.issuer + self.path[: -len(suffix)]
            body = {"issuer": base, "jwks_uri": base + "/jwks"}
        elif self.path.endswith("/jwks"):
            body = {"keys": keys}
        else:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class OpenIdProvider:
    def __init__(self, keys):
        self.keys = list(keys)
        self.fetches = []
        self.lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.owner = self
        self.issuer = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def set_keys(self, keys):
        with self.lock:
            self.keys = list(keys)

    def jwks_fetches(self):
        with self.lock:
            return sum(1 for path in self.fetches if path.endswith("/jwks"))

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def claims(issuer, audience="portico-client", **extra):
    now = int(time.time())
    values = {"iss": issuer, "aud": audience, "sub": "user-1", "iat": now - 5, "exp": now + 600}
    values.update(extra)
    return {name: value for name, value in values.items() if value is not None}


def sign(key, payload, alg=None, headers=None):
    alg = alg or ("RS256" if key.kind == "RSA" else "ES256")
    return jwt.encode(payload, key.private, algorithm=alg, headers={"kid": key.kid, **(headers or {})})


def unsigned(payload, alg="none", kid="k1"):
    header = {"alg": alg, "typ": "JWT", "kid": kid}
    return b64url(json.dumps(header)) + "." + b64url(json.dumps(payload)) + "."


def hmac_with_public_key(key, payload, alg="HS256"):
    """The algorithm-confusion attack: HS256 keyed with the RSA public key the JWKS publishes."""
    header = {"alg": alg, "typ": "JWT", "kid": key.kid}
    signing_input = b64url(json.dumps(header)) + "." + b64url(json.dumps(payload))
    digest = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}[alg]
    mac = hmac.new(key.public_pem(), signing_input.encode(), digest).digest()
    return signing_input + "." + b64url(mac)
