"""IAM roles and the temporary credentials local functions get for their role, end to end.

Roles are managed through Portico's IAM subset (boto3's `iam` client and `aws iam`). A function whose
`Role` names one gets `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`/`AWS_SESSION_TOKEN` when its process
starts, as Lambda gives an execution environment its role's credentials; the data plane accepts them
with their session token and evaluates the role's inline policies. The chat function below answers a
WebSocket message with boto3's `apigatewaymanagementapi.post_to_connection`, with no keys in its code."""
import json
import time
from urllib.parse import urlencode

import pytest
import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from websockets.sync.client import connect

from lambda_function_helpers import ARN_PREFIX, create_python_function, make_zip
from management_helpers import aws_error, cli_error, cli_json
from rest_dataplane_helpers import MOCK_200, RestApi
from test_iam_auth import IDENTITY_TEMPLATE
from test_websocket_dataplane import make_ws_api, ws_url

ACCOUNT = "000000000000"
TRUST = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}

# The usual chat pattern: answer through @connections, credentials from the environment (boto3's
# default chain). Locally the event's domainName has no port, so the data plane's URL comes in DATA_URL.
CHAT = '''import json, os
import boto3
from botocore.exceptions import ClientError

def handler(event, context):
    ctx = event["requestContext"]
    if ctx["routeKey"] == "$connect":
        return {"statusCode": 200}
    body = json.loads(event.get("body") or "{}")
    if body.get("reveal"):
        # Test only: hand the process's credentials to the test, which signs requests with them.
        names = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")
        return {"statusCode": 200, "body": json.dumps({name: os.environ.get(name) for name in names})}
    endpoint = f"{os.environ['DATA_URL']}/_aws/execute-api/{ctx['apiId']}/{ctx['stage']}"
    client = boto3.client("apigatewaymanagementapi", endpoint_url=endpoint)
    try:
        client.post_to_connection(ConnectionId=ctx["connectionId"], Data=("echo: " + body.get("text", "")).encode())
        answer = {"posted": True}
    except ClientError as error:
        answer = {"code": error.response["Error"]["Code"], "status": error.response["ResponseMetadata"]["HTTPStatusCode"],
                  "message": error.response["Error"].get("Message")}
    return {"statusCode": 200, "body": json.dumps(answer)}
'''


