"""HTTP API Lambda (REQUEST) authorizers end to end against the scripted Invoke server: management
(apigatewayv2 CreateAuthorizer … DeleteAuthorizer, routes with CUSTOM), payload 2.0 with simple
responses and with IAM policies, payload 1.0, missing identity (401, not called), denials (403),
failures (500), the context in the integration's event, and caching by identity source."""
import json
import time

import pytest
import requests
from botocore.exceptions import ClientError

import lambda_helpers
from dataplane_helpers import wait_until_served
from lambda_helpers import function_arn, invocation_uri

ACCOUNT = "000000000000"


def simple(event):
    """`allow-*` tokens are authorized (with context), anything else is not."""
    token = (event.get("identitySource") or [""])[0]
    return {"isAuthorized": token.startswith("allow"), "context": {"user": token, "n": 1}}


def iam(event):
    arn = event.get("routeArn") or event.get("methodArn")
    token = event["headers"].get("authorization") or event["headers"].get("Authorization") or ""
    effect = "Allow" if token.startswith("allow") else "Deny"
    return {"principalId": f"p-{token}", "context": {"user": token},
            "policyDocument": {"Version": "2012-10-17", "Statement": [{"Action": "execute-api:Invoke", "Effect": effect, "Resource": arn}]}}


@pytest.fixture(scope="module")
def env():
    server, portico = lambda_helpers.start()
    server.scripts["hsimple"] = simple
    server.scripts["hiam"] = iam
    server.scripts["hboom"] = ("error", {"errorMessage": "boom"})
    server.scripts["hbad"] = ("json", {"authorized": True})
    server.scripts["hbackend"] = ("json", {"statusCode": 200, "body": "backend"})
    yield server, portico
    portico.stop()
    server.stop()


def invocations(server, function):
    with server.lock:
        return [r for r in server.received if r["function"].endswith(":" + function)]


def build(portico, function, version="2.0", simple_responses=True, ttl=0, identity=("$request.header.Authorization",),
          integration_version="2.0"):
    client = portico.client()
    api_id = client.create_api(Name="http-authz", ProtocolType="HTTP")["ApiId"]
    kwargs = {"ApiId": api_id, "AuthorizerType": "REQUEST", "Name": "lambda-auth", "AuthorizerUri": invocation_uri(function),
              "AuthorizerPayloadFormatVersion": version, "AuthorizerResultTtlInSeconds": ttl, "IdentitySource": list(identity)}
    if version == "2.0":
        kwargs["EnableSimpleResponses"] = simple_responses
    authorizer = client.create_authorizer(**kwargs)
    uri = function_arn("hbackend") if integration_version == "2.0" else invocation_uri("hbackend")
    integration = client.create_integration(ApiId=api_id, IntegrationType="AWS_PROXY", IntegrationUri=uri,
                                            PayloadFormatVersion=integration_version)["IntegrationId"]
    client.create_route(ApiId=api_id, RouteKey="GET /pets/{id}", Target=f"integrations/{integration}",
                        AuthorizationType="CUSTOM", AuthorizerId=authorizer["AuthorizerId"])
    client.create_route(ApiId=api_id, RouteKey="GET /open", Target=f"integrations/{integration}")
    client.create_stage(ApiId=api_id, StageName="$default", AutoDeploy=True)
    wait_until_served(portico, api_id, "$default")
    return api_id, authorizer


def get(portico, api_id, path, **headers):
    return requests.get(f"{portico.data_url}{path}", headers={"Host": f"{api_id}.execute-api.localhost", **headers}, timeout=30)


