"""HTTP API `AWS_PROXY` integrations against a remote Invoke API: the events functions receive
(payload 2.0 and 1.0, field by field against AWS_FACTS fact 9 and AWS's documented shapes), the
responses built from their answers, and every outcome mapping (AWS_FACTS L4)."""
import base64
import http.client
import json
import re
from urllib.parse import urlsplit

import pytest

import lambda_helpers
from dataplane_helpers import call
from lambda_helpers import function_arn

TIME_RE = re.compile(r"^\d{2}/[A-Z][a-z]{2}/\d{4}:\d{2}:\d{2}:\d{2} \+0000$")


@pytest.fixture(scope="module")
def env():
    server, portico = lambda_helpers.start()
    yield server, portico
    portico.stop()
    server.stop()


def echo(event):
    return {"statusCode": 200, "body": "ok"}


def raw_get(portico, api_id, path, headers):
    """A request with repeated headers, which `requests` cannot send."""
    split = urlsplit(portico.data_url)
    connection = http.client.HTTPConnection(split.hostname, split.port, timeout=30)
    connection.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
    connection.putheader("Host", f"{api_id}.execute-api.localhost")
    for name, value in headers:
        connection.putheader(name, value)
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response, body


def test_v2_event_fields(env):
    server, portico = env
    server.scripts["v2echo"] = echo
    api_id = lambda_helpers.http_api(portico, {"GET /items/{id}": ("v2echo", "2.0")}, stage="prod", stage_variables={"color": "blue"})
    server.clear()
    response, body = raw_get(portico, api_id, "/prod/items/42?b=2&a=1&a=3%20x", [
        ("User-Agent", "e2e-agent"), ("X-Custom", "v1"), ("X-Custom", "v2"), ("Cookie", "c1=one; c2=two"), ("X-Mixed-CASE", "Yes")])
    assert response.status == 200 and body == b"ok"
    record = server.last("v2echo")
    assert record["signature_ok"] is True
    assert record["function"] == function_arn("v2echo")
    assert record["headers"]["X-Amz-Invocation-Type"] == "RequestResponse"
    event = record["event"]
    assert list(event) == ["version", "routeKey", "rawPath", "rawQueryString", "cookies", "headers", "queryStringParameters",
                           "requestContext", "pathParameters", "isBase64Encoded", "stageVariables"]
    assert event["version"] == "2.0"
    assert event["routeKey"] == "GET /items/{id}"
    assert event["rawPath"] == "/prod/items/42"
    assert event["rawQueryString"] == "b=2&a=1&a=3%20x"
    assert event["cookies"] == ["c1=one", "c2=two"]
    headers = event["headers"]
    assert headers["x-custom"] == "v1,v2"
    assert headers["x-mixed-case"] == "Yes"
    assert headers["user-agent"] == "e2e-agent"
    assert "cookie" not in headers
    assert headers["x-forwarded-for"] == "127.0.0.1" and headers["x-forwarded-proto"] == "http"
    assert headers["x-amzn-trace-id"].startswith("Root=1-")
    assert record["headers"]["X-Amzn-Trace-Id"] == headers["x-amzn-trace-id"]
    assert all(name == name.lower() for name in headers)
    assert event["queryStringParameters"] == {"b": "2", "a": "1,3 x"}
    assert event["pathParameters"] == {"id": "42"}
    assert event["isBase64Encoded"] is False
    assert event["stageVariables"] == {"color": "blue"}
    assert "body" not in event
    context = event["requestContext"]
    assert context["accountId"] == "000000000000"
    assert context["apiId"] == api_id
    assert context["domainName"] == f"{api_id}.execute-api.localhost"
    assert context["domainPrefix"] == api_id
    assert context["http"] == {"method": "GET", "path": "/prod/items/42", "protocol": "HTTP/1.1", "sourceIp": "127.0.0.1",
                               "userAgent": "e2e-agent"}
    assert context["requestId"] == response.getheader("apigw-requestid")
    assert context["routeKey"] == "GET /items/{id}"
    assert context["stage"] == "prod"
    assert TIME_RE.match(context["time"])
    assert isinstance(context["timeEpoch"], int)


def test_v2_bodies_text_and_binary(env):
    server, portico = env
    server.scripts["v2body"] = echo
    api_id = lambda_helpers.http_api(portico, {"POST /upload": ("v2body", "2.0")})
    server.clear()
    assert call(portico, api_id, "/upload", method="POST", json={"a": "é"}).status_code == 200
    event = server.last("v2body")["event"]
    assert json.loads(event["body"]) == {"a": "é"} and event["isBase64Encoded"] is False
    assert "queryStringParameters" not in event and "pathParameters" not in event and "stageVariables" not in event
    assert event["rawQueryString"] == ""
    data = bytes(range(256))
    call(portico, api_id, "/upload", method="POST", data=data, headers={"Content-Type": "application/octet-stream"})
    event = server.last("v2body")["event"]
    assert event["isBase64Encoded"] is True and base64.b64decode(event["body"]) == data


