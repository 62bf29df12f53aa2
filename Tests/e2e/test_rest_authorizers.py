"""REST API Lambda authorizers (TOKEN and REQUEST) end to end, against the scripted Invoke server:
management (CreateAuthorizer … DeleteAuthorizer, methods with CUSTOM), then the data plane — allow,
explicit and implicit deny (403), `Unauthorized` (401), missing identity (401, function not
called), the TOKEN validation expression, function errors and malformed policies (500), the
context in the AWS_PROXY event and in mapping templates, result caching by identity and TTL, and
customised gateway responses."""
import json
import time

import pytest
from botocore.exceptions import ClientError

import lambda_helpers
from lambda_helpers import invocation_uri
from rest_dataplane_helpers import MOCK_200, RestApi, call

PROXY = lambda name: {"type": "AWS_PROXY", "integrationHttpMethod": "POST", "uri": invocation_uri(name)}
ACCOUNT = "000000000000"


def policy(principal, effect, resource, context=None):
    answer = {"principalId": principal,
              "policyDocument": {"Version": "2012-10-17",
                                 "Statement": [{"Action": "execute-api:Invoke", "Effect": effect, "Resource": resource}]}}
    if context is not None:
        answer["context"] = context
    return answer


def token_authorizer(event):
    """Decides from the token: `allow-*` allows the method ARN, `deny` denies it, `elsewhere`
    allows another method only, `all` allows every method of every stage."""
    token = event.get("authorizationToken") or event.get("headers", {}).get("Authorization", "")
    arn = event["methodArn"]
    if token.startswith("allow"):
        return policy(f"user-{token}", "Allow", arn, {"tenant": "t1", "level": 3, "admin": True})
    if token == "deny":
        return policy("user-deny", "Deny", arn)
    if token == "elsewhere":
        return policy("user-elsewhere", "Allow", arn.rsplit("/", 2)[0] + "/POST/other")
    if token == "all":
        api_part = arn.split("/", 1)[0]
        return {"principalId": "user-all", "policyDocument": {"Version": "2012-10-17", "Statement": [
            {"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": api_part + "/*"},
            {"Action": "execute-api:Invoke", "Effect": "Deny", "Resource": api_part + "/*/GET/secret"}]}}
    return policy("nobody", "Deny", "*")


@pytest.fixture(scope="module")
def env():
    server, portico = lambda_helpers.start()
    server.scripts["authz"] = token_authorizer
    server.scripts["authzunauth"] = ("error", {"errorMessage": "Unauthorized", "errorType": "Exception"})
    server.scripts["authzboom"] = ("error", {"errorMessage": "boom", "errorType": "RuntimeError"})
    server.scripts["authzbad"] = ("json", {"principalId": "x"})
    server.scripts["authzctx"] = ("json", policy("x", "Allow", "*", {"nested": {"a": 1}}))
    server.scripts["backend"] = ("json", {"statusCode": 200, "body": "backend"})
    yield server, portico
    portico.stop()
    server.stop()


def invocations(server, function):
    with server.lock:
        return [r for r in server.received if r["function"].endswith(":" + function)]


def build(portico, function="authz", ttl=None, type_="TOKEN", identity="method.request.header.Authorization", **extra):
    """An API with `/open` (no auth, for the deploy probe), `/pets/{id}` GET → backend (AWS_PROXY)
    behind the authorizer, and `/secret` GET (MOCK) behind it too."""
    api = RestApi(portico, name="authz")
    kwargs = {"restApiId": api.id, "name": "auth", "type": type_, "authorizerUri": invocation_uri(function), "identitySource": identity}
    if ttl is not None:
        kwargs["authorizerResultTtlInSeconds"] = ttl
    kwargs.update(extra)
    authorizer = api.client.create_authorizer(**kwargs)
    api.method("/pets/{id}", "GET", PROXY("backend"), authorizationType="CUSTOM", authorizerId=authorizer["id"])
    api.method("/secret", "GET", MOCK_200, responses={"200": {"responseTemplates": {"application/json":
               '{"principal":"$context.authorizer.principalId","tenant":"$context.authorizer.tenant"}'}}},
               authorizationType="CUSTOM", authorizerId=authorizer["id"])
    api.method("/open", "GET", MOCK_200, responses={"200": {}})
    api.deploy("test")
    return api, authorizer


