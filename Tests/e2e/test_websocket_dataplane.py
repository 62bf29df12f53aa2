"""WebSocket APIs on the data plane, driven by a real WebSocket client (Python `websockets`):
the handshake at host-style and path-style URLs, `$connect` accepting and refusing, routing by
the route selection expression with `$default`, two-way routes (a Python function under
awslambdaric and a MOCK), `$disconnect` on every close, the `@connections` API through boto3's
`apigatewaymanagementapi` and the AWS CLI, and the frame and message limits (close 1009)."""
import json
import re
import socket
import tempfile
import time
from urllib.parse import urlsplit

import boto3
import pytest
import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

from lambda_function_helpers import ARN_PREFIX, create_python_function, make_zip

CONNECTION_ID = re.compile(r"^[A-Za-z0-9_-]{15}=$")

# Writes every event it gets to EVENT_LOG (one JSON per line) and answers by route.
HANDLER = '''import json, os

def handler(event, context):
    with open(os.environ["EVENT_LOG"], "a") as log:
        log.write(json.dumps(event) + "\\n")
    route = event["requestContext"]["routeKey"]
    if route == "$connect":
        if (event.get("queryStringParameters") or {}).get("deny"):
            return {"statusCode": 403, "body": "denied"}
        return {"statusCode": 200}
    if route == "fail":
        raise RuntimeError("asked to fail")
    return {"statusCode": 200, "body": json.dumps({"route": route, "got": event.get("body"),
                                                    "connectionId": event["requestContext"]["connectionId"]})}
'''


@pytest.fixture(scope="module")
def function(portico, tmp_path_factory):
    log = tmp_path_factory.mktemp("ws") / "events.jsonl"
    log.write_text("")
    client = portico.client("lambda")
    try:
        client.delete_function(FunctionName="ws-handler")
    except ClientError:
        pass
    create_python_function(client, "ws-handler", zip_bytes=make_zip({"app.py": HANDLER}), Timeout=10,
                           Environment={"Variables": {"EVENT_LOG": str(log)}})
    return ARN_PREFIX + "ws-handler", log


def make_ws_api(portico, routes, stage="prod", selection="$request.body.action"):
    """routes: {routeKey: ("lambda", arn) | ("mock", request_template, response_template), "two_way": bool}."""
    client = portico.client()
    api_id = client.create_api(Name="ws", ProtocolType="WEBSOCKET", RouteSelectionExpression=selection)["ApiId"]
    for key, spec in routes.items():
        if spec[0] == "lambda":
            integration = client.create_integration(ApiId=api_id, IntegrationType="AWS_PROXY", IntegrationUri=spec[1])
        else:
            integration = client.create_integration(ApiId=api_id, IntegrationType="MOCK",
                                                    RequestTemplates={"$default": spec[1]},
                                                    TemplateSelectionExpression="\\$default")
            if spec[2] is not None:
                client.create_integration_response(ApiId=api_id, IntegrationId=integration["IntegrationId"],
                                                   IntegrationResponseKey="$default",
                                                   ResponseTemplates={"$default": spec[2]})
        two_way = spec[-1] == "two-way"
        route = client.create_route(ApiId=api_id, RouteKey=key, Target="integrations/" + integration["IntegrationId"],
                                    **({"RouteResponseSelectionExpression": "$default"} if two_way else {}))
        if two_way:
            client.create_route_response(ApiId=api_id, RouteId=route["RouteId"], RouteResponseKey="$default")
    client.create_stage(ApiId=api_id, StageName=stage, AutoDeploy=True)
    wait_until_websocket_served(portico, api_id, stage)
    return api_id


def wait_until_websocket_served(portico, api_id, stage, timeout=30):
    """A served WebSocket stage answers a plain GET with 426 (an unknown one with 404); wait (bounded) for it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if requests.get(f"{portico.data_url}/_aws/execute-api/{api_id}/{stage}", timeout=10).status_code == 426:
            return
        time.sleep(0.02)
    raise AssertionError(f"WebSocket API {api_id} stage {stage} was not served within {timeout} s")


def ws_url(portico, api_id, stage="prod", query=""):
    return f"ws://{urlsplit(portico.data_url).netloc}/_aws/execute-api/{api_id}/{stage}{query}"


def host_style(portico, api_id, stage="prod"):
    """Host-style: ws://{apiId}.execute-api.localhost:{port}/{stage}, over a socket to Portico."""
    split = urlsplit(portico.data_url)
    sock = socket.create_connection((split.hostname, split.port))
    return connect(f"ws://{api_id}.execute-api.localhost:{split.port}/{stage}", sock=sock, open_timeout=30)


