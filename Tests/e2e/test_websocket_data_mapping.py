"""Data mapping of WebSocket integrations (AWS, "Set up data mapping for WebSocket APIs" and "Data
transformations for WebSocket APIs"): `requestParameters` from the route request, `$context`, stage variables
and static values; request templates chosen by `templateSelectionExpression` and `passthroughBehavior`;
integration responses chosen by the backend's status, with their templates; `contentHandlingStrategy`; and
non-proxy `AWS` integrations to a function. A real backend (upstream.py's echo), a real function under
awslambdaric, the `websockets` client and boto3."""
import base64
import json
import time

import pytest
from botocore.exceptions import ClientError
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from lambda_function_helpers import ARN_PREFIX, create_python_function, make_zip
from test_websocket_auth import authorizer_function  # noqa: F401  (fixture)
from test_websocket_dataplane import CONNECTION_ID, function, wait_until_websocket_served, ws_url  # noqa: F401


def headers_of(echo):
    return {name.lower(): value for name, value in echo["headers"]}


def create_api(portico, stage_variables=None):
    client = portico.client()
    api_id = client.create_api(Name="ws-mapping", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action")["ApiId"]
    return client, api_id


def add_route(client, api_id, key, integration, two_way=True, responses=None):
    """responses: {integrationResponseKey: {templateKey: template}} (with `$selection` for the response's
    template selection expression and `$contentHandling` for its strategy)."""
    for response_key, templates in (responses or {}).items():
        templates = dict(templates)
        extra = {}
        if "$selection" in templates:
            extra["TemplateSelectionExpression"] = templates.pop("$selection")
        if "$contentHandling" in templates:
            extra["ContentHandlingStrategy"] = templates.pop("$contentHandling")
        client.create_integration_response(ApiId=api_id, IntegrationId=integration["IntegrationId"],
                                           IntegrationResponseKey=response_key, ResponseTemplates=templates, **extra)
    route = client.create_route(ApiId=api_id, RouteKey=key, Target="integrations/" + integration["IntegrationId"],
                                **({"RouteResponseSelectionExpression": "$default"} if two_way else {}))
    if two_way:
        client.create_route_response(ApiId=api_id, RouteId=route["RouteId"], RouteResponseKey="$default")


def deploy(portico, client, api_id, stage_variables=None):
    client.create_stage(ApiId=api_id, StageName="prod", AutoDeploy=True, StageVariables=stage_variables or {})
    wait_until_websocket_served(portico, api_id, "prod")


@pytest.fixture(scope="module")
def mapped(portico, upstream):
    """$default: an HTTP (non-proxy) integration with request parameters of every source, two request templates
    chosen by `$request.body.kind`, and integration responses for 2xx and the rest."""
    client, api_id = create_api(portico)
    integration = client.create_integration(
        ApiId=api_id, IntegrationType="HTTP", IntegrationMethod="PUT",
        IntegrationUri=upstream.url + "/rooms/{room}/messages?fixed=1",
        RequestParameters={
            "integration.request.header.x-connection": "context.connectionId",
            "integration.request.header.x-route": "context.routeKey",
            "integration.request.header.x-static": "'static value'",
            "integration.request.header.x-color": "stageVariables.color",
            "integration.request.header.x-user": "route.request.body.user.name",
            # Headers exist on $connect only (AWS): on a message this maps nothing.
            "integration.request.header.x-from-handshake": "route.request.header.x-client",
            "integration.request.querystring.action": "route.request.body.action",
            "integration.request.path.room": "route.request.body.room",
        },
        TemplateSelectionExpression="$request.body.kind",
        RequestTemplates={
            "$default": '{"wrapped": $input.json(\'$\'), "route": "$context.routeKey", "connectionId": "$context.connectionId",'
                        ' "stage": "$context.stage", "color": "$stageVariables.color"}',
            "special": '{"special": true, "text": "$input.path(\'$.text\')"}',
        })
    add_route(client, api_id, "$default", integration, responses={
        "/2\\d\\d/": {"$default": '{"echo": $input.json(\'$\')}'},
        "$default": {"$default": '{"failed": $input.json(\'$.status\')}'},
    })
    # A route to a backend that answers the status the message asks for, with only a 2xx integration response.
    strict = client.create_integration(
        ApiId=api_id, IntegrationType="HTTP", IntegrationMethod="GET", IntegrationUri=upstream.url + "/status/{code}",
        RequestParameters={"integration.request.path.code": "route.request.body.code"})
    add_route(client, api_id, "status", strict, responses={"/2\\d\\d/": {"$default": '{"ok": true}'}})
    # The same backend with a $default integration response.
    lenient = client.create_integration(
        ApiId=api_id, IntegrationType="HTTP", IntegrationMethod="GET", IntegrationUri=upstream.url + "/status/{code}",
        RequestParameters={"integration.request.path.code": "route.request.body.code"})
    add_route(client, api_id, "lenient", lenient, responses={
        "/2\\d\\d/": {"$default": '{"ok": true}'},
        "$default": {"$default": '{"backendStatus": $input.json(\'$.status\')}'},
    })
    deploy(portico, client, api_id, {"color": "blue"})
    return api_id


def test_request_parameters_and_default_template(portico, upstream, mapped):
    with connect(ws_url(portico, mapped), open_timeout=30) as ws:
        ws.send(json.dumps({"action": "say", "room": "lobby 1", "user": {"name": "ann"}, "text": "hi"}))
        answer = json.loads(ws.recv(timeout=30))
    echo = answer["echo"]
    assert echo["method"] == "PUT"
    # integration.request.path.room filled the URI's {room} (encoded); querystring.action joined the URI's query.
    assert echo["rawPath"] == "/rooms/lobby%201/messages"
    assert echo["query"] == "fixed=1&action=say"
    headers = headers_of(echo)
    assert CONNECTION_ID.match(headers["x-connection"])
    assert headers["x-route"] == "$default"
    assert headers["x-static"] == "static value"
    assert headers["x-color"] == "blue"
    assert headers["x-user"] == "ann"
    assert "x-from-handshake" not in headers
    # The $default request template rendered the body the backend got.
    sent = json.loads(echo["body"])
    assert sent == {"wrapped": {"action": "say", "room": "lobby 1", "user": {"name": "ann"}, "text": "hi"},
                    "route": "$default", "connectionId": headers["x-connection"], "stage": "prod", "color": "blue"}


def test_template_selection_expression_picks_the_template(portico, mapped):
    with connect(ws_url(portico, mapped), open_timeout=30) as ws:
        ws.send(json.dumps({"action": "say", "room": "r", "kind": "special", "text": "chosen"}))
        echo = json.loads(ws.recv(timeout=30))["echo"]
        assert json.loads(echo["body"]) == {"special": True, "text": "chosen"}
        # A kind with no template of its own falls back to $default.
        ws.send(json.dumps({"action": "say", "room": "r", "kind": "unknown"}))
        echo = json.loads(ws.recv(timeout=30))["echo"]
        assert "wrapped" in json.loads(echo["body"])


def test_integration_response_is_chosen_by_the_backend_status(portico, mapped):
    with connect(ws_url(portico, mapped), open_timeout=30) as ws:
        ws.send(json.dumps({"action": "lenient", "code": "201"}))
        assert json.loads(ws.recv(timeout=30)) == {"ok": True}
        ws.send(json.dumps({"action": "lenient", "code": "404"}))
        assert json.loads(ws.recv(timeout=30)) == {"backendStatus": 404}
        ws.send(json.dumps({"action": "status", "code": "200"}))
        assert json.loads(ws.recv(timeout=30)) == {"ok": True}
        # No integration response for 500 and no $default: AWS fails the call ("No match for output mapping").
        ws.send(json.dumps({"action": "status", "code": "500"}))
        answer = json.loads(ws.recv(timeout=30))
        assert answer["message"] == "Internal server error" and "requestId" in answer


def test_passthrough_behaviors(portico, upstream):
    client, api_id = create_api(portico)
    plain = client.create_integration(ApiId=api_id, IntegrationType="HTTP", IntegrationMethod="POST",
                                      IntegrationUri=upstream.url + "/plain")
    add_route(client, api_id, "plain", plain, responses={"$default": {"$default": "$input.path('$.body')"}})
    never = client.create_integration(ApiId=api_id, IntegrationType="HTTP", IntegrationMethod="POST",
                                      IntegrationUri=upstream.url + "/never", PassthroughBehavior="NEVER",
                                      TemplateSelectionExpression="$request.body.kind",
                                      RequestTemplates={"known": '{"known": true}'})
    add_route(client, api_id, "never", never, responses={"$default": {"$default": "$input.path('$.body')"}})
    no_templates = client.create_integration(ApiId=api_id, IntegrationType="HTTP", IntegrationMethod="POST",
                                             IntegrationUri=upstream.url + "/wnt", PassthroughBehavior="WHEN_NO_TEMPLATES")
    add_route(client, api_id, "wnt", no_templates, responses={"$default": {"$default": "$input.path('$.body')"}})
    deploy(portico, client, api_id)
    with connect(ws_url(portico, api_id), open_timeout=30) as ws:
        # WHEN_NO_MATCH (the default) with no template: the message as it is.
        message = json.dumps({"action": "plain", "n": 1})
        ws.send(message)
        assert ws.recv(timeout=30) == message
        # NEVER: a message whose template exists is transformed; one without is refused.
        ws.send(json.dumps({"action": "never", "kind": "known"}))
        assert json.loads(ws.recv(timeout=30)) == {"known": True}
        ws.send(json.dumps({"action": "never", "kind": "other"}))
        assert json.loads(ws.recv(timeout=30))["message"] == "Internal server error"
        # WHEN_NO_TEMPLATES with no templates at all: passed through.
        message = json.dumps({"action": "wnt"})
        ws.send(message)
        assert ws.recv(timeout=30) == message


@pytest.mark.parametrize("strategy, message, backend_got", [
    # CONVERT_TO_TEXT: a binary message reaches the backend as base64 text; a text message is not converted.
    ("CONVERT_TO_TEXT", b"\x00\x01binary\xff", base64.b64encode(b"\x00\x01binary\xff").decode()),
    ("CONVERT_TO_TEXT", "plain text", "plain text"),
    # CONVERT_TO_BINARY: a text message is base64-decoded.
    ("CONVERT_TO_BINARY", base64.b64encode(b"decoded bytes").decode(), "decoded bytes"),
])
def test_content_handling_strategy_on_the_request(portico, upstream, strategy, message, backend_got):
    client, api_id = create_api(portico)
    integration = client.create_integration(ApiId=api_id, IntegrationType="HTTP", IntegrationMethod="POST",
                                            IntegrationUri=upstream.url + "/convert", ContentHandlingStrategy=strategy)
    add_route(client, api_id, "$default", integration, responses={"$default": {"$default": "$input.path('$.body')"}})
    deploy(portico, client, api_id)
    with connect(ws_url(portico, api_id), open_timeout=30) as ws:
        ws.send(message)
        assert ws.recv(timeout=30) == backend_got


def test_connect_route_maps_handshake_headers_and_query(portico, upstream):
    client, api_id = create_api(portico)
    connect_integration = client.create_integration(
        ApiId=api_id, IntegrationType="HTTP", IntegrationMethod="POST", IntegrationUri=upstream.url + "/connect-hook",
        RequestParameters={
            "integration.request.header.x-client": "route.request.header.x-client",
            "integration.request.header.x-tags": "route.request.multivalueheader.x-tag",
            "integration.request.querystring.token": "route.request.querystring.token",
            "integration.request.header.x-connection": "context.connectionId",
            "integration.request.header.x-event": "context.eventType",
        },
        RequestTemplates={"$default": '{"token": "$input.params(\'token\')", "client": "$input.params(\'x-client\')"}'},
        TemplateSelectionExpression="\\$default")
    add_route(client, api_id, "$connect", connect_integration, two_way=False, responses={"$default": {}})
    refuse = client.create_integration(ApiId=api_id, IntegrationType="HTTP", IntegrationMethod="GET",
                                       IntegrationUri=upstream.url + "/status/403")
    mock = client.create_integration(ApiId=api_id, IntegrationType="MOCK", RequestTemplates={"$default": '{"statusCode": 200}'},
                                     TemplateSelectionExpression="\\$default")
    add_route(client, api_id, "$default", mock, responses={"$default": {"$default": '{"connected": true}'}})
    deploy(portico, client, api_id)
    before = len(upstream.requests)
    with connect(ws_url(portico, api_id, query="?token=abc&other=1"), open_timeout=30,
                 additional_headers=[("X-Client", "tester"), ("X-Tag", "a"), ("X-Tag", "b")]) as ws:
        ws.send("hello")
        assert json.loads(ws.recv(timeout=30)) == {"connected": True}
    hooks = [r for r in upstream.requests[before:] if r[1].startswith("/connect-hook")]
    assert len(hooks) == 1
    method, path, headers = hooks[0]
    headers = {name.lower(): value for name, value in headers}
    assert method == "POST" and path == "/connect-hook?token=abc"
    assert headers["x-client"] == "tester" and headers["x-tags"] == "a,b" and headers["x-event"] == "CONNECT"
    assert CONNECTION_ID.match(headers["x-connection"])
    # A $connect integration whose backend answers 403 refuses the handshake with that status, through the
    # integration response.
    client.create_integration_response(ApiId=api_id, IntegrationId=refuse["IntegrationId"], IntegrationResponseKey="$default")
    connect_route = [r for r in client.get_routes(ApiId=api_id)["Items"] if r["RouteKey"] == "$connect"][0]
    client.update_route(ApiId=api_id, RouteId=connect_route["RouteId"], Target="integrations/" + refuse["IntegrationId"])
    deadline = time.monotonic() + 30
    while True:
        try:
            with connect(ws_url(portico, api_id), open_timeout=30):
                pass
        except InvalidStatus as refused:
            assert refused.response.status_code == 403
            break
        assert time.monotonic() < deadline, "the new deployment was not served"
        time.sleep(0.05)


FUNCTION = '''import json

def handler(event, context):
    return {"got": event, "function": context.function_name}
'''


def test_aws_integration_to_a_function(portico):
    lambda_client = portico.client("lambda")
    try:
        lambda_client.delete_function(FunctionName="ws-nonproxy")
    except ClientError:
        pass
    create_python_function(lambda_client, "ws-nonproxy", zip_bytes=make_zip({"app.py": FUNCTION}), Timeout=10)
    client, api_id = create_api(portico)
    integration = client.create_integration(
        ApiId=api_id, IntegrationType="AWS", IntegrationMethod="POST",
        IntegrationUri=f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{ARN_PREFIX}ws-nonproxy/invocations",
        TemplateSelectionExpression="\\$default",
        RequestTemplates={"$default": '{"message": $input.json(\'$.text\'), "connectionId": "$context.connectionId"}'})
    add_route(client, api_id, "$default", integration, responses={
        "$default": {"$default": '{"reply": $input.json(\'$.got.message\'), "by": "$input.path(\'$.function\')"}'}})
    deploy(portico, client, api_id)
    with connect(ws_url(portico, api_id), open_timeout=30) as ws:
        ws.send(json.dumps({"text": "to the function"}))
        assert json.loads(ws.recv(timeout=60)) == {"reply": "to the function", "by": "ws-nonproxy"}


def test_templates_see_the_connect_authorizers_answer(portico, function, authorizer_function):
    from test_websocket_auth import custom_connect_api
    arn, _ = function
    api_id = custom_connect_api(portico, arn, authorizer_function, ["route.request.querystring.token"])
    client = portico.client()
    mock = client.create_integration(ApiId=api_id, IntegrationType="MOCK", RequestTemplates={"$default": '{"statusCode": 200}'},
                                      TemplateSelectionExpression="\\$default")
    add_route(client, api_id, "whoami", mock, responses={"$default": {
        "$default": '{"principal": "$context.authorizer.principalId", "tier": "$context.authorizer.tier", '
                    '"agent": "$context.identity.userAgent"}'}})
    deadline = time.monotonic() + 30
    with connect(ws_url(portico, api_id, query="?token=good"), open_timeout=30, user_agent_header="mapping-test") as ws:
        # Until the auto-deployed route answers. Each create_* call above is auto-deployed on its own, so for a
        # moment `whoami` is deployed without its route response: a one-way route, which (as on AWS) sends no
        # reply. So silence is not failure here: ask again after a short wait.
        answer = {}
        while "principal" not in answer and time.monotonic() < deadline:
            ws.send(json.dumps({"action": "whoami"}))
            try:
                answer = json.loads(ws.recv(timeout=3))
            except TimeoutError:
                continue
            time.sleep(0.05)
    assert answer == {"principal": "alice", "tier": "gold", "agent": "mapping-test"}


MESSAGE_SCHEMA = json.dumps({"$schema": "http://json-schema.org/draft-04/schema#", "type": "object",
                             "required": ["text"], "properties": {"text": {"type": "string", "maxLength": 10}}})
PING_SCHEMA = json.dumps({"type": "object", "required": ["n"], "properties": {"n": {"type": "integer"}}})


def test_models_validate_messages(portico):
    """AWS, "Request validation for WebSocket APIs": the route's modelSelectionExpression picks a model from its
    requestModels (else $default); a message that fails it gets "Invalid request body" and never reaches the
    integration."""
    client, api_id = create_api(portico)
    message = client.create_model(ApiId=api_id, Name="Message", Schema=MESSAGE_SCHEMA, ContentType="application/json")
    assert message["Name"] == "Message" and message["ModelId"] and message["Schema"] == MESSAGE_SCHEMA
    client.create_model(ApiId=api_id, Name="Ping", Schema=PING_SCHEMA)
    mock = client.create_integration(ApiId=api_id, IntegrationType="MOCK", RequestTemplates={"$default": '{"statusCode": 200}'},
                                     TemplateSelectionExpression="\\$default")
    client.create_integration_response(ApiId=api_id, IntegrationId=mock["IntegrationId"], IntegrationResponseKey="$default",
                                       ResponseTemplates={"$default": '{"passed": true}'})
    for key, models in (("$default", {"say": "Message", "$default": "Ping"}), ("strict", {"say": "Message"})):
        route = client.create_route(ApiId=api_id, RouteKey=key, Target="integrations/" + mock["IntegrationId"],
                                    RouteResponseSelectionExpression="$default",
                                    ModelSelectionExpression="$request.body.kind", RequestModels=models)
        client.create_route_response(ApiId=api_id, RouteId=route["RouteId"], RouteResponseKey="$default")
    deploy(portico, client, api_id)
    with connect(ws_url(portico, api_id), open_timeout=30) as ws:
        def answer(message):
            ws.send(message)
            return json.loads(ws.recv(timeout=30))
        assert answer(json.dumps({"kind": "say", "text": "hi"})) == {"passed": True}
        assert answer(json.dumps({"kind": "other", "n": 3})) == {"passed": True}          # $default model
        for refused in (json.dumps({"kind": "say"}), json.dumps({"kind": "say", "text": "far too long"}),
                        json.dumps({"kind": "other", "n": "3"}), "not JSON",
                        json.dumps({"action": "strict", "kind": "unknown"})):    # no match and no $default model
            got = answer(refused)
            assert got["message"] == "Invalid request body" and CONNECTION_ID.match(got["connectionId"]), refused
        assert answer(json.dumps({"action": "strict", "kind": "say", "text": "ok"})) == {"passed": True}


def test_model_management(portico):
    client, api_id = create_api(portico)
    model = client.create_model(ApiId=api_id, Name="Thing", Schema=PING_SCHEMA, Description="a thing")
    assert client.get_model(ApiId=api_id, ModelId=model["ModelId"])["Description"] == "a thing"
    updated = client.update_model(ApiId=api_id, ModelId=model["ModelId"], Schema=MESSAGE_SCHEMA)
    assert updated["Schema"] == MESSAGE_SCHEMA and updated["Name"] == "Thing"
    assert [m["Name"] for m in client.get_models(ApiId=api_id)["Items"]] == ["Thing"]

    def error(call, **kwargs):
        with pytest.raises(ClientError) as raised:
            call(**kwargs)
        return raised.value.response["Error"]["Code"]

    assert error(client.create_model, ApiId=api_id, Name="Thing", Schema=PING_SCHEMA) == "ConflictException"
    assert error(client.create_model, ApiId=api_id, Name="bad name!", Schema=PING_SCHEMA) == "BadRequestException"
    assert error(client.create_model, ApiId=api_id, Name="Broken", Schema="{not json") == "BadRequestException"
    assert error(client.create_route, ApiId=api_id, RouteKey="x", ModelSelectionExpression="$request.header.x") == "BadRequestException"
    http_api = client.create_api(Name="http", ProtocolType="HTTP")["ApiId"]
    assert error(client.create_model, ApiId=http_api, Name="Thing", Schema=PING_SCHEMA) == "BadRequestException"
    client.delete_model(ApiId=api_id, ModelId=model["ModelId"])
    assert error(client.get_model, ApiId=api_id, ModelId=model["ModelId"]) == "NotFoundException"
    assert client.get_models(ApiId=api_id)["Items"] == []


def test_integration_response_template_selection_by_status_and_header(portico, upstream):
    """AWS: an IntegrationResponse's TemplateSelectionExpression supports ${integration.response.statuscode} and
    ${integration.response.header.NAME} besides ${request.body...}."""
    client, api_id = create_api(portico)
    integration = client.create_integration(
        ApiId=api_id, IntegrationType="HTTP", IntegrationMethod="GET", IntegrationUri=upstream.url + "/status/{code}",
        RequestParameters={"integration.request.path.code": "route.request.body.code"})
    client.create_integration_response(
        ApiId=api_id, IntegrationId=integration["IntegrationId"], IntegrationResponseKey="$default",
        TemplateSelectionExpression="${integration.response.statuscode}",
        ResponseTemplates={"404": '{"missing": true}', "$default": '{"other": $input.json(\'$.status\')}'})
    header = client.create_integration(ApiId=api_id, IntegrationType="HTTP", IntegrationMethod="GET",
                                       IntegrationUri=upstream.url + "/set-header?name=X-Kind&value=fancy")
    client.create_integration_response(
        ApiId=api_id, IntegrationId=header["IntegrationId"], IntegrationResponseKey="$default",
        TemplateSelectionExpression="kind-$integration.response.header.X-Kind",
        ResponseTemplates={"kind-fancy": '{"fancy": true}', "$default": '{"plain": true}'})
    for key, target in (("$default", integration), ("header", header)):
        route = client.create_route(ApiId=api_id, RouteKey=key, Target="integrations/" + target["IntegrationId"],
                                    RouteResponseSelectionExpression="$default")
        client.create_route_response(ApiId=api_id, RouteId=route["RouteId"], RouteResponseKey="$default")
    deploy(portico, client, api_id)
    with connect(ws_url(portico, api_id), open_timeout=30) as ws:
        for code, expected in (("404", {"missing": True}), ("418", {"other": 418})):
            ws.send(json.dumps({"code": code}))
            assert json.loads(ws.recv(timeout=30)) == expected
        ws.send(json.dumps({"action": "header"}))
        assert json.loads(ws.recv(timeout=30)) == {"fancy": True}
    # Route selection cannot use integration response variables.
    with pytest.raises(ClientError):
        client.create_api(Name="bad", ProtocolType="WEBSOCKET", RouteSelectionExpression="$integration.response.statuscode")
