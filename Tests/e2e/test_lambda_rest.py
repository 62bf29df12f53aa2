"""REST API Lambda integrations against a remote Invoke API: `AWS_PROXY` (payload 1.0, exactly
AWS_FACTS facts 2–4) and the non-proxy `AWS` integration (templates, selectionPattern over
`errorMessage`), every outcome mapping (L4), and a remote that refuses a bad signature."""
import base64
import re

import pytest

import lambda_helpers
from lambda_helpers import invocation_uri
from rest_dataplane_helpers import RestApi, call

TIME_RE = re.compile(r"^\d{2}/[A-Z][a-z]{2}/\d{4}:\d{2}:\d{2}:\d{2} \+0000$")
PROXY = lambda name, **extra: {"type": "AWS_PROXY", "integrationHttpMethod": "POST", "uri": invocation_uri(name), **extra}


@pytest.fixture(scope="module")
def env():
    server, portico = lambda_helpers.start()
    yield server, portico
    portico.stop()
    server.stop()


def test_proxy_event_is_facts_2_and_3(env):
    server, portico = env
    server.scripts["restecho"] = ("json", {"statusCode": 200, "body": "ok"})
    api = RestApi(portico, name="lambda-proxy")
    api.method("/{proxy+}", "ANY", PROXY("restecho"))
    deployment = api.deploy("stage")
    server.clear()
    response = call(portico, api.id, "/stage/proxy-value?urlparam=test", headers={"tEsT-HEADeR": "aValUE", "User-Agent": "python-requests/testing"})
    assert response.status_code == 200 and response.text == "ok"
    record = server.last("restecho")
    assert record["signature_ok"] is True
    event = record["event"]
    assert list(event) == ["resource", "path", "httpMethod", "headers", "multiValueHeaders", "queryStringParameters",
                           "multiValueQueryStringParameters", "pathParameters", "stageVariables", "requestContext", "body",
                           "isBase64Encoded"]
    assert event["resource"] == "/{proxy+}"
    assert event["path"] == "/proxy-value"
    assert event["httpMethod"] == "GET"
    assert event["headers"]["tEsT-HEADeR"] == "aValUE"
    assert event["multiValueHeaders"]["tEsT-HEADeR"] == ["aValUE"]
    assert event["headers"]["User-Agent"] == "python-requests/testing"
    assert event["headers"]["X-Forwarded-For"] == "127.0.0.1" and event["headers"]["X-Forwarded-Proto"] == "http"
    assert event["headers"]["X-Amzn-Trace-Id"] == response.headers["X-Amzn-Trace-Id"]
    assert event["queryStringParameters"] == {"urlparam": "test"}
    assert event["multiValueQueryStringParameters"] == {"urlparam": ["test"]}
    assert event["pathParameters"] == {"proxy": "proxy-value"}
    assert event["stageVariables"] is None
    assert event["body"] is None
    assert event["isBase64Encoded"] is False
    context = event["requestContext"]
    assert list(context) == ["accountId", "apiId", "deploymentId", "domainName", "domainPrefix", "extendedRequestId", "httpMethod",
                             "identity", "path", "protocol", "requestId", "requestTime", "requestTimeEpoch", "resourceId",
                             "resourcePath", "stage"]
    assert context["accountId"] == "000000000000"
    assert context["apiId"] == api.id
    assert context["deploymentId"] == deployment
    assert context["domainName"] == f"{api.id}.execute-api.localhost"
    assert context["domainPrefix"] == api.id
    assert context["extendedRequestId"] == response.headers["x-amz-apigw-id"]
    assert context["httpMethod"] == "GET"
    assert context["identity"] == {
        "accessKey": None, "accountId": None, "caller": None, "cognitoAuthenticationProvider": None, "cognitoAuthenticationType": None,
        "cognitoIdentityId": None, "cognitoIdentityPoolId": None, "principalOrgId": None, "sourceIp": "127.0.0.1", "user": None,
        "userAgent": "python-requests/testing", "userArn": None}
    assert context["path"] == "/stage/proxy-value"
    assert context["protocol"] == "HTTP/1.1"
    assert context["requestId"] == response.headers["x-amzn-RequestId"]
    assert TIME_RE.match(context["requestTime"]) and isinstance(context["requestTimeEpoch"], int)
    assert context["resourceId"] == api.resources["/{proxy+}"]
    assert context["resourcePath"] == "/{proxy+}"
    assert context["stage"] == "stage"

    # Fact 3: a trailing slash stays in `path` but not in the proxy parameter; repeated query
    # names: last value wins in the single-value map.
    call(portico, api.id, "/stage/proxy-value/?category=electronics&category=books&price=10&price=20&price=30")
    event = server.last("restecho")["event"]
    assert event["path"] == "/proxy-value/"
    assert event["pathParameters"] == {"proxy": "proxy-value"}
    assert event["requestContext"]["path"] == "/stage/proxy-value/"
    assert event["queryStringParameters"] == {"category": "books", "price": "30"}
    assert event["multiValueQueryStringParameters"] == {"category": ["electronics", "books"], "price": ["10", "20", "30"]}
    call(portico, api.id, "/stage/proxy-value//double-slash")
    assert server.last("restecho")["event"]["path"] == "/proxy-value//double-slash"
    assert server.last("restecho")["event"]["pathParameters"] == {"proxy": "proxy-value//double-slash"}
    # `%2B` stays encoded and `+` stays `+` in `path`.
    call(portico, api.id, "/stage/proxy-value/api/user/test%2Balias@gmail.com/plus/test+alias@gmail.com")
    event = server.last("restecho")["event"]
    assert event["path"] == "/proxy-value/api/user/test%2Balias@gmail.com/plus/test+alias@gmail.com"
    assert event["pathParameters"] == {"proxy": "proxy-value/api/user/test%2Balias@gmail.com/plus/test+alias@gmail.com"}


