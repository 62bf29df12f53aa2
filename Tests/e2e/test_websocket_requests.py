"""WebSocket route requests, end to end: routes' required `requestParameters` on `$connect`, the `AWS_IAM`
signer's identity in mapping templates and parameter mappings, and `GetModelTemplate`."""
import json
import time

from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from management_helpers import aws_error, cli_json
from test_websocket_auth import ACCOUNT, policy, signed_handshake, statement, user_with_key
from test_websocket_data_mapping import add_route, create_api, deploy, headers_of
from test_websocket_dataplane import ws_url


def mock_echo_api(portico, connect_parameters=None, authorization=None):
    """$connect (MOCK, with the given required parameters and authorization) and a two-way `whoami` route
    whose response template shows `$context.identity`."""
    client, api_id = create_api(portico)
    connect_mock = client.create_integration(ApiId=api_id, IntegrationType="MOCK", RequestTemplates={"$default": '{"statusCode": 200}'},
                                             TemplateSelectionExpression="\\$default")
    extra = {}
    if connect_parameters is not None:
        extra["RequestParameters"] = connect_parameters
    if authorization is not None:
        extra["AuthorizationType"] = authorization
    client.create_route(ApiId=api_id, RouteKey="$connect", Target="integrations/" + connect_mock["IntegrationId"], **extra)
    mock = client.create_integration(ApiId=api_id, IntegrationType="MOCK", RequestTemplates={"$default": '{"statusCode": 200}'},
                                     TemplateSelectionExpression="\\$default")
    add_route(client, api_id, "whoami", mock, responses={"$default": {"$default": (
        '{"userArn": "$context.identity.userArn", "accessKey": "$context.identity.accessKey", '
        '"accountId": "$context.identity.accountId", "caller": "$context.identity.caller", "user": "$context.identity.user", '
        '"cognitoIdentityId": "$!context.identity.cognitoIdentityId", '
        '"cognitoAuthenticationType": "$!context.identity.cognitoAuthenticationType", '
        '"sourceIp": "$context.identity.sourceIp"}')}})
    deploy(portico, client, api_id)
    return client, api_id


def refused(url, headers=None):
    try:
        with connect(url, additional_headers=headers or {}, open_timeout=30):
            pass
    except InvalidStatus as refusal:
        return refusal.response.status_code, json.loads(refusal.response.body)
    raise AssertionError("the handshake was accepted")


def test_required_route_request_parameters_on_connect(portico):
    """A `$connect` route's `requestParameters` marked Required: a handshake without one (or with it blank)
    is refused with 400 before the integration runs; with them it connects."""
    _, api_id = mock_echo_api(portico, connect_parameters={
        "route.request.header.Auth": {"Required": True},
        "route.request.querystring.room": {"Required": True},
        "route.request.querystring.nick": {"Required": False},
    })
    assert refused(ws_url(portico, api_id)) == (400, {"message": "Missing required request parameters: [Auth, room]"})
    assert refused(ws_url(portico, api_id, query="?room=lobby")) == (400, {"message": "Missing required request parameters: [Auth]"})
    assert refused(ws_url(portico, api_id), {"Auth": "token"}) == (400, {"message": "Missing required request parameters: [room]"})
    # Blank counts as missing.
    assert refused(ws_url(portico, api_id, query="?room="), {"Auth": "token"}) == (
        400, {"message": "Missing required request parameters: [room]"})
    with connect(ws_url(portico, api_id, query="?room=lobby"), additional_headers={"auth": "token"}, open_timeout=30) as ws:
        ws.send(json.dumps({"action": "whoami"}))
        assert json.loads(ws.recv(timeout=30))["sourceIp"] == "127.0.0.1"


def test_route_request_parameters_round_trip(portico):
    client, api_id = create_api(portico)
    route = client.create_route(ApiId=api_id, RouteKey="$connect",
                                RequestParameters={"route.request.header.Auth": {"Required": True}})
    assert route["RequestParameters"] == {"route.request.header.Auth": {"Required": True}}
    assert client.get_route(ApiId=api_id, RouteId=route["RouteId"])["RequestParameters"] == route["RequestParameters"]


