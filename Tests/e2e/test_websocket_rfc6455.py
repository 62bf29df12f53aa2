"""RFC 6455 conformance of Portico's WebSocket endpoint, written from the RFC in the manner of the Autobahn
test suite's cases: the opening handshake, framing (masking, reserved bits, opcodes, lengths), control frames,
fragmentation, UTF-8 validation, the closing handshake and the size limits.

Every case drives a raw TCP socket, so frames can be malformed on purpose (a client library refuses to send
them). The API under test has a two-way MOCK `$default` route that echoes each text message:
the request template copies the message into `{"statusCode": 200, "m": "..."}` and the response template
answers `$input.path('$.m')`.
"""
import base64
import hashlib
import os
import socket
from urllib.parse import urlsplit

import pytest

from conftest import Portico
from test_websocket_dataplane import make_ws_api

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
ECHO_REQUEST = '{"statusCode": 200, "m": "$util.escapeJavaScript($input.body)"}'
ECHO_RESPONSE = "$input.path('$.m')"

TEXT, BINARY, CONTINUATION, CLOSE, PING, PONG = 0x1, 0x2, 0x0, 0x8, 0x9, 0xA


@pytest.fixture(scope="module")
def echo_api(portico):
    return portico, make_ws_api(portico, {"$default": ("mock", ECHO_REQUEST, ECHO_RESPONSE, "two-way")})


def encode_frame(opcode, payload=b"", fin=True, masked=True, rsv=0, length_bytes=None):
    """One frame as RFC 6455 §5.2 lays it out. `length_bytes` forces the 7-bit (0), 16-bit (2) or 64-bit (8)
    length encoding; by default the shortest one is used."""
    header = bytes([(0x80 if fin else 0) | (rsv << 4) | opcode])
    length = len(payload)
    mask_bit = 0x80 if masked else 0
    if length_bytes is None:
        length_bytes = 0 if length < 126 else 2 if length < 65536 else 8
    if length_bytes == 0:
        header += bytes([mask_bit | length])
    elif length_bytes == 2:
        header += bytes([mask_bit | 126]) + length.to_bytes(2, "big")
    else:
        header += bytes([mask_bit | 127]) + length.to_bytes(8, "big")
    if not masked:
        return header + payload
    key = os.urandom(4)
    return header + key + bytes(b ^ key[i % 4] for i, b in enumerate(payload))


def close_payload(code, reason=b""):
    return code.to_bytes(2, "big") + reason