# --- management ---------------------------------------------------------------------------------

def test_authorizer_crud(env):
    _, portico = env
    api = RestApi(portico, name="authz-crud")
    client = api.client
    created = client.create_authorizer(restApiId=api.id, name="tok", type="TOKEN", authorizerUri=invocation_uri("authz"),
                                       identitySource="method.request.header.Authorization", identityValidationExpression="^allow.*")
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert created["authorizerResultTtlInSeconds"] == 300
    assert created["type"] == "TOKEN" and created["name"] == "tok" and len(created["id"]) == 6
    got = client.get_authorizer(restApiId=api.id, authorizerId=created["id"])
    assert got["identityValidationExpression"] == "^allow.*"
    assert [a["id"] for a in client.get_authorizers(restApiId=api.id)["items"]] == [created["id"]]
    updated = client.update_authorizer(restApiId=api.id, authorizerId=created["id"], patchOperations=[
        {"op": "replace", "path": "/authorizerResultTtlInSeconds", "value": "0"}, {"op": "replace", "path": "/name", "value": "renamed"}])
    assert updated["authorizerResultTtlInSeconds"] == 0 and updated["name"] == "renamed"
    request = client.create_authorizer(restApiId=api.id, name="req", type="REQUEST", authorizerUri=invocation_uri("authz"),
                                       identitySource="method.request.header.X-Key, method.request.querystring.key, stageVariables.v, context.stage")
    assert request["type"] == "REQUEST"
    client.delete_authorizer(restApiId=api.id, authorizerId=request["id"])
    with pytest.raises(ClientError) as error:
        client.get_authorizer(restApiId=api.id, authorizerId=request["id"])
    assert error.value.response["Error"]["Code"] == "NotFoundException"
    assert error.value.response["Error"]["Message"] == "Invalid Authorizer identifier specified"


def test_authorizer_validation(env):
    _, portico = env
    api = RestApi(portico, name="authz-validation")
    client = api.client
    base = {"restApiId": api.id, "name": "a", "type": "TOKEN", "authorizerUri": invocation_uri("authz"),
            "identitySource": "method.request.header.Authorization"}
    cases = [
        ({"identitySource": "method.request.querystring.token"},
         "Invalid token source expression: method.request.querystring.token. The source must be a method request header, "
         "matching 'method.request.header.[a-zA-Z0-9._-]+'"),
        ({"authorizerResultTtlInSeconds": 3601}, None),
        ({"authorizerResultTtlInSeconds": -1}, None),
        ({"type": "JWT"}, None),
        ({"authorizerUri": "arn:aws:lambda:us-east-1:123456789012:function:authz"}, None),
        ({"type": "REQUEST", "identitySource": "method.request.path.id"}, None),
    ]
    for change, message in cases:
        with pytest.raises(ClientError) as error:
            client.create_authorizer(**{**base, **change})
        assert error.value.response["Error"]["Code"] == "BadRequestException", change
        if message:
            assert error.value.response["Error"]["Message"] == message
    # REQUEST without identity sources is fine once caching is off, refused while it is on.
    client.create_authorizer(**{**base, "type": "REQUEST", "identitySource": "", "authorizerResultTtlInSeconds": 0})
    with pytest.raises(ClientError) as error:
        client.create_authorizer(**{**base, "type": "REQUEST", "identitySource": ""})
    assert error.value.response["Error"]["Code"] == "BadRequestException"
    # AWS_FACTS 7 (recorded): an unknown API is a ConflictException here, a NotFoundException on reads.
    with pytest.raises(ClientError) as error:
        client.create_authorizer(**{**base, "restApiId": "test-fake-rest-id"})
    assert error.value.response["Error"]["Code"] == "ConflictException"
    assert error.value.response["Error"]["Message"] == "Unable to complete operation due to concurrent modification. Please try again later."
    with pytest.raises(ClientError) as error:
        client.get_authorizers(restApiId="test-fake-rest-id")
    assert error.value.response["Error"]["Code"] == "NotFoundException"


