"""The data plane's own HTTP/1.1 handling of backend responses (BackendResponseParser and the
head writers): bytes arriving in awkward pieces, chunked bodies with extensions and trailers,
interim responses, oversized heads, and headers named in `Connection`. Bodies are random so that
a lost, doubled or reordered byte shows up."""
import hashlib
import os
import random
import time

from dataplane_helpers import make_api
from test_dataplane_review import RawBackend, connect, host_header, read_response


class ScriptedBackend(RawBackend):
    """Answers every request with `answer(path)` (bytes), written in pieces of the sizes
    `pieces()` yields, with a short pause between pieces so that each arrives as its own read."""

    def __init__(self, answer, pieces=lambda: iter(lambda: 65536, None), pause=0.0):
        self.pieces = pieces
        self.pause = pause
        super().__init__(answer)

    def send(self, conn, data):
        sizes = self.pieces()
        offset = 0
        while offset < len(data):
            size = next(sizes)
            conn.sendall(data[offset:offset + size])
            offset += size
            if self.pause:
                time.sleep(self.pause)


def chunked(body, rng):
    """`body` in chunks of random sizes, with a chunk extension now and then, and a trailer."""
    out = b""
    offset = 0
    while offset < len(body):
        size = min(rng.randint(1, 70000), len(body) - offset)
        extension = b";note=x" if rng.random() < 0.3 else b""
        out += f"{size:x}".encode() + extension + b"\r\n" + body[offset:offset + size] + b"\r\n"
        offset += size
    return out + b"0\r\nX-Checksum: whatever\r\n\r\n"


def test_head_dribbled_byte_by_byte_and_a_random_body_arrive_intact(portico):
    body = os.urandom(1_000_000)
    head = f"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {len(body)}\r\n\r\n".encode()
    sizes = [1] * len(head)

    def pieces():
        yield from sizes
        while True:
            yield 8191

    backend = ScriptedBackend(lambda path: head + body, pieces=pieces, pause=0.0005)
    try:
        api = make_api(portico, {"GET /blob": {"uri": f"{backend.url}/blob"}})
        with connect(portico, timeout=30) as sock:
            sock.sendall(f"GET /blob HTTP/1.1\r\nHost: {host_header(api)}\r\n\r\n".encode())
            status, headers, received, leftover = read_response(sock, seconds=30)
        assert status == 200
        assert headers["content-length"] == str(len(body))
        assert hashlib.sha256(received).hexdigest() == hashlib.sha256(body).hexdigest()
        assert leftover == b""
    finally:
        backend.stop()


def test_chunked_body_in_random_pieces_is_rechunked_intact(portico):
    rng = random.Random(7)
    body = bytes(rng.getrandbits(8) for _ in range(400_000))
    answer = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked(body, rng)

    def pieces():
        while True:
            yield rng.randint(1, 20000)

    backend = ScriptedBackend(lambda path: answer, pieces=pieces)
    try:
        api = make_api(portico, {"GET /c": {"uri": f"{backend.url}/c"}})
        with connect(portico, timeout=30) as sock:
            for _ in range(2):  # the same client and backend connections carry a second exchange
                sock.sendall(f"GET /c HTTP/1.1\r\nHost: {host_header(api)}\r\n\r\n".encode())
                status, headers, received, leftover = read_response(sock, seconds=30)
                assert status == 200
                assert headers.get("transfer-encoding") == "chunked"
                assert "x-checksum" not in headers  # trailers are not forwarded
                assert hashlib.sha256(received).hexdigest() == hashlib.sha256(body).hexdigest()
                assert leftover == b""
        assert backend.connections == 1
    finally:
        backend.stop()


def test_interim_responses_are_not_forwarded(portico):
    answer = (
        b"HTTP/1.1 100 Continue\r\n\r\n"
        b"HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
        b"HTTP/1.1 201 Created\r\nContent-Length: 7\r\n\r\ncreated"
    )
    backend = ScriptedBackend(lambda path: answer)
    try:
        api = make_api(portico, {"POST /i": {"uri": f"{backend.url}/i"}})
        with connect(portico) as sock:
            sock.sendall(f"POST /i HTTP/1.1\r\nHost: {host_header(api)}\r\nContent-Length: 0\r\n\r\n".encode())
            status, headers, received, leftover = read_response(sock)
        assert (status, received, leftover) == (201, b"created", b"")
        assert "link" not in headers
    finally:
        backend.stop()


def test_oversized_backend_head_is_an_integration_failure(portico):
    big = b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * (70 * 1024) + b"\r\nContent-Length: 2\r\n\r\nok"
    backend = ScriptedBackend(lambda path: big if path == "/big" else b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
    try:
        api = make_api(portico, {"GET /{p}": {"uri": f"{backend.url}/{{p}}"}})
        with connect(portico) as sock:
            sock.sendall(f"GET /big HTTP/1.1\r\nHost: {host_header(api)}\r\n\r\n".encode())
            status, _, received, _ = read_response(sock)
            assert (status, received) == (500, b'{"message":"Internal Server Error"}')
            # The client connection carries on; the backend connection was dropped.
            sock.sendall(f"GET /small HTTP/1.1\r\nHost: {host_header(api)}\r\n\r\n".encode())
            status, _, received, _ = read_response(sock)
            assert (status, received) == (200, b"ok")
    finally:
        backend.stop()


def test_headers_named_in_connection_are_not_forwarded(portico):
    answer = (
        b"HTTP/1.1 200 OK\r\nConnection: X-Hop, keep-alive\r\nX-Hop: secret\r\nKeep-Alive: timeout=5\r\n"
        b"Proxy-Connection: keep-alive\r\nX-Kept: yes\r\nContent-Length: 2\r\n\r\nok"
    )
    backend = ScriptedBackend(lambda path: answer)
    try:
        api = make_api(portico, {"GET /h": {"uri": f"{backend.url}/h"}})
        with connect(portico) as sock:
            sock.sendall(f"GET /h HTTP/1.1\r\nHost: {host_header(api)}\r\n\r\n".encode())
            status, headers, received, _ = read_response(sock)
        assert (status, received) == (200, b"ok")
        assert headers.get("x-kept") == "yes"
        for name in ("x-hop", "keep-alive", "proxy-connection", "connection"):
            assert name not in headers, f"{name} was forwarded: {headers}"
    finally:
        backend.stop()


def test_length_and_chunked_together_reach_the_client_as_chunked_only(portico):
    """A backend sending both Content-Length and chunked framing: chunked wins (RFC 9112 §6.3), and
    the client must not get the stale length next to the gateway's own framing, with or without a
    response mapping on the route."""
    answer = b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
    backend = ScriptedBackend(lambda path: answer)
    try:
        api = make_api(portico, {
            "GET /plain": {"uri": f"{backend.url}/plain"},
            "GET /mapped": {"uri": f"{backend.url}/mapped",
                            "ResponseParameters": {"200": {"append:header.x-mapped": "yes"}}},
        })
        with connect(portico) as sock:
            for path in ("/plain", "/mapped"):
                sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {host_header(api)}\r\n\r\n".encode())
                status, headers, received, leftover = read_response(sock)
                assert (status, received, leftover) == (200, b"hello world", b""), path
                assert "content-length" not in headers, (path, headers)
                assert headers.get("transfer-encoding") == "chunked", (path, headers)
        assert headers.get("x-mapped") == "yes"
    finally:
        backend.stop()
