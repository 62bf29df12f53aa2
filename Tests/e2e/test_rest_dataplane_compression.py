"""REST API payload compression (AWS: "Payload compression for REST APIs in API Gateway"): with the API's
minimumCompressionSize set and deployed, responses are compressed by the request's highest-priority
Accept-Encoding when large enough, and request bodies sent with a Content-Encoding are decoded first."""
import gzip
import json
import zlib

import pytest
import requests

from rest_dataplane_helpers import RestApi, call
from upstream import Upstream

BIG = {"application/json": '{"text": "' + "compress me " * 100 + '"}'}
SMALL = {"application/json": '{"ok": true}'}


@pytest.fixture(scope="module")
def upstream():
    server = Upstream()
    yield server
    server.stop()


def build(portico, upstream, minimum=100):
    kwargs = {} if minimum is None else {"minimumCompressionSize": minimum}
    api = RestApi(portico, name="compression", **kwargs)
    mock = {"type": "MOCK", "requestTemplates": {"application/json": '{"statusCode": 200}'}}
    api.method("/small", "GET", mock, responses={"200": {"responseTemplates": SMALL}})
    api.method("/proxy", "POST", {"type": "HTTP_PROXY", "integrationHttpMethod": "POST", "uri": upstream.url + "/echo"})
    api.method("/template", "POST", {"type": "HTTP", "integrationHttpMethod": "POST", "uri": upstream.url + "/echo",
                                      "requestTemplates": {"application/json": '{"name": $input.json(\'$.name\')}'}},
               responses={"200": {}})
    api.method("/big", "GET", mock, responses={"200": {"responseTemplates": BIG}})
    api.deploy()
    return api


def raw(portico, api, path, accept_encoding=None, **kwargs):
    """The response with its body as sent (requests would otherwise decode it)."""
    headers = dict(kwargs.pop("headers", {}))
    if accept_encoding is not None:
        headers["Accept-Encoding"] = accept_encoding
    response = call(portico, api.id, path, headers=headers, stream=True, **kwargs)
    body = response.raw.read(decode_content=False)
    return response, body


def test_responses_are_compressed_by_the_preferred_coding(fresh, upstream):
    api = build(fresh, upstream)
    expected = json.loads(BIG["application/json"])

    response, body = raw(fresh, api, "/test/big", "gzip")
    assert response.status_code == 200 and response.headers["Content-Encoding"] == "gzip"
    assert int(response.headers["Content-Length"]) == len(body) < 1200
    assert json.loads(gzip.decompress(body)) == expected

    response, body = raw(fresh, api, "/test/big", "deflate, gzip;q=0.5")
    assert response.headers["Content-Encoding"] == "deflate"
    assert json.loads(zlib.decompress(body)) == expected

    # A browser's list: equal weights, the first supported one listed first wins.
    response, body = raw(fresh, api, "/test/big", "gzip, deflate, br")
    assert response.headers["Content-Encoding"] == "gzip"


@pytest.mark.parametrize("accept", [None, "", "*", "identity", "br", "br, gzip;q=0.8", "gzip;q=0"])
def test_no_compression_unless_a_supported_coding_is_preferred(fresh, upstream, accept):
    # AWS: the highest-priority coding must be a supported one; without the header (`*`), nothing.
    api = build(fresh, upstream)
    session = requests.Session()
    session.headers.pop("Accept-Encoding", None)  # requests' own default would be sent otherwise
    headers = {"Host": f"{api.id}.execute-api.localhost"}
    if accept is not None:
        headers["Accept-Encoding"] = accept
    response = session.get(f"{fresh.data_url}/test/big", headers=headers, stream=True, timeout=30)
    body = response.raw.read(decode_content=False)
    assert "Content-Encoding" not in response.headers
    assert json.loads(body) == json.loads(BIG["application/json"])


def test_small_bodies_and_apis_without_the_setting_are_not_compressed(fresh, upstream):
    api = build(fresh, upstream)
    response, body = raw(fresh, api, "/test/small", "gzip")
    assert "Content-Encoding" not in response.headers and json.loads(body) == {"ok": True}
    plain = build(fresh, upstream, minimum=None)
    response, body = raw(fresh, plain, "/test/big", "gzip")
    assert "Content-Encoding" not in response.headers