def test_v2_responses(env):
    server, portico = env
    server.scripts["v2full"] = ("json", {"statusCode": 201, "headers": {"x-a": "1", "content-type": "text/plain"},
                                         "cookies": ["c=1; Path=/", "d=2"], "body": "created"})
    server.scripts["v2plain"] = ("json", {"message": "no status"})
    server.scripts["v2b64"] = ("json", {"statusCode": 200, "body": base64.b64encode(b"\x00\x01bin").decode(), "isBase64Encoded": True,
                                        "headers": {"content-type": "application/octet-stream"}})
    server.scripts["v2string"] = ("json", "just a string")
    api_id = lambda_helpers.http_api(portico, {"GET /full": ("v2full", "2.0"), "GET /plain": ("v2plain", "2.0"),
                                               "GET /b64": ("v2b64", "2.0"), "GET /string": ("v2string", "2.0")})
    response = call(portico, api_id, "/full")
    assert response.status_code == 201 and response.text == "created"
    assert response.headers["x-a"] == "1" and response.headers["content-type"] == "text/plain"
    assert response.raw.headers.get_all("set-cookie") == ["c=1; Path=/", "d=2"]
    assert response.headers["apigw-requestid"]
    response = call(portico, api_id, "/plain")
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    assert response.json() == {"message": "no status"}
    response = call(portico, api_id, "/b64")
    assert response.status_code == 200 and response.content == b"\x00\x01bin"
    response = call(portico, api_id, "/string")
    assert response.status_code == 200 and response.json() == "just a string"


@pytest.mark.parametrize("script,status,message", [
    (("error", {"errorMessage": "boom", "errorType": "ValueError"}), 500, "Internal Server Error"),
    (("rie_error", {"errorMessage": "boom", "errorType": "ValueError", "stackTrace": []}), 500, "Internal Server Error"),
    (("service", 429, "TooManyRequestsException", "Rate Exceeded."), 500, "Internal Server Error"),
    (("raw", b"not json"), 500, "Internal Server Error"),
    (("slow", 2.0, {"statusCode": 200}), 503, "Service Unavailable"),
    (None, 500, "Internal Server Error"),
])
def test_v2_outcomes(env, script, status, message):
    server, portico = env
    name = f"v2outcome{status}{script[0] if script else 'missing'}".replace("_", "")
    if script:
        server.scripts[name] = script
    api_id = lambda_helpers.http_api(portico, {"GET /x": (name, "2.0", 1000)})
    response = call(portico, api_id, "/x")
    assert response.status_code == status
    assert response.json() == {"message": message}


def test_v1_event_fields_and_malformed(env):
    server, portico = env
    server.scripts["v1echo"] = ("json", {"statusCode": 202, "multiValueHeaders": {"x-m": ["a", "b"]}, "headers": {"x-m": "c"}, "body": "v1"})
    server.scripts["v1bad"] = ("json", {"statusCode": 200, "unknown": 1})
    api_id = lambda_helpers.http_api(portico, {"GET /things/{id}": ("v1echo", "1.0"), "GET /bad": ("v1bad", "1.0")})
    server.clear()
    response, body = raw_get(portico, api_id, "/things/7?q=1&q=2", [("User-Agent", "ua"), ("X-Rep", "1"), ("X-Rep", "2")])
    assert response.status == 202 and body == b"v1"
    assert response.getheader("x-m") == "a, b, c"
    event = server.last("v1echo")["event"]
    assert list(event) == ["version", "resource", "path", "httpMethod", "headers", "multiValueHeaders", "queryStringParameters",
                           "multiValueQueryStringParameters", "pathParameters", "stageVariables", "requestContext", "body",
                           "isBase64Encoded"]
    assert event["version"] == "1.0"
    assert event["resource"] == "/things/{id}"
    assert event["path"] == "/things/7"
    assert event["httpMethod"] == "GET"
    assert event["headers"]["X-Rep"] == "2" and event["multiValueHeaders"]["X-Rep"] == ["1", "2"]
    assert event["queryStringParameters"] == {"q": "2"}
    assert event["multiValueQueryStringParameters"] == {"q": ["1", "2"]}
    assert event["pathParameters"] == {"id": "7"}
    assert event["stageVariables"] is None
    assert event["body"] is None and event["isBase64Encoded"] is False
    context = event["requestContext"]
    assert context["authorizer"] == {"claims": None, "scopes": None}
    assert context["identity"]["sourceIp"] == "127.0.0.1" and context["identity"]["userAgent"] == "ua"
    assert context["identity"]["accessKey"] is None
    assert context["path"] == "/things/7" and context["stage"] == "$default" and context["resourcePath"] == "/things/{id}"
    assert context["requestId"] == response.getheader("apigw-requestid")
    assert isinstance(context["requestTimeEpoch"], int) and TIME_RE.match(context["requestTime"])
    # Payload 1.0 makes no 2.0-style assumption: an unknown member is a malformed response, a 500.
    response = call(portico, api_id, "/bad")
    assert response.status_code == 500 and response.json() == {"message": "Internal Server Error"}