def test_methods_need_an_existing_authorizer_and_keep_it_in_use(env):
    _, portico = env
    api = RestApi(portico, name="authz-methods")
    client = api.client
    resource = api.resource("/pets")
    for kwargs in ({}, {"authorizerId": "nope00"}):
        with pytest.raises(ClientError) as error:
            client.put_method(restApiId=api.id, resourceId=resource, httpMethod="GET", authorizationType="CUSTOM", **kwargs)
        assert error.value.response["Error"]["Code"] == "BadRequestException"
        assert error.value.response["Error"]["Message"].startswith("Invalid authorizer ID specified.")
    authorizer = client.create_authorizer(restApiId=api.id, name="a", type="TOKEN", authorizerUri=invocation_uri("authz"),
                                          identitySource="method.request.header.Authorization")
    method = client.put_method(restApiId=api.id, resourceId=resource, httpMethod="GET", authorizationType="CUSTOM",
                               authorizerId=authorizer["id"])
    assert method["authorizerId"] == authorizer["id"]
    client.put_method(restApiId=api.id, resourceId=resource, httpMethod="POST", authorizationType="NONE")
    updated = client.update_method(restApiId=api.id, resourceId=resource, httpMethod="POST", patchOperations=[
        {"op": "replace", "path": "/authorizerId", "value": authorizer["id"]},
        {"op": "replace", "path": "/authorizationType", "value": "CUSTOM"}])
    assert updated["authorizationType"] == "CUSTOM" and updated["authorizerId"] == authorizer["id"]
    with pytest.raises(ClientError) as error:
        client.update_method(restApiId=api.id, resourceId=resource, httpMethod="POST", patchOperations=[
            {"op": "replace", "path": "/authorizerId", "value": "nope00"}])
    assert error.value.response["Error"]["Code"] == "BadRequestException"
    with pytest.raises(ClientError) as error:
        client.delete_authorizer(restApiId=api.id, authorizerId=authorizer["id"])
    assert error.value.response["Error"]["Code"] == "ConflictException"
    client.delete_method(restApiId=api.id, resourceId=resource, httpMethod="GET")
    client.delete_method(restApiId=api.id, resourceId=resource, httpMethod="POST")
    deleted = client.delete_authorizer(restApiId=api.id, authorizerId=authorizer["id"])
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 202


# --- data plane: TOKEN ----------------------------------------------------------------------------

def test_token_allow_passes_principal_and_context_to_the_proxy_event(env):
    server, portico = env
    api, _ = build(portico, ttl=0)
    server.clear()
    response = call(portico, api.id, "/test/pets/7", headers={"Authorization": "allow-ann"})
    assert response.status_code == 200 and response.text == "backend"
    event = invocations(server, "authz")[-1]["event"]
    assert event == {"type": "TOKEN", "authorizationToken": "allow-ann",
                     "methodArn": f"arn:aws:execute-api:us-east-1:{ACCOUNT}:{api.id}/test/GET/pets/7"}
    context = invocations(server, "backend")[-1]["event"]["requestContext"]
    assert list(context)[:3] == ["accountId", "apiId", "authorizer"]
    authorizer = context["authorizer"]
    assert authorizer["principalId"] == "user-allow-ann"
    # REST passes context values on as strings.
    assert authorizer["tenant"] == "t1" and authorizer["level"] == "3" and authorizer["admin"] == "true"
    assert isinstance(authorizer["integrationLatency"], int)


def test_token_context_in_mapping_templates(env):
    _, portico = env
    api, _ = build(portico, ttl=0)
    response = call(portico, api.id, "/test/secret", headers={"Authorization": "allow-bob"})
    assert response.status_code == 200
    assert response.json() == {"principal": "user-allow-bob", "tenant": "t1"}


def test_token_deny_and_no_matching_allow_are_403(env):
    _, portico = env
    api, _ = build(portico, ttl=0)
    denied = call(portico, api.id, "/test/pets/7", headers={"Authorization": "deny"})
    assert denied.status_code == 403
    assert denied.json() == {"Message": "User is not authorized to access this resource with an explicit deny"}
    assert denied.headers["x-amzn-ErrorType"] == "AccessDeniedException"
    elsewhere = call(portico, api.id, "/test/pets/7", headers={"Authorization": "elsewhere"})
    assert elsewhere.status_code == 403
    assert elsewhere.json() == {"Message": "User is not authorized to access this resource"}
    # Wildcard Allow with a more specific explicit Deny: the Deny wins where both match.
    assert call(portico, api.id, "/test/pets/7", headers={"Authorization": "all"}).status_code == 200
    assert call(portico, api.id, "/test/secret", headers={"Authorization": "all"}).status_code == 403


