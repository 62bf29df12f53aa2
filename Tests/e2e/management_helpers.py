"""Helpers for the management API end-to-end tests (test_management_*.py).

Errors are read the way users see them: botocore's ``e.response["Error"]`` for boto3, and the
"An error occurred (Code) when calling the Op operation: message" line of the AWS CLI.
"""
import json
import re
from unittest import mock

import pytest
import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

CLI_ERROR = re.compile(r"An error occurred \((\w+)\) when calling the (\w+) operation: (.*)")


def aws_error(call, *args, **kwargs):
    """Runs a boto3 call that must fail; returns (code, message, HTTP status)."""
    with pytest.raises(ClientError) as info:
        call(*args, **kwargs)
    response = info.value.response
    return response["Error"]["Code"], response["Error"]["Message"], response["ResponseMetadata"]["HTTPStatusCode"]


def cli_json(portico, *args, service="apigatewayv2"):
    """Runs `aws apigatewayv2 ...` (or another `service`) and returns its JSON output ({} when it prints nothing)."""
    result = portico.cli(service, *args)
    return json.loads(result.stdout) if result.stdout.strip() else {}


def cli_error(portico, *args, service="apigatewayv2"):
    """Runs an `aws apigatewayv2 ...` (or another `service`) that must fail; returns (code, message)."""
    result = portico.cli(service, *args, check=False)
    assert result.returncode != 0, result.stdout
    match = CLI_ERROR.search(result.stderr)
    assert match, result.stderr
    return match.group(1), match.group(3).strip()


def signed_request(portico, method, path, body=None, access_key="test", secret="test", region="us-east-1",
                   service="apigateway", when=None, headers=None):
    """A raw SigV4-signed request (for bodies boto3 would refuse to send). `when` fakes the signing time."""
    url = portico.management_url + path
    data = body if body is None or isinstance(body, (str, bytes)) else json.dumps(body)
    request = AWSRequest(method=method, url=url, data=data, headers=dict(headers or {}))
    auth = SigV4Auth(Credentials(access_key, secret), service, region)
    if when is None:
        auth.add_auth(request)
    else:
        with mock.patch("botocore.auth.get_current_datetime", return_value=when):
            auth.add_auth(request)
    return requests.request(method, url, data=data, headers=dict(request.headers.items()), timeout=15)


def quick_api(client, name="quick", target="http://example.com/", **extra):
    return client.create_api(Name=name, ProtocolType="HTTP", Target=target, **extra)


def http_integration(client, api_id, uri="https://example.com/{proxy}", method="ANY", **extra):
    return client.create_integration(
        ApiId=api_id, IntegrationType="HTTP_PROXY", IntegrationMethod=method, IntegrationUri=uri, **extra)