def test_management_crud_and_routes(env):
    _, portico = env
    client = portico.client()
    api_id = client.create_api(Name="http-authz-crud", ProtocolType="HTTP")["ApiId"]
    created = client.create_authorizer(ApiId=api_id, AuthorizerType="REQUEST", Name="a", AuthorizerUri=invocation_uri("hsimple"),
                                       AuthorizerPayloadFormatVersion="2.0", EnableSimpleResponses=True,
                                       IdentitySource=["$request.header.Authorization"], AuthorizerResultTtlInSeconds=60)
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert created["AuthorizerType"] == "REQUEST" and created["EnableSimpleResponses"] is True
    assert client.get_authorizer(ApiId=api_id, AuthorizerId=created["AuthorizerId"])["Name"] == "a"
    assert [a["AuthorizerId"] for a in client.get_authorizers(ApiId=api_id)["Items"]] == [created["AuthorizerId"]]
    updated = client.update_authorizer(ApiId=api_id, AuthorizerId=created["AuthorizerId"], Name="b", AuthorizerResultTtlInSeconds=0)
    assert updated["Name"] == "b" and updated["AuthorizerResultTtlInSeconds"] == 0
    for kwargs in ({"AuthorizerPayloadFormatVersion": "1.0", "EnableSimpleResponses": True},
                   {"AuthorizerResultTtlInSeconds": 60, "IdentitySource": []},
                   {"IdentitySource": ["method.request.header.Authorization"]},
                   {"AuthorizerType": "JWT"}):
        base = {"ApiId": api_id, "AuthorizerType": "REQUEST", "Name": "x", "AuthorizerUri": invocation_uri("hsimple"),
                "AuthorizerPayloadFormatVersion": "2.0", "IdentitySource": ["$request.header.Authorization"]}
        with pytest.raises(ClientError) as error:
            client.create_authorizer(**{**base, **kwargs})
        assert error.value.response["Error"]["Code"] == "BadRequestException", kwargs
    with pytest.raises(ClientError) as error:
        client.create_route(ApiId=api_id, RouteKey="GET /x", AuthorizationType="CUSTOM", AuthorizerId="nope00")
    assert error.value.response["Error"]["Code"] == "NotFoundException"
    route = client.create_route(ApiId=api_id, RouteKey="GET /x", AuthorizationType="CUSTOM", AuthorizerId=created["AuthorizerId"])
    with pytest.raises(ClientError) as error:
        client.delete_authorizer(ApiId=api_id, AuthorizerId=created["AuthorizerId"])
    assert error.value.response["Error"]["Code"] == "ConflictException"
    client.delete_route(ApiId=api_id, RouteId=route["RouteId"])
    client.delete_authorizer(ApiId=api_id, AuthorizerId=created["AuthorizerId"])
    with pytest.raises(ClientError) as error:
        client.get_authorizer(ApiId=api_id, AuthorizerId=created["AuthorizerId"])
    assert error.value.response["Error"]["Code"] == "NotFoundException"


def test_simple_responses_allow_deny_and_missing_identity(env):
    server, portico = env
    api_id, _ = build(portico, "hsimple")
    server.clear()
    missing = get(portico, api_id, "/pets/7")
    assert missing.status_code == 401 and missing.json() == {"message": "Unauthorized"}
    assert invocations(server, "hsimple") == []
    denied = get(portico, api_id, "/pets/7", Authorization="nope")
    assert denied.status_code == 403 and denied.json() == {"message": "Forbidden"}
    allowed = get(portico, api_id, "/pets/7", Authorization="allow-ann")
    assert allowed.status_code == 200 and allowed.text == "backend"
    event = invocations(server, "hsimple")[-1]["event"]
    assert event["version"] == "2.0" and event["type"] == "REQUEST"
    assert event["routeArn"] == f"arn:aws:execute-api:us-east-1:{ACCOUNT}:{api_id}/$default/GET/pets/7"
    assert event["identitySource"] == ["allow-ann"]
    assert event["routeKey"] == "GET /pets/{id}" and event["rawPath"] == "/pets/7"
    assert event["pathParameters"] == {"id": "7"} and "body" not in event
    backend = invocations(server, "hbackend")[-1]["event"]
    assert backend["requestContext"]["authorizer"] == {"lambda": {"user": "allow-ann", "n": 1}}
    assert get(portico, api_id, "/open").status_code == 200


def test_iam_policies_payload_2_and_1(env):
    server, portico = env
    api_id, _ = build(portico, "hiam", simple_responses=False)
    assert get(portico, api_id, "/pets/7", Authorization="allow-x").status_code == 200
    assert get(portico, api_id, "/pets/7", Authorization="deny").status_code == 403
    api_id, _ = build(portico, "hiam", version="1.0", integration_version="1.0")
    server.clear()
    assert get(portico, api_id, "/pets/7", Authorization="allow-y").status_code == 200
    event = invocations(server, "hiam")[-1]["event"]
    assert event["type"] == "REQUEST" and event["version"] == "1.0"
    assert event["methodArn"] == f"arn:aws:execute-api:us-east-1:{ACCOUNT}:{api_id}/$default/GET/pets/7"
    assert event["identitySource"] == "allow-y" and event["authorizationToken"] == "allow-y"
    authorizer = invocations(server, "hbackend")[-1]["event"]["requestContext"]["authorizer"]
    assert authorizer["principalId"] == "p-allow-y" and authorizer["user"] == "allow-y"
    assert get(portico, api_id, "/pets/7", Authorization="deny").status_code == 403


