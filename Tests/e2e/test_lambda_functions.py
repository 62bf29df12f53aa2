"""The Lambda-compatible function API on the management listener, driven by boto3 and the real
AWS CLI: create from a zip, get, list with pagination, update code and configuration, delete,
permissions, reserved concurrency, tags, and the errors Lambda answers."""
import base64
import hashlib
import json
import os
import re

import requests

from conftest import Portico
from lambda_function_helpers import ARN_PREFIX, ROLE, create_python_function, make_zip, python_zip
from management_helpers import aws_error, cli_error, cli_json, signed_request


def lambda_client(portico):
    return portico.client("lambda")


def test_create_get_and_delete_with_boto3(fresh):
    client = lambda_client(fresh)
    zip_bytes = python_zip()
    created = create_python_function(
        client, "hello", zip_bytes, Description="says hello", Timeout=10, MemorySize=256,
        Environment={"Variables": {"GREETING": "hi"}}, Tags={"team": "gateway"})
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert created["FunctionName"] == "hello"
    assert created["FunctionArn"] == ARN_PREFIX + "hello"
    assert created["Runtime"] == "python3.12"
    assert created["Handler"] == "app.handler"
    assert created["Role"] == ROLE
    assert created["Description"] == "says hello"
    assert (created["Timeout"], created["MemorySize"]) == (10, 256)
    assert created["CodeSize"] == len(zip_bytes)
    assert created["CodeSha256"] == base64.b64encode(hashlib.sha256(zip_bytes).digest()).decode()
    assert created["Version"] == "$LATEST"
    assert created["State"] == "Active"
    assert created["LastUpdateStatus"] == "Successful"
    assert created["PackageType"] == "Zip"
    assert created["Architectures"] == ["x86_64"]
    assert created["Environment"] == {"Variables": {"GREETING": "hi"}}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000", created["LastModified"])

    function = client.get_function(FunctionName="hello")
    assert function["Configuration"]["CodeSha256"] == created["CodeSha256"]
    assert function["Tags"] == {"team": "gateway"}
    assert function["Code"]["RepositoryType"] == "S3"
    download = requests.get(function["Code"]["Location"], timeout=10)
    assert download.status_code == 200 and download.content == zip_bytes

    configuration = client.get_function_configuration(FunctionName=ARN_PREFIX + "hello")
    assert configuration["FunctionName"] == "hello"
    assert configuration["RevisionId"] == created["RevisionId"]

    assert client.delete_function(FunctionName="hello")["ResponseMetadata"]["HTTPStatusCode"] == 204
    code, message, status = aws_error(client.get_function, FunctionName="hello")
    assert (code, status, message) == ("ResourceNotFoundException", 404, "Function not found: " + ARN_PREFIX + "hello")


def test_the_code_is_unpacked_where_the_host_runs_it(fresh):
    client = lambda_client(fresh)
    zip_bytes = make_zip({"bootstrap": ("#!/bin/sh\nexit 0\n", 0o755), "lib/data.txt": "data"})
    created = client.create_function(
        FunctionName="unpacked", Runtime="provided.al2023", Handler="x", Role=ROLE, Code={"ZipFile": zip_bytes})
    digest = base64.b64decode(created["CodeSha256"]).hex()
    directory = os.path.join(fresh.data_dir, "functions", "unpacked", digest)
    assert os.access(os.path.join(directory, "bootstrap"), os.X_OK)
    assert open(os.path.join(directory, "lib", "data.txt")).read() == "data"