def test_proxy_bodies_and_stage_variables(env):
    server, portico = env
    server.scripts["restbody"] = ("json", {"statusCode": 200})
    api = RestApi(portico, name="lambda-body", binaryMediaTypes=["image/png"])
    api.method("/upload", "POST", PROXY("restbody"))
    api.deploy("prod", variables={"v": "1"})
    call(portico, api.id, "/prod/upload", method="POST", data='{"a":1}', headers={"Content-Type": "application/json"})
    event = server.last("restbody")["event"]
    assert event["body"] == '{"a":1}' and event["isBase64Encoded"] is False
    assert event["stageVariables"] == {"v": "1"}
    png = b"\x89PNG\r\n\x1a\n\x00\xff"
    call(portico, api.id, "/prod/upload", method="POST", data=png, headers={"Content-Type": "image/png"})
    event = server.last("restbody")["event"]
    assert event["isBase64Encoded"] is True and base64.b64decode(event["body"]) == png
    # A base64 result is decoded when the client accepts one of the binary media types, and sent
    # as its base64 text otherwise (fact 4).
    server.scripts["restbody"] = ("json", {"statusCode": 200, "body": base64.b64encode(png).decode(), "isBase64Encoded": True,
                                           "headers": {"Content-Type": "image/png"}})
    response = call(portico, api.id, "/prod/upload", method="POST", headers={"Accept": "image/png"})
    assert response.status_code == 200 and response.content == png
    server.scripts["restbody"] = ("json", {"statusCode": 200, "body": base64.b64encode(png).decode(), "isBase64Encoded": True})
    response = call(portico, api.id, "/prod/upload", method="POST", headers={"Accept": "application/json"})
    assert response.content == base64.b64encode(png)


