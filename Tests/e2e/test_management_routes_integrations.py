"""Routes and integrations: CRUD with boto3 and the CLI, validation, and AWS's error messages."""
import pytest

from management_helpers import aws_error, cli_error, cli_json, http_integration


@pytest.fixture
def api_id(fresh):
    return fresh.client().create_api(Name="routes", ProtocolType="HTTP")["ApiId"]


def test_integration_crud_boto3(fresh, api_id):
    client = fresh.client()
    created = http_integration(client, api_id, TimeoutInMillis=5000, Description="backend",
                               RequestParameters={"overwrite:path": "/v2/$request.path.proxy",
                                                  "append:header.x-from": "portico"},
                               ResponseParameters={"200": {"overwrite:statuscode": "204"}})
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    integration_id = created["IntegrationId"]
    assert created["PayloadFormatVersion"] == "1.0"
    assert created["ConnectionType"] == "INTERNET"
    assert created["TimeoutInMillis"] == 5000
    got = client.get_integration(ApiId=api_id, IntegrationId=integration_id)
    assert got["RequestParameters"]["overwrite:path"] == "/v2/$request.path.proxy"
    updated = client.update_integration(ApiId=api_id, IntegrationId=integration_id, TimeoutInMillis=30000,
                                        IntegrationUri="http://example.org/")
    assert updated["TimeoutInMillis"] == 30000 and updated["IntegrationUri"] == "http://example.org/"
    assert updated["Description"] == "backend"
    assert client.delete_integration(ApiId=api_id, IntegrationId=integration_id)["ResponseMetadata"]["HTTPStatusCode"] == 204
    code, message, status = aws_error(client.get_integration, ApiId=api_id, IntegrationId=integration_id)
    assert (code, status) == ("NotFoundException", 404)
    assert message == f"Invalid Integration identifier specified {integration_id}"


def test_integration_crud_cli(fresh, api_id):
    created = cli_json(fresh, "create-integration", "--api-id", api_id, "--integration-type", "HTTP_PROXY",
                       "--integration-method", "GET", "--integration-uri", "https://example.com",
                       "--payload-format-version", "1.0")
    integration_id = created["IntegrationId"]
    listed = cli_json(fresh, "get-integrations", "--api-id", api_id)["Items"]
    assert [i["IntegrationId"] for i in listed] == [integration_id]
    cli_json(fresh, "update-integration", "--api-id", api_id, "--integration-id", integration_id,
             "--integration-method", "POST")
    assert cli_json(fresh, "get-integration", "--api-id", api_id, "--integration-id", integration_id)["IntegrationMethod"] == "POST"
    cli_json(fresh, "delete-integration", "--api-id", api_id, "--integration-id", integration_id)
    code, message = cli_error(fresh, "get-integration", "--api-id", api_id, "--integration-id", integration_id)
    assert code == "NotFoundException"


@pytest.mark.parametrize("arguments, needle", [
    ({"IntegrationType": "MOCK"}, "Currently, an API with a protocol type of HTTP may only be associated with proxy integrations (AWS_PROXY, HTTP_PROXY)"),
    ({"IntegrationType": "HTTP_PROXY", "IntegrationUri": "https://example.com"}, "IntegrationMethod"),
    ({"IntegrationType": "HTTP_PROXY", "IntegrationMethod": "GET"}, "IntegrationUri"),
    ({"IntegrationType": "HTTP_PROXY", "IntegrationMethod": "GET", "IntegrationUri": "example.com/x"}, "absolute"),
    ({"IntegrationType": "HTTP_PROXY", "IntegrationMethod": "GET", "IntegrationUri": "https://e.com",
      "PayloadFormatVersion": "2.0"}, "1.0"),
    ({"IntegrationType": "HTTP_PROXY", "IntegrationMethod": "GET", "IntegrationUri": "https://e.com",
      "TimeoutInMillis": 30001}, "between 50 and 30000"),
    ({"IntegrationType": "HTTP_PROXY", "IntegrationMethod": "GET", "IntegrationUri": "https://e.com",
      "RequestParameters": {"overwrite:body": "x"}}, "overwrite:body"),
    ({"IntegrationType": "HTTP_PROXY", "IntegrationMethod": "GET", "IntegrationUri": "https://e.com",
      "ResponseParameters": {"700": {"overwrite:statuscode": "200"}}}, "700"),
    ({"IntegrationType": "AWS_PROXY", "IntegrationUri": "https://not-a-lambda"}, "Lambda"),
])
def test_integration_validation(fresh, api_id, arguments, needle):
    client = fresh.client()
    code, message, status = aws_error(client.create_integration, ApiId=api_id, **arguments)
    assert (code, status) == ("BadRequestException", 400)
    assert needle in message
    assert client.get_integrations(ApiId=api_id)["Items"] == []