def test_cli_create_update_list_delete_from_zip_files(fresh, tmp_path):
    first = tmp_path / "first.zip"
    first.write_bytes(python_zip())
    created = cli_json(
        fresh, "create-function", "--function-name", "cli-fn", "--runtime", "python3.12", "--handler", "app.handler",
        "--role", ROLE, "--zip-file", f"fileb://{first}", "--timeout", "20", "--memory-size", "512",
        "--environment", "Variables={STAGE=dev,LEVEL=3}", service="lambda")
    assert created["FunctionName"] == "cli-fn"
    assert created["Environment"]["Variables"] == {"STAGE": "dev", "LEVEL": "3"}
    assert (created["Timeout"], created["MemorySize"]) == (20, 512)

    fetched = cli_json(fresh, "get-function", "--function-name", "cli-fn", service="lambda")
    assert fetched["Configuration"]["CodeSha256"] == created["CodeSha256"]

    second = tmp_path / "second.zip"
    second.write_bytes(python_zip("def handler(e, c):\n    return 2\n"))
    updated = cli_json(fresh, "update-function-code", "--function-name", "cli-fn", "--zip-file", f"fileb://{second}",
                       service="lambda")
    assert updated["CodeSha256"] == base64.b64encode(hashlib.sha256(second.read_bytes()).digest()).decode()
    assert updated["CodeSha256"] != created["CodeSha256"]

    configured = cli_json(fresh, "update-function-configuration", "--function-name", "cli-fn", "--timeout", "60",
                          "--description", "changed", service="lambda")
    assert (configured["Timeout"], configured["Description"], configured["MemorySize"]) == (60, "changed", 512)

    listed = cli_json(fresh, "list-functions", service="lambda")
    assert [f["FunctionName"] for f in listed["Functions"]] == ["cli-fn"]

    fresh.cli("lambda", "delete-function", "--function-name", "cli-fn")
    code, message = cli_error(fresh, "get-function-configuration", "--function-name", "cli-fn", service="lambda")
    assert (code, message) == ("ResourceNotFoundException", "Function not found: " + ARN_PREFIX + "cli-fn")


def test_list_functions_paginates_with_markers(fresh):
    client = lambda_client(fresh)
    names = [f"fn-{index}" for index in range(5)]
    for name in reversed(names):
        create_python_function(client, name)
    page = client.list_functions(MaxItems=2)
    assert [f["FunctionName"] for f in page["Functions"]] == names[:2]
    assert "NextMarker" in page
    seen = []
    for listed in client.get_paginator("list_functions").paginate(PaginationConfig={"PageSize": 2}):
        assert len(listed["Functions"]) <= 2
        seen += [f["FunctionName"] for f in listed["Functions"]]
    assert seen == names
    # The CLI's own pagination over Marker/NextMarker.
    cli_page = cli_json(fresh, "list-functions", "--max-items", "3", service="lambda")
    assert [f["FunctionName"] for f in cli_page["Functions"]] == names[:3]
    assert "NextToken" in cli_page
    everything = cli_json(fresh, "list-functions", "--page-size", "2", service="lambda")
    assert [f["FunctionName"] for f in everything["Functions"]] == names


def test_update_code_and_configuration_with_boto3(fresh):
    client = lambda_client(fresh)
    created = create_python_function(client, "upd", Environment={"Variables": {"ALPHA": "1"}})
    new_zip = python_zip("def handler(e, c):\n    return 'v2'\n")
    updated = client.update_function_code(FunctionName="upd", ZipFile=new_zip, RevisionId=created["RevisionId"])
    assert updated["CodeSha256"] == base64.b64encode(hashlib.sha256(new_zip).digest()).decode()
    assert updated["CodeSize"] == len(new_zip)
    assert updated["RevisionId"] != created["RevisionId"]

    code, _, status = aws_error(client.update_function_code, FunctionName="upd", ZipFile=new_zip,
                                RevisionId=created["RevisionId"])
    assert (code, status) == ("PreconditionFailedException", 412)

    configured = client.update_function_configuration(
        FunctionName="upd", Handler="app.other", MemorySize=1024, Environment={"Variables": {"BETA": "2"}})
    assert configured["Handler"] == "app.other"
    assert configured["MemorySize"] == 1024
    assert configured["Environment"] == {"Variables": {"BETA": "2"}}
    assert configured["CodeSha256"] == updated["CodeSha256"]
    assert client.get_function_configuration(FunctionName="upd")["Handler"] == "app.other"


