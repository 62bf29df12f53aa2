"""HTTP_PROXY integrations: what reaches the backend and what comes back."""
import json
import socket

from dataplane_helpers import call, header_values, make_api


def test_request_is_forwarded_whole(portico, upstream):
    api = make_api(portico, {"ANY /echo/{proxy+}": {"uri": f"{upstream.url}/echo/{{proxy}}"}})
    response = call(
        portico, api, "/echo/a/b?x=1&x=2&y=%20z", method="POST", data=b'{"hello":"world"}',
        headers={"Content-Type": "application/json", "X-Custom": "v1"},
    )
    assert response.status_code == 200
    echo = response.json()
    assert echo["method"] == "POST"
    assert echo["path"] == "/echo/a/b"
    assert echo["query"] == "x=1&x=2&y=%20z"
    assert echo["body"] == '{"hello":"world"}'
    assert header_values(echo, "x-custom") == ["v1"]
    assert header_values(echo, "host") == [f"127.0.0.1:{upstream.port}"]
    # The backend's own headers come back, and the gateway adds its request id.
    assert response.headers["x-backend"] == "echo"
    assert response.headers["apigw-requestid"]


def test_forwarded_headers_added_and_hop_by_hop_removed(portico, upstream):
    api = make_api(portico, {"GET /h": {"uri": f"{upstream.url}/h"}})
    echo = call(
        portico, api, "/h",
        headers={"Connection": "keep-alive, X-Private", "X-Private": "secret", "Keep-Alive": "timeout=5",
                 "TE": "trailers", "X-Forwarded-For": "203.0.113.9"},
    ).json()
    assert header_values(echo, "x-private") == []
    assert header_values(echo, "keep-alive") == []
    assert header_values(echo, "te") == []
    assert header_values(echo, "x-forwarded-for") == ["203.0.113.9, 127.0.0.1"]
    assert header_values(echo, "x-forwarded-proto") == ["http"]
    assert header_values(echo, "x-forwarded-port") == [portico.data_url.rsplit(":", 1)[1]]


def test_integration_method_overrides_the_request_method(portico, upstream):
    api = make_api(portico, {"POST /m": {"uri": f"{upstream.url}/m", "method": "PUT"}})
    assert call(portico, api, "/m", method="POST").json()["method"] == "PUT"


def test_stage_variables_in_the_integration_uri(portico, upstream):
    api = make_api(
        portico,
        {"GET /sv": {"uri": "http://${stageVariables.host}/from-${stageVariables.name}"}},
        stage_variables={"host": f"127.0.0.1:{upstream.port}", "name": "stage"},
    )
    assert call(portico, api, "/sv").json()["path"] == "/from-stage"


def test_request_parameter_mapping(portico, upstream):
    api = make_api(portico, {
        "GET /map/{id}": {
            "uri": f"{upstream.url}/original",
            "RequestParameters": {
                "append:header.x-appended": "$request.header.x-in",
                "overwrite:header.x-overwritten": "static-value",
                "remove:header.x-removed": "''",
                "overwrite:querystring.q": "$request.path.id",
                "append:querystring.ctx": "$context.routeKey",
                "remove:querystring.drop": "''",
                "overwrite:path": "/mapped/$request.path.id",
                "overwrite:header.x-stage": "$stageVariables.env",
            },
        }
    }, stage_variables={"env": "test"})
    echo = call(
        portico, api, "/map/42?drop=1&keep=2",
        headers={"x-in": "hello", "x-overwritten": "old", "x-removed": "gone"},
    ).json()
    assert echo["path"] == "/mapped/42"
    assert header_values(echo, "x-appended") == ["hello"]
    assert header_values(echo, "x-overwritten") == ["static-value"]
    assert header_values(echo, "x-removed") == []
    assert header_values(echo, "x-stage") == ["test"]
    query = dict(pair.split("=") for pair in echo["query"].split("&"))
    assert query["q"] == "42"
    assert query["keep"] == "2"
    assert "drop" not in query
    assert query["ctx"] == "GET%20%2Fmap%2F%7Bid%7D"


def test_response_parameter_mapping(portico, upstream):
    api = make_api(portico, {
        "GET /status/{code}": {
            "uri": f"{upstream.url}/status/{{code}}",
            "ResponseParameters": {
                "404": {"overwrite:statuscode": "204", "append:header.x-mapped": "was-404"},
                "200": {"overwrite:header.x-copied": "$response.header.content-type", "remove:header.x-backend": "''"},
            },
        }
    })
    response = call(portico, api, "/status/404")
    assert response.status_code == 204
    assert response.headers["x-mapped"] == "was-404"
    response = call(portico, api, "/status/200")
    assert response.status_code == 200
    assert response.headers["x-copied"] == "application/json"