def events(log, predicate, count=1, timeout=30):
    """The logged events matching `predicate`, once there are `count` of them (bounded wait)."""
    deadline = time.monotonic() + timeout
    while True:
        found = [e for e in map(json.loads, log.read_text().splitlines()) if predicate(e)]
        if len(found) >= count or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def of(connection_id, route):
    return lambda e: e["requestContext"]["connectionId"] == connection_id and e["requestContext"]["routeKey"] == route


def test_connect_route_disconnect_with_a_function(portico, function):
    arn, log = function
    two_way = ("lambda", arn, "two-way")
    api_id = make_ws_api(portico, {"$connect": ("lambda", arn), "$disconnect": ("lambda", arn),
                                   "$default": two_way, "echo": two_way, "quiet": ("lambda", arn)})
    with host_style(portico, api_id) as ws:
        ws.send(json.dumps({"action": "quiet"}))
        ws.send(json.dumps({"action": "echo", "n": 1}))
        answer = json.loads(ws.recv(timeout=30))
        assert answer["route"] == "echo" and json.loads(answer["got"]) == {"action": "echo", "n": 1}
        connection_id = answer["connectionId"]
        assert CONNECTION_ID.match(connection_id)
        ws.send("not json at all")
        assert json.loads(ws.recv(timeout=30))["route"] == "$default"
        ws.send(json.dumps({"action": "nothing-like-this"}))
        assert json.loads(ws.recv(timeout=30))["route"] == "$default"
    disconnect = events(log, of(connection_id, "$disconnect"))
    assert len(disconnect) == 1
    context = disconnect[0]["requestContext"]
    assert context["eventType"] == "DISCONNECT" and context["disconnectStatusCode"] == 1000
    connect_event = events(log, of(connection_id, "$connect"))[0]
    assert connect_event["headers"]["Sec-WebSocket-Version"] == "13"
    assert "Sec-WebSocket-Key" in connect_event["headers"]
    assert connect_event["multiValueHeaders"]["Sec-WebSocket-Version"] == ["13"]
    context = connect_event["requestContext"]
    assert context["eventType"] == "CONNECT" and context["messageDirection"] == "IN"
    assert context["apiId"] == api_id and context["stage"] == "prod"
    assert context["domainName"] == f"{api_id}.execute-api.localhost"
    assert context["identity"]["sourceIp"] == "127.0.0.1"
    assert "messageId" not in context and connect_event["isBase64Encoded"] is False
    quiet = events(log, of(connection_id, "quiet"))[0]
    assert quiet["body"] == '{"action": "quiet"}'
    assert quiet["requestContext"]["eventType"] == "MESSAGE" and quiet["requestContext"]["messageId"]
    assert quiet["requestContext"]["connectedAt"] == context["connectedAt"]


def test_connect_refused_and_function_failure(portico, function):
    arn, log = function
    api_id = make_ws_api(portico, {"$connect": ("lambda", arn), "fail": ("lambda", arn, "two-way")})
    with pytest.raises(InvalidStatus) as refused:
        connect(ws_url(portico, api_id, query="?deny=1"), open_timeout=30)
    assert refused.value.response.status_code == 403
    with connect(ws_url(portico, api_id, query="?x=1"), open_timeout=30) as ws:
        ws.send(json.dumps({"action": "fail"}))
        error = json.loads(ws.recv(timeout=30))
        assert error["message"] == "Internal server error" and CONNECTION_ID.match(error["connectionId"])
        assert error["requestId"]
        # No $default and no matching route: AWS answers "Forbidden".
        ws.send(json.dumps({"action": "unknown"}))
        assert json.loads(ws.recv(timeout=30))["message"] == "Forbidden"


def test_mock_two_way_route(portico):
    api_id = make_ws_api(portico, {
        "$default": ("mock", '{"statusCode": 200}',
                     '{"connectionId": "$context.connectionId", "route": "$context.routeKey", "type": "$context.eventType"}',
                     "two-way"),
        "oneway": ("mock", '{"statusCode": 200}', '{"never": "sent"}'),
    })
    with connect(ws_url(portico, api_id), open_timeout=30) as ws:
        ws.send(json.dumps({"action": "oneway"}))
        ws.send("hello")
        answer = json.loads(ws.recv(timeout=30))
        assert answer["route"] == "$default" and answer["type"] == "MESSAGE"
        assert CONNECTION_ID.match(answer["connectionId"])
    # Each message counts as a request of its route in the Prometheus metrics.
    text = requests.get(portico.management_url + "/_portico/metrics", timeout=10).text

    def requests_of(route):
        labels = [f'api_id="{api_id}"', f'route="{route}"', 'stage="prod"']
        for line in text.splitlines():
            if line.startswith("portico_requests_total{") and all(label in line for label in labels):
                return float(line.rsplit(" ", 1)[1])
        raise AssertionError(f"no portico_requests_total for {route}:\n{text[:2000]}")

    assert requests_of("$default") == 1 and requests_of("oneway") == 1