# AWS_FACTS fact 4, row by row.
FACT_4 = [
    ({"statusCode": 200}, 200, b"", {"Content-Type": "application/json"}),
    ({"statusCode": 200, "wrongValue": "value"}, 502, None, {}),
    ({}, 502, None, {}),
    ("justAString", 502, None, {}),
    ({"statusCode": "test"}, 502, None, {}),
    ({"statusCode": "201"}, 201, b"", {}),
    ({"headers": {"test-header": "value"}}, 200, b"", {"test-header": "value"}),
    ({"statusCode": 200, "headers": {"header-bool": True}}, 200, b"", {"header-bool": "true"}),
    ({"statusCode": 200, "multiValueHeaders": {"test-multi": ["value1", "value2"]}}, 200, b"", {"test-multi": "value1, value2"}),
    ({"statusCode": 200, "multiValueHeaders": {"test-multi": ["value-multi"]}, "headers": {"test-multi": "value-solo"}}, 200, b"",
     {"test-multi": "value-multi, value-solo"}),
    ({"statusCode": 200, "multiValueHeaders": {"x": "value1"}}, 502, None, {}),
    ({"statusCode": 200, "body": base64.b64encode(b"test-data").decode(), "isBase64Encoded": True}, 200, b"dGVzdC1kYXRh", {}),
]


def test_proxy_response_validation_fact_4(env):
    server, portico = env
    api = RestApi(portico, name="lambda-fact4")
    for index, (result, _, _, _) in enumerate(FACT_4):
        server.scripts[f"fact4n{index}"] = ("json", result)
        api.method(f"/r{index}", "GET", PROXY(f"fact4n{index}"))
    api.deploy("test")
    for index, (_, status, body, headers) in enumerate(FACT_4):
        response = call(portico, api.id, f"/test/r{index}")
        assert response.status_code == status, (index, response.text)
        if status == 502:
            assert response.json() == {"message": "Internal server error"}
        else:
            assert response.content == body
        for name, value in headers.items():
            assert response.headers[name] == value, (index, name)


@pytest.mark.parametrize("script,status,message", [
    (("error", {"errorMessage": "boom", "errorType": "ValueError"}), 502, "Internal server error"),
    (("rie_error", {"errorMessage": "boom", "errorType": "ValueError"}), 502, "Internal server error"),
    (("service", 429, "TooManyRequestsException", "Rate Exceeded."), 500, "Internal server error"),
    (None, 500, "Internal server error"),
    (("slow", 2.0, {"statusCode": 200}), 504, "Endpoint request timed out"),
])
def test_proxy_outcomes(env, script, status, message):
    server, portico = env
    name = f"restoutcome{status}{script[0] if script else 'missing'}".replace("_", "")
    if script:
        server.scripts[name] = script
    api = RestApi(portico, name="lambda-outcome")
    api.method("/x", "GET", PROXY(name, timeoutInMillis=1000))
    api.deploy("test")
    response = call(portico, api.id, "/test/x")
    assert response.status_code == status
    assert response.json() == {"message": message}


def test_aws_integration_templates_and_selection_patterns(env):
    server, portico = env

    def handler(event):
        if event.get("name") == "bad":
            return None
        return {"greeting": f"hello {event['name']}", "sum": event["body"]["a"] + 1}

    server.scripts["custom"] = handler
    server.scripts["customfail"] = ("error", {"errorMessage": "Bad input: name", "errorType": "ValueError"})
    server.scripts["customother"] = ("error", {"errorMessage": "Something else", "errorType": "RuntimeError"})
    request_template = '{"name": "$input.params(\'name\')", "body": $input.json(\'$\')}'
    responses = {
        "200": {"selectionPattern": "", "responseTemplates": {"application/json": '{"said": "$input.path(\'$.greeting\')", "sum": "$input.path(\'$.sum\')", "raw": $input.json(\'$\')}'}},
        "400": {"selectionPattern": "Bad input.*", "responseTemplates": {"application/json": '{"problem": "$input.path(\'$.errorMessage\')"}'}},
    }
    api = RestApi(portico, name="lambda-custom")
    for path, function in (("/ok", "custom"), ("/fail", "customfail"), ("/other", "customother")):
        api.method(path, "POST", {"type": "AWS", "integrationHttpMethod": "POST", "uri": invocation_uri(function),
                                  "requestTemplates": {"application/json": request_template}}, responses=responses)
    api.deploy("test")
    server.clear()
    response = call(portico, api.id, "/test/ok?name=ann", method="POST", json={"a": 41})
    assert response.status_code == 200
    assert response.json() == {"said": "hello ann", "sum": "42", "raw": {"greeting": "hello ann", "sum": 42}}
    assert server.last("custom")["event"] == {"name": "ann", "body": {"a": 41}}
    response = call(portico, api.id, "/test/fail?name=bad", method="POST", json={"a": 1})
    assert response.status_code == 400 and response.json() == {"problem": "Bad input: name"}
    # L4: no pattern matches → the default response, whose template sees the error JSON.
    response = call(portico, api.id, "/test/other", method="POST", json={"a": 1})
    assert response.status_code == 200
    assert response.json()["raw"] == {"errorMessage": "Something else", "errorType": "RuntimeError"}


