"""ImportApi, ReimportApi and ExportApi: round trips in JSON and YAML with boto3 and the CLI."""
import json
import os
import tempfile

import yaml

from management_helpers import aws_error, cli_error, cli_json, http_integration

DEFINITION = {
    "openapi": "3.0.1",
    "info": {"title": "pets", "version": "1.0"},
    "paths": {
        "/pets": {
            "get": {
                "responses": {"default": {"description": "ok"}},
                "x-amazon-apigateway-integration": {
                    "type": "http_proxy", "httpMethod": "GET", "uri": "https://example.com/pets",
                    "payloadFormatVersion": "1.0",
                },
            }
        },
        "/pets/{id}": {
            "x-amazon-apigateway-any-method": {
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"default": {"description": "ok"}},
                "x-amazon-apigateway-integration": {
                    "type": "http_proxy", "httpMethod": "ANY", "uri": "https://example.com/pets/{id}",
                    "payloadFormatVersion": "1.0",
                },
            }
        },
    },
}


def route_keys(client, api_id):
    return sorted(route["RouteKey"] for route in client.get_routes(ApiId=api_id)["Items"])


def test_import_export_round_trip_json(fresh):
    client = fresh.client()
    imported = client.import_api(Body=json.dumps(DEFINITION))
    assert imported["ResponseMetadata"]["HTTPStatusCode"] == 201
    api_id = imported["ApiId"]
    assert imported["Name"] == "pets"
    assert route_keys(client, api_id) == ["ANY /pets/{id}", "GET /pets"]
    exported = client.export_api(ApiId=api_id, Specification="OAS30", OutputType="JSON")["body"].read()
    spec = json.loads(exported)
    assert set(spec["paths"]) == {"/pets", "/pets/{id}"}
    again = client.import_api(Body=exported.decode())["ApiId"]
    assert route_keys(client, again) == route_keys(client, api_id)
    integrations = client.get_integrations(ApiId=again)["Items"]
    assert sorted(i["IntegrationUri"] for i in integrations) == ["https://example.com/pets", "https://example.com/pets/{id}"]


def test_import_export_round_trip_yaml_cli(fresh):
    directory = tempfile.mkdtemp(prefix="portico-import-")
    path = os.path.join(directory, "api.yaml")
    with open(path, "w") as handle:
        yaml.safe_dump(DEFINITION, handle)
    imported = cli_json(fresh, "import-api", "--body", f"file://{path}")
    api_id = imported["ApiId"]
    out = os.path.join(directory, "exported.yaml")
    fresh.cli("apigatewayv2", "export-api", "--api-id", api_id, "--specification", "OAS30", "--output-type", "YAML", out)
    with open(out) as handle:
        spec = yaml.safe_load(handle)
    assert set(spec["paths"]) == {"/pets", "/pets/{id}"}
    again = cli_json(fresh, "import-api", "--body", f"file://{out}")
    client = fresh.client()
    assert route_keys(client, again["ApiId"]) == route_keys(client, api_id)


def test_reimport_replaces_routes_and_auto_deploys(fresh):
    client = fresh.client()
    api_id = client.import_api(Body=json.dumps(DEFINITION))["ApiId"]
    client.create_stage(ApiId=api_id, StageName="live", AutoDeploy=True)
    before = len(client.get_deployments(ApiId=api_id)["Items"])
    smaller = json.loads(json.dumps(DEFINITION))
    del smaller["paths"]["/pets/{id}"]
    reimported = client.reimport_api(ApiId=api_id, Body=json.dumps(smaller))
    assert reimported["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert route_keys(client, api_id) == ["GET /pets"]
    assert len(client.get_deployments(ApiId=api_id)["Items"]) == before + 1


def test_reimport_drops_route_settings_of_removed_routes(fresh):
    # Settings for a route the new definition lacks would fail every later UpdateStage of the stage.
    client = fresh.client()
    api_id = client.import_api(Body=json.dumps(DEFINITION))["ApiId"]
    client.create_stage(ApiId=api_id, StageName="live", RouteSettings={
        "GET /pets": {"ThrottlingBurstLimit": 5, "ThrottlingRateLimit": 10.0},
        "ANY /pets/{id}": {"ThrottlingBurstLimit": 1, "ThrottlingRateLimit": 2.0},
    })
    smaller = json.loads(json.dumps(DEFINITION))
    del smaller["paths"]["/pets/{id}"]
    client.reimport_api(ApiId=api_id, Body=json.dumps(smaller))
    settings = client.get_stage(ApiId=api_id, StageName="live")["RouteSettings"]
    assert settings == {"GET /pets": {"ThrottlingBurstLimit": 5, "ThrottlingRateLimit": 10.0}}
    updated = client.update_stage(ApiId=api_id, StageName="live", Description="after reimport")
    assert updated["Description"] == "after reimport"
    assert set(updated["RouteSettings"]) == {"GET /pets"}


def test_export_stage_uses_its_deployment(fresh):
    client = fresh.client()
    api_id = client.import_api(Body=json.dumps(DEFINITION))["ApiId"]
    client.create_stage(ApiId=api_id, StageName="frozen")
    client.create_deployment(ApiId=api_id, StageName="frozen")
    integration_id = http_integration(client, api_id)["IntegrationId"]
    client.create_route(ApiId=api_id, RouteKey="POST /later", Target=f"integrations/{integration_id}")
    spec = json.loads(client.export_api(ApiId=api_id, Specification="OAS30", OutputType="JSON", StageName="frozen")["body"].read())
    assert "/later" not in spec["paths"]
    latest = json.loads(client.export_api(ApiId=api_id, Specification="OAS30", OutputType="JSON")["body"].read())
    assert "/later" in latest["paths"]


def test_import_export_errors(fresh):
    client = fresh.client()
    code, _, status = aws_error(client.import_api, Body="this is not openapi")
    assert (code, status) == ("BadRequestException", 400)
    assert client.get_apis()["Items"] == []
    code, message, status = aws_error(client.export_api, ApiId="missing000", Specification="OAS30", OutputType="JSON")
    assert (code, status, message) == ("NotFoundException", 404, "Invalid API identifier specified 000000000000:missing000")
    api_id = client.import_api(Body=json.dumps(DEFINITION))["ApiId"]
    code, _, status = aws_error(client.export_api, ApiId=api_id, Specification="OAS20", OutputType="JSON")
    assert (code, status) == ("BadRequestException", 400)
    code, _, status = aws_error(client.export_api, ApiId=api_id, Specification="OAS30", OutputType="JSON", StageName="none")
    assert (code, status) == ("NotFoundException", 404)
    code, _ = cli_error(fresh, "reimport-api", "--api-id", "missing000", "--body", json.dumps(DEFINITION))
    assert code == "NotFoundException"


def test_import_over_the_route_quota_is_refused(fresh):
    """AWS's HTTP API quota: 300 routes per API; an import beyond it creates nothing."""
    paths = {f"/r{number}": {"get": {"responses": {"200": {"description": "ok"}}}} for number in range(301)}
    body = json.dumps({"openapi": "3.0.1", "info": {"title": "big", "version": "1"}, "paths": paths})
    client = fresh.client()
    code, message, status = aws_error(client.import_api, Body=body)
    assert (code, status) == ("BadRequestException", 400)
    assert "300 routes" in message
    assert client.get_apis()["Items"] == []
