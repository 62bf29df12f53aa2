"""WebSocket APIs (protocol WEBSOCKET) through the management API: CreateApi with selection
expressions, routes with route responses, integrations with integration responses and templates,
stages and deployments, with boto3 and the AWS CLI, and the validation rules AWS applies."""
import pytest

from management_helpers import aws_error, cli_error, cli_json

LAMBDA_ARN = "arn:aws:lambda:us-east-1:000000000000:function:ws-handler"


@pytest.fixture
def ws_api(fresh):
    return fresh.client().create_api(
        Name="chat", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action")


def test_create_websocket_api_cli(fresh):
    created = cli_json(fresh, "create-api", "--name", "chat", "--protocol-type", "WEBSOCKET",
                       "--route-selection-expression", "$request.body.action",
                       "--api-key-selection-expression", "$request.header.x-api-key")
    assert created["ProtocolType"] == "WEBSOCKET"
    assert created["RouteSelectionExpression"] == "$request.body.action"
    assert created["ApiKeySelectionExpression"] == "$request.header.x-api-key"
    # AWS shows a WebSocket API's endpoint with the ws(s) scheme.
    assert created["ApiEndpoint"].startswith("ws://") and created["ApiId"] in created["ApiEndpoint"]
    got = cli_json(fresh, "get-api", "--api-id", created["ApiId"])
    assert got["ProtocolType"] == "WEBSOCKET" and got["Name"] == "chat"
    updated = cli_json(fresh, "update-api", "--api-id", created["ApiId"],
                       "--route-selection-expression", "${request.body.service}/${request.body.action}")
    assert updated["RouteSelectionExpression"] == "${request.body.service}/${request.body.action}"


@pytest.mark.parametrize("arguments, needle", [
    ({}, "RouteSelectionExpression is required"),
    ({"RouteSelectionExpression": "action"}, "must refer to the message"),
    ({"RouteSelectionExpression": "$request.header.x"}, "only $request.body"),
    ({"RouteSelectionExpression": "${request.body.action"}, "unclosed"),
    ({"RouteSelectionExpression": "$request.body..x"}, "invalid JSON path"),
    ({"RouteSelectionExpression": "$request.body.action", "ApiKeySelectionExpression": "$request.header.key"},
     "apiKeySelectionExpression"),
    ({"RouteSelectionExpression": "$request.body.action", "CorsConfiguration": {"AllowOrigins": ["*"]}},
     "only for HTTP APIs"),
    ({"RouteSelectionExpression": "$request.body.action", "Target": LAMBDA_ARN}, "only for HTTP APIs"),
])
def test_create_websocket_api_validation(fresh, arguments, needle):
    code, message, status = aws_error(fresh.client().create_api, Name="bad", ProtocolType="WEBSOCKET", **arguments)
    assert (code, status) == ("BadRequestException", 400)
    assert needle in message


def test_routes_and_route_responses(fresh, ws_api):
    client = fresh.client()
    api_id = ws_api["ApiId"]
    keys = ["$connect", "$disconnect", "$default", "sendMessage"]
    routes = {key: client.create_route(ApiId=api_id, RouteKey=key) for key in keys}
    assert all(r["ResponseMetadata"]["HTTPStatusCode"] == 201 for r in routes.values())
    listed = sorted(r["RouteKey"] for r in client.get_routes(ApiId=api_id)["Items"])
    assert listed == sorted(keys)
    code, message, status = aws_error(client.create_route, ApiId=api_id, RouteKey="sendMessage")
    assert (code, status) == ("ConflictException", 409)

    route_id = routes["sendMessage"]["RouteId"]
    two_way = client.update_route(ApiId=api_id, RouteId=route_id, RouteResponseSelectionExpression="$default")
    assert two_way["RouteResponseSelectionExpression"] == "$default"
    created = client.create_route_response(ApiId=api_id, RouteId=route_id, RouteResponseKey="$default")
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    response_id = created["RouteResponseId"]
    assert created["RouteResponseKey"] == "$default"
    got = client.get_route_response(ApiId=api_id, RouteId=route_id, RouteResponseId=response_id)
    assert got["RouteResponseId"] == response_id
    items = client.get_route_responses(ApiId=api_id, RouteId=route_id)["Items"]
    assert [i["RouteResponseId"] for i in items] == [response_id]
    updated = client.update_route_response(ApiId=api_id, RouteId=route_id, RouteResponseId=response_id,
                                           ResponseModels={"$default": "Empty"})
    assert updated["ResponseModels"] == {"$default": "Empty"}
    code, _, status = aws_error(client.create_route_response, ApiId=api_id, RouteId=route_id, RouteResponseKey="$default")
    assert (code, status) == ("ConflictException", 409)
    code, message, _ = aws_error(client.create_route_response, ApiId=api_id, RouteId=route_id, RouteResponseKey="ok")
    assert code == "BadRequestException" and "only $default" in message
    assert client.delete_route_response(ApiId=api_id, RouteId=route_id, RouteResponseId=response_id)[
        "ResponseMetadata"]["HTTPStatusCode"] == 204
    code, message, status = aws_error(client.get_route_response, ApiId=api_id, RouteId=route_id, RouteResponseId=response_id)
    assert (code, status) == ("NotFoundException", 404)
    assert message == f"Invalid RouteResponse identifier specified {response_id}"
    code, _, _ = aws_error(client.get_route_responses, ApiId=api_id, RouteId="nope123")
    assert code == "NotFoundException"


def test_route_validation(fresh, ws_api):
    client = fresh.client()
    api_id = ws_api["ApiId"]
    code, message, _ = aws_error(client.create_route, ApiId=api_id, RouteKey="$other")
    assert code == "BadRequestException" and "reserved" in message
    # AWS: authorization is restricted to the $connect route.
    code, message, _ = aws_error(client.create_route, ApiId=api_id, RouteKey="chat", AuthorizationType="AWS_IAM")
    assert code == "BadRequestException"
    assert message == "Currently, authorization is restricted to the $connect route only"
    connect = client.create_route(ApiId=api_id, RouteKey="$connect", AuthorizationType="AWS_IAM", ApiKeyRequired=True)
    assert connect["AuthorizationType"] == "AWS_IAM" and connect["ApiKeyRequired"] is True
    code, message, _ = aws_error(client.create_route, ApiId=api_id, RouteKey="x", RouteResponseSelectionExpression="$x")
    assert code == "BadRequestException" and "$default" in message
    # HTTP route keys mean nothing special here: "GET /x" is just a key.
    assert client.create_route(ApiId=api_id, RouteKey="GET /x")["RouteKey"] == "GET /x"


def test_integrations_and_integration_responses(fresh, ws_api):
    client = fresh.client()
    api_id = ws_api["ApiId"]
    mock = client.create_integration(ApiId=api_id, IntegrationType="MOCK",
                                     RequestTemplates={"$default": '{"statusCode": 200}'},
                                     TemplateSelectionExpression="\\$default")
    assert mock["IntegrationType"] == "MOCK"
    assert mock["TimeoutInMillis"] == 29000 and mock["PayloadFormatVersion"] == "1.0"
    assert mock["PassthroughBehavior"] == "WHEN_NO_MATCH"
    assert mock["RequestTemplates"] == {"$default": '{"statusCode": 200}'}
    proxy = client.create_integration(ApiId=api_id, IntegrationType="AWS_PROXY", IntegrationUri=LAMBDA_ARN)
    assert proxy["PayloadFormatVersion"] == "1.0" and "PassthroughBehavior" not in proxy
    http = client.create_integration(ApiId=api_id, IntegrationType="HTTP", IntegrationMethod="POST",
                                     IntegrationUri="http://example.com/messages")
    assert http["IntegrationMethod"] == "POST"
    client.create_integration(ApiId=api_id, IntegrationType="HTTP_PROXY", IntegrationMethod="POST",
                              IntegrationUri="http://example.com/messages")

    integration_id = mock["IntegrationId"]
    created = client.create_integration_response(
        ApiId=api_id, IntegrationId=integration_id, IntegrationResponseKey="$default",
        ResponseTemplates={"$default": '{"ok": true}'}, TemplateSelectionExpression="\\$default")
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    response_id = created["IntegrationResponseId"]
    errors = client.create_integration_response(ApiId=api_id, IntegrationId=integration_id,
                                                IntegrationResponseKey="/4\\d\\d/")
    items = client.get_integration_responses(ApiId=api_id, IntegrationId=integration_id)["Items"]
    assert sorted(i["IntegrationResponseKey"] for i in items) == ["$default", "/4\\d\\d/"]
    updated = client.update_integration_response(ApiId=api_id, IntegrationId=integration_id,
                                                 IntegrationResponseId=response_id,
                                                 ContentHandlingStrategy="CONVERT_TO_TEXT")
    assert updated["ContentHandlingStrategy"] == "CONVERT_TO_TEXT"
    assert updated["ResponseTemplates"] == {"$default": '{"ok": true}'}
    code, _, status = aws_error(client.update_integration_response, ApiId=api_id, IntegrationId=integration_id,
                                IntegrationResponseId=errors["IntegrationResponseId"], IntegrationResponseKey="$default")
    assert (code, status) == ("ConflictException", 409)
    code, message, _ = aws_error(client.create_integration_response, ApiId=api_id, IntegrationId=integration_id,
                                 IntegrationResponseKey="2xx")
    assert code == "BadRequestException" and "/regex/" in message
    code, message, _ = aws_error(client.create_integration_response, ApiId=api_id, IntegrationId=integration_id,
                                 IntegrationResponseKey="/(/")
    assert code == "BadRequestException" and "regular expression" in message
    client.delete_integration_response(ApiId=api_id, IntegrationId=integration_id, IntegrationResponseId=response_id)
    code, message, status = aws_error(client.get_integration_response, ApiId=api_id, IntegrationId=integration_id,
                                      IntegrationResponseId=response_id)
    assert (code, status) == ("NotFoundException", 404)
    assert message == f"Invalid IntegrationResponse identifier specified {response_id}"
    # Deleting the integration takes its integration responses with it.
    client.delete_integration(ApiId=api_id, IntegrationId=integration_id)
    code, _, _ = aws_error(client.get_integration_responses, ApiId=api_id, IntegrationId=integration_id)
    assert code == "NotFoundException"


@pytest.mark.parametrize("arguments, needle", [
    ({"IntegrationType": "AWS", "IntegrationUri": "arn:aws:apigateway:us-east-1:sqs:path/123/q"}, "Lambda function"),
    ({"IntegrationType": "HTTP", "IntegrationMethod": "POST", "IntegrationUri": "http://e.com",
      "RequestParameters": {"integration.request.header.x": "method.request.header.y"}}, "Invalid mapping expression"),
    ({"IntegrationType": "HTTP", "IntegrationMethod": "POST", "IntegrationUri": "http://e.com",
      "RequestParameters": {"integration.response.header.x": "'static'"}}, "Invalid mapping expression"),
    ({"IntegrationType": "HTTP", "IntegrationMethod": "POST", "IntegrationUri": "http://e.com",
      "RequestParameters": {"integration.request.header.x": "route.request.header.bad name"}}, "Invalid mapping expression"),
    ({"IntegrationType": "HTTP", "IntegrationUri": "http://e.com"}, "IntegrationMethod"),
    ({"IntegrationType": "HTTP_PROXY", "IntegrationMethod": "GET"}, "IntegrationUri"),
    ({"IntegrationType": "AWS_PROXY", "IntegrationUri": "http://e.com"}, "Lambda function"),
    ({"IntegrationType": "AWS_PROXY", "IntegrationUri": LAMBDA_ARN, "PayloadFormatVersion": "2.0"}, "1.0"),
    ({"IntegrationType": "MOCK", "TimeoutInMillis": 29001}, "between 50 and 29000"),
    ({"IntegrationType": "MOCK", "TemplateSelectionExpression": "$request.header.x"}, "templateSelectionExpression"),
    ({"IntegrationType": "MOCK", "ResponseParameters": {"200": {"overwrite:statuscode": "204"}}}, "only for HTTP APIs"),
])
def test_integration_validation(fresh, ws_api, arguments, needle):
    code, message, status = aws_error(fresh.client().create_integration, ApiId=ws_api["ApiId"], **arguments)
    assert (code, status) == ("BadRequestException", 400)
    assert needle in message


def test_route_and_integration_responses_cli(fresh, ws_api):
    api_id = ws_api["ApiId"]
    integration = cli_json(fresh, "create-integration", "--api-id", api_id, "--integration-type", "MOCK",
                           "--request-templates", '{"$default": "{\\"statusCode\\": 200}"}',
                           "--template-selection-expression", "\\$default")
    route = cli_json(fresh, "create-route", "--api-id", api_id, "--route-key", "echo",
                     "--target", "integrations/" + integration["IntegrationId"],
                     "--route-response-selection-expression", "$default")
    assert route["RouteResponseSelectionExpression"] == "$default"
    rr = cli_json(fresh, "create-route-response", "--api-id", api_id, "--route-id", route["RouteId"],
                  "--route-response-key", "$default")
    assert rr["RouteResponseKey"] == "$default"
    ir = cli_json(fresh, "create-integration-response", "--api-id", api_id,
                  "--integration-id", integration["IntegrationId"], "--integration-response-key", "$default",
                  "--response-templates", '{"$default": "{\\"echo\\": true}"}')
    assert ir["IntegrationResponseKey"] == "$default"
    got = cli_json(fresh, "get-integration-response", "--api-id", api_id, "--integration-id",
                   integration["IntegrationId"], "--integration-response-id", ir["IntegrationResponseId"])
    assert got["ResponseTemplates"] == {"$default": '{"echo": true}'}
    cli_json(fresh, "delete-route-response", "--api-id", api_id, "--route-id", route["RouteId"],
             "--route-response-id", rr["RouteResponseId"])
    assert cli_json(fresh, "get-route-responses", "--api-id", api_id, "--route-id", route["RouteId"])["Items"] == []


def test_stages_and_deployments(fresh, ws_api):
    client = fresh.client()
    api_id = ws_api["ApiId"]
    integration = client.create_integration(ApiId=api_id, IntegrationType="MOCK")
    client.create_route(ApiId=api_id, RouteKey="$default", Target="integrations/" + integration["IntegrationId"])
    deployment = client.create_deployment(ApiId=api_id, Description="first")
    assert deployment["DeploymentStatus"] == "DEPLOYED"
    stage = client.create_stage(ApiId=api_id, StageName="prod", DeploymentId=deployment["DeploymentId"])
    assert stage["DeploymentId"] == deployment["DeploymentId"]
    auto = client.create_stage(ApiId=api_id, StageName="dev", AutoDeploy=True)
    first = auto["DeploymentId"]
    # A route response is part of what a deployment captures: adding one redeploys an auto-deploy stage.
    route_id = client.get_routes(ApiId=api_id)["Items"][0]["RouteId"]
    client.create_route_response(ApiId=api_id, RouteId=route_id, RouteResponseKey="$default")
    assert client.get_stage(ApiId=api_id, StageName="dev")["DeploymentId"] != first
    assert client.get_stage(ApiId=api_id, StageName="prod")["DeploymentId"] == deployment["DeploymentId"]


def test_http_api_has_no_route_or_integration_responses(fresh):
    client = fresh.client()
    api_id = client.create_api(Name="http", ProtocolType="HTTP")["ApiId"]
    integration = client.create_integration(ApiId=api_id, IntegrationType="HTTP_PROXY", IntegrationMethod="GET",
                                            IntegrationUri="http://example.com")
    route = client.create_route(ApiId=api_id, RouteKey="GET /x", Target="integrations/" + integration["IntegrationId"])
    # Listing answers an empty list, as AWS does (Terraform refreshes list them); creating is refused.
    assert client.get_route_responses(ApiId=api_id, RouteId=route["RouteId"])["Items"] == []
    assert client.get_integration_responses(ApiId=api_id, IntegrationId=integration["IntegrationId"])["Items"] == []
    code, message, _ = aws_error(client.create_route_response, ApiId=api_id, RouteId=route["RouteId"],
                                 RouteResponseKey="$default")
    assert code == "BadRequestException" and "only for WebSocket APIs" in message
    code, message, _ = aws_error(client.create_integration_response, ApiId=api_id,
                                 IntegrationId=integration["IntegrationId"], IntegrationResponseKey="$default")
    assert code == "BadRequestException" and "only for WebSocket APIs" in message
