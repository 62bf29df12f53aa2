"""Data-plane review: reproductions of state-machine holes in GatewayHandler (and regression tests
for the edges that already work). Every test drives a real Portico through raw sockets so the
bytes on the wire are what is checked, not what a forgiving client library makes of them.

Tests marked "currently fails" in their docstring reproduce a bug found in review.
"""
import json
import socket
import threading
import time

import pytest

from conftest import Portico
from dataplane_helpers import make_api
from upstream import HangingServer, Listener

# --------------------------------------------------------------------------------------------
# helpers


def data_address(portico):
    host, port = portico.data_url.split("//")[1].rsplit(":", 1)
    return host, int(port)


def connect(portico, timeout=5):
    sock = socket.create_connection(data_address(portico), timeout=timeout)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def recv_for(sock, seconds, until=None):
    """Reads for up to `seconds` (or until `until(data)` holds, or EOF). Returns (data, eof)."""
    data = b""
    deadline = time.monotonic() + seconds
    while True:
        if until is not None and until(data):
            return data, False
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return data, False
        sock.settimeout(remaining)
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            return data, False
        except ConnectionResetError:
            return data, True
        if not chunk:
            return data, True
        data += chunk


def read_response(sock, seconds=10):
    """Reads one complete HTTP/1.1 response (Content-Length or chunked). Returns
    (status, headers dict lower-cased, body, leftover bytes)."""
    data, _ = recv_for(sock, seconds, until=lambda d: b"\r\n\r\n" in d)
    assert b"\r\n\r\n" in data, f"no response head within {seconds} s: {data!r}"
    head, rest = data.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers = {}
    for line in lines[1:]:
        name, value = line.split(":", 1)
        headers[name.strip().lower()] = value.strip()
    if "content-length" in headers:
        length = int(headers["content-length"])
        more, _ = recv_for(sock, seconds, until=lambda d: len(rest) + len(d) >= length)
        rest += more
        return status, headers, rest[:length], rest[length:]
    if headers.get("transfer-encoding", "").lower() == "chunked":
        body = b""
        while True:
            more, eof = recv_for(sock, seconds, until=lambda d: b"\r\n" in rest + d)
            rest += more
            size_line, rest = rest.split(b"\r\n", 1)
            size = int(size_line.split(b";")[0], 16)
            more, eof = recv_for(sock, seconds, until=lambda d: len(rest) + len(d) >= size + 2)
            rest += more
            if size == 0:
                return status, headers, body, rest[2:]
            body += rest[:size]
            rest = rest[size + 2:]
    return status, headers, None, rest  # not delimited


def host_header(api):
    return f"{api}.execute-api.localhost"


