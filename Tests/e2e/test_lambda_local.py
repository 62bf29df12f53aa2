"""Lambda integrations calling functions that Portico runs itself: a python3.12 handler under
awslambdaric and a `provided.al2023` bootstrap, both created with the AWS CLI from zips, called
through an HTTP API (AWS_PROXY, payload 2.0) and a REST API (AWS_PROXY, payload 1.0). Each
handler answers with the event it received, which is checked field by field."""
import json

import pytest

from dataplane_helpers import call
from lambda_function_helpers import ARN_PREFIX, ROLE, make_zip
from rest_dataplane_helpers import wait_for

# Answers every event with a proxy response whose body is the event itself.
PYTHON_ECHO = '''import json

def handler(event, context):
    if event.get("queryStringParameters", {}) and event["queryStringParameters"].get("fail"):
        raise RuntimeError("asked to fail")
    return {"statusCode": 201, "headers": {"x-from": "python"}, "cookies": ["c=1"], "body": json.dumps(event)}
'''

BOOTSTRAP_ECHO = '''#!/usr/bin/env python3
import json, os, urllib.request
api = "http://" + os.environ["AWS_LAMBDA_RUNTIME_API"] + "/2018-06-01/runtime/invocation/"
while True:
    with urllib.request.urlopen(api + "next") as response:
        request_id = response.headers["Lambda-Runtime-Aws-Request-Id"]
        event = json.loads(response.read())
    answer = {"statusCode": 200, "headers": {"x-from": "bootstrap"},
              "multiValueHeaders": {"x-multi": ["a", "b"]}, "body": json.dumps(event)}
    urllib.request.urlopen(urllib.request.Request(api + request_id + "/response", data=json.dumps(answer).encode(), method="POST")).read()
'''


def served(request, missing):
    """`request()` once the deployment is live (its answer is no longer `missing`)."""
    answers = []

    def attempt():
        answers.append(request())
        return answers[-1].status_code != missing

    wait_for(attempt)
    return answers[-1]


@pytest.fixture(scope="module")
def functions(portico, tmp_path_factory):
    directory = tmp_path_factory.mktemp("zips")
    (directory / "python.zip").write_bytes(make_zip({"app.py": PYTHON_ECHO}))
    (directory / "bootstrap.zip").write_bytes(make_zip({"bootstrap": (BOOTSTRAP_ECHO, 0o755)}))
    for name, runtime, handler, zip_name in (
        ("local-python", "python3.12", "app.handler", "python.zip"),
        ("local-bootstrap", "provided.al2023", "unused.handler", "bootstrap.zip"),
    ):
        portico.cli("lambda", "delete-function", "--function-name", name, check=False)
        portico.cli(
            "lambda", "create-function", "--function-name", name, "--runtime", runtime, "--handler", handler,
            "--role", ROLE, "--zip-file", f"fileb://{directory / zip_name}", "--timeout", "10")
    return {"python": ARN_PREFIX + "local-python", "bootstrap": ARN_PREFIX + "local-bootstrap"}


def test_http_api_payload_2_to_a_python_handler(portico, functions):
    client = portico.client()
    api = client.create_api(Name="local-lambda-http", ProtocolType="HTTP")["ApiId"]
    integration = client.create_integration(
        ApiId=api, IntegrationType="AWS_PROXY", IntegrationUri=functions["python"], PayloadFormatVersion="2.0")["IntegrationId"]
    client.create_route(ApiId=api, RouteKey="POST /items/{id}", Target=f"integrations/{integration}")
    client.create_stage(ApiId=api, StageName="$default", AutoDeploy=True)
    response = served(lambda: call(
        portico, api, "/items/42?color=red&color=blue&size=9", method="POST", data=b'{"a":1}',
        headers={"Content-Type": "application/json", "Cookie": "k=v; j=w", "X-Custom": "yes"}), missing=404)
    assert response.status_code == 201, response.text
    assert response.headers["x-from"] == "python"
    assert response.headers["set-cookie"] == "c=1"
    event = response.json()
    assert event["version"] == "2.0"
    assert event["routeKey"] == "POST /items/{id}"
    assert event["rawPath"] == "/items/42"
    assert event["rawQueryString"] == "color=red&color=blue&size=9"
    assert event["cookies"] == ["k=v", "j=w"]
    assert event["queryStringParameters"] == {"color": "red,blue", "size": "9"}
    assert event["pathParameters"] == {"id": "42"}
    assert event["headers"]["x-custom"] == "yes"
    assert event["headers"]["content-type"] == "application/json"
    assert "cookie" not in event["headers"]
    assert event["body"] == '{"a":1}'
    assert event["isBase64Encoded"] is False
    context = event["requestContext"]
    assert context["apiId"] == api
    assert context["stage"] == "$default"
    assert context["routeKey"] == "POST /items/{id}"
    assert context["http"]["method"] == "POST"
    assert context["http"]["path"] == "/items/42"
    assert context["http"]["sourceIp"] == "127.0.0.1"
    assert context["domainName"] == f"{api}.execute-api.localhost"
    assert context["domainPrefix"] == api
    assert context["requestId"] == response.headers["apigw-requestid"]

    # A function error is the HTTP API's 500 (AWS_FACTS L4).
    failed = call(portico, api, "/items/1?fail=1", method="POST", data=b"{}")
    assert failed.status_code == 500
    assert failed.json() == {"message": "Internal Server Error"}


def test_rest_api_proxy_to_a_provided_bootstrap(portico, functions):
    client = portico.client("apigateway")
    api = client.create_rest_api(name="local-lambda-rest")["id"]
    root = client.get_resources(restApiId=api)["items"][0]["id"]
    resource = client.create_resource(restApiId=api, parentId=root, pathPart="{name}")["id"]
    client.put_method(restApiId=api, resourceId=resource, httpMethod="GET", authorizationType="NONE")
    uri = f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{functions['bootstrap']}/invocations"
    client.put_integration(restApiId=api, resourceId=resource, httpMethod="GET", type="AWS_PROXY", integrationHttpMethod="POST", uri=uri)
    client.create_deployment(restApiId=api, stageName="test", variables={"v": "1"})
    response = served(lambda: call(portico, api, "/test/alice?x=1&x=2", headers={"X-Custom": "yes"}), missing=403)
    assert response.status_code == 200, response.text
    assert response.headers["x-from"] == "bootstrap"
    assert response.headers["x-multi"] == "a, b" or response.headers["x-multi"] == "a,b"
    event = response.json()
    assert event["resource"] == "/{name}"
    assert event["path"] == "/alice"
    assert event["httpMethod"] == "GET"
    assert event["headers"]["X-Custom"] == "yes"
    assert event["multiValueHeaders"]["X-Custom"] == ["yes"]
    assert event["queryStringParameters"] == {"x": "2"}
    assert event["multiValueQueryStringParameters"] == {"x": ["1", "2"]}
    assert event["pathParameters"] == {"name": "alice"}
    assert event["stageVariables"] == {"v": "1"}
    assert event["body"] is None
    assert event["isBase64Encoded"] is False
    context = event["requestContext"]
    assert context["resourcePath"] == "/{name}"
    assert context["httpMethod"] == "GET"
    assert context["stage"] == "test"
    assert context["path"] == "/test/alice"
    assert context["apiId"] == api
    assert context["identity"]["sourceIp"] == "127.0.0.1"
