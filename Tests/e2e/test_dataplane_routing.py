"""Route matching on the data plane, with AWS's precedence for HTTP APIs (developer guide,
"Routing API requests"): full match, then path variables, then greedy, then $default."""
import http.client
import json
import time

import pytest

from dataplane_helpers import call, make_api


@pytest.fixture(scope="module")
def routed(portico, upstream):
    u = upstream.url
    routes = {
        "GET /pets/dog/1": {"uri": f"{u}/r/exact"},
        "GET /pets/dog/{id}": {"uri": f"{u}/r/variable/{{id}}"},
        "GET /pets/{proxy+}": {"uri": f"{u}/r/greedy/{{proxy}}"},
        "ANY /pets/cat": {"uri": f"{u}/r/any-cat"},
        "POST /pets/cat": {"uri": f"{u}/r/post-cat"},
        "ANY /{proxy+}": {"uri": f"{u}/r/root-greedy/{{proxy}}"},
        "GET /items/{id}/parts/{part}": {"uri": f"{u}/r/items/{{id}}/{{part}}"},
        "$default": {"uri": f"{u}/r/default"},
    }
    return make_api(portico, routes)


def path_of(response):
    assert response.status_code == 200, response.text
    return response.json()["path"]


@pytest.mark.parametrize(
    "method,path,expected",
    [
        ("GET", "/pets/dog/1", "/r/exact"),
        ("GET", "/pets/dog/2", "/r/variable/2"),
        ("GET", "/pets/dog/2/toys", "/r/greedy/dog/2/toys"),
        ("GET", "/pets/fish", "/r/greedy/fish"),
        ("POST", "/pets/dog/1", "/r/root-greedy/pets/dog/1"),
        ("POST", "/pets/cat", "/r/post-cat"),
        ("DELETE", "/pets/cat", "/r/any-cat"),
        ("GET", "/pets/cat", "/r/any-cat"),
        ("GET", "/items/7/parts/wheel", "/r/items/7/wheel"),
        ("PUT", "/anything/else", "/r/root-greedy/anything/else"),
        ("GET", "/", "/r/default/"),
    ],
)
def test_precedence(portico, routed, method, path, expected):
    assert path_of(call(portico, routed, path, method=method)) == expected


def test_path_style_reaches_the_same_routes(portico, routed):
    assert path_of(call(portico, routed, "/pets/dog/1", style="path")) == "/r/exact"
    # The $default stage may be named explicitly in a path-style URL.
    assert path_of(call(portico, routed, "/$default/pets/dog/1", style="path")) == "/r/exact"


def test_path_parameters_are_decoded_then_reencoded(portico, routed):
    echo = call(portico, routed, "/pets/dog/a%20b").json()
    assert echo["rawPath"] == "/r/variable/a%20b"


def test_unknown_api_is_not_found(portico):
    response = call(portico, "zzzzzzzzzz", "/anything")
    assert response.status_code == 404
    assert response.json() == {"message": "Not Found"}
    response = call(portico, "zzzzzzzzzz", "/anything", style="path")
    assert response.status_code == 404
    assert response.json() == {"message": "Not Found"}


def test_no_matching_route_is_not_found(portico, upstream):
    api = make_api(portico, {"GET /only": {"uri": f"{upstream.url}/only"}})
    response = call(portico, api, "/other")
    assert response.status_code == 404
    assert response.json() == {"message": "Not Found"}
    assert response.headers["content-type"] == "application/json"
    # Method matters: POST has no route.
    assert call(portico, api, "/only", method="POST").status_code == 404
    assert call(portico, api, "/only").status_code == 200


def test_named_stage_takes_its_prefix(portico, upstream):
    api = make_api(portico, {"GET /things": {"uri": f"{upstream.url}/things"}}, stage="prod")
    assert path_of(call(portico, api, "/prod/things")) == "/things"
    # No $default stage: a path that names no stage is not found.
    assert call(portico, api, "/things").status_code == 404


def test_default_route_sends_the_full_path(portico, upstream):
    api = make_api(portico, {"$default": {"uri": f"{upstream.url}/base"}})
    echo = call(portico, api, "/store/checkout?x=1").json()
    assert echo["path"] == "/base/store/checkout"
    assert echo["query"] == "x=1"


def test_disabled_execute_api_endpoint_is_forbidden(portico, upstream):
    api = make_api(portico, {"GET /x": {"uri": f"{upstream.url}/x"}})
    assert call(portico, api, "/x").status_code == 200
    portico.client().update_api(ApiId=api, DisableExecuteApiEndpoint=True)
    deadline = time.monotonic() + 5
    while call(portico, api, "/x").status_code == 200 and time.monotonic() < deadline:
        time.sleep(0.02)
    response = call(portico, api, "/x")
    assert response.status_code == 403
    assert response.json() == {"message": "Forbidden"}


def test_route_without_integration_is_not_found(portico, upstream):
    api = make_api(portico, {"GET /with": {"uri": f"{upstream.url}/with"}})
    portico.client().create_route(ApiId=api, RouteKey="GET /without")
    deadline = time.monotonic() + 5
    response = call(portico, api, "/without")
    while response.status_code != 404 and time.monotonic() < deadline:
        response = call(portico, api, "/without")
    assert response.status_code == 404
    assert response.json() == {"message": "Not Found"}


def test_one_connection_can_address_several_apis_and_sees_redeployments(portico, upstream):
    """A keep-alive connection remembers the last Host it resolved (GatewayHandler.resolveApi): a different Host, a
    path-style request, an unknown API and a redeployment on the same connection must each be resolved afresh."""
    first = make_api(portico, {"GET /who": {"uri": f"{upstream.url}/api-one"}})
    second = make_api(portico, {"GET /who": {"uri": f"{upstream.url}/api-two"}})
    port = int(portico.data_url.rsplit(":", 1)[1])
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)

    def ask(path, host):
        connection.request("GET", path, headers={"Host": host})
        response = connection.getresponse()
        body = response.read()
        return response.status, (json.loads(body)["path"] if response.status == 200 else body)

    try:
        for api, expected in ((first, "/api-one"), (second, "/api-two"), (first, "/api-one")):
            assert ask("/who", f"{api}.execute-api.localhost:{port}") == (200, expected)
        # The host part of the API id is case-insensitive; the memo must not keep the other spelling's answer.
        assert ask("/who", f"{second.upper()}.execute-api.localhost") == (200, "/api-two")
        assert ask(f"/_aws/execute-api/{first}/who", f"{second}.execute-api.localhost") == (200, "/api-one")
        assert ask("/who", "zzzzzzzzzz.execute-api.localhost")[0] == 404
        # A redeployment (a new runtime table) on the same connection: the route's new integration answers.
        client = portico.client()
        route = next(r for r in client.get_routes(ApiId=first)["Items"] if r["RouteKey"] == "GET /who")
        integration = client.create_integration(
            ApiId=first, IntegrationType="HTTP_PROXY", IntegrationMethod="ANY", IntegrationUri=f"{upstream.url}/api-one-v2",
            PayloadFormatVersion="1.0")["IntegrationId"]
        client.update_route(ApiId=first, RouteId=route["RouteId"], Target=f"integrations/{integration}")
        deadline = time.monotonic() + 10
        while ask("/who", f"{first}.execute-api.localhost")[1] != "/api-one-v2":
            assert time.monotonic() < deadline, "the redeployment was not seen on the open connection"
            time.sleep(0.05)
    finally:
        connection.close()