def test_connections_api(portico):
    api_id = make_ws_api(portico, {"whoami": ("mock", '{"statusCode": 200}', '{"id": "$context.connectionId"}', "two-way")})
    endpoint = f"{portico.data_url}/_aws/execute-api/{api_id}/prod"
    client = boto3.client("apigatewaymanagementapi", endpoint_url=endpoint, region_name="us-east-1",
                          aws_access_key_id="test", aws_secret_access_key="test", config=Config(retries={"max_attempts": 1}))
    with connect(ws_url(portico, api_id), open_timeout=30) as ws:
        ws.send(json.dumps({"action": "whoami"}))
        connection_id = json.loads(ws.recv(timeout=30))["id"]
        client.post_to_connection(ConnectionId=connection_id, Data=b"pushed by boto3")
        assert ws.recv(timeout=30) == "pushed by boto3"
        described = client.get_connection(ConnectionId=connection_id)
        assert described["Identity"]["SourceIp"] == "127.0.0.1"
        assert described["ConnectedAt"] <= described["LastActiveAt"]
        result = portico.cli("apigatewaymanagementapi", "post-to-connection", "--endpoint-url", endpoint,
                             "--connection-id=" + connection_id, "--data", "pushed by the CLI")
        assert result.returncode == 0
        assert ws.recv(timeout=30) == "pushed by the CLI"
        client.delete_connection(ConnectionId=connection_id)
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=30)
        assert closed.value.rcvd.code == 1000
    with pytest.raises(ClientError) as gone:
        client.post_to_connection(ConnectionId=connection_id, Data=b"too late")
    assert gone.value.response["Error"]["Code"] == "GoneException"
    assert gone.value.response["ResponseMetadata"]["HTTPStatusCode"] == 410
    with pytest.raises(ClientError) as unknown:
        client.get_connection(ConnectionId="AAAAAAAAAAAAAAA=")
    assert unknown.value.response["Error"]["Code"] == "GoneException"


@pytest.mark.parametrize("how", ["one frame over 32 KB", "fragments over 128 KB"])
def test_oversized_message_closes_with_1009(portico, how):
    api_id = make_ws_api(portico, {"$default": ("mock", '{"statusCode": 200}', '{"ok": true}', "two-way")})
    with connect(ws_url(portico, api_id), open_timeout=30, max_size=None) as ws:
        ws.send("small")
        assert json.loads(ws.recv(timeout=30)) == {"ok": True}
        if how == "one frame over 32 KB":
            ws.send("x" * (33 * 1024))
        else:
            ws.send(["y" * (30 * 1024)] * 5)
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=30)
        assert closed.value.rcvd.code == 1009


def test_plain_http_request_is_not_upgraded(portico):
    api_id = make_ws_api(portico, {"$default": ("mock", '{"statusCode": 200}', None)})
    response = requests.get(f"{portico.data_url}/_aws/execute-api/{api_id}/prod", timeout=30)
    assert response.status_code == 426