def test_aws_iam_identity_in_templates_and_parameter_mappings(portico, upstream):
    """`$context.identity.*` of the signer of an `AWS_IAM` `$connect`, in a message route's template and in an
    HTTP integration's requestParameters; the Cognito members render empty."""
    client, api_id = mock_echo_api(portico, authorization="AWS_IAM")
    backend = client.create_integration(
        ApiId=api_id, IntegrationType="HTTP", IntegrationMethod="POST", IntegrationUri=upstream.url + "/identity",
        RequestParameters={"integration.request.header.x-user-arn": "context.identity.userArn",
                           "integration.request.header.x-caller": "context.identity.caller",
                           "integration.request.header.x-access-key": "context.identity.accessKey"})
    add_route(client, api_id, "backend", backend, responses={"$default": {"$default": '{"echo": $input.json(\'$\')}'}})
    iam = portico.client("iam")
    key = user_with_key(iam, "ws-identity", policy(statement("Allow", f"arn:aws:execute-api:us-east-1:{ACCOUNT}:{api_id}/*",
                                                             action="execute-api:Invoke")))
    user = iam.get_user(UserName="ws-identity")["User"]
    url, headers = signed_handshake(portico, api_id, key)
    deadline = time.monotonic() + 30
    with connect(url, additional_headers=headers, open_timeout=30) as ws:
        while True:  # until the auto-deployed routes answer
            ws.send(json.dumps({"action": "whoami"}))
            identity = json.loads(ws.recv(timeout=30))
            ws.send(json.dumps({"action": "backend"}))
            answer = json.loads(ws.recv(timeout=30))
            if "echo" in answer or time.monotonic() > deadline:
                break
            time.sleep(0.05)
    assert identity == {"userArn": user["Arn"], "accessKey": key[0], "accountId": ACCOUNT, "caller": user["UserId"],
                        "user": user["UserId"], "cognitoIdentityId": "", "cognitoAuthenticationType": "", "sourceIp": "127.0.0.1"}
    echoed = headers_of(answer["echo"])
    assert (echoed["x-user-arn"], echoed["x-caller"], echoed["x-access-key"]) == (user["Arn"], user["UserId"], key[0])


def test_unsigned_connections_have_no_iam_identity(portico):
    _, api_id = mock_echo_api(portico)
    with connect(ws_url(portico, api_id), open_timeout=30) as ws:
        ws.send(json.dumps({"action": "whoami"}))
        identity = json.loads(ws.recv(timeout=30))
    assert identity["sourceIp"] == "127.0.0.1"
    # No signer: no IAM member has a value (the template's quiet references render empty).
    assert identity["cognitoIdentityId"] == "" and identity["userArn"] != identity["sourceIp"]
    assert not identity["accessKey"].startswith(("AKIA", "ASIA"))


def test_get_model_template(portico):
    client, api_id = create_api(portico)
    schema = {"type": "object", "properties": {
        "text": {"type": "string"}, "count": {"type": "integer"},
        "tags": {"type": "array", "items": {"type": "string"}},
        "author": {"type": "object", "properties": {"name": {"type": "string"}}}}}
    model = client.create_model(ApiId=api_id, Name="Message", Schema=json.dumps(schema), ContentType="application/json")
    template = client.get_model_template(ApiId=api_id, ModelId=model["ModelId"])["Value"]
    assert template == "\n".join([
        "#set($inputRoot = $input.path('$'))",
        "{",
        '  "author" : {',
        '    "name" : "$inputRoot.author.name"',
        "  },",
        '  "count" : $inputRoot.count,',
        '  "tags" : [',
        "##TODO: Update this foreach loop to reference array from input json",
        "#foreach($elem in $inputRoot.tags)",
        ' "$elem"',
        "#if($foreach.hasNext),#end",
        "#end",
        "  ],",
        '  "text" : "$inputRoot.text"',
        "}",
    ])
    assert cli_json(portico, "get-model-template", "--api-id", api_id, "--model-id", model["ModelId"])["Value"] == template
    assert aws_error(client.get_model_template, ApiId=api_id, ModelId="nope000")[::2] == ("NotFoundException", 404)
