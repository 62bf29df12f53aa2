"""A real HTTP/1.1 backend for the data-plane tests, on an ephemeral loopback port.

Paths it understands:
  /slow?ms=N          answers after N milliseconds
  /status/CODE        answers with that status
  /bytes?n=N          answers with N bytes of body
  /garbage            writes bytes that are not HTTP, then closes
  /reset              closes the connection without answering
  /cors               answers with CORS headers of its own
  /set-header?name=..&value=..   answers with that header
  anything else       echoes the request as JSON: method, path, query, headers (list of pairs), body
"""
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class EchoHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes; without TCP_NODELAY, Nagle's algorithm and the
    # client's delayed ACK add ~40 ms to every keep-alive response.
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def _body(self):
        length = int(self.headers.get("Content-Length") or 0)
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            data = b""
            while True:
                size = int(self.rfile.readline().strip(), 16)
                if size == 0:
                    self.rfile.readline()
                    break
                data += self.rfile.read(size)
                self.rfile.readline()
            return data
        return self.rfile.read(length) if length else b""

    def _send(self, status, body, headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _handle(self):
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        body = self._body()
        self.server.requests.append((self.command, self.path, list(self.headers.items())))
        if url.path == "/slow":
            time.sleep(int(query.get("ms", ["1000"])[0]) / 1000)
        if url.path.startswith("/status/"):
            code = int(url.path.split("/")[2])
            self._send(code, json.dumps({"status": code}).encode(), [("Content-Type", "application/json")])
            return
        if url.path == "/bytes":
            self._send(200, b"x" * int(query["n"][0]), [("Content-Type", "application/octet-stream")])
            return
        if url.path == "/garbage":
            self.wfile.write(b"this is not http\r\n\r\n")
            self.wfile.flush()
            self.close_connection = True
            return
        if url.path == "/reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            self.connection.close()
            self.close_connection = True
            return
        if url.path == "/cors":
            self._send(200, b"{}", [("Access-Control-Allow-Origin", "https://evil.example"), ("Content-Type", "application/json")])
            return
        if url.path == "/set-header":
            # name=...&value=... pairs, in order (several allowed).
            self._send(200, b"{}", list(zip(query["name"], query["value"])) + [("Content-Type", "application/json")])
            return
        echo = {
            "method": self.command,
            "path": url.path,
            "rawPath": self.path.split("?")[0],
            "query": url.query,
            "headers": [[k, v] for k, v in self.headers.items()],
            "body": body.decode("utf-8", "replace"),
        }
        self._send(200, json.dumps(echo).encode(), [("Content-Type", "application/json"), ("X-Backend", "echo")])

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_HEAD = _handle


class Upstream:
    def __init__(self):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), EchoHandler)
        self.server.daemon_threads = True
        self.server.requests = []
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def requests(self):
        return self.server.requests

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def closed_port():
    """A loopback port with nothing listening on it."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


class Listener:
    """A loopback listening socket whose accepted connections go to `accepted(conn, number)` on an
    accept thread. Subclasses decide what a connection gets."""

    def __init__(self, backlog=64):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(backlog)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.connections = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            self.accepted(conn, self.connections)

    def accepted(self, conn, number):
        raise NotImplementedError


class HangingServer(Listener):
    """Accepts connections and never answers."""

    def __init__(self):
        self.conns = []
        super().__init__(backlog=16)

    def accepted(self, conn, number):
        self.conns.append(conn)

    def stop(self):
        for conn in self.conns:
            conn.close()
        self.sock.close()
