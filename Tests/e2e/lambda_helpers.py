"""Helpers for the Lambda integration tests: a Portico whose `--lambda-endpoint` is a scripted
Invoke-compatible server (lambda_server.py) that checks SigV4 with botocore, and builders for HTTP
APIs and REST APIs with Lambda integrations."""
import time

import requests

from conftest import Portico
from lambda_server import LambdaServer

ACCOUNT = "123456789012"
KEY_ID = "AKIDLAMBDAE2E"
SECRET = "lambda/e2e+SECRET"


def function_arn(name):
    return f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:{name}"


def invocation_uri(name):
    return f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{function_arn(name)}/invocations"


def start(secret=SECRET):
    """A Lambda server that accepts KEY_ID/SECRET, and a Portico signing with KEY_ID/`secret`."""
    server = LambdaServer(credentials=(KEY_ID, SECRET))
    env = {
        "AWS_ACCESS_KEY_ID": KEY_ID,
        "AWS_SECRET_ACCESS_KEY": secret,
        "AWS_SESSION_TOKEN": "",
        "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
    }
    portico = Portico("--lambda-endpoint", server.url, "--lambda-region", "us-east-1", env=env)
    return server, portico


def http_api(portico, routes, stage="$default", stage_variables=None, name="lambda-http"):
    """An HTTP API whose routes map route keys to (function name, payload format version[, timeout])."""
    client = portico.client()
    api_id = client.create_api(Name=name, ProtocolType="HTTP")["ApiId"]
    for route_key, spec in routes.items():
        function, version, *rest = spec
        kwargs = {"TimeoutInMillis": rest[0]} if rest else {}
        uri = function_arn(function) if version == "2.0" else invocation_uri(function)
        integration_id = client.create_integration(
            ApiId=api_id, IntegrationType="AWS_PROXY", IntegrationUri=uri, PayloadFormatVersion=version, **kwargs)["IntegrationId"]
        client.create_route(ApiId=api_id, RouteKey=route_key, Target=f"integrations/{integration_id}")
    stage_kwargs = {"ApiId": api_id, "StageName": stage, "AutoDeploy": True}
    if stage_variables:
        stage_kwargs["StageVariables"] = stage_variables
    client.create_stage(**stage_kwargs)
    prefix = "" if stage == "$default" else f"/{stage}"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        response = requests.get(f"{portico.data_url}/_aws/execute-api/{api_id}{prefix}/__probe__/x/y/z", timeout=5)
        if response.headers.get("apigw-requestid"):
            return api_id
        time.sleep(0.02)
    raise AssertionError("the HTTP API was not served")
