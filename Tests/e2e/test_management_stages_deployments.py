"""Stages, deployments and auto-deploy."""
import pytest

from management_helpers import aws_error, cli_error, cli_json, http_integration, quick_api


@pytest.fixture
def api_id(fresh):
    return fresh.client().create_api(Name="stages", ProtocolType="HTTP")["ApiId"]


@pytest.fixture
def deployable_api_id(fresh, api_id):
    """AWS refuses to deploy an API without routes ("Unable to deploy API because no routes exist")."""
    fresh.client().create_route(ApiId=api_id, RouteKey="GET /r")
    return api_id


def test_stage_crud_boto3(fresh, api_id):
    client = fresh.client()
    created = client.create_stage(ApiId=api_id, StageName="dev", Description="d",
                                  StageVariables={"host": "example.com"},
                                  DefaultRouteSettings={"ThrottlingBurstLimit": 10, "ThrottlingRateLimit": 5.5},
                                  AccessLogSettings={"DestinationArn": "stdout",
                                                     "Format": "$context.requestId $context.status"},
                                  Tags={"env": "dev"})
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert created["StageName"] == "dev" and created["AutoDeploy"] is False
    assert created["DefaultRouteSettings"]["ThrottlingRateLimit"] == 5.5
    got = client.get_stage(ApiId=api_id, StageName="dev")
    assert got["StageVariables"] == {"host": "example.com"} and got["Tags"] == {"env": "dev"}
    updated = client.update_stage(ApiId=api_id, StageName="dev", Description="new",
                                  AccessLogSettings={"DestinationArn": "file:/tmp/portico-e2e-access.log",
                                                     "Format": "$context.extendedRequestId"})
    assert updated["Description"] == "new"
    client.delete_access_log_settings(ApiId=api_id, StageName="dev")
    assert "AccessLogSettings" not in client.get_stage(ApiId=api_id, StageName="dev")
    code, message, status = aws_error(client.create_stage, ApiId=api_id, StageName="dev")
    assert (code, status, message) == ("ConflictException", 409, "Stage already exists")
    client.delete_stage(ApiId=api_id, StageName="dev")
    code, message, status = aws_error(client.get_stage, ApiId=api_id, StageName="dev")
    assert (code, status, message) == ("NotFoundException", 404, "Invalid stage identifier specified dev")


def test_stage_crud_cli(fresh, api_id):
    cli_json(fresh, "create-stage", "--api-id", api_id, "--stage-name", "$default")
    assert [s["StageName"] for s in cli_json(fresh, "get-stages", "--api-id", api_id)["Items"]] == ["$default"]
    cli_json(fresh, "update-stage", "--api-id", api_id, "--stage-name", "$default", "--stage-variables", "a=b")
    assert cli_json(fresh, "get-stage", "--api-id", api_id, "--stage-name", "$default")["StageVariables"] == {"a": "b"}
    cli_json(fresh, "delete-stage", "--api-id", api_id, "--stage-name", "$default")
    code, _ = cli_error(fresh, "get-stage", "--api-id", api_id, "--stage-name", "$default")
    assert code == "NotFoundException"


@pytest.mark.parametrize("arguments", [
    {"StageName": "bad name"},
    {"StageName": "$notdefault"},
    {"StageName": "x", "AccessLogSettings": {"DestinationArn": "stdout", "Format": "$context.status"}},
    {"StageName": "x", "AccessLogSettings": {"DestinationArn": "nowhere", "Format": "$context.requestId"}},
    {"StageName": "x", "AccessLogSettings": {"DestinationArn": "file:relative", "Format": "$context.requestId"}},
    {"StageName": "x", "StageVariables": {"bad-name": "v"}},
    {"StageName": "x", "RouteSettings": {"GET /nothing": {"ThrottlingBurstLimit": 1}}},
])
def test_stage_validation(fresh, api_id, arguments):
    client = fresh.client()
    code, _, status = aws_error(client.create_stage, ApiId=api_id, **arguments)
    assert (code, status) == ("BadRequestException", 400)
    assert client.get_stages(ApiId=api_id)["Items"] == []


def test_access_log_destination_arn_accepted(fresh, api_id):
    fresh.client().create_stage(ApiId=api_id, StageName="logs", AccessLogSettings={
        "DestinationArn": "arn:aws:logs:us-east-1:123456789012:log-group:api-logs", "Format": "$context.requestId"})