def test_remote_refuses_a_bad_signature():
    server, portico = lambda_helpers.start(secret="the-wrong-secret")
    try:
        server.scripts["signed"] = ("json", {"statusCode": 200, "body": "never"})
        api = RestApi(portico, name="lambda-badsig")
        api.method("/x", "GET", PROXY("signed"))
        api.deploy("test")
        response = call(portico, api.id, "/test/x")
        assert response.status_code == 500 and response.json() == {"message": "Internal server error"}
        record = server.last("signed")
        assert record["signature_ok"] is False
        assert record["headers"]["Authorization"].startswith(f"AWS4-HMAC-SHA256 Credential={lambda_helpers.KEY_ID}/")
        assert "the-wrong-secret" not in portico.log
    finally:
        portico.stop()
        server.stop()


def test_access_log_integration_fields(env, tmp_path):
    server, portico = env
    server.scripts["logthrottle"] = ("service", 429, "TooManyRequestsException", "Rate Exceeded.")
    server.scripts["logerror"] = ("error", {"errorMessage": "kaput", "errorType": "ValueError"})
    server.scripts["logok"] = ("json", {"statusCode": 200, "body": "fine"})
    log = tmp_path / "lambda-access.log"
    api = RestApi(portico, name="lambda-log")
    for name in ("logthrottle", "logerror", "logok"):
        api.method(f"/{name}", "GET", PROXY(name))
    api.deploy("test")
    fmt = ('{"requestId":"$context.requestId","status":"$context.status","integrationStatus":"$context.integrationStatus",'
           '"integrationError":"$context.integrationErrorMessage","latency":"$context.integrationLatency"}')
    api.client.update_stage(restApiId=api.id, stageName="test", patchOperations=[
        {"op": "replace", "path": "/accessLogSettings/destinationArn", "value": f"file:{log}"},
        {"op": "replace", "path": "/accessLogSettings/format", "value": fmt}])

    def read():
        import json
        return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []

    from rest_dataplane_helpers import wait_for
    wait_for(lambda: call(portico, api.id, "/test/logok") and read())
    ids = {name: call(portico, api.id, f"/test/{name}").headers["x-amzn-RequestId"] for name in ("logthrottle", "logerror", "logok")}

    def line(name):
        return next((entry for entry in read() if entry["requestId"] == ids[name]), None)

    wait_for(lambda: all(line(name) for name in ids))
    assert line("logthrottle")["status"] == "500" and line("logthrottle")["integrationStatus"] == "429"
    assert "TooManyRequestsException" in line("logthrottle")["integrationError"]
    assert line("logerror")["status"] == "502" and line("logerror")["integrationStatus"] == "200"
    assert line("logerror")["integrationError"] == "kaput"
    assert line("logok")["status"] == "200" and line("logok")["integrationStatus"] == "200"
    assert line("logok")["integrationError"] == "-" and line("logok")["latency"].isdigit()