@pytest.mark.parametrize("function", ["hboom", "hbad", "hmissing"])
def test_failures_are_500(env, function):
    server, portico = env
    api_id, _ = build(portico, function)
    server.clear()
    response = get(portico, api_id, "/pets/7", Authorization="allow")
    assert response.status_code == 500 and response.json() == {"message": "Internal Server Error"}
    assert invocations(server, "hbackend") == []


def test_results_are_cached_by_identity(env):
    server, portico = env
    api_id, _ = build(portico, "hsimple", ttl=300, identity=("$request.header.Authorization", "$request.querystring.k"))
    server.clear()
    assert get(portico, api_id, "/pets/7", Authorization="allow-c").status_code == 401
    for _ in range(3):
        assert get(portico, api_id, "/pets/7?k=1", Authorization="allow-c").status_code == 200
    assert len(invocations(server, "hsimple")) == 1
    assert get(portico, api_id, "/pets/7?k=2", Authorization="allow-c").status_code == 200
    assert len(invocations(server, "hsimple")) == 2
    api_id, _ = build(portico, "hsimple", ttl=0)
    server.clear()
    for _ in range(2):
        assert get(portico, api_id, "/pets/7", Authorization="allow-c").status_code == 200
    assert len(invocations(server, "hsimple")) == 2


def test_imported_lambda_authorizers_protect_their_routes(env):
    server, portico = env
    client = portico.client()
    definition = {
        "openapi": "3.0.1", "info": {"title": "http-authz-import", "version": "1"},
        "components": {"securitySchemes": {"lambda": {
            "type": "apiKey", "name": "Authorization", "in": "header",
            "x-amazon-apigateway-authorizer": {"type": "request", "authorizerUri": invocation_uri("hsimple"),
                                               "authorizerPayloadFormatVersion": "2.0", "enableSimpleResponses": True,
                                               "identitySource": "$request.header.Authorization"}}}},
        "paths": {
            "/pets/{id}": {"get": {"security": [{"lambda": []}], "x-amazon-apigateway-integration": {
                "type": "aws_proxy", "uri": function_arn("hbackend"), "payloadFormatVersion": "2.0", "httpMethod": "POST"}}},
            "/open": {"get": {"x-amazon-apigateway-integration": {
                "type": "aws_proxy", "uri": function_arn("hbackend"), "payloadFormatVersion": "2.0", "httpMethod": "POST"}}},
        },
    }

    api_id = client.import_api(Body=json.dumps(definition))["ApiId"]
    [authorizer] = client.get_authorizers(ApiId=api_id)["Items"]
    assert authorizer["Name"] == "lambda" and authorizer["IdentitySource"] == ["$request.header.Authorization"]
    routes = {r["RouteKey"]: r for r in client.get_routes(ApiId=api_id)["Items"]}
    assert routes["GET /pets/{id}"]["AuthorizationType"] == "CUSTOM"
    assert routes["GET /pets/{id}"]["AuthorizerId"] == authorizer["AuthorizerId"]
    client.create_stage(ApiId=api_id, StageName="$default", AutoDeploy=True)
    client.create_deployment(ApiId=api_id, StageName="$default")
    deadline = time.monotonic() + 10
    while get(portico, api_id, "/open").status_code != 200:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    assert get(portico, api_id, "/pets/1").status_code == 401
    assert get(portico, api_id, "/pets/1", Authorization="nope").status_code == 403
    assert get(portico, api_id, "/pets/1", Authorization="allow-i").status_code == 200

    exported = json.loads(client.export_api(ApiId=api_id, Specification="OAS30", OutputType="JSON")["body"].read())
    scheme = exported["components"]["securitySchemes"]["lambda"]
    assert scheme["x-amazon-apigateway-authorizer"]["type"] == "request"
    assert scheme["x-amazon-apigateway-authorizer"]["identitySource"] == "$request.header.Authorization"
    assert exported["paths"]["/pets/{id}"]["get"]["security"] == [{"lambda": []}]
    assert "security" not in exported["paths"]["/open"]["get"]
    # The export imports back to the same protection.
    again = client.import_api(Body=json.dumps(exported))["ApiId"]
    [route] = [r for r in client.get_routes(ApiId=again)["Items"] if r["RouteKey"] == "GET /pets/{id}"]
    assert route["AuthorizationType"] == "CUSTOM"


