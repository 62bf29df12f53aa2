"""Functions declared in Portico's config file (`portico serve --config`, docs/FUNCTIONS.md).

The function host itself is tested with real processes in Tests/PorticoLambdaTests; here the real
binary reads the file, declares the function, refuses a bad file at start-up, and (once the
management API serves Lambda's Invoke) runs the declared function and stops its process with Portico.
"""
import json
import os
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from conftest import BIN, ROOT, Portico

PROVIDED = ROOT / "Tests" / "PorticoLambdaTests" / "Fixtures" / "provided"


def write_config(text):
    directory = Path(tempfile.mkdtemp(prefix="portico-config-"))
    path = directory / "portico.yaml"
    path.write_text(text)
    return path


def test_a_declared_function_runs_and_its_process_stops_with_portico():
    config = write_config(
        f"""
functions:
  - name: hello
    command: ["./bootstrap"]
    workingDirectory: {PROVIDED}
    environment: {{MODE: pid}}
    timeout: 5
    concurrency: 2
"""
    )
    server = Portico("--config", str(config), "--function-idle-seconds", "60")
    try:
        assert "declared function hello" in server.log
        client = server.client("lambda")
        response = client.invoke(FunctionName="hello", Payload=b"{}")
        assert response["StatusCode"] == 200
        pid = int(json.loads(response["Payload"].read())["pid"])
        os.kill(pid, 0)  # alive and warm
    finally:
        assert server.stop() == 0
    deadline = time.time() + 5
    while time.time() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        pytest.fail(f"function process {pid} outlived Portico")


def test_a_bad_config_file_is_a_clear_start_up_error():
    config = write_config("functions:\n  - name: hello\n    command: ./bootstrap\n    timout: 5\n")
    result = subprocess.run(
        [str(BIN), "serve", "--data-dir", tempfile.mkdtemp(), "--listen", "127.0.0.1:0", "--management-listen", "127.0.0.1:0",
         "--config", str(config)],
        capture_output=True, text=True, timeout=20,
    )
    assert result.returncode == 1
    assert "unknown key `timout`" in result.stderr
    assert str(config) in result.stderr


def test_the_config_file_can_come_from_the_environment():
    config = write_config("functions:\n  - name: missing-dir\n    command: x\n    workingDirectory: /no/such/dir\n")
    result = subprocess.run(
        [str(BIN), "serve", "--data-dir", tempfile.mkdtemp(), "--listen", "127.0.0.1:0", "--management-listen", "127.0.0.1:0"],
        capture_output=True, text=True, timeout=20, env={**os.environ, "PORTICO_CONFIG": str(config)},
    )
    assert result.returncode == 1
    assert "/no/such/dir does not exist" in result.stderr
