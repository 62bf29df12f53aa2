"""IAM (`AWS_IAM`) authorization and REST resource policies, end to end.

Credentials are managed through Portico's IAM subset (boto3's `iam` client and `aws iam` pointed at
the management listener); data-plane requests are signed with botocore's own SigV4Auth /
SigV4QueryAuth for the service `execute-api`, exactly as an AWS client signs them.
"""
import datetime
import json
from unittest import mock

import pytest
import requests
from botocore.auth import SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from dataplane_helpers import call
from management_helpers import aws_error, cli_error, cli_json
from rest_dataplane_helpers import MOCK_200, RestApi, wait_for

ACCOUNT = "000000000000"
IDENTITY_TEMPLATE = (
    '{"userArn":"$context.identity.userArn","accessKey":"$context.identity.accessKey",'
    '"caller":"$context.identity.caller","user":"$context.identity.user",'
    '"accountId":"$context.identity.accountId","sourceIp":"$context.identity.sourceIp"}'
)
ALLOW_ALL = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "*"}]}


def allow(resource):
    return {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": resource}]}


def user_with_key(iam, name, policy=None):
    iam.create_user(UserName=name)
    key = iam.create_access_key(UserName=name)["AccessKey"]
    if policy is not None:
        iam.put_user_policy(UserName=name, PolicyName="invoke", PolicyDocument=json.dumps(policy))
    return key["AccessKeyId"], key["SecretAccessKey"]


def signed(portico, api_id, path, key, method="GET", body=None, headers=None, when=None, style="path",
           service="execute-api", region="us-east-1", presign=False):
    """A data-plane request signed by botocore (header auth, or a presigned URL)."""
    if style == "path":
        url = f"{portico.data_url}/_aws/execute-api/{api_id}{path}"
        base_headers = {}
    else:
        url = portico.data_url + path
        base_headers = {"Host": f"{api_id}.execute-api.localhost"}
    base_headers.update(headers or {})
    request = AWSRequest(method=method, url=url, data=body, headers=base_headers)
    credentials = Credentials(*key)
    auth = SigV4QueryAuth(credentials, service, region, expires=60) if presign else SigV4Auth(credentials, service, region)
    if when is None:
        auth.add_auth(request)
    else:
        with mock.patch("botocore.auth.get_current_datetime", return_value=when):
            auth.add_auth(request)
    prepared = request.prepare()
    return requests.request(method, prepared.url, data=body, headers=dict(prepared.headers.items()), timeout=15)


def message(response):
    body = response.json()
    return body.get("message", body.get("Message"))


def not_authorized(user, api_id, arn_tail, explicit=False):
    resource = f"arn:aws:execute-api:us-east-1:********{ACCOUNT[-4:]}:{api_id}/{arn_tail}"
    return f"User: {user} is not authorized to perform: execute-api:Invoke on resource: {resource}" + (
        " with an explicit deny" if explicit else "")


# MARK: the IAM API


def test_users_keys_and_policies_through_boto3(fresh):
    iam = fresh.client("iam")
    user = iam.create_user(UserName="alice", Path="/team/")["User"]
    assert user["UserName"] == "alice" and user["Path"] == "/team/"
    assert user["Arn"] == f"arn:aws:iam::{ACCOUNT}:user/team/alice"
    assert user["UserId"].startswith("AIDA") and len(user["UserId"]) == 21
    assert iam.get_user(UserName="alice")["User"]["Arn"] == user["Arn"]
    assert [u["UserName"] for u in iam.list_users()["Users"]] == ["alice"]

    key = iam.create_access_key(UserName="alice")["AccessKey"]
    assert key["AccessKeyId"].startswith("AKIA") and len(key["AccessKeyId"]) == 20
    assert len(key["SecretAccessKey"]) == 40 and key["Status"] == "Active"
    listed = iam.list_access_keys(UserName="alice")["AccessKeyMetadata"]
    assert [(k["AccessKeyId"], k["Status"]) for k in listed] == [(key["AccessKeyId"], "Active")]
    assert "SecretAccessKey" not in listed[0]
    iam.update_access_key(UserName="alice", AccessKeyId=key["AccessKeyId"], Status="Inactive")
    assert iam.list_access_keys(UserName="alice")["AccessKeyMetadata"][0]["Status"] == "Inactive"

    iam.put_user_policy(UserName="alice", PolicyName="invoke", PolicyDocument=json.dumps(ALLOW_ALL))
    assert iam.list_user_policies(UserName="alice")["PolicyNames"] == ["invoke"]
    got = iam.get_user_policy(UserName="alice", PolicyName="invoke")
    assert got["PolicyDocument"] == ALLOW_ALL  # IAM sends it URL-encoded; botocore decodes it

    assert aws_error(iam.delete_user, UserName="alice") == (
        "DeleteConflict", "Cannot delete entity, must delete access keys first.", 409)
    iam.delete_access_key(UserName="alice", AccessKeyId=key["AccessKeyId"])
    assert aws_error(iam.delete_user, UserName="alice") == (
        "DeleteConflict", "Cannot delete entity, must delete policies first.", 409)
    iam.delete_user_policy(UserName="alice", PolicyName="invoke")
    iam.delete_user(UserName="alice")
    assert iam.list_users()["Users"] == []
    # The secret was answered once and is never written to the log.
    assert key["SecretAccessKey"] not in fresh.log


def test_iam_errors_as_iam_answers_them(fresh):
    iam = fresh.client("iam")
    assert aws_error(iam.get_user, UserName="nobody") == ("NoSuchEntity", "The user with name nobody cannot be found.", 404)
    iam.create_user(UserName="bob")
    assert aws_error(iam.create_user, UserName="BOB") == ("EntityAlreadyExists", "User with name BOB already exists.", 409)
    code, _, status = aws_error(iam.put_user_policy, UserName="bob", PolicyName="p", PolicyDocument="{not json")
    assert (code, status) == ("MalformedPolicyDocument", 400)
    code, text, status = aws_error(
        iam.put_user_policy, UserName="bob", PolicyName="p",
        PolicyDocument=json.dumps({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}))
    assert (code, status) == ("MalformedPolicyDocument", 400) and "principal" in text
    assert aws_error(iam.get_user_policy, UserName="bob", PolicyName="none") == (
        "NoSuchEntity", "The user policy with name none cannot be found.", 404)
    assert aws_error(iam.delete_access_key, UserName="bob", AccessKeyId="AKIAAAAAAAAAAAAAAAAA") == (
        "NoSuchEntity", "The Access Key with id AKIAAAAAAAAAAAAAAAAA cannot be found.", 404)
    iam.create_access_key(UserName="bob")
    iam.create_access_key(UserName="bob")
    assert aws_error(iam.create_access_key, UserName="bob") == (
        "LimitExceeded", "Cannot exceed quota for AccessKeysPerUser: 2", 409)
    code, _, status = aws_error(iam.create_user, UserName="bad name!")
    assert (code, status) == ("ValidationError", 400)
    key = iam.list_access_keys(UserName="bob")["AccessKeyMetadata"][0]["AccessKeyId"]
    code, _, status = aws_error(iam.update_access_key, UserName="bob", AccessKeyId=key, Status="Paused")
    assert (code, status) == ("ValidationError", 400)


def test_iam_through_the_aws_cli(fresh):
    created = cli_json(fresh, "create-user", "--user-name", "carol", service="iam")
    assert created["User"]["Arn"] == f"arn:aws:iam::{ACCOUNT}:user/carol"
    key = cli_json(fresh, "create-access-key", "--user-name", "carol", service="iam")["AccessKey"]
    assert key["Status"] == "Active"
    fresh.cli("iam", "put-user-policy", "--user-name", "carol", "--policy-name", "p", "--policy-document", json.dumps(ALLOW_ALL))
    assert cli_json(fresh, "list-user-policies", "--user-name", "carol", service="iam")["PolicyNames"] == ["p"]
    assert cli_error(fresh, "get-user", "--user-name", "dave", service="iam") == (
        "NoSuchEntity", "The user with name dave cannot be found.")


def test_iam_users_survive_a_restart(tmp_path):
    from conftest import Portico

    first = Portico(data_dir=str(tmp_path))
    try:
        iam = first.client("iam")
        key_id, _ = user_with_key(iam, "persistent", ALLOW_ALL)
    finally:
        first.stop()
    second = Portico(data_dir=str(tmp_path))
    try:
        iam = second.client("iam")
        assert iam.list_access_keys(UserName="persistent")["AccessKeyMetadata"][0]["AccessKeyId"] == key_id
        assert iam.list_user_policies(UserName="persistent")["PolicyNames"] == ["invoke"]
    finally:
        second.stop()


# MARK: AWS_IAM on REST methods


@pytest.fixture
def iam_api(fresh):
    """A REST API with an AWS_IAM method whose MOCK answer shows `$context.identity`, and an open one."""
    api = RestApi(fresh)
    api.method("/iam", "GET", MOCK_200, responses={"200": {"responseTemplates": {"application/json": IDENTITY_TEMPLATE}}},
               authorizationType="AWS_IAM")
    api.method("/iam", "POST", MOCK_200, responses={"200": {}}, authorizationType="AWS_IAM")
    api.method("/open", "GET", MOCK_200, responses={"200": {}})
    api.deploy()
    return fresh, api


def test_signed_request_is_allowed_and_identity_reaches_the_template(iam_api):
    portico, api = iam_api
    iam = portico.client("iam")
    key = user_with_key(iam, "reader", allow(f"arn:aws:execute-api:*:*:{api.id}/test/GET/*"))
    for style in ("path", "host"):
        response = signed(portico, api.id, "/test/iam", key, style=style)
        assert response.status_code == 200, response.text
        identity = response.json()
        assert identity["userArn"] == f"arn:aws:iam::{ACCOUNT}:user/reader"
        assert identity["accessKey"] == key[0]
        assert identity["accountId"] == ACCOUNT
        user_id = iam.get_user(UserName="reader")["User"]["UserId"]
        assert identity["caller"] == user_id and identity["user"] == user_id
        assert identity["sourceIp"] == "127.0.0.1"
    # A presigned URL (X-Amz-* query parameters) is accepted too.
    assert signed(portico, api.id, "/test/iam", key, presign=True).status_code == 200
    # A signed body.
    assert signed(portico, api.id, "/test/iam", key, method="POST", body=b'{"a":1}').status_code == 403  # POST not allowed


def test_unsigned_and_badly_signed_requests_are_refused(iam_api):
    portico, api = iam_api
    iam = portico.client("iam")
    key = user_with_key(iam, "writer", ALLOW_ALL)

    unsigned = call(portico, api.id, "/test/iam")
    assert unsigned.status_code == 403 and unsigned.json() == {"message": "Missing Authentication Token"}

    wrong_secret = signed(portico, api.id, "/test/iam", (key[0], "x" * 40))
    assert wrong_secret.status_code == 403
    assert message(wrong_secret).startswith("The request signature we calculated does not match the signature you provided.")
    assert wrong_secret.headers["x-amzn-ErrorType"] == "InvalidSignatureException"

    # A signature over another body: tampered in transit.
    url = f"{portico.data_url}/_aws/execute-api/{api.id}/test/iam"
    request = AWSRequest(method="POST", url=url, data=b'{"amount":1}')
    SigV4Auth(Credentials(*key), "execute-api", "us-east-1").add_auth(request)
    tampered = requests.post(url, data=b'{"amount":1000}', headers=dict(request.headers.items()), timeout=15)
    assert tampered.status_code == 403 and message(tampered).startswith("The request signature we calculated")
    # The same request untampered goes through.
    assert requests.post(url, data=b'{"amount":1}', headers=dict(request.headers.items()), timeout=15).status_code == 200

    unknown = signed(portico, api.id, "/test/iam", ("AKIAUNKNOWNUNKNOWN00", "x" * 40))
    assert unknown.status_code == 403
    assert message(unknown) == "The security token included in the request is invalid."

    wrong_service = signed(portico, api.id, "/test/iam", key, service="lambda")
    assert wrong_service.status_code == 403

    old = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) - datetime.timedelta(minutes=10)
    expired = signed(portico, api.id, "/test/iam", key, when=old)
    assert expired.status_code == 403 and message(expired).startswith("Signature expired: ")

    iam.update_access_key(UserName="writer", AccessKeyId=key[0], Status="Inactive")
    wait_for(lambda: signed(portico, api.id, "/test/iam", key).status_code == 403)
    assert message(signed(portico, api.id, "/test/iam", key)) == "The security token included in the request is invalid."
    iam.update_access_key(UserName="writer", AccessKeyId=key[0], Status="Active")
    wait_for(lambda: signed(portico, api.id, "/test/iam", key).status_code == 200)