class RawClient:
    """A WebSocket client over a plain socket that sends whatever bytes it is told to and parses every frame
    the server sends, checking what the RFC asks of a server's frames."""

    def __init__(self, portico, api_id, stage="prod"):
        split = urlsplit(portico.data_url)
        self.netloc = split.netloc
        self.path = f"/_aws/execute-api/{api_id}/{stage}"
        # A bound on every read: a server that never answers fails the test instead of hanging it.
        self.sock = socket.create_connection((split.hostname, split.port), timeout=30)
        self.data = b""

    def request(self, headers):
        """Sends a handshake with these headers; returns (status line, {lower-case name: value})."""
        lines = [f"GET {self.path} HTTP/1.1", f"Host: {self.netloc}"] + [f"{k}: {v}" for k, v in headers.items()]
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        while b"\r\n\r\n" not in self.data:
            chunk = self.sock.recv(4096)
            assert chunk, f"no answer to the handshake: {self.data!r}"
            self.data += chunk
        head, _, self.data = self.data.partition(b"\r\n\r\n")
        status, *fields = head.decode("latin-1").split("\r\n")
        return status, {name.strip().lower(): value.strip() for name, value in (f.split(":", 1) for f in fields)}

    def handshake(self, key=None):
        key = key or base64.b64encode(os.urandom(16)).decode()
        status, headers = self.request({"Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Key": key,
                                        "Sec-WebSocket-Version": "13"})
        assert status == "HTTP/1.1 101 Switching Protocols", (status, headers)
        # §4.2.2: base64 of the SHA-1 of the key and the GUID.
        assert headers["sec-websocket-accept"] == base64.b64encode(hashlib.sha1(key.encode() + GUID).digest()).decode()
        assert headers["upgrade"].lower() == "websocket" and headers["connection"].lower() == "upgrade"
        # No extension was asked for, so none is in use (§9.1).
        assert "sec-websocket-extensions" not in headers
        return self

    def send(self, *frames):
        self.sock.sendall(b"".join(frames))

    def _fill(self, count):
        while len(self.data) < count:
            chunk = self.sock.recv(65536)
            if not chunk:
                return False
            self.data += chunk
        return True

    def read_frame(self):
        """The next frame as (fin, opcode, payload), or None when the server closed the TCP connection."""
        if not self._fill(2):
            assert not self.data, f"TCP closed in the middle of a frame: {self.data!r}"
            return None
        first, second = self.data[0], self.data[1]
        # §5.1: a server MUST NOT mask frames; §5.2: no extension, so no reserved bit.
        assert second & 0x80 == 0, "the server masked a frame"
        assert first & 0x70 == 0, "the server set a reserved bit"
        length, offset = second & 0x7F, 2
        if length == 126:
            assert self._fill(4)
            length, offset = int.from_bytes(self.data[2:4], "big"), 4
            assert length >= 126, "not the minimal length encoding (§5.2)"
        elif length == 127:
            assert self._fill(10)
            length, offset = int.from_bytes(self.data[2:10], "big"), 10
            assert 65536 <= length < 2 ** 63, "not the minimal length encoding, or the top bit set (§5.2)"
        assert self._fill(offset + length), "TCP closed in the middle of a frame"
        payload, self.data = self.data[offset:offset + length], self.data[offset + length:]
        return bool(first & 0x80), first & 0x0F, payload

    def read_message(self):
        """The next data message (text or binary), answering nothing; control frames other than pong fail."""
        fin, opcode, payload = self.read_frame()
        assert opcode in (TEXT, BINARY), (opcode, payload)
        while not fin:
            fin, continuation, more = self.read_frame()
            assert continuation == CONTINUATION
            payload += more
        return opcode, payload

    def expect_close(self, code):
        """Reads until the server's close frame (data frames before it are allowed), checks its status code
        and that it is the last frame: the server then closes the TCP connection (§7.1.1, §5.5.1)."""
        while True:
            frame = self.read_frame()
            assert frame is not None, "the server closed TCP without a close frame"
            fin, opcode, payload = frame
            if opcode == CLOSE:
                break
            assert opcode in (TEXT, BINARY, CONTINUATION, PONG), opcode
        assert fin, "a fragmented close frame"
        if code is None:
            assert payload == b"", payload
        else:
            assert len(payload) >= 2, payload
            assert int.from_bytes(payload[:2], "big") == code, payload
            payload[2:].decode("utf-8")  # §5.5.1: the reason is UTF-8
        assert self.read_frame() is None, "the server sent a frame after its close frame"
        return payload

    def close(self):
        self.sock.close()


def connected(echo_api):
    portico, api_id = echo_api
    return RawClient(portico, api_id).handshake()


def assert_echo(client, text):
    client.send(encode_frame(TEXT, text.encode()))
    assert client.read_message() == (TEXT, text.encode())


# §4: the opening handshake


def test_handshake_accept_value_for_the_rfc_example_key(echo_api):
    portico, api_id = echo_api
    client = RawClient(portico, api_id).handshake("dGhlIHNhbXBsZSBub25jZQ==")
    assert_echo(client, "hello")
    client.close()