def test_zero_compresses_everything(fresh, upstream):
    api = build(fresh, upstream, minimum=0)
    response, body = raw(fresh, api, "/test/small", "gzip")
    assert response.headers["Content-Encoding"] == "gzip" and json.loads(gzip.decompress(body)) == {"ok": True}


def test_a_backend_that_encodes_its_own_body_is_left_alone(fresh, upstream):
    api = build(fresh, upstream, minimum=0)
    # The echo backend sends no Content-Encoding: Portico compresses its answer.
    response, body = raw(fresh, api, "/test/proxy", "gzip", method="POST", data=b"x")
    assert response.headers["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(body))["body"] == "x"
    # One that names its own coding is taken as already encoded (AWS skips compression then).
    api.method("/encoded", "GET", {"type": "HTTP_PROXY", "integrationHttpMethod": "GET",
                                   "uri": upstream.url + "/set-header?name=Content-Encoding&value=br"})
    api.deploy()
    response, body = raw(fresh, api, "/test/encoded", "gzip")
    assert response.headers["Content-Encoding"] == "br" and body == b"{}"


@pytest.mark.parametrize("coding,encode", [("gzip", gzip.compress), ("deflate", zlib.compress),
                                           ("deflate", lambda b: zlib.compress(b)[2:-4])])
def test_request_bodies_are_decoded_before_the_integration(fresh, upstream, coding, encode):
    api = build(fresh, upstream)
    payload = json.dumps({"name": "rex", "pad": "p" * 500}).encode()
    response = call(fresh, api.id, "/test/proxy", method="POST", data=encode(payload),
                    headers={"Content-Encoding": coding, "Content-Type": "application/json", "Accept-Encoding": "identity"})
    assert response.status_code == 200, response.text
    echo = response.json()
    assert echo["body"] == payload.decode()
    assert not [v for k, v in echo["headers"] if k.lower() == "content-encoding"], "the decoded body goes on without its coding"
    # Mapping templates see the decoded body too.
    response = call(fresh, api.id, "/test/template", method="POST", data=encode(payload),
                    headers={"Content-Encoding": coding, "Content-Type": "application/json", "Accept-Encoding": "identity"})
    assert response.status_code == 200, response.text
    assert json.loads(response.json()["body"]) == {"name": "rex"}


@pytest.mark.parametrize("coding,body", [("gzip", b"not gzip at all"), ("br", b"whatever"), ("compress", b"x"),
                                         ("gzip", gzip.compress(b"{}") + b"trailing")])
def test_bad_or_unsupported_request_codings_are_415(fresh, upstream, coding, body):
    api = build(fresh, upstream)
    response = call(fresh, api.id, "/test/proxy", method="POST", data=body,
                    headers={"Content-Encoding": coding, "Content-Type": "application/json", "Accept-Encoding": "identity"})
    assert response.status_code == 415
    assert response.json() == {"message": "Unsupported Media Type"}
    assert response.headers["x-amzn-ErrorType"] == "UnsupportedMediaTypeException"


def test_without_the_setting_encoded_bodies_pass_through(fresh, upstream):
    api = build(fresh, upstream, minimum=None)
    encoded = gzip.compress(b'{"name": "rex"}')
    response = call(fresh, api.id, "/test/proxy", method="POST", data=encoded,
                    headers={"Content-Encoding": "gzip", "Accept-Encoding": "identity"})
    assert response.status_code == 200
    method, path, headers = upstream.requests[-1]
    assert dict((k.lower(), v) for k, v in headers)["content-encoding"] == "gzip"


def test_a_bomb_is_refused_at_the_payload_limit(fresh, upstream):
    api = build(fresh, upstream)
    bomb = gzip.compress(b"\0" * (11 * 1024 * 1024))
    response = call(fresh, api.id, "/test/proxy", method="POST", data=bomb,
                    headers={"Content-Encoding": "gzip", "Accept-Encoding": "identity"})
    assert response.status_code == 413
    assert response.json() == {"message": "Request Too Long"}