def test_cors_preflight_is_answered_by_the_gateway(portico, upstream):
    cors = {"AllowOrigins": ["https://app.example"], "AllowMethods": ["GET", "POST"], "AllowHeaders": ["x-token"],
            "ExposeHeaders": ["x-backend"], "MaxAge": 300, "AllowCredentials": True}
    api = make_api(portico, {"GET /c": {"uri": f"{upstream.url}/c"}, "GET /cors": {"uri": f"{upstream.url}/cors"}}, cors=cors)
    before = len(upstream.requests)
    response = call(portico, api, "/c", method="OPTIONS",
                    headers={"Origin": "https://app.example", "Access-Control-Request-Method": "POST"})
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == "https://app.example"
    assert response.headers["access-control-allow-methods"] == "GET,POST"
    assert response.headers["access-control-allow-headers"] == "x-token"
    assert response.headers["access-control-max-age"] == "300"
    assert response.headers["access-control-allow-credentials"] == "true"
    assert len(upstream.requests) == before, "a preflight must not reach the backend"
    # A disallowed origin gets no CORS headers.
    response = call(portico, api, "/c", method="OPTIONS",
                    headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"})
    assert response.status_code == 204
    assert "access-control-allow-origin" not in response.headers
    # Actual requests carry the configured headers; the backend's CORS headers are ignored.
    response = call(portico, api, "/cors", headers={"Origin": "https://app.example"})
    assert response.headers["access-control-allow-origin"] == "https://app.example"
    assert response.headers["access-control-expose-headers"] == "x-backend"
    response = call(portico, api, "/cors", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in response.headers


def test_keep_alive_and_pipelining(portico, upstream):
    api = make_api(portico, {"GET /p/{n}": {"uri": f"{upstream.url}/p/{{n}}"}})
    host = portico.data_url.split("//")[1]
    h, p = host.rsplit(":", 1)
    sock = socket.create_connection((h, int(p)))
    requests_bytes = b"".join(
        f"GET /p/{n} HTTP/1.1\r\nHost: {api}.execute-api.localhost\r\n\r\n".encode() for n in range(5)
    )
    sock.sendall(requests_bytes)  # five pipelined requests in one write
    data = b""
    sock.settimeout(10)
    while data.count(b"HTTP/1.1 200") < 5 or not data.rstrip().endswith(b"}"):
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    sock.close()
    bodies = [json.loads(part[part.index(b"{"):]) for part in data.split(b"HTTP/1.1 200 OK")[1:]]
    assert [b["path"] for b in bodies] == [f"/p/{n}" for n in range(5)]


def test_head_request(portico, upstream):
    api = make_api(portico, {"HEAD /hd": {"uri": f"{upstream.url}/hd"}})
    response = call(portico, api, "/hd", method="HEAD")
    assert response.status_code == 200
    assert response.content == b""


def test_large_bodies_stream_both_ways(portico, upstream):
    api = make_api(portico, {"POST /big": {"uri": f"{upstream.url}/echo"}, "GET /bytes": {"uri": f"{upstream.url}/bytes"}})
    body = b"a" * (3 * 1024 * 1024)
    echo = call(portico, api, "/big", method="POST", data=body).json()
    assert len(echo["body"]) == len(body)
    response = call(portico, api, "/bytes?n=5000000")
    assert len(response.content) == 5_000_000


def test_body_references_in_mappings(portico, upstream):
    api = make_api(portico, {
        "POST /orders": {
            "uri": f"{upstream.url}/orders",
            "RequestParameters": {
                "overwrite:header.x-customer": "$request.body.customer.id",
                "append:querystring.first": "$request.body.items[0].sku",
                "overwrite:header.x-items": "$request.body.items",
                "overwrite:header.x-missing": "$request.body.nope",
            },
            "ResponseParameters": {"200": {"overwrite:header.x-echoed-method": "$response.body.method"}},
        }
    })
    body = {"customer": {"id": "c-7"}, "items": [{"sku": "A1"}, {"sku": "B2"}]}
    response = call(portico, api, "/orders", method="POST", json=body)
    assert response.status_code == 200
    echo = response.json()
    assert header_values(echo, "x-customer") == ["c-7"]
    assert header_values(echo, "x-items") == ['[{"sku":"A1"},{"sku":"B2"}]']
    assert header_values(echo, "x-missing") == []
    assert echo["query"] == "first=A1"
    assert json.loads(echo["body"]) == body
    assert response.headers["x-echoed-method"] == "POST"
    # A body that is not JSON maps to nothing but still reaches the backend.
    echo = call(portico, api, "/orders", method="POST", data=b"not json").json()
    assert header_values(echo, "x-customer") == []
    assert echo["body"] == "not json"


def test_mapped_values_cannot_inject_headers(portico, upstream):
    api = make_api(portico, {
        "POST /inject": {
            "uri": f"{upstream.url}/inject",
            "RequestParameters": {"overwrite:header.x-from-body": "$request.body.value"},
        }
    })
    echo = call(portico, api, "/inject", method="POST", json={"value": "a\r\nX-Injected: yes"}).json()
    assert header_values(echo, "x-injected") == []
    assert header_values(echo, "x-from-body") == []
    echo = call(portico, api, "/inject", method="POST", json={"value": "fine"}).json()
    assert header_values(echo, "x-from-body") == ["fine"]
