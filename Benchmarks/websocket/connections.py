#!/usr/bin/env python3
"""WebSocket benchmark: resident memory of Portico with N idle WebSocket connections, and messages per
second echoed through a two-way MOCK route. Not a test (.ci/run does not run it).

    PORTICO_BIN=.build/release/portico .venv-test/bin/python Benchmarks/websocket/connections.py [N] [SECONDS]

Starts its own Portico on ephemeral ports, creates a WebSocket API whose `$default` route is a two-way MOCK
(request template `{"statusCode": 200}`, response template `{"ok": true}`), opens N connections (path-style URL),
reads VmRSS from /proc before and after, then keeps 64 of them sending one message and waiting for its answer for
SECONDS seconds.
"""
import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "Tests" / "e2e"))
from conftest import Portico  # noqa: E402
from test_websocket_dataplane import make_ws_api, ws_url  # noqa: E402
from websockets.asyncio.client import connect  # noqa: E402


def rss_kb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


async def main(count, seconds):
    portico = Portico("--no-websocket-connection-limit")  # AWS's 500 new connections/s would slow the ramp
    try:
        api_id = make_ws_api(portico, {"$default": ("mock", '{"statusCode": 200}', '{"ok": true}', "two-way")})
        url = ws_url(portico, api_id)
        before = rss_kb(portico.proc.pid)
        connections = []
        for start in range(0, count, 200):
            batch = await asyncio.gather(*(connect(url, open_timeout=60, ping_interval=None, compression=None)
                                           for _ in range(start, min(count, start + 200))))
            connections.extend(batch)
        await asyncio.sleep(1)
        after = rss_kb(portico.proc.pid)
        print(f"{count} idle connections: RSS {before / 1024:.1f} MB -> {after / 1024:.1f} MB, "
              f"{(after - before) / count:.2f} KB per connection")

        done = 0
        deadline = time.monotonic() + seconds

        async def pump(ws):
            nonlocal done
            while time.monotonic() < deadline:
                await ws.send("ping")
                await ws.recv()
                done += 1

        await asyncio.gather(*(pump(ws) for ws in connections[:64]))
        print(f"two-way MOCK echo, 64 connections, {seconds} s: {done / seconds:.0f} messages/s")
        await asyncio.gather(*(ws.close() for ws in connections))
    finally:
        portico.stop()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000, int(sys.argv[2]) if len(sys.argv) > 2 else 5))
