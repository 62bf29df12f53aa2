"""Operating WebSocket APIs, end to end: throttling (stage default and per-route settings, the account
bucket, usage-plan per-route throttles, the new-connection rate), access logs and metrics per stage, and
Portico's broadcast and group extensions.

The WebSocket side is the real `websockets` client; management calls are boto3 and the AWS CLI; data-plane
management calls are signed with botocore's SigV4Auth as AWS clients sign them."""
import json
import socket
from contextlib import ExitStack
import subprocess
import tempfile
import threading
import time
from urllib.parse import urlsplit

import pytest
import requests
from botocore.exceptions import ClientError
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

from conftest import BIN, Portico
from test_websocket_auth import (ACCESS_KEY, SECRET, endpoint, key_in_plan, policy, refusal, require_key,  # noqa: F401
                                 secured, signed, statement, user_with_key)
from test_websocket_dataplane import make_ws_api, ws_url

WHOAMI = ("mock", '{"statusCode": 200}', '{"id": "$context.connectionId", "route": "$context.routeKey"}', "two-way")
# Rates so low that no token comes back while a test runs: what these tests see does not depend on time.
NEVER = 0.0001


def answer(ws, action):
    ws.send(json.dumps({"action": action}))
    return json.loads(ws.recv(timeout=30))


def until(predicate, what, timeout=30):
    """Polls `predicate` until it is true (bounded), for settings that reach the data plane asynchronously."""
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


def handshake_status(url, headers=None):
    """200 when the handshake succeeds (and the connection is closed again), else the refusal's status."""
    try:
        with connect(url, additional_headers=headers or {}, open_timeout=30):
            return 200
    except InvalidStatus as refused:
        return refused.response.status_code


# MARK: throttling


def test_connect_throttled_by_route_settings(portico):
    api_id = make_ws_api(portico, {"$connect": ("mock", '{"statusCode": 200}', None), "$default": WHOAMI})
    url = ws_url(portico, api_id)
    client = portico.client()
    client.update_stage(ApiId=api_id, StageName="prod",
                        RouteSettings={"$connect": {"ThrottlingBurstLimit": 1, "ThrottlingRateLimit": NEVER}})
    # Until the setting is live, every handshake succeeds; once it is, at most one more does.
    until(lambda: handshake_status(url) == 429, "the $connect throttle did not take effect")
    status, body, _ = refusal(url)
    assert (status, body) == (429, {"message": "Too Many Requests"})
    # Other routes are not limited by $connect's setting: an open connection keeps working.
    client.delete_route_settings(ApiId=api_id, StageName="prod", RouteKey="$connect")
    until(lambda: handshake_status(url) == 200, "removing the $connect throttle did not take effect")
    with connect(url, open_timeout=30) as ws:
        for _ in range(5):
            assert answer(ws, "anything")["route"] == "$default"


def test_messages_throttled_by_default_route_settings_with_a_route_override(portico):
    api_id = make_ws_api(portico, {"$default": WHOAMI, "free": WHOAMI})
    client = portico.client()
    with connect(ws_url(portico, api_id), open_timeout=30) as ws:
        connection_id = answer(ws, "free")["id"]
        # Stage settings reach connections that are already open. The stage default gives each route its own
        # bucket of 3; `free` overrides it with a large one.
        client.update_stage(ApiId=api_id, StageName="prod",
                            DefaultRouteSettings={"ThrottlingBurstLimit": 3, "ThrottlingRateLimit": NEVER},
                            RouteSettings={"free": {"ThrottlingBurstLimit": 1000, "ThrottlingRateLimit": 1000}})

        def throttled():
            return answer(ws, "anything").get("message") == "Too Many Requests"
        until(throttled, "the stage default throttle did not take effect")
        refused = answer(ws, "anything")
        assert refused["message"] == "Too Many Requests" and refused["connectionId"] == connection_id
        assert refused["requestId"] and set(refused) == {"message", "connectionId", "requestId"}
        for _ in range(10):
            assert answer(ws, "free") == {"id": connection_id, "route": "free"}
        assert answer(ws, "other")["message"] == "Too Many Requests"
    metrics = portico_metrics(portico)
    assert metric(metrics, "portico_4xx_total", api_id=api_id, stage="prod", route="$default") >= 2