AUTHORIZER_LOG_FORMAT = ('{"requestId":"$context.requestId","status":"$context.status","authStatus":"$context.authorizer.status",'
                         '"principal":"$context.authorizer.principalId","user":"$context.authorizer.user","n":"$context.authorizer.n",'
                         '"error":"$context.authorizer.error","latency":"$context.authorizer.latency",'
                         '"integrationLatency":"$context.authorizer.integrationLatency",'
                         '"integrationStatus":"$context.authorizer.integrationStatus"}')


def authorizer_log_lines(portico, api_id, log, calls):
    """Sends `calls` (path, Authorization or None) through `$default`, access-logged to the file
    `log`, and returns each call's access-log line, in order."""
    portico.client().update_stage(ApiId=api_id, StageName="$default",
                                  AccessLogSettings={"DestinationArn": f"file:{log}", "Format": AUTHORIZER_LOG_FORMAT})

    def read():
        return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []

    deadline = time.monotonic() + 10
    while not read() and time.monotonic() < deadline:
        get(portico, api_id, "/open")
        time.sleep(0.05)
    assert read(), "the stage's access log was never written"
    ids = []
    for path, token in calls:
        headers = {"Authorization": token} if token is not None else {}
        ids.append(get(portico, api_id, path, **headers).headers["apigw-requestid"])
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        by_id = {entry["requestId"]: entry for entry in read()}
        if all(i in by_id for i in ids):
            return [by_id[i] for i in ids]
        time.sleep(0.05)
    raise AssertionError("access-log lines are missing")


def test_access_log_authorizer_variables(env, tmp_path):
    _, portico = env
    api_id, _ = build(portico, "hsimple", ttl=300)
    allowed, cached, denied, missing, unprotected = authorizer_log_lines(
        portico, api_id, tmp_path / "simple.log", [("/pets/1", "allow-log"), ("/pets/2", "allow-log"), ("/pets/3", "nope"), ("/pets/4", None), ("/open", None)])
    assert allowed["status"] == "200" and allowed["authStatus"] == "200"
    assert allowed["user"] == "allow-log" and allowed["n"] == "1" and allowed["error"] == "-"
    assert allowed["latency"].isdigit() and allowed["integrationLatency"].isdigit() and allowed["integrationStatus"] == "200"
    # The second call is answered from the cache: no invocation of the authorizer function.
    assert cached["authStatus"] == "200" and cached["user"] == "allow-log" and cached["latency"].isdigit()
    assert cached["integrationLatency"] == "-" and cached["integrationStatus"] == "-"
    assert denied["status"] == "403" and denied["authStatus"] == "403" and "isAuthorized" in denied["error"]
    assert missing["status"] == "401" and missing["authStatus"] == "401" and missing["integrationStatus"] == "-"
    assert unprotected["authStatus"] == "-" and unprotected["user"] == "-"


def test_access_log_authorizer_policy_and_failure(env, tmp_path):
    _, portico = env
    api_id, _ = build(portico, "hiam", simple_responses=False)
    allowed, denied = authorizer_log_lines(portico, api_id, tmp_path / "iam.log", [("/pets/1", "allow-p"), ("/pets/2", "deny")])
    assert allowed["principal"] == "p-allow-p" and allowed["user"] == "allow-p" and allowed["authStatus"] == "200"
    assert denied["principal"] == "p-deny" and denied["authStatus"] == "403" and denied["user"] == "-"
    api_id, _ = build(portico, "hboom")
    (failed,) = authorizer_log_lines(portico, api_id, tmp_path / "failed.log", [("/pets/1", "allow")])
    assert failed["status"] == "500" and failed["authStatus"] == "500" and "boom" in failed["error"]
    assert failed["integrationStatus"] == "200"