@pytest.mark.parametrize("change, status", [
    ({"Sec-WebSocket-Key": None}, 400),                      # §4.2.1 item 5: the key is required
    ({"Sec-WebSocket-Key": "c2hvcnQ="}, 400),                # ... and is 16 bytes, base64-encoded
    ({"Sec-WebSocket-Key": "not base64!"}, 400),
    ({"Sec-WebSocket-Version": "8"}, 426),                   # §4.4: a version the server does not speak
    ({"Sec-WebSocket-Version": "14"}, 426),
    ({"Sec-WebSocket-Version": None}, 426),                  # §4.2.1 item 6: the version is required
])
def test_bad_handshakes_are_refused(echo_api, change, status):
    portico, api_id = echo_api
    headers = {"Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
               "Sec-WebSocket-Version": "13"}
    for name, value in change.items():
        if value is None:
            del headers[name]
        else:
            headers[name] = value
    client = RawClient(portico, api_id)
    line, answer = client.request(headers)
    assert line.split(" ")[1] == str(status), line
    assert "sec-websocket-accept" not in answer
    if status == 426:
        # §4.2.2 / §4.4: the answer names the version(s) the server understands.
        assert answer["sec-websocket-version"] == "13"
    client.close()


# §5.1, §5.2: masking, reserved bits, opcodes


def test_unmasked_client_frame_closes_with_1002(echo_api):
    client = connected(echo_api)
    client.send(encode_frame(TEXT, b"hello", masked=False))
    client.expect_close(1002)


@pytest.mark.parametrize("rsv", [1, 2, 4, 7])
@pytest.mark.parametrize("opcode", [TEXT, BINARY, PING])
def test_reserved_bits_without_an_extension_close_with_1002(echo_api, rsv, opcode):
    client = connected(echo_api)
    client.send(encode_frame(opcode, b"hello", rsv=rsv))
    client.expect_close(1002)


def test_reserved_bit_on_a_continuation_frame_closes_with_1002(echo_api):
    client = connected(echo_api)
    client.send(encode_frame(TEXT, b"hel", fin=False), encode_frame(CONTINUATION, b"lo", rsv=4))
    client.expect_close(1002)


@pytest.mark.parametrize("opcode", [0x3, 0x4, 0x5, 0x6, 0x7, 0xB, 0xC, 0xD, 0xE, 0xF])
def test_reserved_opcodes_close_with_1002(echo_api, opcode):
    client = connected(echo_api)
    client.send(encode_frame(opcode, b"x"))
    client.expect_close(1002)


def test_reserved_opcode_after_a_good_message(echo_api):
    client = connected(echo_api)
    client.send(encode_frame(TEXT, b"first"), encode_frame(0x3))
    assert client.read_message() == (TEXT, b"first")
    client.expect_close(1002)


# §5.5: control frames


@pytest.mark.parametrize("payload", [b"", b"hello", bytes(range(125)), "Hé€𝄞".encode()])
def test_ping_is_answered_with_a_pong_of_the_same_payload(echo_api, payload):
    client = connected(echo_api)
    client.send(encode_frame(PING, payload))
    assert client.read_frame() == (True, PONG, payload)
    assert_echo(client, "still open")
    client.close()


def test_many_pings_each_get_a_pong(echo_api):
    client = connected(echo_api)
    client.send(*(encode_frame(PING, str(n).encode()) for n in range(20)))
    for n in range(20):
        assert client.read_frame() == (True, PONG, str(n).encode())
    client.close()


@pytest.mark.parametrize("opcode", [PING, PONG, CLOSE])
def test_control_frame_over_125_bytes_closes_with_1002(echo_api, opcode):
    client = connected(echo_api)
    client.send(encode_frame(opcode, b"\x03\xe8" + b"x" * 124))  # 126 bytes, a valid close payload otherwise
    client.expect_close(1002)


@pytest.mark.parametrize("opcode", [PING, PONG, CLOSE])
def test_fragmented_control_frame_closes_with_1002(echo_api, opcode):
    client = connected(echo_api)
    client.send(encode_frame(opcode, b"\x03\xe8", fin=False), encode_frame(CONTINUATION, b"", fin=True))
    client.expect_close(1002)