def raw_handshake(portico, api_id, stage="prod"):
    """A handshake over a plain socket, for frames a well-behaved client library will not send."""
    split = urlsplit(portico.data_url)
    sock = socket.create_connection((split.hostname, split.port), timeout=30)
    sock.sendall((f"GET /_aws/execute-api/{api_id}/{stage} HTTP/1.1\r\nHost: {split.netloc}\r\nUpgrade: websocket\r\n"
                  "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = sock.recv(4096)
        assert chunk, head
        head += chunk
    status, _, rest = head.partition(b"\r\n")
    assert status == b"HTTP/1.1 101 Switching Protocols", head
    # RFC 6455 §1.3's example key and accept value.
    assert b"Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" in rest
    return sock


def frame(opcode, payload, masked=True, fin=True):
    header = bytes([(0x80 if fin else 0) | opcode])
    length = len(payload)
    mask_bit = 0x80 if masked else 0
    if length < 126:
        header += bytes([mask_bit | length])
    else:
        header += bytes([mask_bit | 126]) + length.to_bytes(2, "big")
    if not masked:
        return header + payload
    key = b"\x01\x02\x03\x04"
    return header + key + bytes(b ^ key[i % 4] for i, b in enumerate(payload))


def read_close_code(sock):
    """Reads server frames until a close frame; returns its status code."""
    data = b""
    while True:
        chunk = sock.recv(4096)
        assert chunk, "connection closed without a close frame"
        data += chunk
        while len(data) >= 2:
            opcode, length = data[0] & 0x0F, data[1] & 0x7F
            if len(data) < 2 + length:
                break
            payload, data = data[2:2 + length], data[2 + length:]
            if opcode == 0x8:
                return int.from_bytes(payload[:2], "big")


@pytest.mark.parametrize("frames, code", [
    ([frame(0x1, b"hello", masked=False)], 1002),                      # RFC 6455 §5.1: clients must mask
    ([frame(0x1, b"\xff\xfe not utf-8")], 1007),                        # §8.1: text must be UTF-8
    ([frame(0x0, b"orphan continuation")], 1002),                       # §5.4: no message to continue
    ([frame(0x1, b"part", fin=False), frame(0x1, b"again")], 1002),     # §5.4: a new message mid-fragment
    ([frame(0x9, b"ping", fin=False)], 1002),                           # §5.5: control frames are not fragmented
])
def test_protocol_errors_close_the_connection(portico, frames, code):
    api_id = make_ws_api(portico, {"$default": ("mock", '{"statusCode": 200}', None)})
    sock = raw_handshake(portico, api_id)
    for data in frames:
        sock.sendall(data)
    assert read_close_code(sock) == code
    sock.close()


def test_fragmented_message_and_ping(portico):
    # The request template sees the message; the response template sees what the request template made.
    api_id = make_ws_api(portico, {"$default": ("mock", '{"statusCode": 200, "n": $input.json(\'$.n\')}',
                                                '{"got": $input.json(\'$.n\')}', "two-way")})
    with connect(ws_url(portico, api_id), open_timeout=30) as ws:
        ws.send(['{"n": ', "4", "2}"])
        assert json.loads(ws.recv(timeout=30)) == {"got": 42}
        assert ws.ping().wait(timeout=30)


def signed_post(url, body):
    """A POST signed as an AWS client signs it (development mode accepts any well-formed signature)."""
    request = AWSRequest(method="POST", url=url, data=body)
    SigV4Auth(Credentials("test", "test"), "execute-api", "us-east-1").add_auth(request)
    return requests.post(url, data=body, headers=dict(request.prepare().headers.items()), timeout=30)


def test_connections_of_another_api_or_stage_are_gone(portico):
    routes = {"whoami": ("mock", '{"statusCode": 200}', '{"id": "$context.connectionId"}', "two-way")}
    api_id = make_ws_api(portico, routes)
    other = make_ws_api(portico, routes)
    with connect(ws_url(portico, api_id), open_timeout=30) as ws:
        ws.send(json.dumps({"action": "whoami"}))
        connection_id = json.loads(ws.recv(timeout=30))["id"]
        for path in (f"/_aws/execute-api/{other}/prod", f"/_aws/execute-api/{api_id}/dev"):
            response = signed_post(f"{portico.data_url}{path}/@connections/{connection_id}", b"x")
            assert response.status_code in (404, 410)
        response = signed_post(f"{portico.data_url}/_aws/execute-api/{other}/prod/@connections/{connection_id}", b"x")
        assert response.status_code == 410 and response.headers["x-amzn-ErrorType"] == "GoneException"
        too_big = signed_post(f"{portico.data_url}/_aws/execute-api/{api_id}/prod/@connections/{connection_id}",
                              b"z" * (128 * 1024 + 1))
        assert too_big.status_code == 413


def test_disconnect_on_server_close_and_idle_timeout(tmp_path):
    from conftest import Portico
    server = Portico("--websocket-idle-timeout", "1")
    try:
        log = tmp_path / "events.jsonl"
        log.write_text("")
        create_python_function(server.client("lambda"), "ws-handler", zip_bytes=make_zip({"app.py": HANDLER}), Timeout=10,
                               Environment={"Variables": {"EVENT_LOG": str(log)}})
        arn = ARN_PREFIX + "ws-handler"
        api_id = make_ws_api(server, {"$disconnect": ("lambda", arn), "$default": ("lambda", arn, "two-way")})
        with connect(ws_url(server, api_id), open_timeout=30) as ws:
            ws.send("who am I")
            connection_id = json.loads(ws.recv(timeout=30))["connectionId"]
            with pytest.raises(ConnectionClosed) as closed:
                ws.recv(timeout=30)
            assert closed.value.rcvd.code == 1001
        disconnect = events(log, of(connection_id, "$disconnect"))
        assert len(disconnect) == 1
        assert disconnect[0]["requestContext"]["disconnectStatusCode"] == 1001
        assert disconnect[0]["requestContext"]["disconnectReason"] == "Connection idle timeout"
    finally:
        server.stop()


def test_websocket_flags_are_checked():
    import subprocess
    from conftest import BIN
    for arguments in (["--websocket-max-frame-bytes", "0"],
                      ["--websocket-max-frame-bytes", "200000", "--websocket-max-message-bytes", "100000"]):
        result = subprocess.run([str(BIN), "serve", "--listen", "127.0.0.1:0", "--management-listen", "127.0.0.1:0",
                                 "--data-dir", tempfile.mkdtemp(prefix="portico-e2e-"), "--no-example", *arguments],
                                capture_output=True, text=True, timeout=60)
        assert result.returncode != 0
        assert "--websocket-max-" in result.stderr + result.stdout


def test_access_control_refuses_the_unauthorized(portico):
    """A keyless message to an apiKeyRequired route and an unsigned AWS_IAM handshake are refused
    (test_websocket_auth.py has every path)."""
    client = portico.client()
    api_id = make_ws_api(portico, {"keyed": ("mock", '{"statusCode": 200}', '{"ok": true}', "two-way")})
    keyed = client.get_routes(ApiId=api_id)["Items"][0]
    client.update_route(ApiId=api_id, RouteId=keyed["RouteId"], ApiKeyRequired=True)
    deadline = time.monotonic() + 30
    while True:
        with connect(ws_url(portico, api_id), open_timeout=30) as ws:
            ws.send(json.dumps({"action": "keyed"}))
            answer = json.loads(ws.recv(timeout=30))
        if answer.get("message") == "Forbidden":
            break
        assert answer == {"ok": True} and time.monotonic() < deadline, "the new deployment was not served"
        time.sleep(0.05)
    client.create_route(ApiId=api_id, RouteKey="$connect", AuthorizationType="AWS_IAM")
    while True:
        try:
            with connect(ws_url(portico, api_id), open_timeout=30):
                pass
        except InvalidStatus as refused:
            assert refused.response.status_code == 403
            break
        assert time.monotonic() < deadline, "the new deployment was not served"
        time.sleep(0.05)


def test_http_proxy_integration(portico, upstream):
    client = portico.client()
    api_id = client.create_api(Name="ws-http", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action")["ApiId"]
    echo = client.create_integration(ApiId=api_id, IntegrationType="HTTP_PROXY", IntegrationMethod="POST",
                                     IntegrationUri=upstream.url + "/ws/messages?from=portico")
    route = client.create_route(ApiId=api_id, RouteKey="$default", Target="integrations/" + echo["IntegrationId"],
                                RouteResponseSelectionExpression="$default")
    client.create_route_response(ApiId=api_id, RouteId=route["RouteId"], RouteResponseKey="$default")
    client.create_stage(ApiId=api_id, StageName="prod", AutoDeploy=True)
    wait_until_websocket_served(portico, api_id, "prod")
    with connect(ws_url(portico, api_id), open_timeout=30) as ws:
        ws.send(json.dumps({"action": "say", "text": "hi"}))
        seen = json.loads(ws.recv(timeout=30))
    assert seen["method"] == "POST" and seen["path"] == "/ws/messages" and seen["query"] == "from=portico"
    assert json.loads(seen["body"]) == {"action": "say", "text": "hi"}
    headers = {name.lower(): value for name, value in seen["headers"]}
    assert CONNECTION_ID.match(headers["x-amzn-connectionid"]) and headers["x-amzn-routekey"] == "$default"
    # A $connect backend answering 403 refuses the handshake with that status.
    refuse = client.create_integration(ApiId=api_id, IntegrationType="HTTP_PROXY", IntegrationMethod="GET",
                                       IntegrationUri=upstream.url + "/status/403")
    client.create_route(ApiId=api_id, RouteKey="$connect", Target="integrations/" + refuse["IntegrationId"])
    deadline = time.monotonic() + 30
    while True:
        try:
            with connect(ws_url(portico, api_id), open_timeout=30):
                pass
        except InvalidStatus as refused:
            assert refused.response.status_code == 403
            break
        assert time.monotonic() < deadline, "the new deployment was not served"
        time.sleep(0.05)
