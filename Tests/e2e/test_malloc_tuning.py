"""`portico` re-executes itself once at start-up with glibc's tcache deepened (Sources/portico/MallocTuning.swift),
and puts GLIBC_TUNABLES back as it found it. Function processes get a chosen environment (LaunchPlan.swift), without
either variable."""
import json
import sys

import pytest

from conftest import Portico
from lambda_function_helpers import create_python_function, python_zip

ENV_ECHO = '''import os

def handler(event, context):
    return {name: os.environ.get(name) for name in ("GLIBC_TUNABLES", "PORTICO_MALLOC_TUNED")}
'''

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc tunables: Linux only")


def image_environment(pid):
    """The environment the process's current program image started with (after execve)."""
    with open(f"/proc/{pid}/environ", "rb") as environ:
        pairs = [entry.split(b"=", 1) for entry in environ.read().split(b"\0") if b"=" in entry]
    return {name.decode(): value.decode() for name, value in pairs}


def function_environment(portico, name):
    client = portico.client("lambda")
    create_python_function(client, name, zip_bytes=python_zip(ENV_ECHO))
    response = client.invoke(FunctionName=name, Payload=b"{}")
    assert "FunctionError" not in response
    return json.loads(response["Payload"].read())


def test_the_process_runs_with_a_deeper_tcache_and_functions_do_not_inherit_it(portico):
    started = image_environment(portico.proc.pid)
    assert started.get("GLIBC_TUNABLES", "").endswith("glibc.malloc.tcache_count=512"), started.get("GLIBC_TUNABLES")
    assert "PORTICO_MALLOC_TUNED" in started
    assert function_environment(portico, "env-default") == {"GLIBC_TUNABLES": None, "PORTICO_MALLOC_TUNED": None}


def test_an_operators_tunables_are_kept_and_extended():
    portico = Portico(env={"GLIBC_TUNABLES": "glibc.malloc.trim_threshold=1048576"})
    try:
        # The marker carries the operator's value across the re-execution. (GLIBC_TUNABLES itself is not
        # checked here: glibc rewrites it in place while parsing, and the image shows only its first tunable.)
        assert image_environment(portico.proc.pid)["PORTICO_MALLOC_TUNED"] == "=glibc.malloc.trim_threshold=1048576"
    finally:
        portico.stop()


@pytest.mark.parametrize("env", [
    {"GLIBC_TUNABLES": "glibc.malloc.tcache_count=3"},
    {"PORTICO_MALLOC_TUNING": "0"},
], ids=["operator-sets-tcache", "opted-out"])
def test_no_re_execution_when_the_operator_decides(env):
    portico = Portico(env=env)
    try:
        started = image_environment(portico.proc.pid)
        assert "PORTICO_MALLOC_TUNED" not in started
        assert started.get("GLIBC_TUNABLES") == env.get("GLIBC_TUNABLES")
    finally:
        portico.stop()