def test_account_throttle_applies_to_connect_and_messages():
    server = Portico("--account-rate-limit", str(NEVER), "--account-burst-limit", "6")
    try:
        api_id = make_ws_api(server, {"$default": WHOAMI})
        with connect(ws_url(server, api_id), open_timeout=30) as ws:
            answers = [answer(ws, "hello") for _ in range(8)]
        throttled = [a for a in answers if a.get("message") == "Too Many Requests"]
        assert throttled and "id" in answers[0]
        # Once a message was refused, the bucket is empty: the next handshake is refused too.
        status, body, _ = refusal(ws_url(server, api_id))
        assert (status, body) == (429, {"message": "Too Many Requests"})
    finally:
        server.stop()


def test_new_connection_rate_from_the_environment():
    server = Portico(env={"PORTICO_WEBSOCKET_NEW_CONNECTION_RATE": "0.001"})
    try:
        api_id = make_ws_api(server, {"$default": WHOAMI})
        url = ws_url(server, api_id)
        with connect(url, open_timeout=30) as ws:
            assert answer(ws, "hi")["route"] == "$default"
            # A burst of 1 at 0.001/s: the next handshake, on any API, is refused; the open one goes on.
            status, body, _ = refusal(url)
            assert (status, body) == (429, {"message": "Too Many Requests"})
            assert answer(ws, "still here")["route"] == "$default"
    finally:
        server.stop()


@pytest.mark.parametrize("arguments", [["--websocket-new-connection-rate", "0"],
                                       ["--websocket-new-connection-rate", "-3"],
                                       ["--websocket-new-connection-rate", "lots"]])
