"""Failures on the data plane get AWS's answers, never a crash or a hang: backends that refuse,
reset, hang or answer garbage; payloads and headers over the limits; malformed HTTP."""
import socket

import pytest
import requests

from conftest import Portico
from dataplane_helpers import call, make_api
from upstream import HangingServer, closed_port

INTERNAL = {"message": "Internal Server Error"}


def raw(portico, payload, timeout=10):
    host, port = portico.data_url.split("//")[1].rsplit(":", 1)
    sock = socket.create_connection((host, int(port)), timeout=timeout)
    sock.sendall(payload)
    data = b""
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    except socket.timeout:
        pass
    sock.close()
    return data


def test_refused_connection_is_a_500(portico):
    api = make_api(portico, {"GET /x": {"uri": f"http://127.0.0.1:{closed_port()}/x"}})
    response = call(portico, api, "/x")
    assert response.status_code == 500
    assert response.json() == INTERNAL


def test_reset_and_garbage_are_500s(portico, upstream):
    api = make_api(portico, {"GET /reset": {"uri": f"{upstream.url}/reset"}, "GET /garbage": {"uri": f"{upstream.url}/garbage"}})
    for path in ("/reset", "/garbage"):
        response = call(portico, api, path)
        assert response.status_code == 500, path
        assert response.json() == INTERNAL
    # The gateway is still healthy afterwards.
    assert requests.get(portico.management_url + "/_portico/health", timeout=5).status_code == 200


def test_hanging_backend_times_out_with_503(portico):
    hanging = HangingServer()
    try:
        api = make_api(portico, {"GET /hang": {"uri": f"http://127.0.0.1:{hanging.port}/", "TimeoutInMillis": 300}})
        response = call(portico, api, "/hang", timeout=10)
        # HTTP APIs answer an integration timeout with 503 {"message":"Service Unavailable"}.
        assert response.status_code == 503
        assert response.json() == {"message": "Service Unavailable"}
    finally:
        hanging.stop()


def test_slow_backend_within_the_timeout_is_fine(portico, upstream):
    api = make_api(portico, {"GET /slow": {"uri": f"{upstream.url}/slow", "TimeoutInMillis": 2000}})
    assert call(portico, api, "/slow?ms=200").status_code == 200
    assert call(portico, api, "/slow?ms=2500").status_code == 503


@pytest.fixture(scope="module")
def small_limits():
    server = Portico("--max-payload-bytes", "1000", "--max-header-bytes", "2048")
    yield server
    server.stop()


def test_payload_limit(small_limits, upstream):
    api = make_api(small_limits, {"POST /up": {"uri": f"{upstream.url}/status/200"}, "GET /bytes": {"uri": f"{upstream.url}/bytes"}})
    assert call(small_limits, api, "/up", method="POST", data=b"x" * 1000).status_code == 200
    response = call(small_limits, api, "/up", method="POST", data=b"x" * 1001)
    assert response.status_code == 413
    assert response.json() == {"message": "Request Entity Too Large"}
    # Chunked bodies are counted as they arrive.
    response = call(small_limits, api, "/up", method="POST", data=iter([b"x" * 600, b"x" * 600]))
    assert response.status_code == 413
    # Responses over the limit are refused too.
    assert call(small_limits, api, "/bytes?n=2000").status_code == 500


def test_header_limit(small_limits, upstream):
    api = make_api(small_limits, {"GET /h": {"uri": f"{upstream.url}/status/200"}})
    assert call(small_limits, api, "/h", headers={"X-Big": "y" * 1000}).status_code == 200
    data = raw(small_limits, f"GET /h HTTP/1.1\r\nHost: {api}.execute-api.localhost\r\nX-Big: {'y' * 4000}\r\n\r\n".encode())
    assert data.startswith(b"HTTP/1.1 431")


def test_malformed_http_gets_400_and_close(portico):
    data = raw(portico, b"THIS IS NOT HTTP\r\n\r\n")
    assert data.startswith(b"HTTP/1.1 400")
    data = raw(portico, b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n")
    assert data.startswith(b"HTTP/1.1 400")


def test_integration_timeout_beyond_aws_cap_is_an_option(portico, upstream):
    # AWS caps HTTP API integrations at 30 s; by default so does Portico.
    with pytest.raises(Exception) as refused:
        make_api(portico, {"GET /x": {"uri": f"{upstream.url}/x", "TimeoutInMillis": 45000}})
    assert "between 50 and 30000" in str(refused.value)
    # An operator may raise the cap; new integrations then get the configured default too.
    server = Portico("--max-integration-timeout-ms", "120000", "--integration-timeout-ms", "60000")
    try:
        api = make_api(server, {"GET /long": {"uri": f"{upstream.url}/slow", "TimeoutInMillis": 90000},
                                "GET /default": {"uri": f"{upstream.url}/x"}})
        client = server.client()
        timeouts = sorted(i["TimeoutInMillis"] for i in client.get_integrations(ApiId=api)["Items"])
        assert timeouts == [60000, 90000]
        assert call(server, api, "/long?ms=100").status_code == 200
    finally:
        server.stop()