def test_unauthorized_missing_token_and_validation_expression_are_401(env):
    server, portico = env
    api, _ = build(portico, function="authzunauth", ttl=0)
    server.clear()
    response = call(portico, api.id, "/test/pets/7", headers={"Authorization": "anything"})
    assert response.status_code == 401 and response.json() == {"message": "Unauthorized"}
    assert len(invocations(server, "authzunauth")) == 1

    api, _ = build(portico, ttl=0, identityValidationExpression="^allow-[a-z]+$")
    server.clear()
    missing = call(portico, api.id, "/test/pets/7")
    assert missing.status_code == 401 and missing.json() == {"message": "Unauthorized"}
    empty = call(portico, api.id, "/test/pets/7", headers={"Authorization": ""})
    assert empty.status_code == 401
    mismatch = call(portico, api.id, "/test/pets/7", headers={"Authorization": "allow-123"})
    assert mismatch.status_code == 401 and mismatch.json() == {"message": "Unauthorized"}
    assert invocations(server, "authz") == []
    assert call(portico, api.id, "/test/pets/7", headers={"Authorization": "allow-abc"}).status_code == 200
    assert len(invocations(server, "authz")) == 1


@pytest.mark.parametrize("function", ["authzboom", "authzbad", "authzctx", "authzmissing"])
def test_function_errors_and_malformed_policies_are_500(env, function):
    server, portico = env
    api, _ = build(portico, function=function, ttl=0)
    server.clear()
    response = call(portico, api.id, "/test/pets/7", headers={"Authorization": "allow-x"})
    assert response.status_code == 500
    assert response.json() == {"message": None}
    assert response.headers["x-amzn-ErrorType"] == "AuthorizerConfigurationException"
    assert invocations(server, "backend") == []


def test_results_are_cached_by_token_for_the_ttl(env):
    server, portico = env
    api, _ = build(portico)  # default TTL 300
    server.clear()
    for _ in range(3):
        assert call(portico, api.id, "/test/pets/7", headers={"Authorization": "allow-c"}).status_code == 200
    assert len(invocations(server, "authz")) == 1
    # The cached policy is evaluated against each request's own method ARN.
    assert call(portico, api.id, "/test/pets/8", headers={"Authorization": "allow-c"}).status_code == 403
    assert len(invocations(server, "authz")) == 1
    assert call(portico, api.id, "/test/pets/7", headers={"Authorization": "allow-d"}).status_code == 200
    assert len(invocations(server, "authz")) == 2
    # A cached deny stays a deny without a call.
    assert call(portico, api.id, "/test/pets/7", headers={"Authorization": "deny"}).status_code == 403
    assert call(portico, api.id, "/test/pets/7", headers={"Authorization": "deny"}).status_code == 403
    assert len(invocations(server, "authz")) == 3

    api, _ = build(portico, ttl=0)
    server.clear()
    for _ in range(3):
        assert call(portico, api.id, "/test/pets/7", headers={"Authorization": "allow-c"}).status_code == 200
    assert len(invocations(server, "authz")) == 3


def test_cached_results_expire_after_the_ttl(env):
    server, portico = env
    api, _ = build(portico, ttl=1)
    server.clear()
    assert call(portico, api.id, "/test/pets/7", headers={"Authorization": "allow-t"}).status_code == 200
    assert call(portico, api.id, "/test/pets/7", headers={"Authorization": "allow-t"}).status_code == 200
    assert len(invocations(server, "authz")) == 1
    time.sleep(1.2)
    assert call(portico, api.id, "/test/pets/7", headers={"Authorization": "allow-t"}).status_code == 200
    assert len(invocations(server, "authz")) == 2


