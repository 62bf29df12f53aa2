"""https backends: verified against the system's trust roots plus --upstream-ca-file, with
tlsConfig.serverNameToVerify as AWS uses it (SNI and the name checked on the certificate)."""
import http.server
import ssl
import subprocess
import threading

import pytest

from conftest import Portico, require_program
from dataplane_helpers import call, make_api
from upstream import EchoHandler


def tls_server(folder, name, san):
    cert, key = folder / f"{name}.pem", folder / f"{name}.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
         "-days", "1", "-subj", "/CN=localhost", "-addext", f"subjectAltName={san}"],
        check=True, capture_output=True,
    )
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), EchoHandler)
    server.requests = []
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, cert


@pytest.fixture(scope="module")
def tls_backend(tmp_path_factory):
    """Two https backends with self-signed certificates: one valid for localhost and 127.0.0.1, one for
    localhost only; returns their ports and a CA bundle holding both certificates."""
    require_program("openssl")
    folder = tmp_path_factory.mktemp("tls")
    with_ip, cert_ip = tls_server(folder, "with-ip", "DNS:localhost,IP:127.0.0.1")
    dns_only, cert_dns = tls_server(folder, "dns-only", "DNS:localhost")
    bundle = folder / "bundle.pem"
    bundle.write_text(cert_ip.read_text() + cert_dns.read_text())
    yield with_ip.server_address[1], dns_only.server_address[1], bundle
    with_ip.shutdown()
    dns_only.shutdown()


def test_https_backend_with_a_trusted_ca(tls_backend):
    port, _, cert = tls_backend
    portico = Portico("--upstream-ca-file", str(cert))
    try:
        api = make_api(portico, {
            "GET /by-name": {"uri": f"https://localhost:{port}/by-name"},
            "GET /by-ip": {"uri": f"https://127.0.0.1:{port}/by-ip"},
        })
        response = call(portico, api, "/by-name")
        assert response.status_code == 200, response.text
        assert response.json()["path"] == "/by-name"
        assert call(portico, api, "/by-ip").json()["path"] == "/by-ip"
        # Keep-alive reuse over TLS.
        for _ in range(3):
            assert call(portico, api, "/by-name").status_code == 200
    finally:
        portico.stop()


def test_certificate_name_mismatch_fails(tls_backend):
    _, port, cert = tls_backend
    portico = Portico("--upstream-ca-file", str(cert))
    try:
        client = portico.client()
        api = make_api(portico, {"GET /ok": {"uri": f"https://localhost:{port}/ok"}})
        integration = client.create_integration(
            ApiId=api, IntegrationType="HTTP_PROXY", IntegrationMethod="GET", PayloadFormatVersion="1.0",
            IntegrationUri=f"https://localhost:{port}/wrong", TlsConfig={"ServerNameToVerify": "wrong.example"},
        )["IntegrationId"]
        client.create_route(ApiId=api, RouteKey="GET /wrong", Target=f"integrations/{integration}")
        assert call(portico, api, "/ok").status_code == 200
        response = call(portico, api, "/wrong")
        assert response.status_code == 500
        assert response.json() == {"message": "Internal Server Error"}
    finally:
        portico.stop()


def test_untrusted_certificate_fails(portico, tls_backend):
    port, _, _ = tls_backend
    api = make_api(portico, {"GET /untrusted": {"uri": f"https://localhost:{port}/untrusted"}})
    response = call(portico, api, "/untrusted")
    assert response.status_code == 500
    assert response.json() == {"message": "Internal Server Error"}