def test_lambda_integration(fresh, api_id):
    client = fresh.client()
    created = client.create_integration(ApiId=api_id, IntegrationType="AWS_PROXY", PayloadFormatVersion="2.0",
                                        IntegrationUri="arn:aws:lambda:us-east-1:123456789012:function:f")
    assert created["IntegrationType"] == "AWS_PROXY"


def test_route_crud_and_errors(fresh, api_id):
    client = fresh.client()
    integration_id = http_integration(client, api_id)["IntegrationId"]
    route = client.create_route(ApiId=api_id, RouteKey="GET /pets/{id}", Target=f"integrations/{integration_id}")
    assert route["ResponseMetadata"]["HTTPStatusCode"] == 201
    route_id = route["RouteId"]
    assert route["AuthorizationType"] == "NONE" and route["ApiKeyRequired"] is False
    assert client.get_route(ApiId=api_id, RouteId=route_id)["RouteKey"] == "GET /pets/{id}"
    updated = client.update_route(ApiId=api_id, RouteId=route_id, RouteKey="ANY /pets/{proxy+}")
    assert updated["RouteKey"] == "ANY /pets/{proxy+}" and updated["Target"] == f"integrations/{integration_id}"

    code, message, status = aws_error(client.create_route, ApiId=api_id, RouteKey="ANY /pets/{proxy+}")
    assert (code, status) == ("ConflictException", 409)
    assert message == "Route with key ANY /pets/{proxy+} already exists for this API"

    for key in ["GET pets", "FETCH /x", "GET /a/{proxy+}/b", "GET /a//b"]:
        code, _, status = aws_error(client.create_route, ApiId=api_id, RouteKey=key)
        assert (code, status) == ("BadRequestException", 400), key

    code, message, status = aws_error(client.create_route, ApiId=api_id, RouteKey="GET /x", Target="integrations/abcdefg")
    assert (code, status, message) == ("NotFoundException", 404, "Invalid Integration identifier specified abcdefg")
    code, _, status = aws_error(client.create_route, ApiId=api_id, RouteKey="GET /x", Target="lambda-arn")
    assert (code, status) == ("BadRequestException", 400)

    code, message, status = aws_error(client.delete_integration, ApiId=api_id, IntegrationId=integration_id)
    assert (code, status) == ("ConflictException", 409)
    assert message == f"Cannot delete Integration because it is referenced by the following Routes with Ids: [{route_id}]"

    client.delete_route(ApiId=api_id, RouteId=route_id)
    code, message, status = aws_error(client.get_route, ApiId=api_id, RouteId=route_id)
    assert (code, status, message) == ("NotFoundException", 404, f"Invalid Route identifier specified {route_id}")
    client.delete_integration(ApiId=api_id, IntegrationId=integration_id)

    code, message, _ = aws_error(client.get_routes, ApiId="missing000")
    assert (code, message) == ("NotFoundException", "Invalid API identifier specified 000000000000:missing000")


def test_routes_with_cli_and_pagination(fresh, api_id):
    integration_id = http_integration(fresh.client(), api_id)["IntegrationId"]
    for n in range(5):
        cli_json(fresh, "create-route", "--api-id", api_id, "--route-key", f"GET /r{n}",
                 "--target", f"integrations/{integration_id}")
    client = fresh.client()
    pages = list(client.get_paginator("get_routes").paginate(ApiId=api_id, PaginationConfig={"PageSize": 2}))
    assert [len(p["Items"]) for p in pages] == [2, 2, 1]
    keys = sorted(r["RouteKey"] for p in pages for r in p["Items"])
    assert keys == [f"GET /r{n}" for n in range(5)]
    assert len(cli_json(fresh, "get-routes", "--api-id", api_id, "--page-size", "2")["Items"]) == 5
    code, message = cli_error(fresh, "create-route", "--api-id", api_id, "--route-key", "GET /r0")
    assert code == "ConflictException"