def test_permissions_are_stored_and_returned_as_lambda_returns_them(fresh):
    client = lambda_client(fresh)
    create_python_function(client, "guarded")
    source = "arn:aws:execute-api:us-east-1:000000000000:abcdef1234/*/GET/pets"
    added = client.add_permission(
        FunctionName="guarded", StatementId="apigw-invoke", Action="lambda:InvokeFunction",
        Principal="apigateway.amazonaws.com", SourceArn=source)
    assert added["ResponseMetadata"]["HTTPStatusCode"] == 201
    statement = json.loads(added["Statement"])
    assert statement == {
        "Sid": "apigw-invoke", "Effect": "Allow", "Principal": {"Service": "apigateway.amazonaws.com"},
        "Action": "lambda:InvokeFunction", "Resource": ARN_PREFIX + "guarded",
        "Condition": {"ArnLike": {"AWS:SourceArn": source}},
    }
    client.add_permission(FunctionName="guarded", StatementId="account", Action="lambda:GetFunction",
                          Principal="111122223333")
    policy = client.get_policy(FunctionName="guarded")
    document = json.loads(policy["Policy"])
    assert document["Version"] == "2012-10-17"
    assert [s["Sid"] for s in document["Statement"]] == ["apigw-invoke", "account"]
    assert document["Statement"][1]["Principal"] == {"AWS": "arn:aws:iam::111122223333:root"}
    assert policy["RevisionId"]

    code, message, status = aws_error(client.add_permission, FunctionName="guarded", StatementId="account",
                                      Action="lambda:InvokeFunction", Principal="*")
    assert (code, status) == ("ResourceConflictException", 409)
    assert "account" in message
    code, _, status = aws_error(client.add_permission, FunctionName="guarded", StatementId="bad",
                                Action="lambda:InvokeFunction", Principal="not a principal")
    assert (code, status) == ("InvalidParameterValueException", 400)

    assert client.remove_permission(FunctionName="guarded", StatementId="apigw-invoke")[
        "ResponseMetadata"]["HTTPStatusCode"] == 204
    code, message, status = aws_error(client.remove_permission, FunctionName="guarded", StatementId="apigw-invoke")
    assert (code, status, message) == ("ResourceNotFoundException", 404,
                                       "Statement apigw-invoke is not found in resource policy.")
    client.remove_permission(FunctionName="guarded", StatementId="account")
    code, message, status = aws_error(client.get_policy, FunctionName="guarded")
    assert (code, status, message) == ("ResourceNotFoundException", 404, "The resource you requested does not exist.")

    # The CLI prints the statement string as Lambda sends it.
    out = cli_json(fresh, "add-permission", "--function-name", "guarded", "--statement-id", "cli",
                   "--action", "lambda:InvokeFunction", "--principal", "apigateway.amazonaws.com", service="lambda")
    assert json.loads(out["Statement"])["Sid"] == "cli"