def test_new_connection_rate_flag_is_checked(arguments):
    result = subprocess.run([str(BIN), "serve", "--listen", "127.0.0.1:0", "--management-listen", "127.0.0.1:0",
                             "--data-dir", tempfile.mkdtemp(prefix="portico-e2e-"), "--no-example", *arguments],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "--websocket-new-connection-rate" in result.stderr + result.stdout


def test_usage_plan_per_route_throttle(portico):
    api_id = make_ws_api(portico, {"limited": WHOAMI, "open": WHOAMI})
    client = portico.client("apigateway")
    with pytest.raises(ClientError) as unknown_route:
        client.create_usage_plan(name="p", apiStages=[{"apiId": api_id, "stage": "prod",
                                                       "throttle": {"/nosuch/*": {"rateLimit": 1, "burstLimit": 1}}}])
    assert unknown_route.value.response["Error"]["Code"] == "BadRequestException"
    plan = client.create_usage_plan(name="ws-route-plan", throttle={"rateLimit": 1000, "burstLimit": 1000},
                                    apiStages=[{"apiId": api_id, "stage": "prod",
                                                "throttle": {"/limited/*": {"rateLimit": NEVER, "burstLimit": 2}}}])
    assert plan["apiStages"][0]["throttle"] == {"/limited/*": {"rateLimit": NEVER, "burstLimit": 2}}
    key = client.create_api_key(name="ws-route-key", enabled=True)
    client.create_usage_plan_key(usagePlanId=plan["id"], keyId=key["id"], keyType="API_KEY")
    require_key(portico, api_id, "limited", "open")
    headers = {"x-api-key": key["value"]}
    with connect(ws_url(portico, api_id), additional_headers=headers, open_timeout=30) as ws:
        until(lambda: answer(ws, "limited").get("message") == "Too Many Requests",
              "the plan's per-route throttle did not take effect")
        assert answer(ws, "limited")["message"] == "Too Many Requests"
        for _ in range(5):
            assert answer(ws, "open")["route"] == "open"
    # The patch path names the route the same way; an unknown route is refused there too.
    with pytest.raises(ClientError) as bad_patch:
        client.update_usage_plan(usagePlanId=plan["id"], patchOperations=[
            {"op": "replace", "path": f"/apiStages/{api_id}:prod/throttle/~1nosuch/*/rateLimit", "value": "5"}])
    assert bad_patch.value.response["Error"]["Code"] == "BadRequestException"
    updated = client.update_usage_plan(usagePlanId=plan["id"], patchOperations=[
        {"op": "replace", "path": f"/apiStages/{api_id}:prod/throttle/~1open/*/rateLimit", "value": "5"},
        {"op": "replace", "path": f"/apiStages/{api_id}:prod/throttle/~1open/*/burstLimit", "value": "5"}])
    assert updated["apiStages"][0]["throttle"]["/open/*"] == {"rateLimit": 5.0, "burstLimit": 5}


def test_route_settings_from_the_cli(portico):
    api_id = make_ws_api(portico, {"$default": WHOAMI})
    portico.cli("apigatewayv2", "update-stage", "--api-id", api_id, "--stage-name", "prod",
                "--default-route-settings", f"ThrottlingBurstLimit=1,ThrottlingRateLimit={NEVER}")
    with connect(ws_url(portico, api_id), open_timeout=30) as ws:
        until(lambda: answer(ws, "x").get("message") == "Too Many Requests", "the CLI's throttle did not take effect")


# MARK: access logs


LOG_FORMAT = ('{"requestId":"$context.requestId","connectionId":"$context.connectionId","eventType":"$context.eventType",'
              '"routeKey":"$context.routeKey","messageId":"$context.messageId","status":"$context.status",'
              '"connectedAt":"$context.connectedAt","direction":"$context.messageDirection","error":"$context.error.message",'
              '"integrationStatus":"$context.integrationStatus","integrationError":"$context.integration.error",'
              '"sourceIp":"$context.identity.sourceIp","stage":"$context.stage","apiId":"$context.apiId"}')
MISSING_FUNCTION = "arn:aws:lambda:us-east-1:000000000000:function:no-such-function-anywhere"


def log_lines(path, predicate=lambda line: True, count=1, timeout=30):
    """The access-log lines (parsed) matching `predicate`, once there are `count` of them (bounded wait)."""
    deadline = time.monotonic() + timeout
    while True:
        lines = [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []
        found = [line for line in lines if predicate(line)]
        if len(found) >= count or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def test_access_log_lines_for_connect_messages_and_disconnect(portico, tmp_path):
    api_id = make_ws_api(portico, {
        "$connect": ("mock", '{"statusCode": 200}', None),
        "$disconnect": ("mock", '{"statusCode": 200}', None),
        "echo": WHOAMI, "fail": ("lambda", MISSING_FUNCTION, "two-way"),
    })
    path = tmp_path / "ws-access.log"
    stack = ExitStack()
    early = stack.enter_context(connect(ws_url(portico, api_id), open_timeout=30))
    early_id = answer(early, "echo")["id"]
    portico.client().update_stage(ApiId=api_id, StageName="prod",
                                  AccessLogSettings={"DestinationArn": f"file:{path}", "Format": LOG_FORMAT})

    def logged_connect():
        with connect(ws_url(portico, api_id), open_timeout=30):
            pass
        return bool(log_lines(path, lambda line: line["eventType"] == "CONNECT", timeout=0))
    until(logged_connect, "the access log setting did not take effect")
    with connect(ws_url(portico, api_id), open_timeout=30) as ws:
        connection_id = answer(ws, "echo")["id"]
        failed = answer(ws, "fail")
        assert failed["message"] == "Internal server error"
    # A connection opened before logging was turned on logs its messages and its close from then on.
    assert answer(early, "echo")["id"] == early_id
    stack.close()
    assert [line["eventType"] for line in log_lines(path, lambda line: line["connectionId"] == early_id, count=2)] == [
        "MESSAGE", "DISCONNECT"]
    lines = log_lines(path, lambda line: line["connectionId"] == connection_id, count=4)
    assert [line["eventType"] for line in lines] == ["CONNECT", "MESSAGE", "MESSAGE", "DISCONNECT"]
    connect_line, echo, fail, disconnect = lines
    assert connect_line["routeKey"] == "$connect" and connect_line["status"] == "200" and connect_line["messageId"] == "-"
    assert echo["routeKey"] == "echo" and echo["status"] == "200" and echo["messageId"] not in ("-", "")
    assert fail["routeKey"] == "fail" and fail["status"] == "500" and fail["error"] == "Internal server error"
    assert fail["integrationError"] != "-" and fail["messageId"] != echo["messageId"]
    assert disconnect["routeKey"] == "$disconnect" and disconnect["status"] == "200"
    assert len({line["requestId"] for line in lines}) == 4
    assert {line["connectedAt"] for line in lines} == {connect_line["connectedAt"]}
    assert int(connect_line["connectedAt"]) > 1_600_000_000_000
    assert all(line["direction"] == "IN" and line["sourceIp"] == "127.0.0.1" and line["apiId"] == api_id
               and line["stage"] == "prod" for line in lines)
    # A refused handshake has its CONNECT line too, with the status it was refused with.
    portico.client().update_stage(ApiId=api_id, StageName="prod",
                                  RouteSettings={"$connect": {"ThrottlingBurstLimit": 1, "ThrottlingRateLimit": NEVER}})
    until(lambda: handshake_status(ws_url(portico, api_id)) == 429, "the $connect throttle did not take effect")
    refused = log_lines(path, lambda line: line["eventType"] == "CONNECT" and line["status"] == "429")
    assert refused and refused[0]["error"] == "Too Many Requests" and refused[0]["connectionId"] != "-"


def test_access_log_names_the_api_key_by_id_never_by_value(portico, tmp_path):
    api_id = make_ws_api(portico, {"keyed": WHOAMI})
    key = key_in_plan(portico, api_id)
    require_key(portico, api_id, "keyed")
    path = tmp_path / "keyed.log"
    portico.client().update_stage(ApiId=api_id, StageName="prod", AccessLogSettings={
        "DestinationArn": f"file:{path}",
        "Format": '{"requestId":"$context.requestId","eventType":"$context.eventType","keyId":"$context.identity.apiKeyId",'
                  '"key":"$context.identity.apiKey","status":"$context.status"}'})
    with connect(ws_url(portico, api_id), additional_headers={"x-api-key": key["value"]}, open_timeout=30) as ws:
        until(lambda: "id" in answer(ws, "keyed") and bool(log_lines(
            path, lambda line: line["eventType"] == "MESSAGE" and line["status"] == "200", timeout=0)),
            "the keyed route and the access log did not take effect")
    lines = log_lines(path, lambda line: line["eventType"] == "MESSAGE" and line["status"] == "200")
    assert lines[-1]["keyId"] == key["id"] and lines[-1]["key"] == "-"
    assert key["value"] not in path.read_text()


def test_websocket_log_variables_are_refused_on_http_api_stages(portico, tmp_path):
    client = portico.client()
    http_api = client.create_api(Name="http", ProtocolType="HTTP")["ApiId"]
    with pytest.raises(ClientError) as refused:
        client.create_stage(ApiId=http_api, StageName="s", AccessLogSettings={
            "DestinationArn": f"file:{tmp_path}/h.log", "Format": '{"id":"$context.requestId","c":"$context.connectionId"}'})
    assert refused.value.response["Error"]["Code"] == "BadRequestException"
    assert "$context.connectionId" in refused.value.response["Error"]["Message"]
    ws_api = client.create_api(Name="ws", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action")["ApiId"]
    created = client.create_stage(ApiId=ws_api, StageName="s", AccessLogSettings={
        "DestinationArn": f"file:{tmp_path}/w.log",
        "Format": "$context.requestId $context.connectionId $context.eventType $context.messageId $context.identity.apiKeyId"})
    assert "$context.eventType" in created["AccessLogSettings"]["Format"]


# MARK: metrics


def test_connection_and_message_metrics(portico):
    api_id = make_ws_api(portico, {"$default": WHOAMI, "fail": ("lambda", MISSING_FUNCTION, "two-way")})
    labels = {"api_id": api_id, "stage": "prod"}

    def value(name):
        return metric(portico_metrics(portico), name, **labels)
    stack = ExitStack()
    first = stack.enter_context(connect(ws_url(portico, api_id), open_timeout=30))
    second = stack.enter_context(connect(ws_url(portico, api_id), open_timeout=30))
    until(lambda: value("portico_websocket_connections") == 2, "the open-connections gauge is not 2")
    assert answer(first, "hello")["route"] == "$default"
    assert answer(second, "hello")["route"] == "$default"
    assert answer(first, "fail")["message"] == "Internal server error"
    text = portico_metrics(portico)
    assert "# TYPE portico_websocket_connections gauge" in text
    assert metric(text, "portico_websocket_connects_total", **labels) == 2
    assert metric(text, "portico_websocket_messages_total", **labels) == 3
    assert metric(text, "portico_websocket_integration_errors_total", **labels) == 1
    stack.close()
    until(lambda: value("portico_websocket_connections") == 0, "the open-connections gauge did not go back to 0")
    assert value("portico_websocket_connects_total") == 2


# MARK: broadcast and groups


def call(server, api_id, method, path, body=b"", key=("test", "test"), stage="prod"):
    """A data-plane management call signed as AWS clients sign them (dev mode accepts the `test` key)."""
    return signed(f"{endpoint(server, api_id, stage)}{path}", key, method=method, body=body)


def whoami(ws):
    return answer(ws, "whoami")["id"]


def test_broadcast_reaches_every_connection_of_the_stage_only(portico):
    api_id = make_ws_api(portico, {"whoami": WHOAMI})
    other = make_ws_api(portico, {"whoami": WHOAMI})
    with ExitStack() as stack:
        clients = [stack.enter_context(connect(ws_url(portico, api_id), open_timeout=30)) for _ in range(3)]
        outsider = stack.enter_context(connect(ws_url(portico, other), open_timeout=30))
        for ws in clients:
            whoami(ws)
        sent = call(portico, api_id, "POST", "/@broadcast", b"hello, everyone")
        assert sent.status_code == 200 and sent.json() == {"sent": 3, "dropped": 0}
        for ws in clients:
            assert ws.recv(timeout=30) == "hello, everyone"
        binary = call(portico, api_id, "POST", "/@broadcast", b"\xff\x00 bytes")
        assert binary.json() == {"sent": 3, "dropped": 0}
        for ws in clients:
            assert ws.recv(timeout=30) == b"\xff\x00 bytes"
        # The other API's connection got nothing: its next message is the answer to its own question.
        assert answer(outsider, "whoami")["route"] == "whoami"
        too_big = call(portico, api_id, "POST", "/@broadcast", b"z" * (128 * 1024 + 1))
        assert too_big.status_code == 413 and too_big.headers["x-amzn-ErrorType"] == "PayloadTooLargeException"
        assert call(portico, api_id, "GET", "/@broadcast").status_code == 404


def test_groups_join_send_leave_and_close(portico):
    api_id = make_ws_api(portico, {"whoami": WHOAMI})
    with ExitStack() as stack:
        a, b, c = (stack.enter_context(connect(ws_url(portico, api_id), open_timeout=30)) for _ in range(3))
        ids = [whoami(ws) for ws in (a, b, c)]
        for connection_id in ids[:2]:
            joined = call(portico, api_id, "PUT", f"/@groups/room-1/{connection_id}")
            assert joined.status_code == 204
        again = call(portico, api_id, "PUT", f"/@groups/room-1/{ids[0]}")
        assert again.status_code == 204
        members = call(portico, api_id, "GET", "/@groups/room-1")
        assert members.status_code == 200 and members.json() == {"connectionIds": sorted(ids[:2])}
        sent = call(portico, api_id, "POST", "/@groups/room-1", b"to the room")
        assert sent.json() == {"sent": 2, "dropped": 0}
        assert a.recv(timeout=30) == "to the room" and b.recv(timeout=30) == "to the room"
        # c is not in the room: the next thing it gets is the broadcast that follows.
        call(portico, api_id, "POST", "/@broadcast", b"marker")
        assert c.recv(timeout=30) == "marker"
        assert a.recv(timeout=30) == "marker" and b.recv(timeout=30) == "marker"
        left = call(portico, api_id, "DELETE", f"/@groups/room-1/{ids[0]}")
        assert left.status_code == 204
        assert call(portico, api_id, "DELETE", f"/@groups/room-1/{ids[0]}").status_code == 204
        assert call(portico, api_id, "POST", "/@groups/room-1", b"fewer").json() == {"sent": 1, "dropped": 0}
        assert b.recv(timeout=30) == "fewer"
        assert call(portico, api_id, "POST", "/@groups/nobody-here", b"x").json() == {"sent": 0, "dropped": 0}
        # Closing a connection takes it out of its groups.
        b.close()
        until(lambda: call(portico, api_id, "GET", "/@groups/room-1").json() == {"connectionIds": []},
              "a closed connection stayed in its group")
        gone = call(portico, api_id, "PUT", f"/@groups/room-1/{ids[1]}")
        assert gone.status_code == 410 and gone.headers["x-amzn-ErrorType"] == "GoneException"
        assert call(portico, api_id, "PUT", "/@groups/room-1/AAAAAAAAAAAAAAA=").status_code == 410
        assert call(portico, api_id, "PUT", f"/@groups/room-1/{ids[2]}", stage="dev").status_code in (404, 410)
        bad = call(portico, api_id, "PUT", f"/@groups/no%20spaces/{ids[2]}")
        assert bad.status_code == 400 and bad.headers["x-amzn-ErrorType"] == "BadRequestException"
        assert call(portico, api_id, "PUT", "/@groups/" + "g" * 129 + f"/{ids[2]}").status_code == 400
        assert call(portico, api_id, "POST", f"/@groups/room-1/{ids[2]}", b"x").status_code == 404


def test_a_connection_of_another_stage_cannot_join(portico):
    api_id = make_ws_api(portico, {"whoami": WHOAMI})
    other = make_ws_api(portico, {"whoami": WHOAMI})
    with connect(ws_url(portico, other), open_timeout=30) as ws:
        foreign = whoami(ws)
        refused = call(portico, api_id, "PUT", f"/@groups/room/{foreign}")
        assert refused.status_code == 410
        assert call(portico, api_id, "GET", "/@groups/room").json() == {"connectionIds": []}


def test_broadcast_and_groups_need_a_signature(secured):
    api_id = make_ws_api(secured, {"whoami": WHOAMI})
    admin = (ACCESS_KEY, SECRET)
    iam = secured.client("iam")
    prefix = f"arn:aws:execute-api:us-east-1:000000000000:{api_id}/prod"
    roomer = user_with_key(iam, "ws-roomer", policy(statement("Allow", f"{prefix}/*/@groups/room")))
    nobody = user_with_key(iam, "ws-nobody", policy(statement("Allow", f"{prefix}/POST/@connections/*")))
    with connect(ws_url(secured, api_id), open_timeout=30) as ws:
        connection_id = whoami(ws)
        base = endpoint(secured, api_id)
        for method, path in (("POST", "/@broadcast"), ("PUT", f"/@groups/room/{connection_id}"),
                             ("POST", "/@groups/room"), ("GET", "/@groups/room"), ("DELETE", f"/@groups/room/{connection_id}")):
            unsigned = requests.request(method, base + path, data=b"sneaky", timeout=30)
            assert unsigned.status_code == 403, (method, path)
            assert unsigned.headers["x-amzn-ErrorType"] == "MissingAuthenticationTokenException"
            wrong = call(secured, api_id, method, path, b"sneaky", key=(ACCESS_KEY, "not-the-secret"))
            assert wrong.status_code == 403 and wrong.headers["x-amzn-ErrorType"] == "InvalidSignatureException"
            unknown = call(secured, api_id, method, path, b"sneaky", key=("AKIDNOBODY", "whatever"))
            assert unknown.status_code == 403 and unknown.headers["x-amzn-ErrorType"] == "UnrecognizedClientException"
            denied = call(secured, api_id, method, path, b"sneaky", key=nobody)
            assert denied.status_code == 403 and denied.headers["x-amzn-ErrorType"] == "AccessDeniedException"
            resource = path.rsplit("/", 1)[0] if path.count("/") > 2 else path
            assert f"{api_id}/prod/{method}/{resource.lstrip('/')}" in denied.json()["Message"]
        # Signed with a changed body: the signature no longer matches.
        from botocore.auth import SigV4Auth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials
        request = AWSRequest(method="POST", url=base + "/@broadcast", data=b"signed body")
        SigV4Auth(Credentials(*admin), "execute-api", "us-east-1").add_auth(request)
        changed = requests.post(base + "/@broadcast", data=b"other body", headers=dict(request.prepare().headers.items()),
                                timeout=30)
        assert changed.status_code == 403 and changed.headers["x-amzn-ErrorType"] == "InvalidSignatureException"
        # Nothing refused reached the client, nor joined it to a group.
        assert answer(ws, "whoami")["id"] == connection_id
        assert call(secured, api_id, "GET", "/@groups/room", key=admin).json() == {"connectionIds": []}
        # The IAM user allowed on @groups/room may use that group, and only that group.
        assert call(secured, api_id, "PUT", f"/@groups/room/{connection_id}", key=roomer).status_code == 204
        assert call(secured, api_id, "POST", "/@groups/room", b"from the roomer", key=roomer).json()["sent"] == 1
        assert ws.recv(timeout=30) == "from the roomer"
        assert call(secured, api_id, "PUT", f"/@groups/other/{connection_id}", key=roomer).status_code == 403
        assert call(secured, api_id, "POST", "/@broadcast", b"x", key=roomer).status_code == 403
        assert call(secured, api_id, "POST", "/@broadcast", b"from the admin", key=admin).json()["sent"] == 1
        assert ws.recv(timeout=30) == "from the admin"


def slow_client(server, api_id):
    """A handshake over a socket with a small receive buffer that then never reads."""
    split = urlsplit(server.data_url)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.settimeout(30)
    sock.connect((split.hostname, split.port))
    sock.sendall((f"GET /_aws/execute-api/{api_id}/prod HTTP/1.1\r\nHost: {split.netloc}\r\nUpgrade: websocket\r\n"
                  "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = sock.recv(1)
        assert chunk, head
        head += chunk
    assert head.startswith(b"HTTP/1.1 101"), head
    return sock


def test_a_slow_client_gets_broadcasts_dropped_not_buffered():
    """--websocket-max-buffer-bytes 65536: once that much waits for a client that does not read, broadcasts are
    dropped for it (and counted) while a reading client gets every one; the slow connection stays open."""
    server = Portico("--websocket-max-buffer-bytes", "65536")
    try:
        api_id = make_ws_api(server, {"whoami": WHOAMI})
        slow = slow_client(server, api_id)
        received = []
        stack = ExitStack()
        reader = stack.enter_context(connect(ws_url(server, api_id), open_timeout=30, max_size=None))
        done = threading.Event()

        def read():
            try:
                while True:
                    message = reader.recv(timeout=60)
                    received.append(len(message))
                    if message == b"end" or message == "end":
                        break
            except (ConnectionClosed, TimeoutError):
                pass
            done.set()
        thread = threading.Thread(target=read, daemon=True)
        thread.start()
        payload = b"p" * (100 * 1024)
        dropped = broadcasts = 0
        while dropped < 4:
            assert broadcasts < 600, "nothing was dropped for the slow client"
            counts = call(server, api_id, "POST", "/@broadcast", payload).json()
            broadcasts += 1
            # Each message goes to both connections or is dropped for the slow one; the reader gets it.
            assert counts["sent"] + counts["dropped"] == 2 and counts["dropped"] <= 1, counts
            dropped += counts["dropped"]
            until(lambda: len(received) == broadcasts, "the reading client did not get a broadcast")
        call(server, api_id, "POST", "/@broadcast", b"end")
        assert done.wait(120)
        assert len(received) == broadcasts + 1  # the reader missed nothing
        labels = {"api_id": api_id, "stage": "prod"}
        text = portico_metrics(server)
        assert metric(text, "portico_websocket_dropped_messages_total", **labels) >= 4
        assert metric(text, "portico_websocket_connections", **labels) == 2  # the slow client is still connected
        stack.close()
        slow.close()
    finally:
        server.stop()


# MARK: metrics helpers


def portico_metrics(server):
    response = requests.get(server.management_url + "/_portico/metrics", timeout=30)
    response.raise_for_status()
    return response.text


def metric(text, name, **labels):
    """The value of the sample `name` whose labels include `labels` (0 when there is none)."""
    for line in text.splitlines():
        if not line.startswith(name + "{"):
            continue
        label_text = line[len(name) + 1:line.index("}")]
        found = dict(part.split("=", 1) for part in label_text.split('",') if "=" in part)
        found = {k: v.strip('"') for k, v in found.items()}
        if all(found.get(k) == v for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return 0