def test_customised_gateway_responses_apply(env):
    _, portico = env
    api, _ = build(portico, ttl=0)
    api.client.put_gateway_response(restApiId=api.id, responseType="UNAUTHORIZED", statusCode="401",
                                    responseTemplates={"application/json": '{"error":"login","type":"$context.error.responseType"}'},
                                    responseParameters={"gatewayresponse.header.WWW-Authenticate": "'Bearer'"})
    api.client.put_gateway_response(restApiId=api.id, responseType="ACCESS_DENIED", statusCode="403",
                                    responseTemplates={"application/json": '{"denied":$context.error.messageString}'})
    api.deploy("test2")
    missing = call(portico, api.id, "/test2/pets/7")
    assert missing.status_code == 401
    assert missing.json() == {"error": "login", "type": "UNAUTHORIZED"}
    assert missing.headers["WWW-Authenticate"] == "Bearer"
    denied = call(portico, api.id, "/test2/pets/7", headers={"Authorization": "deny"})
    assert denied.json() == {"denied": "User is not authorized to access this resource with an explicit deny"}


# --- data plane: REQUEST --------------------------------------------------------------------------

def test_request_authorizer_event_identity_and_cache(env):
    server, portico = env
    identity = "method.request.header.Authorization, method.request.querystring.key"
    api, _ = build(portico, type_="REQUEST", identity=identity)
    server.clear()
    missing = call(portico, api.id, "/test/pets/7", headers={"Authorization": "allow-r"})
    assert missing.status_code == 401 and missing.json() == {"message": "Unauthorized"}
    assert invocations(server, "authz") == []
    response = call(portico, api.id, "/test/pets/7?key=k1", headers={"Authorization": "allow-r"})
    assert response.status_code == 200
    event = invocations(server, "authz")[-1]["event"]
    assert list(event)[:2] == ["type", "methodArn"]
    assert event["type"] == "REQUEST"
    assert event["methodArn"] == f"arn:aws:execute-api:us-east-1:{ACCOUNT}:{api.id}/test/GET/pets/7"
    assert event["resource"] == "/pets/{id}" and event["path"] == "/pets/7" and event["httpMethod"] == "GET"
    assert event["headers"]["Authorization"] == "allow-r"
    assert event["queryStringParameters"] == {"key": "k1"}
    assert event["multiValueQueryStringParameters"] == {"key": ["k1"]}
    assert event["pathParameters"] == {"id": "7"}
    assert event["requestContext"]["resourcePath"] == "/pets/{id}" and "body" not in event
    assert call(portico, api.id, "/test/pets/7?key=k1", headers={"Authorization": "allow-r"}).status_code == 200
    assert len(invocations(server, "authz")) == 1
    assert call(portico, api.id, "/test/pets/7?key=k2", headers={"Authorization": "allow-r"}).status_code == 200
    assert len(invocations(server, "authz")) == 2


# --- export ------------------------------------------------------------------------------------

def test_export_writes_authorizer_schemes_and_operation_security(env):
    _, portico = env
    api, authorizer = build(portico, ttl=60, identityValidationExpression="^allow-.*$")
    body = api.client.get_export(restApiId=api.id, stageName="test", exportType="oas30",
                                 parameters={"extensions": "authorizers"}, accepts="application/json")["body"].read()
    document = json.loads(body)
    scheme = document["components"]["securitySchemes"]["auth"]
    assert scheme["type"] == "apiKey" and scheme["name"] == "Authorization" and scheme["in"] == "header"
    assert scheme["x-amazon-apigateway-authtype"] == "custom"
    assert scheme["x-amazon-apigateway-authorizer"] == {
        "type": "token", "authorizerUri": invocation_uri("authz"), "identitySource": "method.request.header.Authorization",
        "identityValidationExpression": "^allow-.*$", "authorizerResultTtlInSeconds": 60}
    assert document["paths"]["/pets/{id}"]["get"]["security"] == [{"auth": []}]
    assert "security" not in document["paths"]["/open"]["get"]


# --- import ------------------------------------------------------------------------------------

