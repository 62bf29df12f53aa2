"""SigV4 on the management API of a Portico started with credentials: refusals carry AWS's error
types, and the secret never reaches Portico's output."""
import datetime
import os
import tempfile

import boto3
import pytest
import requests
from botocore.config import Config

from conftest import Portico
from management_helpers import aws_error, signed_request

ACCESS_KEY = "AKIDTEST"
SECRET = "s3cr3t-Sh0uld-N3ver-Be-L0gged"
FILE_KEY = "AKIDFILE"
FILE_SECRET = "f1le-s3cr3t-Never-L0gged"


@pytest.fixture(scope="module")
def secured():
    server = Portico("--access-key-id", ACCESS_KEY, "--secret-access-key", SECRET)
    yield server
    server.stop()
    assert SECRET not in server.log


def client_for(server, access_key, secret):
    return boto3.client("apigatewayv2", endpoint_url=server.management_url, region_name="us-east-1",
                        aws_access_key_id=access_key, aws_secret_access_key=secret,
                        config=Config(retries={"max_attempts": 1}))


def test_right_credentials_work(secured):
    client = client_for(secured, ACCESS_KEY, SECRET)
    api_id = client.create_api(Name="secure", ProtocolType="HTTP")["ApiId"]
    assert client.get_api(ApiId=api_id)["Name"] == "secure"


def test_wrong_secret(secured):
    code, message, status = aws_error(client_for(secured, ACCESS_KEY, "wrong").get_apis)
    assert (code, status) == ("InvalidSignatureException", 403)
    assert message.startswith("The request signature we calculated does not match the signature you provided.")


def test_unknown_access_key(secured):
    code, message, status = aws_error(client_for(secured, "AKIDUNKNOWN", SECRET).get_apis)
    assert (code, status, message) == ("UnrecognizedClientException", 403, "The security token included in the request is invalid.")


def test_no_signature(secured):
    response = requests.get(secured.management_url + "/v2/apis", timeout=10)
    assert response.status_code == 403
    assert response.headers["x-amzn-ErrorType"] == "MissingAuthenticationTokenException"
    assert response.json() == {"message": "Missing Authentication Token"}


def test_expired_date(secured):
    past = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) - datetime.timedelta(hours=1)
    response = signed_request(secured, "GET", "/v2/apis", access_key=ACCESS_KEY, secret=SECRET, when=past)
    assert response.status_code == 403
    assert response.headers["x-amzn-ErrorType"] == "InvalidSignatureException"
    assert response.json()["message"].startswith("Signature expired:")


def test_signature_for_another_service(secured):
    response = signed_request(secured, "GET", "/v2/apis", access_key=ACCESS_KEY, secret=SECRET, service="lambda")
    assert response.status_code == 403
    assert response.headers["x-amzn-ErrorType"] == "InvalidSignatureException"


def test_admin_endpoints_need_no_credentials(secured):
    assert requests.get(secured.management_url + "/_portico/health", timeout=10).status_code == 200
    assert requests.post(secured.management_url + "/_portico/reset", timeout=10).status_code == 200


def test_cli_with_wrong_secret(secured):
    env = secured.aws_env()
    env.update({"AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": "wrong"})
    import subprocess
    result = subprocess.run(["aws", "--endpoint-url", secured.management_url, "apigatewayv2", "get-apis"],
                            capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode != 0
    assert "(InvalidSignatureException)" in result.stderr


def test_credentials_file():
    directory = tempfile.mkdtemp(prefix="portico-creds-")
    path = os.path.join(directory, "credentials")
    with open(path, "w") as handle:
        handle.write(f"[default]\naws_access_key_id = {FILE_KEY}\naws_secret_access_key = {FILE_SECRET}\n")
    server = Portico(env={"PORTICO_CREDENTIALS_FILE": path})
    try:
        assert client_for(server, FILE_KEY, FILE_SECRET).get_apis()["Items"] == []
        code, _, status = aws_error(client_for(server, FILE_KEY, "wrong").get_apis)
        assert (code, status) == ("InvalidSignatureException", 403)
        code, _, status = aws_error(client_for(server, "test", "test").get_apis)
        assert (code, status) == ("UnrecognizedClientException", 403)
    finally:
        server.stop()
    assert FILE_SECRET not in server.log


def test_no_secret_in_development_mode_log(portico):
    # The session Portico accepts any well-formed signature; the secret used must not be echoed either.
    client = client_for(portico, "AKIDDEV", "dev-secret-Not-Logged")
    client.get_apis()
    assert "dev-secret-Not-Logged" not in portico.log