def test_identity_policies_decide(iam_api):
    portico, api = iam_api
    iam = portico.client("iam")
    nothing = user_with_key(iam, "nopolicy")
    refused = signed(portico, api.id, "/test/iam", nothing)
    assert refused.status_code == 403
    assert refused.json() == {"Message": not_authorized(f"arn:aws:iam::{ACCOUNT}:user/nopolicy", api.id, "test/GET/iam")}

    denied = user_with_key(iam, "denied", {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "execute-api:*", "Resource": "*"},
        {"Effect": "Deny", "Action": "execute-api:Invoke", "Resource": f"arn:aws:execute-api:us-east-1:{ACCOUNT}:{api.id}/*/GET/iam"},
    ]})
    response = signed(portico, api.id, "/test/iam", denied)
    assert response.status_code == 403
    assert response.json() == {
        "Message": not_authorized(f"arn:aws:iam::{ACCOUNT}:user/denied", api.id, "test/GET/iam", explicit=True)}
    # The same user may POST: the Deny names GET only.
    assert signed(portico, api.id, "/test/iam", denied, method="POST", body=b"{}").status_code == 200

    # Policies changed through IAM apply to the next request, with no redeployment.
    iam.put_user_policy(UserName="nopolicy", PolicyName="invoke", PolicyDocument=json.dumps(allow(f"arn:aws:execute-api:*:*:{api.id}/*")))
    wait_for(lambda: signed(portico, api.id, "/test/iam", nothing).status_code == 200)


