"""An Invoke-compatible Lambda server for the end-to-end tests, on an ephemeral loopback port.

It answers `POST /2015-03-31/functions/{FunctionName}/invocations` as the Lambda Invoke API does
(AWS_FACTS L3), checks each request's SigV4 signature with botocore's own signer, records what it
received (the decoded FunctionName, headers, event and whether the signature held) and answers
what the test scripted for that function:

  ("json", value)                        200, the value as the function's result
  ("raw", bytes)                         200, those bytes as the result
  ("error", value)                       200 + X-Amz-Function-Error: Unhandled, value as the error JSON
  ("rie_error", value)                   200 without X-Amz-Function-Error (the emulator's way)
  ("service", status, type, message)     a refusal by the Lambda service (429 throttle, 404, ...)
  ("slow", seconds, value)               the value after a delay
  a callable(event) -> value             200, its result

A function with no script answers 404 ResourceNotFoundException, as Lambda does.
"""
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

PREFIX = "/2015-03-31/functions/"
SUFFIX = "/invocations"


def signature_holds(method, url, headers, body, credentials, region):
    """Recomputes the request's signature with botocore's SigV4Auth over the headers it names."""
    authorization = headers.get("Authorization", "")
    if not authorization.startswith("AWS4-HMAC-SHA256 "):
        return False
    parts = dict(item.strip().split("=", 1) for item in authorization[len("AWS4-HMAC-SHA256 "):].split(","))
    signed = parts["SignedHeaders"].split(";")
    scope = parts["Credential"].split("/")
    if scope[0] != credentials.access_key or scope[2] != region or scope[3] != "lambda":
        return False
    request = AWSRequest(method=method, url=url, data=body, headers={name: headers[name] for name in signed if name in headers})
    auth = SigV4Auth(credentials, "lambda", region)
    request.context["timestamp"] = headers["X-Amz-Date"]
    canonical = auth.canonical_request(request)
    string_to_sign = auth.string_to_sign(request, canonical)
    return auth.signature(string_to_sign, request) == parts["Signature"]


class InvokeHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def do_POST(self):
        server = self.server.owner
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        split = urlsplit(self.path)
        if not (split.path.startswith(PREFIX) and split.path.endswith(SUFFIX)):
            return self.answer(404, {"message": "unknown path"}, {"x-amzn-ErrorType": "UnknownOperationException"})
        name = unquote(split.path[len(PREFIX):-len(SUFFIX)])
        url = f"http://{self.headers.get('Host')}{self.path}"
        signed = signature_holds("POST", url, self.headers, body, server.credentials, server.region) if server.credentials else None
        try:
            event = json.loads(body) if body else None
        except ValueError:
            event = body.decode("utf-8", "replace")
        # Lambda answers Invoke with the invocation's request id in x-amzn-RequestId.
        self.request_id = str(uuid.uuid4())
        record = {"client": self.client_address, "function": name, "headers": dict(self.headers), "event": event, "signature_ok": signed,
                  "query": split.query, "request_id": self.request_id}
        with server.lock:
            server.received.append(record)
        if server.credentials and not signed:
            return self.answer(403, {"message": "The request signature we calculated does not match the signature you provided."},
                               {"x-amzn-ErrorType": "InvalidSignatureException"})
        script = server.scripts.get(name.rsplit(":", 1)[-1] if name.startswith("arn:") else name)
        if script is None:
            return self.answer(404, {"Type": "User", "message": f"Function not found: {name}"},
                               {"x-amzn-ErrorType": "ResourceNotFoundException"})
        if callable(script):
            return self.answer(200, script(event))
        kind = script[0]
        if kind == "json":
            return self.answer(200, script[1])
        if kind == "raw":
            return self.answer(200, script[1], raw=True)
        if kind == "error":
            return self.answer(200, script[1], {"X-Amz-Function-Error": "Unhandled"})
        if kind == "rie_error":
            return self.answer(200, script[1])
        if kind == "service":
            _, status, error_type, message = script
            return self.answer(status, {"Type": "User", "message": message}, {"x-amzn-ErrorType": error_type})
        if kind == "slow":
            time.sleep(script[1])
            try:
                return self.answer(200, script[2])
            except (BrokenPipeError, ConnectionResetError):
                return None
        raise AssertionError(f"unknown script {script!r}")

    def answer(self, status, value, headers=None, raw=False):
        data = value if raw else json.dumps(value).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Amz-Executed-Version", "$LATEST")
        if getattr(self, "request_id", None):
            self.send_header("x-amzn-RequestId", self.request_id)
        for key, header_value in (headers or {}).items():
            self.send_header(key, header_value)
        self.end_headers()
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the gateway timed out and closed first


class LambdaServer:
    def __init__(self, credentials=None, region="us-east-1", tls=None):
        self.credentials = Credentials(*credentials) if credentials else None
        self.region = region
        self.scripts = {}
        self.received = []
        self.lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), InvokeHandler)
        self.httpd.daemon_threads = True
        self.httpd.owner = self
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        if tls:
            import ssl
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
            self.url = f"https://localhost:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def clear(self):
        with self.lock:
            self.received.clear()

    def last(self, function=None):
        with self.lock:
            records = [r for r in self.received if function is None or r["function"].endswith(function)]
        assert records, f"no invocation of {function} was received"
        return records[-1]

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()