def test_reserved_concurrency(fresh):
    client = lambda_client(fresh)
    create_python_function(client, "limited")
    assert "ReservedConcurrentExecutions" not in client.get_function_concurrency(FunctionName="limited")
    assert client.put_function_concurrency(
        FunctionName="limited", ReservedConcurrentExecutions=7)["ReservedConcurrentExecutions"] == 7
    assert client.get_function_concurrency(FunctionName="limited")["ReservedConcurrentExecutions"] == 7
    assert client.get_function(FunctionName="limited")["Concurrency"] == {"ReservedConcurrentExecutions": 7}
    code, message, status = aws_error(client.put_function_concurrency, FunctionName="limited",
                                      ReservedConcurrentExecutions=950)
    assert (code, status) == ("InvalidParameterValueException", 400)
    assert "UnreservedConcurrentExecution below its minimum value of [100]" in message
    assert client.delete_function_concurrency(FunctionName="limited")["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert "ReservedConcurrentExecutions" not in client.get_function_concurrency(FunctionName="limited")
    cli_json(fresh, "put-function-concurrency", "--function-name", "limited",
             "--reserved-concurrent-executions", "3", service="lambda")
    assert cli_json(fresh, "get-function-concurrency", "--function-name", "limited",
                    service="lambda") == {"ReservedConcurrentExecutions": 3}


def test_tags_on_function_arns(fresh):
    client = lambda_client(fresh)
    arn = create_python_function(client, "tagged", Tags={"a": "1"})["FunctionArn"]
    assert client.list_tags(Resource=arn)["Tags"] == {"a": "1"}
    client.tag_resource(Resource=arn, Tags={"b": "2"})
    client.untag_resource(Resource=arn, TagKeys=["a"])
    assert client.list_tags(Resource=arn)["Tags"] == {"b": "2"}
    assert client.get_function(FunctionName="tagged")["Tags"] == {"b": "2"}


def test_errors_as_lambda_answers_them(fresh, tmp_path):
    client = lambda_client(fresh)
    create_python_function(client, "exists")

    code, message, status = aws_error(create_python_function, client, "exists")
    assert (code, status, message) == ("ResourceConflictException", 409, "Function already exist: exists")

    code, message, status = aws_error(create_python_function, client, "bad-runtime", Runtime="python2.9")
    assert (code, status) == ("InvalidParameterValueException", 400)
    assert message.startswith("Value python2.9 at 'runtime' failed to satisfy constraint: Member must satisfy enum value set:")

    code, message, status = aws_error(create_python_function, client, "bad-zip", b"this is not a zip file")
    assert (code, status, message) == (
        "InvalidParameterValueException", 400,
        "Could not unzip uploaded file. Please check your file, then try to upload again.")

    code, message, status = aws_error(create_python_function, client, "bad-timeout", Timeout=1000)
    assert (code, status, message) == (
        "ValidationException", 400,
        "1 validation error detected: Value '1000' at 'timeout' failed to satisfy constraint: "
        "Member must have value less than or equal to 900")

    code, message, status = aws_error(client.get_function, FunctionName="missing")
    assert (code, status, message) == ("ResourceNotFoundException", 404, "Function not found: " + ARN_PREFIX + "missing")
    code, _, status = aws_error(client.delete_function, FunctionName="missing")
    assert (code, status) == ("ResourceNotFoundException", 404)
    code, _, status = aws_error(client.invoke, FunctionName="missing", Payload=b"{}")
    assert (code, status) == ("ResourceNotFoundException", 404)

    # Nothing of the refused creations is left.
    assert [f["FunctionName"] for f in client.list_functions()["Functions"]] == ["exists"]

    # The same through the CLI.
    good = tmp_path / "good.zip"
    good.write_bytes(python_zip())
    # The CLI itself refuses a file that is not a zip at all; this one has a sound directory
    # and damaged contents.
    damaged = bytearray(python_zip("x = 1\n" * 400))
    damaged[40:60] = bytes(20)
    bad = tmp_path / "bad.zip"
    bad.write_bytes(bytes(damaged))
    create = ["create-function", "--runtime", "python3.12", "--handler", "app.handler", "--role", ROLE]
    code, message = cli_error(fresh, *create, "--function-name", "exists", "--zip-file", f"fileb://{good}",
                              service="lambda")
    assert (code, message) == ("ResourceConflictException", "Function already exist: exists")
    code, message = cli_error(fresh, *create, "--function-name", "cli-bad-zip", "--zip-file", f"fileb://{bad}",
                              service="lambda")
    assert (code, message) == ("InvalidParameterValueException",
                               "Could not unzip uploaded file. Please check your file, then try to upload again.")
    code, message = cli_error(fresh, *create, "--function-name", "cli-bad-runtime", "--runtime", "java1",
                              "--zip-file", f"fileb://{good}", service="lambda")
    assert code == "InvalidParameterValueException"
    code, message = cli_error(fresh, "update-function-configuration", "--function-name", "exists", "--timeout", "901",
                              service="lambda")
    assert code == "ValidationException"
    assert "Member must have value less than or equal to 900" in message


def test_error_bodies_have_lambdas_shape(fresh):
    response = signed_request(fresh, "GET", "/2015-03-31/functions/ghost", service="lambda")
    assert response.status_code == 404
    assert response.headers["x-amzn-ErrorType"] == "ResourceNotFoundException"
    assert response.json() == {"Type": "User", "Message": "Function not found: " + ARN_PREFIX + "ghost"}

    response = signed_request(fresh, "POST", "/2015-03-31/functions", service="lambda",
                              body={"FunctionName": "x", "Role": ROLE, "Runtime": "python3.12", "Handler": "a.b",
                                    "Code": {"ZipFile": base64.b64encode(b"junk").decode()}})
    assert response.status_code == 400
    assert response.json() == {"Type": "User", "message":
                               "Could not unzip uploaded file. Please check your file, then try to upload again."}

    # Lambda's requests are signed for the service `lambda`.
    response = signed_request(fresh, "GET", "/2015-03-31/functions", service="apigateway")
    assert response.status_code == 403
    assert response.headers["x-amzn-ErrorType"] == "InvalidSignatureException"


def test_dry_run_invocation_checks_without_running(fresh):
    client = lambda_client(fresh)
    create_python_function(client, "dry")
    response = client.invoke(FunctionName="dry", InvocationType="DryRun", Payload=b"{}")
    assert response["StatusCode"] == 204
    code, _, status = aws_error(client.invoke, FunctionName="dry", InvocationType="DryRun", Payload=b"{not json")
    assert (code, status) == ("InvalidRequestContentException", 400)


def test_functions_survive_a_restart(tmp_path):
    data_dir = str(tmp_path / "data")
    first = Portico(data_dir=data_dir)
    try:
        created = create_python_function(lambda_client(first), "durable", Timeout=42)
    finally:
        first.stop()
    second = Portico(data_dir=data_dir)
    try:
        configuration = lambda_client(second).get_function_configuration(FunctionName="durable")
        assert configuration["Timeout"] == 42
        assert configuration["CodeSha256"] == created["CodeSha256"]
    finally:
        second.stop()


def test_a_large_package_within_lambdas_quota_is_accepted(fresh):
    """12 MB of incompressible code is more than the management listener's ordinary 16 MB body limit
    once base64-encoded; Lambda's quota for a direct upload is 50 MB, so Portico must take it."""
    payload = os.urandom(12 * 1024 * 1024)
    zip_bytes = make_zip({"app.py": "def handler(e, c):\n    return 1\n", "blob.bin": payload})
    created = create_python_function(lambda_client(fresh), "large", zip_bytes)
    assert created["CodeSize"] == len(zip_bytes)


def test_package_quotas_are_configurable():
    """Lambda's 50 MB zipped and 250 MB unzipped quotas, made small here to be testable."""
    portico = Portico("--max-function-zip-bytes", "20000", "--max-function-unzipped-bytes", "100000")
    try:
        client = lambda_client(portico)
        noise = make_zip({"app.py": "x = 1\n", "noise.bin": os.urandom(30000)})
        code, message, status = aws_error(create_python_function, client, "too-big-zipped", noise)
        assert (code, status) == ("RequestEntityTooLargeException", 413)
        assert message.startswith("Request must be smaller than 26667 bytes for the CreateFunction operation")

        zeros = make_zip({"app.py": "x = 1\n", "zeros.bin": bytes(200000)})
        assert len(zeros) < 20000
        code, message, status = aws_error(create_python_function, client, "too-big-unzipped", zeros)
        assert (code, status, message) == ("InvalidParameterValueException", 400,
                                           "Unzipped size must be smaller than 100000 bytes")
        assert client.list_functions()["Functions"] == []
    finally:
        portico.stop()