# MARK: resource policies


def source_ip_policy(effect, operator, cidrs, resource="execute-api:/*"):
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": effect, "Principal": "*", "Action": "execute-api:Invoke", "Resource": resource,
         "Condition": {operator: {"aws:SourceIp": cidrs}}}]})


def test_resource_policy_allows_and_denies_by_source_ip(fresh):
    api = RestApi(fresh, policy=source_ip_policy("Allow", "IpAddress", ["127.0.0.0/8", "2001:db8::/32"]))
    api.method("/open", "GET", MOCK_200, responses={"200": {}})
    api.deploy()
    assert call(fresh, api.id, "/test/open").status_code == 200

    # Loopback is not in 10.0.0.0/8: no statement allows, so the request is implicitly denied.
    api.client.update_rest_api(restApiId=api.id, patchOperations=[
        {"op": "replace", "path": "/policy", "value": source_ip_policy("Allow", "IpAddress", ["10.0.0.0/8"])}])
    # AWS applies a changed policy only once the API is deployed again.
    assert call(fresh, api.id, "/test/open").status_code == 200
    api.client.create_deployment(restApiId=api.id, stageName="test")
    wait_for(lambda: call(fresh, api.id, "/test/open").status_code == 403)
    refused = call(fresh, api.id, "/test/open")
    assert refused.json() == {"Message": not_authorized("anonymous", api.id, "test/GET/open")}

    # An explicit Deny for loopback.
    api.client.update_rest_api(restApiId=api.id, patchOperations=[
        {"op": "replace", "path": "/policy", "value": json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "execute-api:/*"},
            {"Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "execute-api:/*",
             "Condition": {"NotIpAddress": {"aws:SourceIp": ["192.0.2.0/24"]}}}]})}])
    api.client.create_deployment(restApiId=api.id, stageName="test")
    wait_for(lambda: "explicit deny" in call(fresh, api.id, "/test/open").text)
    assert call(fresh, api.id, "/test/open").json() == {
        "Message": not_authorized("anonymous", api.id, "test/GET/open", explicit=True)}


def test_resource_policy_with_iam_methods(fresh):
    iam = fresh.client("iam")
    plain = user_with_key(iam, "plain")  # no identity policy
    allowed = user_with_key(iam, "allowed", ALLOW_ALL)
    policy = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:user/plain"}, "Action": "execute-api:Invoke",
         "Resource": "execute-api:/*/GET/*"},
        {"Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "execute-api:/*/GET/secret",
         "Condition": {"IpAddress": {"aws:SourceIp": "127.0.0.1/32"}}}]})
    api = RestApi(fresh, policy=policy)
    api.method("/iam", "GET", MOCK_200, responses={"200": {}}, authorizationType="AWS_IAM")
    api.method("/secret", "GET", MOCK_200, responses={"200": {}}, authorizationType="AWS_IAM")
    api.method("/open", "GET", MOCK_200, responses={"200": {}})
    api.client.create_deployment(restApiId=api.id, stageName="test")
    # Same account: the resource policy's Allow suffices for a user without an identity policy...
    wait_for(lambda: signed(fresh, api.id, "/test/iam", plain).status_code == 200)
    # ...and the identity policy's Allow suffices where the resource policy says nothing.
    assert signed(fresh, api.id, "/test/iam", allowed).status_code == 200
    # An explicit Deny in the resource policy wins over the identity policy's Allow.
    denied = signed(fresh, api.id, "/test/secret", allowed)
    assert denied.status_code == 403
    assert denied.json() == {
        "Message": not_authorized(f"arn:aws:iam::{ACCOUNT}:user/allowed", api.id, "test/GET/secret", explicit=True)}
    # A NONE method under a policy that allows only an IAM user: anonymous callers are refused.
    assert call(fresh, api.id, "/test/open").json() == {"Message": not_authorized("anonymous", api.id, "test/GET/open")}


