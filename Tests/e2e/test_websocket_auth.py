"""Authorization of WebSocket APIs, end to end: `@connections` requires SigV4 (the management API's
credentials, or a managed IAM user allowed `execute-api:ManageConnections`), and in development mode
(no management credentials) any well-formed signature by a key Portico does not manage.

Requests are signed by boto3's `apigatewaymanagementapi` client, the AWS CLI and botocore's SigV4Auth,
exactly as AWS clients sign them; the WebSocket side is the real `websockets` client."""
import json
import time

import boto3
import pytest
import requests
from botocore.auth import SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from conftest import Portico
from test_websocket_dataplane import events, function, make_ws_api, of, ws_url  # noqa: F401 (function is a fixture)

ACCESS_KEY = "AKIDWSADMIN"
SECRET = "ws-s3cr3t-Never-L0gged"
ACCOUNT = "000000000000"
WHOAMI = {"whoami": ("mock", '{"statusCode": 200}', '{"id": "$context.connectionId"}', "two-way")}


@pytest.fixture(scope="module")
def secured():
    """A Portico with management credentials: no development mode."""
    server = Portico("--access-key-id", ACCESS_KEY, "--secret-access-key", SECRET)

    def client(service="apigatewayv2"):
        return boto3.client(service, endpoint_url=server.management_url, region_name="us-east-1",
                            aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET,
                            config=Config(retries={"max_attempts": 1}))

    def aws_env():
        env = Portico.aws_env(server)
        env.update({"AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET})
        return env

    server.client = client
    server.aws_env = aws_env
    yield server
    server.stop()
    assert SECRET not in server.log


def endpoint(server, api_id, stage="prod"):
    return f"{server.data_url}/_aws/execute-api/{api_id}/{stage}"


def manager(server, api_id, key, stage="prod"):
    return boto3.client("apigatewaymanagementapi", endpoint_url=endpoint(server, api_id, stage), region_name="us-east-1",
                        aws_access_key_id=key[0], aws_secret_access_key=key[1], config=Config(retries={"max_attempts": 1}))


def signed(url, key, method="POST", body=b"", service="execute-api"):
    request = AWSRequest(method=method, url=url, data=body)
    SigV4Auth(Credentials(*key), service, "us-east-1").add_auth(request)
    prepared = request.prepare()
    return requests.request(method, prepared.url, data=body, headers=dict(prepared.headers.items()), timeout=30)


def connection_id_of(ws):
    ws.send(json.dumps({"action": "whoami"}))
    return json.loads(ws.recv(timeout=30))["id"]


def user_with_key(iam, name, policy=None):
    iam.create_user(UserName=name)
    key = iam.create_access_key(UserName=name)["AccessKey"]
    if policy is not None:
        iam.put_user_policy(UserName=name, PolicyName="ws", PolicyDocument=json.dumps(policy))
    return key["AccessKeyId"], key["SecretAccessKey"]


def statement(effect, resource, action="execute-api:ManageConnections"):
    return {"Effect": effect, "Action": action, "Resource": resource}


def policy(*statements):
    return {"Version": "2012-10-17", "Statement": list(statements)}


def error_of(call):
    with pytest.raises(ClientError) as raised:
        call()
    return raised.value.response


def not_authorized(user_arn, api_id, method, stage="prod", explicit=False):
    resource = f"arn:aws:execute-api:us-east-1:********{ACCOUNT[-4:]}:{api_id}/{stage}/{method}/@connections/{{connectionId}}"
    return (f"User: {user_arn} is not authorized to perform: execute-api:ManageConnections on resource: {resource}"
            + (" with an explicit deny" if explicit else ""))


def assert_nothing_was_delivered(ws):
    """The next message is the answer to a new `whoami`: nothing refused reached the client."""
    ws.send(json.dumps({"action": "whoami"}))
    assert "id" in json.loads(ws.recv(timeout=30))


def test_management_credentials_have_full_access(secured):
    api_id = make_ws_api(secured, WHOAMI)
    client = manager(secured, api_id, (ACCESS_KEY, SECRET))
    with connect(ws_url(secured, api_id), open_timeout=30) as ws:
        connection_id = connection_id_of(ws)
        client.post_to_connection(ConnectionId=connection_id, Data=b"from the admin")
        assert ws.recv(timeout=30) == "from the admin"
        assert client.get_connection(ConnectionId=connection_id)["Identity"]["SourceIp"] == "127.0.0.1"
        result = secured.cli("apigatewaymanagementapi", "post-to-connection", "--endpoint-url", endpoint(secured, api_id),
                             "--connection-id=" + connection_id, "--data", "from the CLI")
        assert result.returncode == 0
        assert ws.recv(timeout=30) == "from the CLI"
        client.delete_connection(ConnectionId=connection_id)


def test_unsigned_and_badly_signed_calls_are_refused(secured):
    api_id = make_ws_api(secured, WHOAMI)
    with connect(ws_url(secured, api_id), open_timeout=30) as ws:
        connection_id = connection_id_of(ws)
        url = f"{endpoint(secured, api_id)}/@connections/{connection_id}"
        for method in ("POST", "GET", "DELETE"):
            unsigned = requests.request(method, url, data=b"sneaky", timeout=30)
            assert unsigned.status_code == 403
            assert unsigned.json() == {"message": "Missing Authentication Token"}
            assert unsigned.headers["x-amzn-ErrorType"] == "MissingAuthenticationTokenException"
        wrong_secret = error_of(lambda: manager(secured, api_id, (ACCESS_KEY, "not-the-secret")).post_to_connection(
            ConnectionId=connection_id, Data=b"sneaky"))
        assert wrong_secret["ResponseMetadata"]["HTTPStatusCode"] == 403
        assert wrong_secret["Error"]["Code"] == "InvalidSignatureException"
        assert wrong_secret["Error"]["Message"].startswith("The request signature we calculated does not match")
        unknown = error_of(lambda: manager(secured, api_id, ("AKIDNOBODY", "whatever")).post_to_connection(
            ConnectionId=connection_id, Data=b"sneaky"))
        assert unknown["Error"]["Code"] == "UnrecognizedClientException"
        assert unknown["Error"]["Message"] == "The security token included in the request is invalid."
        other_service = signed(url, (ACCESS_KEY, SECRET), body=b"sneaky", service="apigateway")
        assert other_service.status_code == 403 and other_service.headers["x-amzn-ErrorType"] == "InvalidSignatureException"
        # The body is signed: a changed body does not match.
        request = AWSRequest(method="POST", url=url, data=b"signed body")
        SigV4Auth(Credentials(ACCESS_KEY, SECRET), "execute-api", "us-east-1").add_auth(request)
        tampered = requests.post(url, data=b"other body", headers=dict(request.prepare().headers.items()), timeout=30)
        assert tampered.status_code == 403 and tampered.headers["x-amzn-ErrorType"] == "InvalidSignatureException"
        assert_nothing_was_delivered(ws)


def test_iam_users_need_manage_connections(secured):
    api_id = make_ws_api(secured, WHOAMI)
    iam = secured.client("iam")
    prefix = f"arn:aws:execute-api:us-east-1:{ACCOUNT}:{api_id}"
    post_only = user_with_key(iam, "ws-poster", policy(statement("Allow", f"{prefix}/prod/POST/@connections/*")))
    invoke_only = user_with_key(iam, "ws-invoker", policy(statement("Allow", "*", action="execute-api:Invoke")))
    no_policy = user_with_key(iam, "ws-nobody")
    other_stage = user_with_key(iam, "ws-dev", policy(statement("Allow", f"{prefix}/dev/*")))
    everything_but_delete = user_with_key(iam, "ws-nodelete", policy(
        statement("Allow", "*"), statement("Deny", f"{prefix}/*/DELETE/*")))
    with connect(ws_url(secured, api_id), open_timeout=30) as ws:
        connection_id = connection_id_of(ws)
        one_connection = user_with_key(iam, "ws-one", policy(
            statement("Allow", f"{prefix}/prod/POST/@connections/AAAAAAAAAAAAAAA="),
            statement("Allow", f"{prefix}/prod/POST/@connections/{connection_id}")))
        manager(secured, api_id, post_only).post_to_connection(ConnectionId=connection_id, Data=b"allowed")
        assert ws.recv(timeout=30) == "allowed"
        refused = error_of(lambda: manager(secured, api_id, post_only).get_connection(ConnectionId=connection_id))
        assert refused["ResponseMetadata"]["HTTPStatusCode"] == 403
        assert refused["Error"]["Code"] == "AccessDeniedException"
        assert refused["Error"]["Message"] == not_authorized(f"arn:aws:iam::{ACCOUNT}:user/ws-poster", api_id, "GET")
        for name, key in (("ws-invoker", invoke_only), ("ws-nobody", no_policy), ("ws-dev", other_stage),
                          # AWS evaluates the literal `{connectionId}`: a policy naming connections grants nothing.
                          ("ws-one", one_connection)):
            refused = error_of(lambda: manager(secured, api_id, key).post_to_connection(ConnectionId=connection_id, Data=b"x"))
            assert refused["Error"]["Code"] == "AccessDeniedException", name
            assert refused["Error"]["Message"] == not_authorized(f"arn:aws:iam::{ACCOUNT}:user/{name}", api_id, "POST")
        denied = error_of(lambda: manager(secured, api_id, everything_but_delete).delete_connection(ConnectionId=connection_id))
        assert denied["Error"]["Message"] == not_authorized(
            f"arn:aws:iam::{ACCOUNT}:user/ws-nodelete", api_id, "DELETE", explicit=True)
        assert_nothing_was_delivered(ws)
        # The same user's allowed methods work; a key made inactive signs nothing from the next call on.
        manager(secured, api_id, everything_but_delete).post_to_connection(ConnectionId=connection_id, Data=b"still open")
        assert ws.recv(timeout=30) == "still open"
        iam.update_access_key(UserName="ws-poster", AccessKeyId=post_only[0], Status="Inactive")
        inactive = error_of(lambda: manager(secured, api_id, post_only).post_to_connection(ConnectionId=connection_id, Data=b"x"))
        assert inactive["Error"]["Code"] == "UnrecognizedClientException"
        assert_nothing_was_delivered(ws)


def test_development_mode_accepts_any_well_formed_signature(portico):
    """No management credentials: unsigned calls are still refused, any other key is accepted, and a
    managed IAM user's key is checked as always."""
    portico.reset()
    api_id = make_ws_api(portico, WHOAMI)
    with connect(ws_url(portico, api_id), open_timeout=30) as ws:
        connection_id = connection_id_of(ws)
        url = f"{endpoint(portico, api_id)}/@connections/{connection_id}"
        unsigned = requests.post(url, data=b"sneaky", timeout=30)
        assert unsigned.status_code == 403 and unsigned.json() == {"message": "Missing Authentication Token"}
        manager(portico, api_id, ("anything", "at-all")).post_to_connection(ConnectionId=connection_id, Data=b"dev mode")
        assert ws.recv(timeout=30) == "dev mode"
        iam = portico.client("iam")
        nobody = user_with_key(iam, "ws-dev-nobody")
        refused = error_of(lambda: manager(portico, api_id, nobody).post_to_connection(ConnectionId=connection_id, Data=b"x"))
        assert refused["Error"]["Code"] == "AccessDeniedException"
        wrong_secret = error_of(lambda: manager(portico, api_id, (nobody[0], "wrong")).post_to_connection(
            ConnectionId=connection_id, Data=b"x"))
        assert wrong_secret["Error"]["Code"] == "InvalidSignatureException"
        assert_nothing_was_delivered(ws)


# MARK: AWS_IAM on $connect


def signed_handshake(server, api_id, key, stage="prod", presign=False, region="us-east-1"):
    """The handshake URL and headers, signed by botocore as an AWS client signs a GET to it."""
    url = f"{server.data_url}/_aws/execute-api/{api_id}/{stage}"
    request = AWSRequest(method="GET", url=url)
    credentials = Credentials(*key)
    auth = SigV4QueryAuth(credentials, "execute-api", region, expires=60) if presign else SigV4Auth(
        credentials, "execute-api", region)
    auth.add_auth(request)
    prepared = request.prepare()
    headers = {name: value for name, value in prepared.headers.items() if name.lower() != "host"}
    return "ws" + prepared.url[len("http"):], headers


def iam_connect_api(server, function_arn):
    client = server.client()
    api_id = make_ws_api(server, {"$connect": ("lambda", function_arn), "$default": ("lambda", function_arn, "two-way")})
    connect_route = next(r for r in client.get_routes(ApiId=api_id)["Items"] if r["RouteKey"] == "$connect")
    client.update_route(ApiId=api_id, RouteId=connect_route["RouteId"], AuthorizationType="AWS_IAM")
    # Served once an unsigned handshake is refused (the auto-deployed stage changed).
    deadline = time.monotonic() + 30
    while True:
        try:
            with connect(ws_url(server, api_id), open_timeout=30):
                pass
        except InvalidStatus as refused:
            return api_id, refused
        assert time.monotonic() < deadline, "the AWS_IAM $connect was not deployed"
        time.sleep(0.05)


def refusal(url, headers=None):
    with pytest.raises(InvalidStatus) as refused:
        connect(url, additional_headers=headers or {}, open_timeout=30)
    response = refused.value.response
    return response.status_code, json.loads(response.body), response.headers.get("x-amzn-ErrorType")


def test_aws_iam_on_connect(portico, function):
    arn, log = function
    api_id, unsigned = iam_connect_api(portico, arn)
    assert unsigned.response.status_code == 403
    assert json.loads(unsigned.response.body) == {"message": "Missing Authentication Token"}
    iam = portico.client("iam")
    prefix = f"arn:aws:execute-api:us-east-1:{ACCOUNT}:{api_id}"
    allowed = user_with_key(iam, "ws-connector", policy(statement("Allow", f"{prefix}/prod/$connect", action="execute-api:Invoke")))
    other_stage = user_with_key(iam, "ws-connector-dev", policy(statement("Allow", f"{prefix}/dev/*", action="execute-api:Invoke")))
    denied = user_with_key(iam, "ws-connector-denied", policy(
        statement("Allow", "*", action="execute-api:Invoke"), statement("Deny", f"{prefix}/*/$connect", action="execute-api:Invoke")))
    manage_only = user_with_key(iam, "ws-connector-manager", policy(statement("Allow", "*")))
    for presign in (False, True):
        url, headers = signed_handshake(portico, api_id, allowed, presign=presign)
        with connect(url, additional_headers=headers, open_timeout=30) as ws:
            ws.send("who am I")
            connection_id = json.loads(ws.recv(timeout=30))["connectionId"]
        for route in ("$connect", "$default"):
            identity = events(log, of(connection_id, route))[0]["requestContext"]["identity"]
            assert identity["userArn"] == f"arn:aws:iam::{ACCOUNT}:user/ws-connector", route
            assert identity["accessKey"] == allowed[0] and identity["accountId"] == ACCOUNT
    resource = f"arn:aws:execute-api:us-east-1:********{ACCOUNT[-4:]}:{api_id}/prod/$connect"
    for name, key, explicit in (("ws-connector-dev", other_stage, False), ("ws-connector-denied", denied, True),
                                ("ws-connector-manager", manage_only, False)):
        status, body, error_type = refusal(*signed_handshake(portico, api_id, key))
        assert status == 403 and error_type == "AccessDeniedException", name
        assert body == {"Message": f"User: arn:aws:iam::{ACCOUNT}:user/{name} is not authorized to perform: "
                                   f"execute-api:Invoke on resource: {resource}" + (" with an explicit deny" if explicit else "")}
    status, body, error_type = refusal(*signed_handshake(portico, api_id, (allowed[0], "wrong-secret")))
    assert status == 403 and error_type == "InvalidSignatureException"
    status, body, error_type = refusal(*signed_handshake(portico, api_id, ("AKIDNOBODY", "x")))
    assert status == 403 and error_type == "UnrecognizedClientException"
    # A presigned URL whose query was changed no longer matches.
    url, _ = signed_handshake(portico, api_id, allowed, presign=True)
    status, body, error_type = refusal(url + "&extra=1")
    assert status == 403 and error_type == "InvalidSignatureException"
    # No $connect event reached the function for any refused handshake.
    refused_users = {f"arn:aws:iam::{ACCOUNT}:user/{n}" for n in ("ws-connector-dev", "ws-connector-denied", "ws-connector-manager")}
    logged = [json.loads(line) for line in log.read_text().splitlines()]
    assert not [e for e in logged if e["requestContext"].get("identity", {}).get("userArn") in refused_users]


# MARK: Lambda REQUEST authorizers on $connect

# Allows `token=good` (principal "alice", with a context), denies `token=bad` with an explicit Deny,
# answers a policy for another route for `token=elsewhere`, fails for `token=crash` and answers
# something that is not a policy for `token=junk`. Every event goes to EVENT_LOG + ".authorizer".
AUTHORIZER = '''import json, os

def handler(event, context):
    with open(os.environ["EVENT_LOG"] + ".authorizer", "a") as log:
        log.write(json.dumps(event) + "\\n")
    token = (event.get("queryStringParameters") or {}).get("token")
    if token == "crash":
        raise RuntimeError("authorizer crashed")
    if token == "junk":
        return {"hello": "world"}
    arn = event["methodArn"]
    effect = "Allow" if token == "good" else "Deny"
    if token == "elsewhere":
        effect, arn = "Allow", arn.rsplit("/", 1)[0] + "/sendmessage"
    answer = {"principalId": "alice" if token == "good" else "nobody",
              "policyDocument": {"Version": "2012-10-17",
                                 "Statement": [{"Action": "execute-api:Invoke", "Effect": effect, "Resource": arn}]},
              "context": {"tier": "gold", "n": 7, "vip": True}}
    if (event.get("queryStringParameters") or {}).get("apikey"):
        answer["usageIdentifierKey"] = event["queryStringParameters"]["apikey"]
    return answer
'''


@pytest.fixture(scope="module")
def authorizer_function(portico, function):
    from lambda_function_helpers import ARN_PREFIX, create_python_function, make_zip
    _, log = function
    client = portico.client("lambda")
    try:
        client.delete_function(FunctionName="ws-authorizer")
    except ClientError:
        pass
    create_python_function(client, "ws-authorizer", zip_bytes=make_zip({"app.py": AUTHORIZER}), Timeout=10,
                           Environment={"Variables": {"EVENT_LOG": str(log)}})
    return ARN_PREFIX + "ws-authorizer"


def authorizer_events(log):
    path = log.parent / (log.name + ".authorizer")
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def custom_connect_api(server, function_arn, authorizer_arn, identity_source, ttl=0):
    client = server.client()
    api_id = make_ws_api(server, {"$connect": ("lambda", function_arn), "$default": ("lambda", function_arn, "two-way")})
    authorizer = client.create_authorizer(
        ApiId=api_id, Name="ws-auth", AuthorizerType="REQUEST", IdentitySource=identity_source,
        AuthorizerUri=f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{authorizer_arn}/invocations",
        AuthorizerResultTtlInSeconds=ttl)
    connect_route = next(r for r in client.get_routes(ApiId=api_id)["Items"] if r["RouteKey"] == "$connect")
    client.update_route(ApiId=api_id, RouteId=connect_route["RouteId"], AuthorizationType="CUSTOM",
                        AuthorizerId=authorizer["AuthorizerId"])
    deadline = time.monotonic() + 30
    while True:  # served once a handshake without the identity source is refused
        try:
            with connect(ws_url(server, api_id), open_timeout=30):
                pass
        except InvalidStatus as refused:
            assert refused.response.status_code == 401
            return api_id
        assert time.monotonic() < deadline, "the CUSTOM $connect was not deployed"
        time.sleep(0.05)


def test_lambda_authorizer_on_connect(portico, function, authorizer_function):
    arn, log = function
    api_id = custom_connect_api(portico, arn, authorizer_function, ["route.request.querystring.token"])
    with connect(ws_url(portico, api_id, query="?token=good"), open_timeout=30) as ws:
        ws.send("who am I")
        connection_id = json.loads(ws.recv(timeout=30))["connectionId"]
    for route in ("$connect", "$default"):
        authorizer = events(log, of(connection_id, route))[0]["requestContext"]["authorizer"]
        assert authorizer["principalId"] == "alice" and authorizer["tier"] == "gold", route
        assert authorizer["n"] == 7 and authorizer["vip"] is True
    seen = authorizer_events(log)
    event = next(e for e in seen if e["requestContext"]["connectionId"] == connection_id)
    assert event["type"] == "REQUEST"
    assert event["methodArn"] == f"arn:aws:execute-api:us-east-1:{ACCOUNT}:{api_id}/prod/$connect"
    assert event["queryStringParameters"] == {"token": "good"} and event["requestContext"]["eventType"] == "CONNECT"
    assert event["headers"]["Sec-WebSocket-Version"] == "13" and event["stageVariables"] == {}
    before = len(log.read_text().splitlines())
    calls = len(authorizer_events(log))
    for token, status, body in (("bad", 403, {"message": "Forbidden"}), ("elsewhere", 403, {"message": "Forbidden"}),
                                ("crash", 500, {"message": "Internal server error"}),
                                ("junk", 500, {"message": "Internal server error"})):
        got_status, got_body, _ = refusal(ws_url(portico, api_id, query=f"?token={token}"))
        assert (got_status, got_body) == (status, body), token
    got_status, got_body, _ = refusal(ws_url(portico, api_id, query="?token="))
    assert (got_status, got_body) == (401, {"message": "Unauthorized"})
    # The empty identity source was refused without a call; refused handshakes never reach the $connect integration.
    assert len(authorizer_events(log)) == calls + 4
    assert len(log.read_text().splitlines()) == before


def test_lambda_authorizer_results_are_cached(portico, function, authorizer_function):
    arn, log = function
    api_id = custom_connect_api(portico, arn, authorizer_function, ["route.request.header.X-Token",
                                                                     "route.request.querystring.token"], ttl=300)
    count = lambda: sum(1 for e in authorizer_events(log) if e["requestContext"]["apiId"] == api_id)  # noqa: E731
    for _ in range(3):
        with connect(ws_url(portico, api_id, query="?token=good"), additional_headers={"X-Token": "t"}, open_timeout=30):
            pass
    assert count() == 1
    # A missing header (one of two identity sources) is 401 without a call.
    status, body, _ = refusal(ws_url(portico, api_id, query="?token=good"))
    assert (status, body) == (401, {"message": "Unauthorized"}) and count() == 1


def test_websocket_authorizer_management_rules(portico):
    client = portico.client()
    api_id = client.create_api(Name="ws", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action")["ApiId"]
    uri = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:f/invocations"
    for arguments in ({"AuthorizerType": "JWT", "IdentitySource": ["route.request.header.Auth"]},
                      {"AuthorizerType": "REQUEST", "IdentitySource": ["$request.header.Auth"]},
                      {"AuthorizerType": "REQUEST", "IdentitySource": ["route.request.header.Auth"], "EnableSimpleResponses": True}):
        with pytest.raises(ClientError) as refused:
            client.create_authorizer(ApiId=api_id, Name="a", AuthorizerUri=uri, **arguments)
        assert refused.value.response["Error"]["Code"] == "BadRequestException", arguments
    created = client.create_authorizer(ApiId=api_id, Name="a", AuthorizerUri=uri, AuthorizerType="REQUEST",
                                       IdentitySource=["route.request.header.Auth", "route.request.querystring.t",
                                                       "stageVariables.s", "context.connectionId"])
    assert created["IdentitySource"][0] == "route.request.header.Auth"


# MARK: API keys on routes


def require_key(server, api_id, *route_keys):
    client = server.client()
    for route in client.get_routes(ApiId=api_id)["Items"]:
        if route["RouteKey"] in route_keys:
            client.update_route(ApiId=api_id, RouteId=route["RouteId"], ApiKeyRequired=True)


def key_in_plan(server, api_id, stage="prod", **plan):
    client = server.client("apigateway")
    plan_id = client.create_usage_plan(name="ws-plan", apiStages=[{"apiId": api_id, "stage": stage}], **plan)["id"]
    key = client.create_api_key(name="ws-key", enabled=True)
    client.create_usage_plan_key(usagePlanId=plan_id, keyId=key["id"], keyType="API_KEY")
    return key


def answer(ws, action):
    ws.send(json.dumps({"action": action}))
    return json.loads(ws.recv(timeout=30))


def test_api_key_required_on_a_message_route(portico):
    api_id = make_ws_api(portico, {
        "keyed": ("mock", '{"statusCode": 200}', '{"route": "keyed"}', "two-way"),
        "$default": ("mock", '{"statusCode": 200}', '{"route": "open"}', "two-way"),
    })
    key = key_in_plan(portico, api_id)
    loose = portico.client("apigateway").create_api_key(name="loose", enabled=True)
    require_key(portico, api_id, "keyed")
    deadline = time.monotonic() + 30
    while True:  # until the redeployed stage refuses a keyless message
        with connect(ws_url(portico, api_id), open_timeout=30) as ws:
            got = answer(ws, "keyed")
        if got.get("message") == "Forbidden":
            break
        assert time.monotonic() < deadline, "the apiKeyRequired route was not deployed"
        time.sleep(0.05)
    with connect(ws_url(portico, api_id), open_timeout=30) as ws:
        assert answer(ws, "anything") == {"route": "open"}
        refused = answer(ws, "keyed")
        assert refused["message"] == "Forbidden" and refused["connectionId"] and refused["requestId"]
    for value in ("not-a-key-0123456789", loose["value"]):
        with connect(ws_url(portico, api_id), additional_headers={"x-api-key": value}, open_timeout=30) as ws:
            assert answer(ws, "keyed")["message"] == "Forbidden"
    with connect(ws_url(portico, api_id), additional_headers={"x-api-key": key["value"]}, open_timeout=30) as ws:
        assert answer(ws, "keyed") == {"route": "keyed"}


def test_api_key_required_on_connect_with_quota(portico):
    api_id = make_ws_api(portico, {
        "$connect": ("mock", '{"statusCode": 200}', None),
        "keyed": ("mock", '{"statusCode": 200}', '{"route": "keyed"}', "two-way"),
    })
    client = portico.client("apigateway")
    key = key_in_plan(portico, api_id, quota={"limit": 3, "period": "DAY"})
    require_key(portico, api_id, "$connect", "keyed")
    deadline = time.monotonic() + 30
    while True:  # until the redeployed stage refuses a keyless handshake
        try:
            with connect(ws_url(portico, api_id), open_timeout=30):
                pass
        except InvalidStatus as refused:
            assert refused.response.status_code == 403
            assert json.loads(refused.response.body) == {"message": "Forbidden"}
            break
        assert time.monotonic() < deadline, "the apiKeyRequired $connect was not deployed"
        time.sleep(0.05)
    status, body, _ = refusal(ws_url(portico, api_id), {"x-api-key": "not-a-key-0123456789"})
    assert (status, body) == (403, {"message": "Forbidden"})
    # Quota 3 a day: the handshake and two messages, then "Limit Exceeded".
    with connect(ws_url(portico, api_id), additional_headers={"x-api-key": key["value"]}, open_timeout=30) as ws:
        assert answer(ws, "keyed") == {"route": "keyed"}
        assert answer(ws, "keyed") == {"route": "keyed"}
        assert answer(ws, "keyed")["message"] == "Limit Exceeded"
    status, body, _ = refusal(ws_url(portico, api_id), {"x-api-key": key["value"]})
    assert (status, body) == (429, {"message": "Limit Exceeded"})
    # A disabled key is refused from the next handshake on.
    client.update_api_key(apiKey=key["id"], patchOperations=[{"op": "replace", "path": "/enabled", "value": "false"}])
    deadline = time.monotonic() + 30
    while refusal(ws_url(portico, api_id), {"x-api-key": key["value"]})[0] != 403:
        assert time.monotonic() < deadline, "the disabled key was not refused"
        time.sleep(0.05)


def test_usage_plans_take_websocket_stages(portico):
    api_id = make_ws_api(portico, WHOAMI)
    client = portico.client("apigateway")
    with pytest.raises(ClientError) as unknown_stage:
        client.create_usage_plan(name="p", apiStages=[{"apiId": api_id, "stage": "nope"}])
    assert unknown_stage.value.response["Error"]["Code"] == "BadRequestException"
    with pytest.raises(ClientError) as method_throttle:
        client.create_usage_plan(name="p", apiStages=[{"apiId": api_id, "stage": "prod",
                                                       "throttle": {"/pets/GET": {"rateLimit": 1, "burstLimit": 1}}}])
    assert method_throttle.value.response["Error"]["Code"] in ("BadRequestException", "NotFoundException")
    plan = client.create_usage_plan(name="p", apiStages=[{"apiId": api_id, "stage": "prod"}])
    assert plan["apiStages"] == [{"apiId": api_id, "stage": "prod"}]


def test_api_key_from_the_authorizer(portico, function, authorizer_function):
    """apiKeySelectionExpression $context.authorizer.usageIdentifierKey: the key is the authorizer's answer,
    and an x-api-key header does not count."""
    arn, _ = function
    api_id = custom_connect_api(portico, arn, authorizer_function, ["route.request.querystring.token"])
    client = portico.client()
    client.update_api(ApiId=api_id, ApiKeySelectionExpression="$context.authorizer.usageIdentifierKey")
    key = key_in_plan(portico, api_id)
    require_key(portico, api_id, "$connect")
    deadline = time.monotonic() + 30
    while True:  # until the redeployed stage asks for a key
        try:
            with connect(ws_url(portico, api_id, query="?token=good"), open_timeout=30):
                pass
        except InvalidStatus as refused:
            assert refused.response.status_code == 403
            break
        assert time.monotonic() < deadline, "the apiKeyRequired $connect was not deployed"
        time.sleep(0.05)
    status, _, _ = refusal(ws_url(portico, api_id, query="?token=good"), {"x-api-key": key["value"]})
    assert status == 403
    with connect(ws_url(portico, api_id, query=f"?token=good&apikey={key['value']}"), open_timeout=30) as ws:
        ws.send("hello")
        assert json.loads(ws.recv(timeout=30))["route"] == "$default"
