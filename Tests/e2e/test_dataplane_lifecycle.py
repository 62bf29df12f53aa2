"""Changes go live without a restart and without failing in-flight requests; SIGTERM drains;
data survives a restart; start-up errors are clear."""
import json
import os
import signal
import socket
import subprocess
import tempfile
import threading
import time

import requests

from conftest import BIN, Portico
from dataplane_helpers import call, make_api


def test_changes_go_live_while_traffic_flows(portico, upstream):
    client = portico.client()
    api = make_api(portico, {"GET /v": {"uri": f"{upstream.url}/v1"}})
    integration_id = client.get_routes(ApiId=api)["Items"][0]["Target"].split("/")[1]
    failures, seen, stop = [], set(), threading.Event()

    def traffic():
        session = requests.Session()
        while not stop.is_set():
            try:
                response = session.get(portico.data_url + "/v", headers={"Host": f"{api}.execute-api.localhost"}, timeout=10)
                if response.status_code != 200:
                    failures.append(response.status_code)
                else:
                    seen.add(response.json()["path"])
            except Exception as error:  # noqa: BLE001 - any failure counts
                failures.append(repr(error))

    threads = [threading.Thread(target=traffic) for _ in range(4)]
    for thread in threads:
        thread.start()
    latencies = []
    try:
        for version in range(2, 7):
            client.update_integration(ApiId=api, IntegrationId=integration_id, IntegrationUri=f"{upstream.url}/v{version}")
            changed = time.monotonic()
            while call(portico, api, "/v").json()["path"] != f"/v{version}":
                assert time.monotonic() - changed < 5, "the change did not go live"
            latencies.append((time.monotonic() - changed) * 1000)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    print(f"\nchange-to-live latencies (ms, measured through a full request): {[round(l, 1) for l in latencies]}")
    assert failures == []
    assert seen, "the background traffic got no answers"


def test_sigterm_drains_in_flight_requests(upstream):
    server = Portico()
    api = make_api(server, {"GET /slow": {"uri": f"{upstream.url}/slow", "TimeoutInMillis": 5000}})
    result = {}

    def slow():
        result["response"] = call(server, api, "/slow?ms=800")

    before = len(upstream.requests)
    thread = threading.Thread(target=slow)
    thread.start()
    # Signal only once the request is in flight (it has reached the backend).
    deadline = time.monotonic() + 10
    while len(upstream.requests) == before and time.monotonic() < deadline:
        time.sleep(0.01)
    code = server.stop(signal.SIGTERM)
    thread.join()
    assert result["response"].status_code == 200
    assert code == 0


def test_data_survives_a_restart(upstream):
    data_dir = tempfile.mkdtemp(prefix="portico-restart-")
    first = Portico(data_dir=data_dir)
    api = make_api(first, {"GET /kept": {"uri": f"{upstream.url}/kept"}})
    assert first.stop() == 0
    second = Portico(data_dir=data_dir)
    try:
        assert call(second, api, "/kept").json()["path"] == "/kept"
        assert second.client().get_api(ApiId=api)["Name"] == "dp-test"
    finally:
        second.stop()


def test_access_log_in_context_format(portico, upstream, tmp_path):
    log = tmp_path / "access.log"
    fmt = '{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","method":"$context.httpMethod","routeKey":"$context.routeKey","status":"$context.status","len":"$context.responseLength","stage":"$context.stage"}'
    api = make_api(portico, {"GET /logged": {"uri": f"{upstream.url}/logged"}},
                   access_log={"DestinationArn": f"file:{log}", "Format": fmt})
    response = call(portico, api, "/logged")
    call(portico, api, "/missing")
    request_id = response.headers["apigw-requestid"]

    def read():
        return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []

    deadline = time.monotonic() + 5
    lines = read()
    while time.monotonic() < deadline and not (lines and any(l["requestId"] == request_id for l in lines[:-1])):
        time.sleep(0.05)
        lines = read()
    ours = [line for line in lines if line["requestId"] == request_id]
    assert len(ours) == 1
    assert ours[0] == {"requestId": response.headers["apigw-requestid"], "ip": "127.0.0.1", "method": "GET",
                        "routeKey": "GET /logged", "status": "200", "len": str(len(response.content)), "stage": "$default"}
    assert lines[-1]["status"] == "404" and lines[-1]["routeKey"] == "-"


def test_metrics_count_per_route(portico, upstream):
    api = make_api(portico, {"GET /counted/{id}": {"uri": f"{upstream.url}/status/{{id}}"}})
    for code in ("200", "200", "404", "500"):
        call(portico, api, f"/counted/{code}")
    text = requests.get(portico.management_url + "/_portico/metrics", timeout=5).text
    labels = f'api_id="{api}",route="GET /counted/{{id}}",stage="$default"'

    def value(name):
        for line in text.splitlines():
            if line.startswith(name + "{") and all(part in line for part in labels.split(",")):
                return float(line.rsplit(" ", 1)[1])
        raise AssertionError(f"{name} for {labels} not in metrics:\n{text[:2000]}")

    assert value("portico_requests_total") == 4
    assert value("portico_4xx_total") == 1
    assert value("portico_5xx_total") == 1


def run_portico(*args, timeout=20):
    return subprocess.run([str(BIN), "serve", *args], capture_output=True, text=True, timeout=timeout)


def test_port_in_use_is_a_clear_error():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(1)
    port = sock.getsockname()[1]
    try:
        result = run_portico("--data-dir", tempfile.mkdtemp(), "--listen", f"127.0.0.1:{port}", "--management-listen", "127.0.0.1:0")
    finally:
        sock.close()
    assert result.returncode != 0
    assert "already in use" in result.stderr


def test_bad_flags_are_clear_errors():
    result = run_portico("--listen", "nonsense")
    assert result.returncode != 0 and "HOST:PORT" in result.stderr
    result = run_portico("--log-level", "loud")
    assert result.returncode != 0 and "log-level" in result.stderr


def test_unusable_data_directory_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    result = run_portico("--data-dir", str(blocker / "sub"), "--listen", "127.0.0.1:0", "--management-listen", "127.0.0.1:0")
    assert result.returncode != 0
    assert str(blocker) in result.stderr


def test_management_off_loopback_needs_credentials():
    result = run_portico("--data-dir", tempfile.mkdtemp(), "--listen", "127.0.0.1:0", "--management-listen", "0.0.0.0:0")
    assert result.returncode != 0
    assert "no credentials" in result.stderr


def test_idle_keep_alive_connections_are_closed(upstream):
    server = Portico("--idle-timeout", "1")
    try:
        api = make_api(server, {"GET /i": {"uri": f"{upstream.url}/i"}})
        host, port = server.data_url.split("//")[1].rsplit(":", 1)
        sock = socket.create_connection((host, int(port)), timeout=10)
        sock.sendall(f"GET /i HTTP/1.1\r\nHost: {api}.execute-api.localhost\r\n\r\n".encode())
        first = sock.recv(65536)
        assert first.startswith(b"HTTP/1.1 200")
        started = time.monotonic()
        # The gateway closes the idle connection (recv returns b"" at EOF) within a few seconds.
        while sock.recv(65536):
            pass
        waited = time.monotonic() - started
        sock.close()
        assert waited < 8, f"the idle connection stayed open {waited:.1f} s"
    finally:
        server.stop()
