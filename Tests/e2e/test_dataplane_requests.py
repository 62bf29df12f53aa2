"""The data plane's own parsing of client requests (ClientRequestParser): smuggling-prone and
malformed requests are refused with 400 and a closed connection before anything reaches the
backend; pipelined requests, chunked uploads and requests dribbled byte by byte arrive intact."""
import hashlib
import os
import socket

import pytest

from dataplane_helpers import make_api
from test_dataplane_review import RawBackend, connect, host_header, read_response, recv_for


class EchoLengthBackend(RawBackend):
    """Answers each request with its path and the SHA-256 of the body it received."""

    def __init__(self):
        self.bodies = []
        super().__init__(lambda path: None)

    def _serve(self, conn, number):
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
                self.requests.append((number, lines[0]))
                headers = {l.split(":", 1)[0].strip().lower(): l.split(":", 1)[1].strip() for l in lines[1:]}
                body = b""
                if headers.get("transfer-encoding", "").lower() == "chunked":
                    while True:
                        while b"\r\n" not in buffer:
                            buffer += conn.recv(65536)
                        size_line, buffer = buffer.split(b"\r\n", 1)
                        size = int(size_line.split(b";")[0], 16)
                        while len(buffer) < size + 2:
                            buffer += conn.recv(65536)
                        body += buffer[:size]
                        buffer = buffer[size + 2:]
                        if size == 0:
                            break
                else:
                    length = int(headers.get("content-length", "0"))
                    while len(buffer) < length:
                        buffer += conn.recv(65536)
                    body, buffer = buffer[:length], buffer[length:]
                self.bodies.append(body)
                answer = (lines[0].split(" ")[1] + " " + hashlib.sha256(body).hexdigest()).encode()
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(answer), answer))
        except OSError:
            pass
        finally:
            conn.close()


@pytest.fixture(scope="module")
def echo_api(portico):
    backend = EchoLengthBackend()
    api = make_api(portico, {"ANY /{proxy+}": {"uri": f"http://127.0.0.1:{backend.port}/{{proxy}}"}})
    return backend, api


SMUGGLING = [
    # Content-Length and Transfer-Encoding together (RFC 9112 §6.3: a classic desync).
    "POST /s HTTP/1.1\r\nHost: {host}\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: {host}\r\n\r\n",
    # Two Content-Lengths, or a list.
    "POST /s HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\nContent-Length: 40\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: {host}\r\n\r\n",
    "POST /s HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0, 40\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: {host}\r\n\r\n",
    # A transfer coding that does not end in chunked.
    "POST /s HTTP/1.1\r\nHost: {host}\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n",
    # Obsolete line folding, whitespace before the colon, a bare CR.
    "GET /s HTTP/1.1\r\nHost: {host}\r\nX-Folded: a\r\n Transfer-Encoding: chunked\r\n\r\n",
    "GET /s HTTP/1.1\r\nHost: {host}\r\nTransfer-Encoding : chunked\r\n\r\n",
    "GET /s HTTP/1.1\r\nHost: {host}\r\nX-A: 1\rTransfer-Encoding: chunked\r\n\r\n",
    # A malformed chunk size.
    "POST /s HTTP/1.1\r\nHost: {host}\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n\r\n",
]


@pytest.mark.parametrize("template", SMUGGLING)
def test_ambiguous_framing_is_refused_before_the_backend(portico, echo_api, template):
    backend, api = echo_api
    seen_before = len(backend.requests)
    with connect(portico) as sock:
        sock.sendall(template.format(host=host_header(api)).encode("latin-1"))
        data, eof = recv_for(sock, 5)
    assert data.startswith(b"HTTP/1.1 400 "), data
    assert b'{"message":"Bad Request"}' in data or b"Bad Request" in data
    assert eof, "the connection stays open after a malformed request"
    assert b"smuggled" not in data
    # Nothing of a refused request reached the backend (the malformed chunk-size case is the
    # only one whose head was acceptable; its body was cut off, so no complete request arrived).
    assert all(b"/smuggled" not in line.encode() for _, line in backend.requests[seen_before:])


def test_pipelined_requests_with_bodies_are_answered_in_order(portico, echo_api):
    backend, api = echo_api
    host = host_header(api)
    bodies = [os.urandom(n) for n in (0, 1, 3000, 70000)]
    payload = b""
    for index, body in enumerate(bodies):
        payload += f"POST /p{index} HTTP/1.1\r\nHost: {host}\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body
    payload += f"PUT /chunked HTTP/1.1\r\nHost: {host}\r\nTransfer-Encoding: chunked\r\n\r\n".encode()
    payload += b"3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nX-Trailer: t\r\n\r\n"
    payload += f"GET /last HTTP/1.1\r\nHost: {host}\r\n\r\n".encode()
    with connect(portico) as sock:
        sock.sendall(payload)
        leftover = b""
        for index, body in enumerate(bodies):
            status, _, answer, leftover = read_response_from(sock, leftover)
            assert status == 200
            assert answer == f"/p{index} {hashlib.sha256(body).hexdigest()}".encode()
        status, _, answer, leftover = read_response_from(sock, leftover)
        assert answer == f"/chunked {hashlib.sha256(b'abcde').hexdigest()}".encode()
        status, _, answer, leftover = read_response_from(sock, leftover)
        assert answer == f"/last {hashlib.sha256(b'').hexdigest()}".encode()


def test_request_dribbled_byte_by_byte(portico, echo_api):
    _, api = echo_api
    body = os.urandom(300)
    request = f"POST /d HTTP/1.1\r\nHost: {host_header(api)}\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body
    with connect(portico) as sock:
        for byte in request:
            sock.send(bytes([byte]))
        status, _, answer, _ = read_response(sock)
    assert status == 200
    assert answer == f"/d {hashlib.sha256(body).hexdigest()}".encode()


def read_response_from(sock, leftover):
    """read_response for a socket with already-received bytes in `leftover`."""
    data = leftover
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, "connection closed"
        data += chunk
    head, rest = data.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    headers = {l.split(":", 1)[0].strip().lower(): l.split(":", 1)[1].strip() for l in lines[1:]}
    length = int(headers["content-length"])
    while len(rest) < length:
        chunk = sock.recv(65536)
        assert chunk, "connection closed"
        rest += chunk
    return int(lines[0].split(" ")[1]), headers, rest[:length], rest[length:]
