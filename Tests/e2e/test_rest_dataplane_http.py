"""REST API data plane: HTTP (non-proxy, with templates and selection patterns) and HTTP_PROXY
integrations against a real backend, stage variables, timeouts and failures."""
import json

import pytest

from rest_dataplane_helpers import RestApi, call
from upstream import HangingServer, Upstream, closed_port


@pytest.fixture(scope="module")
def upstream():
    server = Upstream()
    yield server
    server.stop()


def header(echo, name):
    return [v for k, v in echo["headers"] if k.lower() == name.lower()]


def test_http_request_and_response_templates(fresh, upstream):
    api = RestApi(fresh)
    api.method(
        "/pets/{petId}", "POST",
        {"type": "HTTP", "integrationHttpMethod": "PUT", "uri": upstream.url + "/backend/{id}",
         "requestParameters": {"integration.request.path.id": "method.request.path.petId",
                               "integration.request.header.x-mapped": "method.request.querystring.tag",
                               "integration.request.querystring.fixed": "'literal'"},
         "requestTemplates": {"application/json": '{"name": $input.json(\'$.name\'), "stage": "$stageVariables.env", "id": "$input.params(\'petId\')"}'}},
        responses={"200": {"responseTemplates": {"application/json": '{"backendMethod": $input.json(\'$.method\'), "sent": $input.json(\'$.body\')}'},
                           "responseParameters": {"method.response.header.x-backend": "integration.response.header.X-Backend",
                                                  "method.response.header.x-static": "'s'"}}})
    api.deploy(variables={"env": "prod"})
    response = call(fresh, api.id, "/test/pets/42?tag=blue", method="POST", json={"name": "rex"})
    assert response.status_code == 200, response.text
    out = response.json()
    assert out["backendMethod"] == "PUT"
    assert json.loads(out["sent"]) == {"name": "rex", "stage": "prod", "id": "42"}
    assert response.headers["x-backend"] == "echo"
    assert response.headers["x-static"] == "s"
    method, path, headers = upstream.requests[-1]
    assert method == "PUT"
    assert path == "/backend/42?fixed=literal"
    assert dict((k.lower(), v) for k, v in headers)["x-mapped"] == "blue"


def test_http_selection_pattern_and_default_response(fresh, upstream):
    api = RestApi(fresh)
    api.method(
        "/status/{code}", "GET",
        {"type": "HTTP", "integrationHttpMethod": "GET", "uri": upstream.url + "/status/{code}",
         "requestParameters": {"integration.request.path.code": "method.request.path.code"}},
        responses={
            "200": {"responseTemplates": {"application/json": '{"default": $input.json(\'$.status\')}'}},
            "400": {"selectionPattern": "4\\d{2}", "responseTemplates": {"application/json": '{"client": $input.json(\'$.status\')}'}},
            "502": {"selectionPattern": "5\\d{2}"},
        })
    api.deploy()
    client_error = call(fresh, api.id, "/test/status/404")
    assert client_error.status_code == 400
    assert client_error.json() == {"client": 404}
    server_error = call(fresh, api.id, "/test/status/503")
    assert server_error.status_code == 502
    assert server_error.json() == {"status": 503}  # no template: passed through
    # A status no pattern matches takes the default response (even a 3xx/2xx other than 200).
    default = call(fresh, api.id, "/test/status/201")
    assert default.status_code == 200
    assert default.json() == {"default": 201}


def test_http_proxy_with_parameter_mapping_and_greedy_path(fresh, upstream):
    api = RestApi(fresh)
    api.method(
        "/api/{proxy+}", "ANY",
        {"type": "HTTP_PROXY", "integrationHttpMethod": "ANY", "uri": "http://${stageVariables.backend}/v1/{proxy}",
         "requestParameters": {"integration.request.path.proxy": "method.request.path.proxy",
                               "integration.request.header.x-stage": "stageVariables.env",
                               "integration.request.header.x-from-header": "method.request.header.x-in"}},
        requestParameters={"method.request.path.proxy": True})
    api.deploy(variables={"backend": f"127.0.0.1:{upstream.port}", "env": "dev"})
    response = call(fresh, api.id, "/test/api/a/b?x=1&x=2", method="PATCH", data="raw body",
                    headers={"x-in": "v", "X-Client": "c", "X-Forwarded-For": "10.0.0.1"})
    assert response.status_code == 200, response.text
    echo = response.json()
    assert echo["method"] == "PATCH"
    assert echo["path"] == "/v1/a/b"
    assert echo["query"] == "x=1&x=2"
    assert echo["body"] == "raw body"
    assert header(echo, "x-stage") == ["dev"]
    assert header(echo, "x-from-header") == ["v"]
    assert header(echo, "x-client") == ["c"]
    assert header(echo, "x-forwarded-for") == ["10.0.0.1, 127.0.0.1"]
    assert response.headers["X-Backend"] == "echo"
    assert response.headers["x-amzn-RequestId"]
    # Backend statuses pass through untouched.
    api.method("/raw/{code}", "GET", {"type": "HTTP_PROXY", "integrationHttpMethod": "GET", "uri": upstream.url + "/status/{code}",
                                      "requestParameters": {"integration.request.path.code": "method.request.path.code"}})
    api.deploy(variables={"backend": f"127.0.0.1:{upstream.port}", "env": "dev"})
    assert call(fresh, api.id, "/test/raw/418").status_code == 418