def test_unsolicited_pong_is_ignored(echo_api):
    client = connected(echo_api)
    client.send(encode_frame(PONG, b"unsolicited"), encode_frame(PONG))
    assert_echo(client, "after the pongs")
    client.close()


def test_ping_between_fragments_is_answered_and_the_message_completes(echo_api):
    client = connected(echo_api)
    client.send(encode_frame(TEXT, b"frag", fin=False), encode_frame(PING, b"in between"),
                encode_frame(CONTINUATION, b"mented", fin=False), encode_frame(PONG, b"ignored"),
                encode_frame(CONTINUATION, b" message"))
    assert client.read_frame() == (True, PONG, b"in between")
    assert client.read_message() == (TEXT, b"fragmented message")
    client.close()


# §5.4: fragmentation


def test_fragmented_text_message_is_reassembled(echo_api):
    client = connected(echo_api)
    parts = [b"one ", b"", b"two ", b"three", b""]
    frames = [encode_frame(TEXT, parts[0], fin=False)]
    frames += [encode_frame(CONTINUATION, part, fin=index == len(parts) - 1) for index, part in enumerate(parts) if index > 0]
    client.send(*frames)
    assert client.read_message() == (TEXT, b"one two three")
    client.close()


def test_fragments_one_byte_at_a_time(echo_api):
    client = connected(echo_api)
    data = encode_frame(TEXT, b"slow", fin=False) + encode_frame(CONTINUATION, b" client")
    for index in range(len(data)):
        client.send(data[index:index + 1])
    assert client.read_message() == (TEXT, b"slow client")
    client.close()


def test_empty_text_message_is_a_message(echo_api):
    # An empty message is routed like any other (the template engine reads an empty payload as `{}`, as
    # API Gateway's `$input.body` does), and the connection stays open.
    client = connected(echo_api)
    client.send(encode_frame(TEXT, b""))
    assert client.read_message() == (TEXT, b"{}")
    assert_echo(client, "after empty")
    client.close()


@pytest.mark.parametrize("frames", [
    [encode_frame(CONTINUATION, b"orphan")],                                                  # nothing to continue
    [encode_frame(CONTINUATION, b"orphan", fin=False)],
    [encode_frame(TEXT, b"done"), encode_frame(CONTINUATION, b"too late")],                  # message was complete
    [encode_frame(TEXT, b"part", fin=False), encode_frame(TEXT, b"new")],                    # new message mid-way
    [encode_frame(TEXT, b"part", fin=False), encode_frame(BINARY, b"new", fin=False)],
    [encode_frame(BINARY, b"part", fin=False), encode_frame(TEXT, b"new")],
])
def test_fragmentation_errors_close_with_1002(echo_api, frames):
    client = connected(echo_api)
    client.send(*frames)
    client.expect_close(1002)


# §8.1: text messages are UTF-8


@pytest.mark.parametrize("text", ["κόσμε", "Hello-µ@ßöäüàá-UTF-8!!", "\U0001D11E clef", "\uffff\U0010ffff edge"])
def test_valid_utf8_is_echoed_whole_and_split_at_every_byte(echo_api, text):
    data = text.encode()
    client = connected(echo_api)
    assert_echo(client, text)
    for cut in range(1, len(data)):
        client.send(encode_frame(TEXT, data[:cut], fin=False), encode_frame(CONTINUATION, data[cut:]))
        assert client.read_message() == (TEXT, data)
    client.close()


INVALID_UTF8 = [
    b"\xff",                       # never valid
    b"\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5\xed\xa0\x80edited",  # a UTF-16 surrogate (U+D800)
    b"\xc0\xaf",                   # overlong '/'
    b"\xe0\x80\xaf",               # overlong, three bytes
    b"\xf4\x90\x80\x80",           # above U+10FFFF
    b"\x80",                       # a lone continuation byte
    b"ok then \xce",               # truncated at the end of the message
    b"\xe2\x82",                   # truncated three-byte sequence
]