def iam_query(portico, **parameters):
    """A raw IAM Query request (form body), signed for `iam` as botocore signs one."""
    body = urlencode({"Version": "2010-05-08", **parameters})
    request = AWSRequest(method="POST", url=portico.management_url + "/", data=body,
                         headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
    SigV4Auth(Credentials("test", "test"), "iam", "us-east-1").add_auth(request)
    return requests.post(portico.management_url + "/", data=body, headers=dict(request.prepare().headers.items()), timeout=15)


def role_arn(name, path="/"):
    return f"arn:aws:iam::{ACCOUNT}:role{path}{name}"


def manage_connections(api_id, effect="Allow"):
    return {"Version": "2012-10-17", "Statement": [
        {"Effect": effect, "Action": "execute-api:ManageConnections", "Resource": f"arn:aws:execute-api:*:*:{api_id}/*"}]}


# MARK: the IAM API


def test_roles_and_role_policies_through_boto3(fresh):
    iam = fresh.client("iam")
    role = iam.create_role(RoleName="builder", Path="/service/", AssumeRolePolicyDocument=json.dumps(TRUST),
                           Description="builds things")["Role"]
    assert role["RoleName"] == "builder" and role["Path"] == "/service/"
    assert role["Arn"] == role_arn("builder", "/service/")
    assert role["RoleId"].startswith("AROA") and len(role["RoleId"]) == 21
    assert role["AssumeRolePolicyDocument"] == TRUST  # URL-encoded by IAM, decoded by botocore
    assert role["MaxSessionDuration"] == 3600
    got = iam.get_role(RoleName="builder")["Role"]
    assert (got["Arn"], got["Description"], got["AssumeRolePolicyDocument"]) == (role["Arn"], "builds things", TRUST)
    iam.create_role(RoleName="other", AssumeRolePolicyDocument=json.dumps(TRUST))
    assert sorted(r["RoleName"] for r in iam.list_roles()["Roles"]) == ["builder", "other"]
    assert [r["RoleName"] for r in iam.list_roles(PathPrefix="/service/")["Roles"]] == ["builder"]

    policy = manage_connections("abc123")
    iam.put_role_policy(RoleName="builder", PolicyName="ws", PolicyDocument=json.dumps(policy))
    assert iam.list_role_policies(RoleName="builder")["PolicyNames"] == ["ws"]
    fetched = iam.get_role_policy(RoleName="builder", PolicyName="ws")
    assert (fetched["RoleName"], fetched["PolicyName"], fetched["PolicyDocument"]) == ("builder", "ws", policy)

    assert aws_error(iam.delete_role, RoleName="builder") == (
        "DeleteConflict", "Cannot delete entity, must delete policies first.", 409)
    iam.delete_role_policy(RoleName="builder", PolicyName="ws")
    iam.delete_role(RoleName="builder")
    assert [r["RoleName"] for r in iam.list_roles()["Roles"]] == ["other"]


def test_role_errors_as_iam_answers_them(fresh):
    iam = fresh.client("iam")
    assert aws_error(iam.get_role, RoleName="nobody") == ("NoSuchEntity", "The role with name nobody cannot be found.", 404)
    assert aws_error(iam.delete_role, RoleName="nobody")[0] == "NoSuchEntity"
    assert aws_error(iam.put_role_policy, RoleName="nobody", PolicyName="p",
                     PolicyDocument=json.dumps(manage_connections("x"))) == (
        "NoSuchEntity", "The role with name nobody cannot be found.", 404)
    iam.create_role(RoleName="dup", AssumeRolePolicyDocument=json.dumps(TRUST))
    assert aws_error(iam.create_role, RoleName="DUP", AssumeRolePolicyDocument=json.dumps(TRUST)) == (
        "EntityAlreadyExists", "Role with name DUP already exists.", 409)
    # Trust policies: JSON, a Principal, no Resource.
    assert aws_error(iam.create_role, RoleName="bad", AssumeRolePolicyDocument="{not json") == (
        "MalformedPolicyDocument", "This policy contains invalid Json", 400)
    no_principal = {"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole"}]}
    assert aws_error(iam.create_role, RoleName="bad", AssumeRolePolicyDocument=json.dumps(no_principal)) == (
        "MalformedPolicyDocument", "Missing required field Principal", 400)
    with_resource = {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole", "Resource": "*"}]}
    assert aws_error(iam.create_role, RoleName="bad", AssumeRolePolicyDocument=json.dumps(with_resource)) == (
        "MalformedPolicyDocument", "Has prohibited field Resource", 400)
    # Permission policies: as PutUserPolicy checks them.
    code, _, status = aws_error(iam.put_role_policy, RoleName="dup", PolicyName="p", PolicyDocument="{not json")
    assert (code, status) == ("MalformedPolicyDocument", 400)
    code, text, status = aws_error(
        iam.put_role_policy, RoleName="dup", PolicyName="p",
        PolicyDocument=json.dumps({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}))
    assert (code, status) == ("MalformedPolicyDocument", 400) and "principal" in text
    assert aws_error(iam.get_role_policy, RoleName="dup", PolicyName="none") == (
        "NoSuchEntity", "The role policy with name none cannot be found.", 404)
    assert aws_error(iam.delete_role_policy, RoleName="dup", PolicyName="none")[0] == "NoSuchEntity"
    assert aws_error(iam.create_role, RoleName="bad name!", AssumeRolePolicyDocument=json.dumps(TRUST))[::2] == (
        "ValidationError", 400)
    # botocore refuses an out-of-range MaxSessionDuration itself; a raw Query request reaches Portico.
    for seconds in ("60", "50000", "soon"):
        raw = iam_query(fresh, Action="CreateRole", RoleName="short", AssumeRolePolicyDocument=json.dumps(TRUST),
                        MaxSessionDuration=seconds)
        assert raw.status_code == 400 and "<Code>ValidationError</Code>" in raw.text and "maxSessionDuration" in raw.text
    assert [r["RoleName"] for r in iam.list_roles()["Roles"]] == ["dup"]


def test_roles_through_the_aws_cli(fresh):
    created = cli_json(fresh, "create-role", "--role-name", "cli-role", "--assume-role-policy-document", json.dumps(TRUST),
                       service="iam")
    assert created["Role"]["Arn"] == role_arn("cli-role")
    fresh.cli("iam", "put-role-policy", "--role-name", "cli-role", "--policy-name", "p",
              "--policy-document", json.dumps(manage_connections("x")))
    assert cli_json(fresh, "list-role-policies", "--role-name", "cli-role", service="iam")["PolicyNames"] == ["p"]
    assert cli_json(fresh, "get-role", "--role-name", "cli-role", service="iam")["Role"]["RoleName"] == "cli-role"
    assert cli_error(fresh, "get-role", "--role-name", "ghost", service="iam") == (
        "NoSuchEntity", "The role with name ghost cannot be found.")


def test_roles_survive_a_restart(tmp_path):
    from conftest import Portico

    first = Portico(data_dir=str(tmp_path))
    try:
        iam = first.client("iam")
        iam.create_role(RoleName="kept", AssumeRolePolicyDocument=json.dumps(TRUST))
        iam.put_role_policy(RoleName="kept", PolicyName="p", PolicyDocument=json.dumps(manage_connections("x")))
    finally:
        first.stop()
    second = Portico(data_dir=str(tmp_path))
    try:
        assert second.client("iam").list_role_policies(RoleName="kept")["PolicyNames"] == ["p"]
    finally:
        second.stop()


# MARK: credentials of local function processes


def chat_function(portico, name, role):
    client = portico.client("lambda")
    create_python_function(client, name, zip_bytes=make_zip({"app.py": CHAT}), Timeout=20, Role=role,
                           Environment={"Variables": {"DATA_URL": portico.data_url}})
    return ARN_PREFIX + name


def say(ws, action, **fields):
    ws.send(json.dumps({"action": action, **fields}))
    return ws.recv(timeout=60)


def signed(url, credentials, token=None):
    request = AWSRequest(method="GET", url=url)
    SigV4Auth(Credentials(*credentials, token=token), "execute-api", "us-east-1").add_auth(request)
    return requests.get(url, headers=dict(request.prepare().headers.items()), timeout=15)


def test_a_function_answers_through_connections_with_its_roles_credentials(fresh):
    iam = fresh.client("iam")
    iam.create_role(RoleName="chat-talker", AssumeRolePolicyDocument=json.dumps(TRUST))
    iam.create_role(RoleName="chat-quiet", AssumeRolePolicyDocument=json.dumps(TRUST))
    allowed = chat_function(fresh, "chat-allowed", role_arn("chat-talker"))
    quiet = chat_function(fresh, "chat-quiet", role_arn("chat-quiet"))
    ghost = chat_function(fresh, "chat-ghost", role_arn("no-such-role"))
    api_id = make_ws_api(fresh, {"chat": ("lambda", allowed, "two-way"), "quiet": ("lambda", quiet, "two-way"),
                                 "ghost": ("lambda", ghost, "two-way")})
    iam.put_role_policy(RoleName="chat-talker", PolicyName="ws", PolicyDocument=json.dumps(manage_connections(api_id)))
    resource = f"arn:aws:execute-api:us-east-1:********{ACCOUNT[-4:]}:{api_id}/prod/POST/@connections/{{connectionId}}"

    with connect(ws_url(fresh, api_id), open_timeout=30) as ws:
        # Allowed: the function's post reaches the client, then the route's answer.
        assert say(ws, "chat", text="hello") == "echo: hello"
        assert json.loads(ws.recv(timeout=60)) == {"posted": True}
        # A role without a policy for it: AWS's refusal, naming the assumed role.
        assert json.loads(say(ws, "quiet", text="psst")) == {
            "code": "AccessDeniedException", "status": 403,
            "message": f"User: arn:aws:sts::{ACCOUNT}:assumed-role/chat-quiet/chat-quiet is not authorized to perform: "
                       f"execute-api:ManageConnections on resource: {resource}"}
        # A role Portico does not have: the credentials authenticate and are allowed nothing.
        refused = json.loads(say(ws, "ghost", text="boo"))
        assert (refused["code"], refused["status"]) == ("AccessDeniedException", 403)
        assert refused["message"].startswith(f"User: arn:aws:sts::{ACCOUNT}:assumed-role/no-such-role/chat-ghost is not")
        # An explicit deny added to the allowed role wins at once (no redeployment, no new process).
        iam.put_role_policy(RoleName="chat-talker", PolicyName="deny",
                            PolicyDocument=json.dumps(manage_connections(api_id, effect="Deny")))
        denied = json.loads(say(ws, "chat", text="again"))
        assert denied["code"] == "AccessDeniedException" and denied["message"].endswith(" with an explicit deny")
        iam.delete_role_policy(RoleName="chat-talker", PolicyName="deny")
        assert say(ws, "chat", text="back") == "echo: back"
        assert json.loads(ws.recv(timeout=60)) == {"posted": True}
        revealed = json.loads(say(ws, "chat", reveal=True))
    key = (revealed["AWS_ACCESS_KEY_ID"], revealed["AWS_SECRET_ACCESS_KEY"])
    token = revealed["AWS_SESSION_TOKEN"]
    assert key[0].startswith("ASIA") and len(key[0]) == 20 and len(key[1]) == 40 and token

    # The same credentials on an AWS_IAM REST method: the identity is the assumed role.
    rest = RestApi(fresh)
    rest.method("/who", "GET", MOCK_200, responses={"200": {"responseTemplates": {"application/json": IDENTITY_TEMPLATE}}},
                authorizationType="AWS_IAM")
    rest.method("/open", "GET", MOCK_200, responses={"200": {}})  # what deploy() probes
    rest.deploy()
    iam.put_role_policy(RoleName="chat-talker", PolicyName="invoke", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "*"}]}))
    url = f"{fresh.data_url}/_aws/execute-api/{rest.id}/test/who"
    deadline = time.monotonic() + 10
    while (answer := signed(url, key, token)).status_code == 403 and time.monotonic() < deadline:
        time.sleep(0.1)  # the policy reaches the data plane with the next table
    assert answer.status_code == 200, answer.text
    role_id = iam.get_role(RoleName="chat-talker")["Role"]["RoleId"]
    assert answer.json() == {
        "userArn": f"arn:aws:sts::{ACCOUNT}:assumed-role/chat-talker/chat-allowed", "accessKey": key[0],
        "caller": f"{role_id}:chat-allowed", "user": f"{role_id}:chat-allowed", "accountId": ACCOUNT, "sourceIp": "127.0.0.1"}
    # Temporary credentials need their session token: missing or wrong is an invalid token.
    for wrong in (None, token[:-4] + "AAAA"):
        refused = signed(url, key, wrong)
        assert refused.status_code == 403
        assert refused.json() == {"message": "The security token included in the request is invalid."}
        assert refused.headers["x-amzn-ErrorType"] == "UnrecognizedClientException"

    # The credentials die with the process: a new configuration retires it.
    fresh.client("lambda").update_function_configuration(
        FunctionName="chat-allowed", Environment={"Variables": {"DATA_URL": fresh.data_url, "VERSION": "2"}})
    deadline = time.monotonic() + 20
    while (after := signed(url, key, token)).status_code == 200 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert after.status_code == 403 and after.headers["x-amzn-ErrorType"] == "UnrecognizedClientException"
    # Never logged.
    assert key[1] not in fresh.log and token not in fresh.log