def test_http_proxy_headers_both_ways(fresh, upstream):
    """An HTTP_PROXY that maps only path variables, whose heads Portico writes straight from the bytes both ways:
    the client's headers go on less hop-by-hop ones, with X-Forwarded-For/-Proto and the request's trace id; the
    backend's come back less hop-by-hop ones (and those its Connection header names), with the gateway's own
    x-amzn-RequestId and x-amz-apigw-id in place of any the backend sent."""
    api = RestApi(fresh)
    api.method("/echo/{id}", "GET", {"type": "HTTP_PROXY", "integrationHttpMethod": "GET", "uri": upstream.url + "/items/{id}",
                                     "requestParameters": {"integration.request.path.id": "method.request.path.id"}},
               requestParameters={"method.request.path.id": True})
    api.method("/answer", "GET", {"type": "HTTP_PROXY", "integrationHttpMethod": "GET", "uri": upstream.url + "/set-header"})
    api.deploy()
    trace = "Root=1-67891233-abcdef012345678912345678"
    response = call(fresh, api.id, "/test/echo/a%20b?q=1&q=2", headers={
        "X-Client": "c", "X-Forwarded-For": "10.0.0.1", "X-Amzn-Trace-Id": trace, "Keep-Alive": "timeout=5", "TE": "trailers"})
    assert response.status_code == 200, response.text
    echo = response.json()
    assert echo["rawPath"] == "/items/a%20b" and echo["query"] == "q=1&q=2"
    assert header(echo, "x-client") == ["c"]
    assert header(echo, "x-forwarded-for") == ["10.0.0.1, 127.0.0.1"]
    assert header(echo, "x-forwarded-proto") == ["http"]
    assert header(echo, "x-amzn-trace-id") == [trace]
    assert header(echo, "keep-alive") == [] and header(echo, "te") == [] and header(echo, "content-length") == []
    assert header(echo, "host") == [f"127.0.0.1:{upstream.port}"]
    assert response.headers["X-Amzn-Trace-Id"] == trace
    pairs = [("X-Amzn-RequestId", "from-backend"), ("x-amz-apigw-id", "from-backend"), ("Connection", "X-Secret"),
             ("X-Secret", "1"), ("X-Kept", "yes"), ("Keep-Alive", "timeout=5"), ("X-Amzn-Trace-Id", "Root=backend")]
    query = "&".join(f"name={name}&value={value}" for name, value in pairs)
    response = call(fresh, api.id, "/test/answer?" + query)
    assert response.status_code == 200, response.text
    raw = response.raw.headers
    assert raw.getlist("x-amzn-RequestId") != ["from-backend"] and len(raw.getlist("x-amzn-RequestId")) == 1
    assert len(raw.getlist("x-amz-apigw-id")) == 1 and raw.getlist("x-amz-apigw-id") != ["from-backend"]
    assert raw.getlist("X-Amzn-Trace-Id") == ["Root=backend"]   # the backend's own is kept, not doubled
    assert raw.getlist("X-Kept") == ["yes"] and raw.getlist("Content-Type") == ["application/json"]
    assert raw.getlist("X-Secret") == [] and raw.getlist("Keep-Alive") == []
    assert raw.getlist("Content-Length") == ["2"] and response.content == b"{}"


def test_integration_timeout_is_504(fresh):
    hanging = HangingServer()
    try:
        api = RestApi(fresh)
        api.method("/slow", "GET", {"type": "HTTP_PROXY", "integrationHttpMethod": "GET", "uri": hanging.url + "/", "timeoutInMillis": 200})
        api.method("/slowhttp", "GET", {"type": "HTTP", "integrationHttpMethod": "GET", "uri": hanging.url + "/", "timeoutInMillis": 200},
                   responses={"200": {}})
        api.deploy()
        for path in ("/slow", "/slowhttp"):
            response = call(fresh, api.id, f"/test{path}")
            assert response.status_code == 504, path
            assert response.json() == {"message": "Endpoint request timed out"}
    finally:
        hanging.stop()