@pytest.mark.parametrize("integration_type,uri,message", [
    ("AWS_PROXY", "https://example.com/fn", "Invalid ARN specified in the request"),
    ("AWS", "arn:aws:apigateway:us-east-1:lambda:functions/f", "AWS ARN for integration must contain path or action"),
    ("AWS_PROXY", "arn:aws:apigateway:us-east-1:s3:path/bucket/key",
     "Integrations of type 'AWS_PROXY' currently only supports Lambda function and Firehose stream invocations."),
])
def test_put_integration_checks_aws_uris(env, integration_type, uri, message):
    import botocore.exceptions
    _, portico = env
    api = RestApi(portico, name="lambda-validation")
    resource = api.resource("/v")
    api.client.put_method(restApiId=api.id, resourceId=resource, httpMethod="GET", authorizationType="NONE")
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        api.client.put_integration(restApiId=api.id, resourceId=resource, httpMethod="GET", type=integration_type,
                                   integrationHttpMethod="POST", uri=uri)
    assert caught.value.response["Error"]["Code"] == "BadRequestException"
    assert caught.value.response["Error"]["Message"] == message


def test_openapi_import_and_export_of_lambda_integrations(env):
    import json

    from rest_dataplane_helpers import wait_for
    server, portico = env
    server.scripts["restimported"] = ("json", {"statusCode": 200, "body": "imported"})
    server.scripts["restimportedaws"] = ("json", {"value": 7})
    client = portico.client("apigateway")
    definition = {
        "openapi": "3.0.1",
        "info": {"title": "lambda-rest-import", "version": "1"},
        "paths": {
            "/proxy": {"get": {"x-amazon-apigateway-integration": {
                "type": "aws_proxy", "httpMethod": "POST", "uri": invocation_uri("restimported")}}},
            "/custom": {"get": {
                "responses": {"200": {"description": "ok"}},
                "x-amazon-apigateway-integration": {
                    "type": "aws", "httpMethod": "POST", "uri": invocation_uri("restimportedaws"),
                    "responses": {"default": {"statusCode": "200", "responseTemplates": {"application/json": '{"got": $input.path(\'$.value\')}'}}}}}},
        },
    }
    api_id = client.import_rest_api(body=json.dumps(definition).encode())["id"]
    client.create_deployment(restApiId=api_id, stageName="v1")
    wait_for(lambda: call(portico, api_id, "/v1/proxy").status_code == 200)
    assert call(portico, api_id, "/v1/proxy").text == "imported"
    assert server.last("restimported")["event"]["resource"] == "/proxy"
    response = call(portico, api_id, "/v1/custom")
    assert response.status_code == 200 and response.json() == {"got": 7}
    exported = json.loads(client.get_export(restApiId=api_id, stageName="v1", exportType="oas30",
                                            parameters={"extensions": "integrations"})["body"].read())
    proxy = exported["paths"]["/proxy"]["get"]["x-amazon-apigateway-integration"]
    assert proxy["type"] == "aws_proxy" and proxy["uri"] == invocation_uri("restimported") and proxy["httpMethod"] == "POST"
    assert exported["paths"]["/custom"]["get"]["x-amazon-apigateway-integration"]["type"] == "aws"


def test_aws_integration_asynchronous_invocation(env):
    server, portico = env
    server.scripts["asyncfn"] = ("json", None)
    api = RestApi(portico, name="lambda-async")
    api.method("/later", "POST", {
        "type": "AWS", "integrationHttpMethod": "POST", "uri": invocation_uri("asyncfn"),
        "requestParameters": {"integration.request.header.X-Amz-Invocation-Type": "'Event'"}},
        responses={"202": {"selectionPattern": "", "responseTemplates": {"application/json": '{"queued": true}'}}})
    api.deploy("test")
    server.clear()
    response = call(portico, api.id, "/test/later", method="POST", json={"job": 1})
    assert response.status_code == 202 and response.json() == {"queued": True}
    record = server.last("asyncfn")
    assert record["headers"]["X-Amz-Invocation-Type"] == "Event" and record["event"] == {"job": 1}