def portico_rss_kib(portico):
    with open(f"/proc/{portico.proc.pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class RawBackend(Listener):
    """A backend whose answers the test writes byte for byte. `respond(path)` returns the bytes
    to send for a request (or None to close without answering); `close_after(path)` says whether
    to close the connection after answering."""

    def __init__(self, respond, close_after=lambda path: False, read_body=True):
        self.respond = respond
        self.read_body = read_body
        self.close_after = close_after
        self.requests = []  # (connection number, request line)
        super().__init__(backlog=64)

    def accepted(self, conn, number):
        threading.Thread(target=self._serve, args=(conn, number), daemon=True).start()

    def _serve(self, conn, number):
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        buffer = b""
        try:
            while True:
                while b"\r\n\r\n" not in buffer:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    buffer += chunk
                head, buffer = buffer.split(b"\r\n\r\n", 1)
                lines = head.decode("latin-1").split("\r\n")
                path = lines[0].split(" ")[1]
                self.requests.append((number, lines[0]))
                headers = {l.split(":", 1)[0].strip().lower(): l.split(":", 1)[1].strip() for l in lines[1:]}
                length = int(headers.get("content-length", "0"))
                if not self.read_body:
                    buffer = b""
                elif headers.get("transfer-encoding", "").lower() == "chunked":
                    while not buffer.endswith(b"0\r\n\r\n"):
                        buffer += conn.recv(65536)
                    buffer = b""
                else:
                    while len(buffer) < length:
                        buffer += conn.recv(65536)
                    buffer = buffer[length:]
                answer = self.respond(path)
                if answer is None:
                    conn.close()
                    return
                self.send(conn, answer)
                if self.close_after(path):
                    conn.close()
                    return
        except OSError:
            pass

    def send(self, conn, data):
        conn.sendall(data)

    def stop(self):
        self.sock.close()


# --------------------------------------------------------------------------------------------
# Expect: 100-continue


def test_expect_100_continue_is_answered_for_a_proxied_route(portico, upstream):
    """Regression for a bug found in review, now fixed. A client that sends `Expect: 100-continue` waits for `100 Continue` before
    sending the body. Portico forwards the Expect header; the backend's 100 is dropped by NIO's
    client decoder (informationalResponseStrategy .drop), and the gateway never sends one itself.
    A strict client deadlocks; curl stalls 1 s on every upload of more than 1 MB."""
    api = make_api(portico, {"POST /upload": {"uri": f"{upstream.url}/upload"}})
    sock = connect(portico)
    try:
        sock.sendall(
            f"POST /upload HTTP/1.1\r\nHost: {host_header(api)}\r\nContent-Length: 5\r\n"
            "Expect: 100-continue\r\n\r\n".encode()
        )
        interim, _ = recv_for(sock, 3, until=lambda d: b"\r\n\r\n" in d)
        # Unblock the exchange either way, so the connection ends cleanly.
        sock.sendall(b"hello")
        assert interim.startswith(b"HTTP/1.1 100"), f"no 100 Continue within 3 s, got {interim!r}"
        status, _, body, _ = read_response(sock)
        assert status == 200
        assert json.loads(body)["body"] == "hello"
    finally:
        sock.close()


def test_expect_100_continue_to_an_unknown_route_is_answered_at_once(portico, upstream):
    """Regression for a bug found in review, now fixed. Gateway answers (404, 403, 413, preflight, errors) are `deferred` until
    the request body has been read. A client that waits for 100-continue never sends it, so
    neither side moves: the connection hangs until the client gives up (no idle timer runs while
    an exchange exists). AWS answers the 404 immediately."""
    api = make_api(portico, {"GET /exists": {"uri": f"{upstream.url}/exists"}})
    sock = connect(portico)
    try:
        sock.sendall(
            f"POST /nope HTTP/1.1\r\nHost: {host_header(api)}\r\nContent-Length: 100000\r\n"
            "Expect: 100-continue\r\n\r\n".encode()
        )
        data, _ = recv_for(sock, 3, until=lambda d: b"\r\n\r\n" in d)
        assert data.startswith(b"HTTP/1.1 404"), f"no answer within 3 s, got {data!r}"
    finally:
        sock.close()


# --------------------------------------------------------------------------------------------
# orphaned upstream connections


def test_connect_completing_after_the_integration_timeout_does_not_answer_the_next_request(portico):
    """Regression for a fixed bug. If the integration timeout fires while the upstream connect is still in
    progress and the request body has not ended, `integrationTimedOut` only sets `deferred`. When
    the connect then completes, `connectUpstream`'s guard (same exchange, no head sent) passes and
    `attach` wires the connection to the exchange. After the 503 nothing closes that connection,
    and its delegate is the handler, so whatever the backend answers is delivered to whichever
    exchange is current:
    1. the NEXT request on the client connection gets the old request's response;
    2. on that response's `.end`, `upstreamReceived` releases `exchange.upstream` -- the next
       request's OWN connection, whose response is still outstanding -- to the pool, so a later
       request (any client on that event loop) receives a response meant for someone else."""
    from upstream import Upstream

    own = Upstream()  # this test poisons the pool for its backend; keep that away from other tests
    # A listener with backlog 0 and one connection it has not accepted: the proxy's SYN is
    # dropped and retried after ~1 s, so its connect outlives a 300 ms integration timeout.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    filler = socket.create_connection(("127.0.0.1", port))
    api = make_api(portico, {
        "POST /a": {"uri": f"http://127.0.0.1:{port}/a", "TimeoutInMillis": 300},
        "GET /b": {"uri": f"{own.url}/slow", "TimeoutInMillis": 10000},
        "GET /c": {"uri": f"{own.url}/c", "TimeoutInMillis": 10000},
    })
    sock = connect(portico, timeout=10)
    problems = []
    try:
        sock.sendall(f"POST /a HTTP/1.1\r\nHost: {host_header(api)}\r\nContent-Length: 5\r\n\r\n".encode())
        time.sleep(0.6)  # the integration timeout has fired; the connect is still pending
        # The 503 goes out at once, without waiting for the rest of the body.
        status, _, _, _ = read_response(sock)
        assert status == 503
        sock.sendall(b"hello")  # the rest of POST /a's body: read and dropped
        accepted_filler, _ = listener.accept()  # frees the accept queue for the SYN retry
        listener.settimeout(5)
        orphan, _ = listener.accept()  # the proxy's connection, completing after the timeout
        orphan.settimeout(1)
        try:
            request_a = orphan.recv(65536)
        except socket.timeout:
            request_a = b""
        if request_a.startswith(b"POST /a "):
            problems.append("the timed-out POST /a was still sent to the backend")
        # The next request on the same client connection; its backend answers after 1 s.
        sock.sendall(f"GET /b?ms=1000 HTTP/1.1\r\nHost: {host_header(api)}\r\n\r\n".encode())
        time.sleep(0.2)
        try:
            orphan.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 13\r\n\r\nanswer-for-/a")
        except OSError:
            pass  # already closed by the proxy: the right behaviour
        status, _, body, _ = read_response(sock)
        if body == b"answer-for-/a":
            problems.append("GET /b received the response meant for the timed-out POST /a")
        # Then a third request to the same backend as /b, on the same connection (same loop).
        sock.sendall(f"GET /c HTTP/1.1\r\nHost: {host_header(api)}\r\n\r\n".encode())
        status, _, body, _ = read_response(sock)
        path = json.loads(body).get("path") if body and body.startswith(b"{") else body
        if path != "/c":
            problems.append(f"GET /c received the response for {path!r}: a pooled connection was reused "
                            "while its response was outstanding")
        accepted_filler.close()
        orphan.close()
    finally:
        sock.close()
        filler.close()
        listener.close()
        own.stop()
    assert not problems, problems


@pytest.fixture(scope="module")
def limited():
    server = Portico("--max-payload-bytes", "1000")
    yield server
    server.stop()


def test_oversized_chunked_upload_closes_its_upstream_connection(limited):
    """Regression (passes, but only by accident). A chunked upload that crosses the payload
    limit after the upstream request has started gets its 413 through `respondAndClose` ->
    `respond` -> `finish`, none of which closes `exchange.upstream` (and `finish` cancels the
    integration timeout). Today the upstream is closed only because the 413 write completes
    synchronously, so the close-after-write callback runs inside `finish`, `channelInactive`
    re-enters while `self.exchange` is still set, and `abandon` closes it. If that write cannot
    complete at once, `completeExchange` clears `exchange` first and the connection leaks."""
    hanging = HangingServer()
    try:
        api = make_api(limited, {"POST /up": {"uri": f"http://127.0.0.1:{hanging.port}/up"}})
        sock = connect(limited)
        sock.sendall(f"POST /up HTTP/1.1\r\nHost: {host_header(api)}\r\nTransfer-Encoding: chunked\r\n\r\n".encode())
        deadline = time.monotonic() + 5
        while not hanging.conns and time.monotonic() < deadline:
            time.sleep(0.02)
        assert hanging.conns, "the proxy never connected upstream"
        sock.sendall(b"258\r\n" + b"x" * 600 + b"\r\n" + b"258\r\n" + b"x" * 600 + b"\r\n")
        status, _, _, _ = read_response(sock)
        assert status == 413
        sock.close()
        upstream_conn = hanging.conns[0]
        _, eof = recv_for(upstream_conn, 3)
        assert eof, "the upstream connection of the refused upload is still open 3 s later"
    finally:
        hanging.stop()


# --------------------------------------------------------------------------------------------
# framing


def test_http10_keep_alive_client_gets_a_delimited_response(portico):
    """Regression for a bug found in review, now fixed. The response head takes the client's version (HTTP/1.0). For a backend
    response without Content-Length (chunked, or ending by close) NIO's encoder cannot chunk for
    HTTP/1.0 and sends the body undelimited, leaving it to the caller to close
    ("we require that the user send that connection close"). GatewayHandler keeps the
    connection open for `Connection: keep-alive` 1.0 clients, so the client can never find the
    end of the body."""
    backend = RawBackend(lambda path: b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")
    try:
        api = make_api(portico, {"GET /c": {"uri": f"{backend.url}/c"}})
        sock = connect(portico)
        try:
            sock.sendall(f"GET /c HTTP/1.0\r\nHost: {host_header(api)}\r\nConnection: keep-alive\r\n\r\n".encode())
            data, eof = recv_for(sock, 3)
            head, _, body = data.partition(b"\r\n\r\n")
            assert body == b"hello", data
            delimited = b"content-length:" in head.lower() or eof
            assert delimited, f"an HTTP/1.0 response with neither Content-Length nor a close: {data!r}"
        finally:
            sock.close()
    finally:
        backend.stop()


def test_statuscode_mapping_to_204_sends_no_body(portico, upstream):
    """Regression for a bug found in review, now fixed. `overwrite:statuscode` to 204 (or 304, 1xx) is applied to a streamed
    response: NIO's encoder strips Content-Length for a 204 and the gateway still writes the
    backend's body, which the client then parses as the start of the next response."""
    api = make_api(portico, {
        "GET /x": {"uri": f"{upstream.url}/x", "ResponseParameters": {"200": {"overwrite:statuscode": "204"}}},
    })
    sock = connect(portico)
    try:
        sock.sendall(f"GET /x HTTP/1.1\r\nHost: {host_header(api)}\r\n\r\n".encode())
        data, _ = recv_for(sock, 2)
        assert data.startswith(b"HTTP/1.1 204"), data
        head, _, after = data.partition(b"\r\n\r\n")
        assert after == b"", f"bytes after a 204 head corrupt the connection: {after[:80]!r}"
    finally:
        sock.close()


def test_head_responses_keep_the_connection_in_step(portico):
    """Regression (passes): HEAD answered by the gateway (404 with a JSON body) and HEAD proxied
    to a backend answering with Transfer-Encoding: chunked must put no body bytes (nor a chunked
    terminator) on the wire. This relies on configureHTTPServerPipeline pairing the request
    decoder with the response encoder; a hand-built pipeline would break it."""
    backend = RawBackend(lambda path: b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
    try:
        api = make_api(portico, {"HEAD /h": {"uri": f"{backend.url}/h"}, "GET /g": {"uri": f"{backend.url}/g"}})
        sock = connect(portico)
        try:
            sock.sendall(f"HEAD /missing HTTP/1.1\r\nHost: {host_header(api)}\r\n\r\n".encode())
            data, _ = recv_for(sock, 1.5)
            assert data.startswith(b"HTTP/1.1 404") and data.endswith(b"\r\n\r\n"), data
            sock.sendall(f"HEAD /h HTTP/1.1\r\nHost: {host_header(api)}\r\n\r\n".encode())
            data, _ = recv_for(sock, 1.5)
            assert data.startswith(b"HTTP/1.1 200") and data.endswith(b"\r\n\r\n"), data
        finally:
            sock.close()
    finally:
        backend.stop()


def test_response_ending_by_close_is_rechunked_and_the_connection_reused(portico, upstream):
    """Regression (passes): a backend response without Content-Length that ends when the
    backend closes reaches an HTTP/1.1 client chunked and complete, and the client connection
    carries on."""
    backend = RawBackend(lambda path: b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil-close", close_after=lambda path: True)
    try:
        api = make_api(portico, {"GET /eof": {"uri": f"{backend.url}/eof"}, "GET /echo": {"uri": f"{upstream.url}/echo"}})
        sock = connect(portico)
        try:
            for _ in range(2):
                sock.sendall(f"GET /eof HTTP/1.1\r\nHost: {host_header(api)}\r\n\r\n".encode())
                status, headers, body, leftover = read_response(sock)
                assert (status, body, leftover) == (200, b"until-close", b"")
                assert "connection" not in headers
            sock.sendall(f"GET /echo HTTP/1.1\r\nHost: {host_header(api)}\r\n\r\n".encode())
            status, _, body, _ = read_response(sock)
            assert status == 200 and json.loads(body)["path"] == "/echo"
        finally:
            sock.close()
    finally:
        backend.stop()


def test_backend_truncating_a_body_closes_the_client_connection(portico):
    """Regression (passes): a backend that closes after part of a Content-Length body makes the
    gateway close the client connection (the client must see the truncation, not a hang)."""
    backend = RawBackend(lambda path: b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly-part", close_after=lambda path: True)
    try:
        api = make_api(portico, {"GET /t": {"uri": f"{backend.url}/t"}})
        sock = connect(portico)
        try:
            sock.sendall(f"GET /t HTTP/1.1\r\nHost: {host_header(api)}\r\n\r\n".encode())
            data, eof = recv_for(sock, 3)
            assert data.startswith(b"HTTP/1.1 200") and data.endswith(b"only-part")
            assert eof
        finally:
            sock.close()
    finally:
        backend.stop()


# --------------------------------------------------------------------------------------------
# connection life


def test_client_abort_closes_the_upstream_connection(portico):
    """Regression (passes): a client that goes away while its request waits on the backend
    takes the upstream connection with it (no connection parked until the 30 s timeout)."""
    hanging = HangingServer()
    try:
        api = make_api(portico, {"GET /hang": {"uri": f"http://127.0.0.1:{hanging.port}/hang"}})
        sock = connect(portico)
        sock.sendall(f"GET /hang HTTP/1.1\r\nHost: {host_header(api)}\r\n\r\n".encode())
        deadline = time.monotonic() + 5
        while not hanging.conns and time.monotonic() < deadline:
            time.sleep(0.02)
        assert hanging.conns
        sock.close()
        _, eof = recv_for(hanging.conns[0], 3)
        assert eof, "the upstream connection outlived its client"
    finally:
        hanging.stop()


def test_stale_pooled_connection_is_retried_once(portico):
    """Regression (passes): a pooled connection the backend drops on the next request (the
    keep-alive race) is retried once on a fresh connection for a bodiless request."""
    seen = {"n": 0}

    def respond(path):
        seen["n"] += 1
        if seen["n"] == 2:
            return None  # read the request, then close without answering
        return b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"

    backend = RawBackend(respond)
    try:
        api = make_api(portico, {"GET /r": {"uri": f"{backend.url}/r"}})
        sock = connect(portico)
        try:
            for _ in range(2):
                sock.sendall(f"GET /r HTTP/1.1\r\nHost: {host_header(api)}\r\n\r\n".encode())
                status, _, body, _ = read_response(sock)
                assert (status, body) == (200, b"ok")
            assert backend.connections >= 2
        finally:
            sock.close()
    finally:
        backend.stop()


def test_early_response_then_the_rest_of_the_body_then_the_next_request(portico, upstream):
    """Regression (passes): a backend that answers before reading the request body; the client
    finishes sending it, then uses the same connection again."""
    backend = RawBackend(lambda path: b"HTTP/1.1 403 Forbidden\r\nContent-Length: 2\r\n\r\nno", read_body=False)
    try:
        api = make_api(portico, {"POST /early": {"uri": f"{backend.url}/early"}, "GET /echo": {"uri": f"{upstream.url}/echo"}})
        sock = connect(portico)
        try:
            sock.sendall(
                f"POST /early HTTP/1.1\r\nHost: {host_header(api)}\r\nContent-Length: 10\r\n\r\n12345".encode()
            )
            time.sleep(0.3)
            sock.sendall(b"67890")
            status, _, body, _ = read_response(sock)
            assert (status, body) == (403, b"no")
            sock.sendall(f"GET /echo HTTP/1.1\r\nHost: {host_header(api)}\r\n\r\n".encode())
            status, _, body, _ = read_response(sock)
            assert status == 200 and json.loads(body)["path"] == "/echo"
        finally:
            sock.close()
    finally:
        backend.stop()


# --------------------------------------------------------------------------------------------
# back-pressure


@pytest.fixture(scope="module")
def big_payloads():
    server = Portico("--max-payload-bytes", str(512 * 1024 * 1024))
    yield server
    server.stop()


def test_request_body_is_back_pressured_by_the_backend(big_payloads):
    """Regression for a bug found in review, now fixed. Request bodies are written upstream with `writeAndFlush` per part and
    nothing watches the upstream channel's writability, so a backend that reads slowly (here:
    never) makes the gateway read the whole upload from the client into memory (bounded only by
    the payload limit, per connection). The client's send should stall once the socket buffers
    fill."""
    hanging = HangingServer()
    try:
        api = make_api(big_payloads, {"POST /up": {"uri": f"http://127.0.0.1:{hanging.port}/up", "TimeoutInMillis": 30000}})
        rss_before = portico_rss_kib(big_payloads)
        total = 160 * 1024 * 1024
        sock = connect(big_payloads)
        sock.sendall(f"POST /up HTTP/1.1\r\nHost: {host_header(api)}\r\nContent-Length: {total}\r\n\r\n".encode())
        chunk = b"x" * (1024 * 1024)
        sent = 0
        sock.settimeout(3)
        try:
            while sent < total:
                sock.sendall(chunk)
                sent += len(chunk)
        except socket.timeout:
            pass
        time.sleep(0.5)
        grown_mib = (portico_rss_kib(big_payloads) - rss_before) // 1024
        sock.close()
        assert sent < 64 * 1024 * 1024, (
            f"the gateway accepted {sent // (1024 * 1024)} MiB of a body its backend never read "
            f"(its RSS grew by {grown_mib} MiB)"
        )
    finally:
        hanging.stop()