def test_deployments_and_stage_pointers(fresh, deployable_api_id):
    api_id = deployable_api_id
    client = fresh.client()
    client.create_stage(ApiId=api_id, StageName="prod")
    code, message, status = aws_error(client.create_stage, ApiId=api_id, StageName="x", DeploymentId="nope00")
    assert (code, status) == ("NotFoundException", 404)
    deployment = client.create_deployment(ApiId=api_id, StageName="prod", Description="first")
    assert deployment["ResponseMetadata"]["HTTPStatusCode"] == 201
    deployment_id = deployment["DeploymentId"]
    assert deployment["DeploymentStatus"] == "DEPLOYED" and deployment["AutoDeployed"] is False
    assert client.get_stage(ApiId=api_id, StageName="prod")["DeploymentId"] == deployment_id
    assert client.get_deployment(ApiId=api_id, DeploymentId=deployment_id)["Description"] == "first"
    assert client.update_deployment(ApiId=api_id, DeploymentId=deployment_id, Description="again")["Description"] == "again"

    code, message, status = aws_error(client.delete_deployment, ApiId=api_id, DeploymentId=deployment_id)
    assert (code, status, message) == ("BadRequestException", 400, "Active stages pointing to this deployment must be moved or deleted.")

    other = client.create_deployment(ApiId=api_id)["DeploymentId"]
    client.create_stage(ApiId=api_id, StageName="old", DeploymentId=other)
    client.update_stage(ApiId=api_id, StageName="old", DeploymentId=deployment_id)
    client.delete_deployment(ApiId=api_id, DeploymentId=other)
    code, message, status = aws_error(client.get_deployment, ApiId=api_id, DeploymentId=other)
    assert (code, status, message) == ("NotFoundException", 404, f"Invalid Deployment identifier specified {other}")
    code, message, status = aws_error(client.create_deployment, ApiId=api_id, StageName="missing")
    assert (code, status) == ("NotFoundException", 404)


def test_deployments_cli_and_pagination(fresh, deployable_api_id):
    api_id = deployable_api_id
    ids = sorted(cli_json(fresh, "create-deployment", "--api-id", api_id)["DeploymentId"] for _ in range(5))
    client = fresh.client()
    pages = list(client.get_paginator("get_deployments").paginate(ApiId=api_id, PaginationConfig={"PageSize": 2}))
    assert sorted(d["DeploymentId"] for p in pages for d in p["Items"]) == ids
    assert len(pages) == 3


def test_auto_deploy_creates_deployments(fresh, api_id):
    client = fresh.client()
    client.create_stage(ApiId=api_id, StageName="auto", AutoDeploy=True)
    client.create_stage(ApiId=api_id, StageName="manual")
    first = client.get_stage(ApiId=api_id, StageName="auto")
    assert first["DeploymentId"]
    integration_id = http_integration(client, api_id)["IntegrationId"]
    client.create_route(ApiId=api_id, RouteKey="GET /a", Target=f"integrations/{integration_id}")
    client.update_api(ApiId=api_id, CorsConfiguration={"AllowOrigins": ["https://x.example"]})
    stage = client.get_stage(ApiId=api_id, StageName="auto")
    deployments = client.get_deployments(ApiId=api_id)["Items"]
    assert len(deployments) == 4
    assert all(d["AutoDeployed"] for d in deployments)
    assert stage["DeploymentId"] != first["DeploymentId"]
    assert stage["LastDeploymentStatusMessage"] == f"Successfully deployed stage with deployment ID '{stage['DeploymentId']}'"
    assert "DeploymentId" not in client.get_stage(ApiId=api_id, StageName="manual")
    # A failed change deploys nothing.
    aws_error(client.create_route, ApiId=api_id, RouteKey="GET /a")
    assert len(client.get_deployments(ApiId=api_id)["Items"]) == 4


def test_quick_created_api_redeploys_on_route_change(fresh):
    client = fresh.client()
    api_id = quick_api(client)["ApiId"]
    integration_id = client.get_integrations(ApiId=api_id)["Items"][0]["IntegrationId"]
    client.create_route(ApiId=api_id, RouteKey="POST /orders", Target=f"integrations/{integration_id}")
    assert len(client.get_deployments(ApiId=api_id)["Items"]) == 2


def test_route_settings(fresh, api_id):
    client = fresh.client()
    integration_id = http_integration(client, api_id)["IntegrationId"]
    client.create_route(ApiId=api_id, RouteKey="GET /slow", Target=f"integrations/{integration_id}")
    client.create_stage(ApiId=api_id, StageName="s", RouteSettings={"GET /slow": {"ThrottlingBurstLimit": 1, "ThrottlingRateLimit": 1.0}})
    assert client.get_stage(ApiId=api_id, StageName="s")["RouteSettings"]["GET /slow"]["ThrottlingBurstLimit"] == 1
    client.delete_route_settings(ApiId=api_id, StageName="s", RouteKey="GET /slow")
    assert client.get_stage(ApiId=api_id, StageName="s")["RouteSettings"] == {}
    code, _, status = aws_error(client.delete_route_settings, ApiId=api_id, StageName="s", RouteKey="GET /slow")
    assert (code, status) == ("NotFoundException", 404)


def test_stage_quota_is_ten_per_api(fresh):
    """AWS's HTTP API quota: 10 stages per API. The 11th is refused and nothing changes."""
    client = fresh.client()
    api_id = client.create_api(Name="quota", ProtocolType="HTTP")["ApiId"]
    for number in range(10):
        client.create_stage(ApiId=api_id, StageName=f"s{number}")
    code, message, status = aws_error(client.create_stage, ApiId=api_id, StageName="s10")
    assert (code, status) == ("BadRequestException", 400)
    assert "10 stages per API" in message
    assert len(client.get_stages(ApiId=api_id)["Items"]) == 10