def test_invalid_resource_policy_is_refused(fresh):
    client = fresh.client("apigateway")
    code, text, status = aws_error(client.create_rest_api, name="bad", policy="{nope")
    assert (code, status) == ("BadRequestException", 400)
    assert text.startswith("Invalid policy document.")


def test_resource_policy_round_trips_through_export(fresh):
    policy = source_ip_policy("Allow", "IpAddress", ["127.0.0.1/32"])
    api = RestApi(fresh, policy=policy)
    api.method("/open", "GET", MOCK_200, responses={"200": {}})
    api.deploy()
    exported = json.loads(api.client.get_export(restApiId=api.id, stageName="test", exportType="oas30", parameters={"extensions": "apigateway"})["body"].read())
    assert exported["x-amazon-apigateway-policy"]["Statement"][0]["Condition"] == {"IpAddress": {"aws:SourceIp": ["127.0.0.1/32"]}}


# MARK: AWS_IAM on HTTP API routes


def test_http_api_iam_route(fresh, upstream):
    client = fresh.client("apigatewayv2")
    api_id = client.create_api(Name="iam-http", ProtocolType="HTTP")["ApiId"]
    integration = client.create_integration(
        ApiId=api_id, IntegrationType="HTTP_PROXY", IntegrationMethod="ANY", IntegrationUri=upstream.url + "/echo",
        PayloadFormatVersion="1.0")["IntegrationId"]
    client.create_route(ApiId=api_id, RouteKey="GET /secure", AuthorizationType="AWS_IAM", Target=f"integrations/{integration}")
    client.create_stage(ApiId=api_id, StageName="$default", AutoDeploy=True)
    iam = fresh.client("iam")
    reader = user_with_key(iam, "http-reader", allow(f"arn:aws:execute-api:us-east-1:{ACCOUNT}:{api_id}/$default/GET/secure"))
    other = user_with_key(iam, "http-other")
    wait_for(lambda: call(fresh, api_id, "/secure").status_code == 403)
    assert call(fresh, api_id, "/secure").json() == {"message": "Missing Authentication Token"}
    assert signed(fresh, api_id, "/secure", reader, style="host").status_code == 200
    refused = signed(fresh, api_id, "/secure", other, style="host")
    assert refused.status_code == 403
    assert "is not authorized to perform: execute-api:Invoke" in message(refused)
    wrong = signed(fresh, api_id, "/secure", (reader[0], "y" * 40), style="host")
    assert wrong.status_code == 403 and message(wrong).startswith("The request signature we calculated")


