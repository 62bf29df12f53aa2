"""Invoke through the Lambda API with real function processes: a python3.12 handler under
awslambdaric and a `provided.al2023` bootstrap, created from zips through the Lambda API."""
import base64
import json

from lambda_function_helpers import ARN_PREFIX, ROLE, bootstrap_zip, create_python_function, python_zip
from management_helpers import aws_error


def lambda_client(portico):
    return portico.client("lambda")


def test_invoke_python_handler_request_response(fresh):
    client = lambda_client(fresh)
    create_python_function(client, "py-echo")
    response = client.invoke(FunctionName="py-echo", Payload=json.dumps({"hello": "world"}).encode())
    assert response["StatusCode"] == 200
    assert response["ExecutedVersion"] == "$LATEST"
    assert "FunctionError" not in response
    assert json.loads(response["Payload"].read()) == {"echo": {"hello": "world"}, "function": "py-echo"}


def test_invoke_with_tail_returns_the_log(fresh):
    client = lambda_client(fresh)
    create_python_function(client, "py-tail")
    response = client.invoke(FunctionName="py-tail", LogType="Tail", Payload=b'{"n": 1}')
    log = base64.b64decode(response["LogResult"]).decode()
    assert 'handling {"n": 1}' in log
    # Lambda's x-amzn-RequestId is the invocation's own id, the one in its log lines.
    assert f'START RequestId: {response["ResponseMetadata"]["RequestId"]} ' in log


def test_invoke_function_error_is_unhandled_with_status_200(fresh):
    client = lambda_client(fresh)
    create_python_function(client, "py-fail")
    response = client.invoke(FunctionName="py-fail", Payload=b'{"fail": true}')
    assert response["StatusCode"] == 200
    assert response["FunctionError"] == "Unhandled"
    error = json.loads(response["Payload"].read())
    assert (error["errorType"], error["errorMessage"]) == ("ValueError", "kaboom")


def test_invoke_event_and_dry_run(fresh):
    client = lambda_client(fresh)
    create_python_function(client, "py-async")
    assert client.invoke(FunctionName="py-async", InvocationType="Event", Payload=b"{}")["StatusCode"] == 202
    assert client.invoke(FunctionName="py-async", InvocationType="DryRun", Payload=b"{}")["StatusCode"] == 204


def test_invoke_by_arn_and_qualifier(fresh):
    client = lambda_client(fresh)
    create_python_function(client, "py-arn")
    response = client.invoke(FunctionName=ARN_PREFIX + "py-arn", Qualifier="$LATEST", Payload=b'{"a": 1}')
    assert json.loads(response["Payload"].read())["echo"] == {"a": 1}
    code, _, status = aws_error(client.invoke, FunctionName="py-arn", Qualifier="7", Payload=b"{}")
    assert (code, status) == ("ResourceNotFoundException", 404)


def test_invoke_provided_runtime_bootstrap(fresh):
    client = lambda_client(fresh)
    client.create_function(FunctionName="sh-echo", Runtime="provided.al2023", Handler="my.handler", Role=ROLE,
                           Code={"ZipFile": bootstrap_zip()})
    response = client.invoke(FunctionName="sh-echo", Payload=b'{"x": [1, 2]}')
    assert response["StatusCode"] == 200
    assert json.loads(response["Payload"].read()) == {"bootstrap": {"x": [1, 2]}, "handler": "my.handler"}


def test_updated_code_is_what_the_next_invocation_runs(fresh):
    client = lambda_client(fresh)
    create_python_function(client, "py-update")
    client.invoke(FunctionName="py-update", Payload=b"{}")
    from lambda_function_helpers import python_zip
    client.update_function_code(FunctionName="py-update", ZipFile=python_zip("def handler(e, c):\n    return 'v2'\n"))
    response = client.invoke(FunctionName="py-update", Payload=b"{}")
    assert json.loads(response["Payload"].read()) == "v2"


HOG_HANDLER = '''import os, time

def handler(event, context):
    data = b"x" * (int(event["mb"]) * 1024 * 1024)
    time.sleep(event.get("hold", 0))
    return {"bytes": len(data), "pid": os.getpid()}
'''


def test_memory_size_is_enforced_as_lambdas_out_of_memory(fresh):
    # AWS kills a function over its MemorySize and answers Runtime.OutOfMemory; raising the
    # memory size with update-function-configuration lets the same work through.
    client = lambda_client(fresh)
    create_python_function(client, "py-hog", zip_bytes=python_zip(HOG_HANDLER), MemorySize=128, Timeout=30)
    # Held for 10 s of a 30 s timeout: only the memory watch ends it early.
    response = client.invoke(FunctionName="py-hog", LogType="Tail", Payload=b'{"mb": 400, "hold": 10}')
    assert response["FunctionError"] == "Unhandled"
    error = json.loads(response["Payload"].read())
    assert error["errorType"] == "Runtime.OutOfMemory"
    assert error["errorMessage"].endswith("Error: Runtime exited with error: signal: killed")
    log = base64.b64decode(response["LogResult"]).decode()
    assert "Memory Size: 128 MB" in log and "Error Type: Runtime.OutOfMemory" in log

    client.update_function_configuration(FunctionName="py-hog", MemorySize=1024)
    response = client.invoke(FunctionName="py-hog", Payload=b'{"mb": 400}')
    assert "FunctionError" not in response
    assert json.loads(response["Payload"].read())["bytes"] == 400 * 1024 * 1024