def test_a_missing_role_allows_nothing_until_it_is_created(fresh):
    """Credentials for a role Portico does not have authenticate and are allowed nothing; the role is
    looked up per request, so creating it (with a policy) makes the same live credentials work."""
    iam = fresh.client("iam")
    function = chat_function(fresh, "chat-lonely", role_arn("lonely"))
    api_id = make_ws_api(fresh, {"$default": ("lambda", function, "two-way")})
    with connect(ws_url(fresh, api_id), open_timeout=30) as ws:
        revealed = json.loads(say(ws, "anything", reveal=True))
    key = (revealed["AWS_ACCESS_KEY_ID"], revealed["AWS_SECRET_ACCESS_KEY"])
    url = f"{fresh.data_url}/_aws/execute-api/{api_id}/prod/@connections/ABCDEFGHIJKLMNO="
    # @connections with the function's credentials: authenticated, then refused by (missing) policy.
    refused = signed(url, key, revealed["AWS_SESSION_TOKEN"])
    assert refused.status_code == 403 and refused.headers["x-amzn-ErrorType"] == "AccessDeniedException"
    assert "assumed-role/lonely/chat-lonely" in refused.json()["Message"]
    # Without the token, in development mode too, the managed key is refused (not waved through).
    no_token = signed(url, key)
    assert no_token.status_code == 403 and no_token.headers["x-amzn-ErrorType"] == "UnrecognizedClientException"
    # Creating the role with a policy makes the same live credentials work (the role is looked up per request).
    iam.create_role(RoleName="lonely", AssumeRolePolicyDocument=json.dumps(TRUST))
    iam.put_role_policy(RoleName="lonely", PolicyName="ws", PolicyDocument=json.dumps(manage_connections(api_id)))
    deadline = time.monotonic() + 10
    while (gone := signed(url, key, revealed["AWS_SESSION_TOKEN"])).status_code == 403 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert gone.status_code == 410  # allowed; the connection id is unknown