def test_http_api_iam_routes_through_openapi(fresh, upstream):
    # AWS's x-amazon-apigateway-authtype example: one awsSigv4 scheme shared by several operations.
    definition = {
        "openapi": "3.0.1", "info": {"title": "iam-import", "version": "1.0"},
        "paths": {
            "/secure": {"get": {"security": [{"sigv4Reference": []}], "responses": {"default": {"description": "ok"}},
                                "x-amazon-apigateway-integration": {"type": "http_proxy", "httpMethod": "ANY",
                                                                    "uri": upstream.url + "/echo", "payloadFormatVersion": "1.0"}}},
            "/open": {"get": {"responses": {"default": {"description": "ok"}},
                              "x-amazon-apigateway-integration": {"type": "http_proxy", "httpMethod": "ANY",
                                                                  "uri": upstream.url + "/echo", "payloadFormatVersion": "1.0"}}},
        },
        "components": {"securitySchemes": {"sigv4Reference": {
            "type": "apiKey", "name": "Authorization", "in": "header", "x-amazon-apigateway-authtype": "awsSigv4"}}},
    }
    client = fresh.client("apigatewayv2")
    api_id = client.import_api(Body=json.dumps(definition))["ApiId"]
    routes = {r["RouteKey"]: r for r in client.get_routes(ApiId=api_id)["Items"]}
    assert routes["GET /secure"]["AuthorizationType"] == "AWS_IAM"
    assert routes["GET /open"]["AuthorizationType"] == "NONE"
    client.create_stage(ApiId=api_id, StageName="$default", AutoDeploy=True)
    iam = fresh.client("iam")
    reader = user_with_key(iam, "import-reader", allow(f"arn:aws:execute-api:us-east-1:{ACCOUNT}:{api_id}/$default/GET/secure"))
    wait_for(lambda: call(fresh, api_id, "/open").status_code == 200)
    assert call(fresh, api_id, "/secure").status_code == 403
    assert signed(fresh, api_id, "/secure", reader, style="host").status_code == 200

    exported = json.loads(client.export_api(ApiId=api_id, OutputType="JSON", Specification="OAS30", IncludeExtensions=True)["body"].read())
    assert exported["paths"]["/secure"]["get"]["security"] == [{"sigv4": []}]
    assert "security" not in exported["paths"]["/open"]["get"]
    assert exported["components"]["securitySchemes"]["sigv4"] == {
        "type": "apiKey", "name": "Authorization", "in": "header", "x-amazon-apigateway-authtype": "awsSigv4"}
    # The export imports again to the same protection.
    again = client.import_api(Body=json.dumps(exported))["ApiId"]
    assert {r["RouteKey"]: r["AuthorizationType"] for r in client.get_routes(ApiId=again)["Items"]}["GET /secure"] == "AWS_IAM"