def test_unreachable_backend_is_internal_server_error(fresh):
    api = RestApi(fresh)
    api.method("/down", "GET", {"type": "HTTP_PROXY", "integrationHttpMethod": "GET", "uri": f"http://127.0.0.1:{closed_port()}/"})
    api.deploy()
    response = call(fresh, api.id, "/test/down")
    assert response.status_code == 500
    assert response.json() == {"message": "Internal server error"}


@pytest.mark.parametrize("integration_type", ["HTTP", "HTTP_PROXY"])
def test_broken_backends_are_internal_server_errors(fresh, upstream, integration_type):
    api = RestApi(fresh)
    for path in ("garbage", "reset"):
        api.method(f"/{path}", "GET", {"type": integration_type, "integrationHttpMethod": "GET", "uri": f"{upstream.url}/{path}"},
                   responses={"200": {}} if integration_type == "HTTP" else None)
    api.deploy()
    for path in ("garbage", "reset"):
        response = call(fresh, api.id, f"/test/{path}")
        assert response.status_code == 500, path
        assert response.json() == {"message": "Internal server error"}
        assert response.headers["x-amzn-RequestId"]


def test_stage_variables_per_stage(fresh, upstream):
    api = RestApi(fresh)
    api.method("/where", "GET", {"type": "HTTP", "integrationHttpMethod": "GET", "uri": upstream.url + "/${stageVariables.prefix}/x"},
               responses={"200": {"responseTemplates": {"application/json": '{"path": $input.json(\'$.path\'), "env": "$stageVariables.prefix"}'}}})
    api.deploy(stage="one", variables={"prefix": "first"})
    api.deploy(stage="two", variables={"prefix": "second"})
    assert call(fresh, api.id, "/one/where").json() == {"path": "/first/x", "env": "first"}
    assert call(fresh, api.id, "/two/where").json() == {"path": "/second/x", "env": "second"}


def test_binary_content_handling(fresh, upstream):
    api = RestApi(fresh, binaryMediaTypes=["application/octet-stream"])
    api.method("/to-text", "POST", {"type": "HTTP", "integrationHttpMethod": "POST", "uri": upstream.url + "/echo",
                                    "contentHandling": "CONVERT_TO_TEXT", "passthroughBehavior": "WHEN_NO_MATCH"},
               responses={"200": {"responseTemplates": {"application/json": "$input.json('$.body')"}}})
    api.deploy()
    response = call(fresh, api.id, "/test/to-text", method="POST", data=b"\x00\x01binary",
                    headers={"Content-Type": "application/octet-stream"})
    assert response.status_code == 200
    assert response.json() == "AAFiaW5hcnk="


def test_template_and_stage_variable_failures(fresh, upstream):
    api = RestApi(fresh)
    api.method("/parse", "POST", {"type": "HTTP", "integrationHttpMethod": "POST", "uri": upstream.url + "/echo",
                                  "requestTemplates": {"application/json": '{"name": $input.json(\'$.name\')}'}},
               responses={"200": {}})
    api.method("/undefined", "GET", {"type": "HTTP", "integrationHttpMethod": "GET", "uri": "http://${stageVariables.missing}/x"},
               responses={"200": {}})
    api.method("/badresponse", "GET", {"type": "HTTP", "integrationHttpMethod": "GET", "uri": upstream.url + "/bytes?n=3"},
               responses={"200": {"responseTemplates": {"application/json": "$input.json('$.a')"}}})
    api.deploy()
    unparsable = call(fresh, api.id, "/test/parse", method="POST", data="{oops", headers={"Content-Type": "application/json"})
    assert unparsable.status_code == 400
    assert unparsable.json()["message"].startswith("Could not parse request body into json: ")
    assert call(fresh, api.id, "/test/parse", method="POST", json={"name": "x"}).status_code == 200
    # A URI whose stage variable is not set cannot be called.
    undefined = call(fresh, api.id, "/test/undefined")
    assert undefined.status_code == 500
    assert undefined.json() == {"message": "Internal server error"}
    # A response template that cannot read the backend's body is the gateway's 500.
    bad = call(fresh, api.id, "/test/badresponse")
    assert bad.status_code == 500
    assert bad.json() == {"message": "Internal server error"}


def test_rest_timeouts_beyond_29_seconds_need_the_flag(upstream):
    from conftest import Portico
    server = Portico("--max-integration-timeout-ms", "60000")
    try:
        api = RestApi(server)
        api.method("/long", "GET", {"type": "HTTP_PROXY", "integrationHttpMethod": "GET", "uri": upstream.url + "/", "timeoutInMillis": 45000})
        api.deploy()
        assert call(server, api.id, "/test/long").status_code == 200
    finally:
        server.stop()