def test_created_with_the_cli(env):
    server, portico = env
    server.scripts["clifn"] = ("json", {"statusCode": 200, "body": "from cli"})
    api_id = json.loads(portico.cli("apigatewayv2", "create-api", "--name", "cli-lambda", "--protocol-type", "HTTP").stdout)["ApiId"]
    integration = json.loads(portico.cli(
        "apigatewayv2", "create-integration", "--api-id", api_id, "--integration-type", "AWS_PROXY",
        "--integration-uri", lambda_helpers.invocation_uri("clifn"), "--payload-format-version", "2.0").stdout)
    assert integration["IntegrationType"] == "AWS_PROXY" and integration["PayloadFormatVersion"] == "2.0"
    portico.cli("apigatewayv2", "create-route", "--api-id", api_id, "--route-key", "GET /cli",
                "--target", f"integrations/{integration['IntegrationId']}")
    portico.cli("apigatewayv2", "create-stage", "--api-id", api_id, "--stage-name", "$default", "--auto-deploy")
    lambda_helpers_wait = __import__("rest_dataplane_helpers").wait_for
    lambda_helpers_wait(lambda: call(portico, api_id, "/cli").status_code == 200)
    assert call(portico, api_id, "/cli").text == "from cli"


def test_openapi_import_and_export_of_aws_proxy(env):
    server, portico = env
    server.scripts["imported"] = ("json", {"statusCode": 200, "body": "imported ok"})
    client = portico.client()
    definition = {
        "openapi": "3.0.1",
        "info": {"title": "lambda-import", "version": "1"},
        "paths": {"/imp": {"get": {"x-amazon-apigateway-integration": {
            "type": "aws_proxy", "httpMethod": "POST", "uri": lambda_helpers.invocation_uri("imported"),
            "payloadFormatVersion": "2.0"}}}},
    }
    api_id = client.import_api(Body=json.dumps(definition))["ApiId"]
    client.create_stage(ApiId=api_id, StageName="$default", AutoDeploy=True)
    integration = client.get_integrations(ApiId=api_id)["Items"][0]
    assert integration["IntegrationType"] == "AWS_PROXY" and integration["PayloadFormatVersion"] == "2.0"
    __import__("rest_dataplane_helpers").wait_for(lambda: call(portico, api_id, "/imp").status_code == 200)
    assert call(portico, api_id, "/imp").text == "imported ok"
    assert server.last("imported")["event"]["routeKey"] == "GET /imp"
    exported = json.loads(client.export_api(ApiId=api_id, Specification="OAS30", OutputType="JSON")["body"].read())
    exported_integration = exported["paths"]["/imp"]["get"]["x-amazon-apigateway-integration"]
    assert exported_integration["type"] == "aws_proxy"
    assert exported_integration["uri"] == lambda_helpers.invocation_uri("imported")
    assert exported_integration["payloadFormatVersion"] == "2.0"


def test_https_endpoint_with_a_trusted_ca(tmp_path):
    import subprocess

    from conftest import Portico, require_program
    from lambda_server import LambdaServer
    require_program("openssl")
    cert, key = tmp_path / "lambda.pem", tmp_path / "lambda.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "1",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"], check=True, capture_output=True)
    server = LambdaServer(credentials=(lambda_helpers.KEY_ID, lambda_helpers.SECRET), tls=(str(cert), str(key)))
    portico = Portico("--lambda-endpoint", server.url, "--upstream-ca-file", str(cert), env={
        "AWS_ACCESS_KEY_ID": lambda_helpers.KEY_ID, "AWS_SECRET_ACCESS_KEY": lambda_helpers.SECRET, "AWS_SESSION_TOKEN": "tok",
        "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent"})
    try:
        server.scripts["overtls"] = ("json", {"statusCode": 200, "body": "over tls"})
        api_id = lambda_helpers.http_api(portico, {"GET /tls": ("overtls", "2.0")})
        response = call(portico, api_id, "/tls")
        assert response.status_code == 200 and response.text == "over tls"
        record = server.last("overtls")
        assert record["signature_ok"] is True
        assert record["headers"]["X-Amz-Security-Token"] == "tok"
        assert "X-Amz-Security-Token" in record["headers"]["Authorization"] or "x-amz-security-token" in record["headers"]["Authorization"]
    finally:
        portico.stop()
        server.stop()


def test_invoke_connections_are_kept_alive(env):
    server, portico = env
    server.scripts["reused"] = ("json", {"statusCode": 200, "body": "again"})
    api_id = lambda_helpers.http_api(portico, {"GET /again": ("reused", "2.0")})
    server.clear()
    for _ in range(4):
        assert call(portico, api_id, "/again").text == "again"
    with server.lock:
        clients = {record["client"] for record in server.received if record["function"].endswith("reused")}
    # Portico's data plane has one event loop per core; each loop keeps its own connection.
    assert len(clients) <= 2, clients