@pytest.mark.parametrize("data", INVALID_UTF8)
def test_invalid_utf8_closes_with_1007(echo_api, data):
    client = connected(echo_api)
    client.send(encode_frame(TEXT, data))
    client.expect_close(1007)


@pytest.mark.parametrize("data", INVALID_UTF8)
def test_invalid_utf8_across_fragments_closes_with_1007(echo_api, data):
    client = connected(echo_api)
    middle = max(1, len(data) // 2)
    client.send(encode_frame(TEXT, data[:middle], fin=False), encode_frame(CONTINUATION, data[middle:]))
    client.expect_close(1007)


def test_truncated_sequence_completed_by_a_later_fragment_is_valid(echo_api):
    client = connected(echo_api)
    client.send(encode_frame(TEXT, b"\xf0\x9d", fin=False), encode_frame(CONTINUATION, b"\x84", fin=False),
                encode_frame(CONTINUATION, b"\x9e"))
    assert client.read_message() == (TEXT, "\U0001D11E".encode())
    client.close()


def test_binary_messages_are_not_checked_for_utf8(echo_api):
    client = connected(echo_api)
    client.send(encode_frame(BINARY, b"\xff\xfe\x00binary"), encode_frame(BINARY, b"\x80", fin=False),
                encode_frame(CONTINUATION, b"\xff"))
    # The MOCK route answers something for each binary message; what matters is that neither closes.
    client.read_message()
    client.read_message()
    assert_echo(client, "still open")
    client.close()


# §5.5.1, §7: the closing handshake


@pytest.mark.parametrize("code", [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999,
                                  4000, 4999])
def test_close_with_a_valid_code_is_echoed(echo_api, code):
    client = connected(echo_api)
    client.send(encode_frame(CLOSE, close_payload(code, b"bye")))
    client.expect_close(code)


def test_close_without_a_payload_is_answered_with_an_empty_close(echo_api):
    client = connected(echo_api)
    client.send(encode_frame(CLOSE))
    client.expect_close(None)


def test_close_with_the_longest_reason(echo_api):
    client = connected(echo_api)
    client.send(encode_frame(CLOSE, close_payload(1000, "é".encode() * 61 + b"x")))  # 2 + 123 bytes
    client.expect_close(1000)


def test_close_with_a_one_byte_payload_closes_with_1002(echo_api):
    client = connected(echo_api)
    client.send(encode_frame(CLOSE, b"\x03"))
    client.expect_close(1002)


@pytest.mark.parametrize("code", [0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535])
def test_close_with_an_invalid_code_closes_with_1002(echo_api, code):
    client = connected(echo_api)
    client.send(encode_frame(CLOSE, close_payload(code)))
    client.expect_close(1002)


def test_close_reason_that_is_not_utf8_closes_with_1007(echo_api):
    client = connected(echo_api)
    client.send(encode_frame(CLOSE, close_payload(1000, b"\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5\xed\xa0\x80")))
    client.expect_close(1007)


def test_nothing_is_read_or_sent_after_the_close(echo_api):
    client = connected(echo_api)
    # The message before the close is answered; the frames after it, even broken ones, are not looked at.
    client.send(encode_frame(TEXT, b"before"), encode_frame(CLOSE, close_payload(1000)), encode_frame(TEXT, b"after"),
                encode_frame(PING, b"after"), encode_frame(0x3, b"reserved opcode"))
    first = client.read_frame()
    if first[1] == TEXT:
        assert first == (True, TEXT, b"before")
        client.expect_close(1000)
    else:
        # The close may overtake the answer, which is then never sent.
        assert first[1] == CLOSE and first[2][:2] == close_payload(1000)
        assert client.read_frame() is None


def test_close_in_the_middle_of_a_fragmented_message(echo_api):
    client = connected(echo_api)
    client.send(encode_frame(TEXT, b"never ", fin=False), encode_frame(CLOSE, close_payload(1000)))
    client.expect_close(1000)


def test_server_close_after_an_error_ignores_the_clients_later_frames(echo_api):
    client = connected(echo_api)
    client.send(encode_frame(0x5), encode_frame(TEXT, b"after the error"))
    client.expect_close(1002)


# §5.2: payload lengths, and the limits (AWS: frame 32 KB, message 128 KB, close 1009 beyond)


@pytest.mark.parametrize("size", [125, 126, 127, 1000, 65535])
def test_seven_and_sixteen_bit_lengths(echo_api, size):
    client = connected(echo_api)
    text = ("abcdefghij" * (size // 10 + 1))[:size]
    if size > 32 * 1024:
        # Over the 32 KB frame limit: sent as fragments of 16-bit lengths, each forced to the 16-bit encoding.
        data = text.encode()
        pieces = [data[i:i + 16000] for i in range(0, len(data), 16000)]
        frames = [encode_frame(TEXT if i == 0 else CONTINUATION, piece, fin=i == len(pieces) - 1, length_bytes=2)
                  for i, piece in enumerate(pieces)]
        client.send(*frames)
        assert client.read_message() == (TEXT, data)
    else:
        assert_echo(client, text)
    client.close()


def test_minimal_length_not_required_of_clients(echo_api):
    # §5.2 asks the sender for the minimal encoding; a 16- or 64-bit length for a short payload is still read.
    client = connected(echo_api)
    client.send(encode_frame(TEXT, b"short, 16-bit", length_bytes=2), encode_frame(TEXT, b"short, 64-bit", length_bytes=8))
    assert client.read_message() == (TEXT, b"short, 16-bit")
    assert client.read_message() == (TEXT, b"short, 64-bit")
    client.close()


def test_frame_over_the_limit_closes_with_1009(echo_api):
    client = connected(echo_api)
    client.send(encode_frame(TEXT, b"x" * (32 * 1024 + 1)))
    client.expect_close(1009)


def test_frame_at_the_limit_is_accepted(echo_api):
    client = connected(echo_api)
    assert_echo(client, "y" * (32 * 1024))
    client.close()


def test_huge_announced_length_closes_with_1009_before_the_payload(echo_api):
    # A 64-bit length of 2^40: closed on the header alone, nothing is buffered for it.
    client = connected(echo_api)
    client.send(bytes([0x81, 0x80 | 127]) + (1 << 40).to_bytes(8, "big") + b"\x01\x02\x03\x04")
    client.expect_close(1009)


def test_message_over_the_limit_closes_with_1009(echo_api):
    client = connected(echo_api)
    piece = b"z" * (32 * 1024)
    client.send(*(encode_frame(TEXT if i == 0 else CONTINUATION, piece, fin=False) for i in range(4)))
    client.send(encode_frame(CONTINUATION, b"!"))
    client.expect_close(1009)


def test_message_at_the_limit_is_accepted(echo_api):
    client = connected(echo_api)
    piece = b"w" * (32 * 1024)
    client.send(*(encode_frame(TEXT if i == 0 else CONTINUATION, piece, fin=i == 3) for i in range(4)))
    assert client.read_message() == (TEXT, piece * 4)
    client.close()


@pytest.fixture(scope="module")
def large_frames():
    """A Portico whose frame limit admits frames with 64-bit lengths (over 65,535 bytes)."""
    server = Portico("--websocket-max-frame-bytes", "131072", "--websocket-max-message-bytes", "262144")
    try:
        yield server, make_ws_api(server, {"$default": ("mock", ECHO_REQUEST, ECHO_RESPONSE, "two-way")})
    finally:
        server.stop()


def test_sixty_four_bit_lengths_both_ways(large_frames):
    client = connected(large_frames)
    text = ("0123456789" * 7000)[:70000]
    # The answer is one frame of 70,000 bytes, so its length is 64-bit too (read_frame checks the encoding).
    assert_echo(client, text)
    client.send(encode_frame(TEXT, b"x" * (131072 + 1)))
    client.expect_close(1009)