def test_imported_authorizers_protect_their_methods(env):
    server, portico = env
    client = portico.client("apigateway")
    definition = {
        "openapi": "3.0.1", "info": {"title": "authz-import", "version": "1"},
        "components": {"securitySchemes": {"tok": {
            "type": "apiKey", "name": "X-Token", "in": "header", "x-amazon-apigateway-authtype": "custom",
            "x-amazon-apigateway-authorizer": {"type": "token", "authorizerUri": invocation_uri("authz"),
                                               "authorizerResultTtlInSeconds": 0}}}},
        "paths": {
            "/pets/{id}": {"get": {"security": [{"tok": []}], "x-amazon-apigateway-integration": {
                "type": "aws_proxy", "httpMethod": "POST", "uri": invocation_uri("backend")}}},
            "/open": {"get": {"responses": {"200": {"description": "ok"}}, "x-amazon-apigateway-integration": {
                "type": "mock", "requestTemplates": {"application/json": '{"statusCode": 200}'},
                "responses": {"default": {"statusCode": "200"}}}}},
        },
    }
    api_id = client.import_rest_api(body=json.dumps(definition))["id"]
    [authorizer] = client.get_authorizers(restApiId=api_id)["items"]
    assert authorizer["name"] == "tok" and authorizer["identitySource"] == "method.request.header.X-Token"
    client.create_deployment(restApiId=api_id, stageName="test")
    deadline = time.monotonic() + 10
    while call(portico, api_id, "/test/open").status_code != 200:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    server.clear()
    assert call(portico, api_id, "/test/pets/1").status_code == 401
    assert call(portico, api_id, "/test/pets/1", headers={"X-Token": "allow-i"}).status_code == 200
    assert invocations(server, "authz")[-1]["event"]["authorizationToken"] == "allow-i"


def test_access_log_authorizer_variables(env, tmp_path):
    """`$context.authorizer.*` in a REST stage's access log (AWS's "Variables for access logging")."""
    from rest_dataplane_helpers import wait_for
    server, portico = env
    server.clear()
    api, _ = build(portico)  # TTL 300: the second allow-l call is answered from the cache
    log = tmp_path / "rest-authorizer-access.log"
    fmt = ('{"requestId":"$context.requestId","status":"$context.status","authStatus":"$context.authorizer.status",'
           '"principal":"$context.authorizer.principalId","tenant":"$context.authorizer.tenant","level":"$context.authorizer.level",'
           '"admin":"$context.authorizer.admin","error":"$context.authorizer.error","latency":"$context.authorizer.latency",'
           '"integrationLatency":"$context.authorizer.integrationLatency","integrationStatus":"$context.authorizer.integrationStatus",'
           '"authorizerRequestId":"$context.authorizer.requestId","integrationRequestId":"$context.integration.requestId"}')
    api.client.update_stage(restApiId=api.id, stageName="test", patchOperations=[
        {"op": "replace", "path": "/accessLogSettings/destinationArn", "value": f"file:{log}"},
        {"op": "replace", "path": "/accessLogSettings/format", "value": fmt}])

    def read():
        return {entry["requestId"]: entry for entry in (json.loads(line) for line in log.read_text().splitlines())} if log.exists() else {}

    wait_for(lambda: call(portico, api.id, "/test/open") and read())
    calls = [("/test/pets/7", "allow-l"), ("/test/pets/7", "allow-l"), ("/test/pets/7", "deny"), ("/test/pets/7", None)]
    ids = [call(portico, api.id, path, headers={"Authorization": token} if token else {}).headers["x-amzn-RequestId"]
           for path, token in calls]
    wait_for(lambda: all(i in read() for i in ids))
    allowed, cached, denied, missing = (read()[i] for i in ids)
    assert allowed["status"] == "200" and allowed["authStatus"] == "200" and allowed["principal"] == "user-allow-l"
    assert (allowed["tenant"], allowed["level"], allowed["admin"]) == ("t1", "3", "true")
    assert allowed["error"] == "-" and allowed["latency"].isdigit()
    assert allowed["integrationLatency"].isdigit() and allowed["integrationStatus"] == "200"
    # The authorizer function invocation's request id, as the Invoke endpoint answered it.
    assert allowed["authorizerRequestId"] == invocations(server, "authz")[0]["request_id"]
    # And the AWS_PROXY backend invocation's own id as `$context.integration.requestId`.
    assert allowed["integrationRequestId"] == invocations(server, "backend")[0]["request_id"]
    assert allowed["integrationRequestId"] != allowed["authorizerRequestId"]
    assert cached["authorizerRequestId"] == "-"
    assert cached["authStatus"] == "200" and cached["principal"] == "user-allow-l" and cached["integrationStatus"] == "-"
    assert denied["status"] == "403" and denied["authStatus"] == "403" and denied["principal"] == "user-deny"
    assert denied["error"] == "User is not authorized to access this resource with an explicit deny"
    assert missing["status"] == "401" and missing["authStatus"] == "401" and missing["principal"] == "-"
