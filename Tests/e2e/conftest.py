"""Shared fixtures for Portico's end-to-end tests.

Every test talks to a real Portico process started on ephemeral ports (`--listen 127.0.0.1:0`),
through real clients: the AWS CLI, boto3, `requests`, raw sockets. Nothing here mocks Portico.

PORTICO_BIN names the binary (default: .build/debug/portico, built by scripts/test).
"""
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import boto3
import pytest
from botocore.config import Config

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(os.environ.get("PORTICO_BIN", ROOT / ".build" / "debug" / "portico"))
LISTEN_RE = re.compile(r"(data plane|management API) listening on (http://\S+)")
IN_CI = os.environ.get("CI") == "true"


def require_program(name):
    """Skip (by hand) or fail (in CI) when an outside program the test needs is missing."""
    if shutil.which(name) is None:
        message = f"\n\n*** {name} is not installed: this test needs it ***\n"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)


class Portico:
    """A running Portico process and the addresses it printed at start-up."""

    def __init__(self, *extra_args, env=None, data_dir=None):
        if not BIN.exists():
            raise RuntimeError(f"{BIN} does not exist: build it with `swift build` (scripts/test does)")
        self.data_dir = data_dir or tempfile.mkdtemp(prefix="portico-e2e-")
        self.args = [
            str(BIN), "serve",
            "--data-dir", self.data_dir,
            "--listen", "127.0.0.1:0",
            "--management-listen", "127.0.0.1:0",
            "--enable-reset",
            "--no-example",
            *extra_args,
        ]
        full_env = dict(os.environ)
        full_env.update(env or {})
        self.output = []
        self.proc = subprocess.Popen(
            self.args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=full_env, text=True, bufsize=1
        )
        self.data_url = None
        self.management_url = None
        self._lines_ready = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        if not self._lines_ready.wait(60):
            self.stop()
            raise RuntimeError("Portico did not print its addresses in 60 s:\n" + "".join(self.output))

    def _read(self):
        for line in self.proc.stdout:
            self.output.append(line)
            match = LISTEN_RE.search(line)
            if match:
                if match.group(1) == "data plane":
                    self.data_url = match.group(2)
                else:
                    self.management_url = match.group(2)
                if self.data_url and self.management_url:
                    self._lines_ready.set()
        self._lines_ready.set()

    @property
    def log(self):
        return "".join(self.output)

    def client(self, service="apigatewayv2"):
        return boto3.client(
            service,
            endpoint_url=self.management_url,
            region_name="us-east-1",
            aws_access_key_id="test",
            aws_secret_access_key="test",
            config=Config(retries={"max_attempts": 1}),
        )

    def aws_env(self):
        env = dict(os.environ)
        env.update({
            "AWS_ACCESS_KEY_ID": "test",
            "AWS_SECRET_ACCESS_KEY": "test",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_PAGER": "",
        })
        return env

    def cli(self, *args, check=True):
        """Runs the real AWS CLI against Portico and returns the completed process."""
        require_program("aws")
        cmd = ["aws", "--endpoint-url", self.management_url, "--output", "json", *args]
        result = subprocess.run(cmd, capture_output=True, text=True, env=self.aws_env(), timeout=60)
        if check and result.returncode != 0:
            raise AssertionError(f"{' '.join(cmd)} failed ({result.returncode}):\n{result.stderr}")
        return result

    def reset(self):
        import requests
        requests.post(self.management_url + "/_portico/reset", timeout=10).raise_for_status()

    def stop(self, sig=signal.SIGTERM, timeout=30):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


@pytest.fixture(scope="session")
def portico():
    """One Portico for the session; tests that need a clean slate call `portico.reset()`."""
    server = Portico()
    yield server
    server.stop()


@pytest.fixture
def fresh(portico):
    portico.reset()
    return portico


@pytest.fixture(scope="session")
def upstream():
    from upstream import Upstream

    server = Upstream()
    yield server
    server.stop()
