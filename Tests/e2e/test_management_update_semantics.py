"""Update semantics Terraform relies on (terraform-provider-aws's apigatewayv2 resources): maps are
merged and an empty value removes an entry; an empty object switches access logging off; an
empty target detaches a route. Also: routes that ask for IAM authorization are refused while the
data plane cannot enforce it."""
import pytest
from botocore.exceptions import ClientError


@pytest.fixture
def api(fresh):
    client = fresh.client()
    api_id = client.create_api(Name="semantics", ProtocolType="HTTP")["ApiId"]
    return client, api_id


def test_stage_variables_merge_and_empty_removes(api):
    client, api_id = api
    client.create_stage(ApiId=api_id, StageName="s", StageVariables={"a": "1", "b": "2"})
    client.update_stage(ApiId=api_id, StageName="s", StageVariables={"b": "20", "c": "3"})
    assert client.get_stage(ApiId=api_id, StageName="s")["StageVariables"] == {"a": "1", "b": "20", "c": "3"}
    client.update_stage(ApiId=api_id, StageName="s", StageVariables={"a": ""})
    assert client.get_stage(ApiId=api_id, StageName="s")["StageVariables"] == {"b": "20", "c": "3"}


def test_empty_access_log_settings_turn_logging_off(api):
    client, api_id = api
    client.create_stage(ApiId=api_id, StageName="s", AccessLogSettings={"DestinationArn": "stdout", "Format": "$context.requestId"})
    assert client.get_stage(ApiId=api_id, StageName="s")["AccessLogSettings"]["Format"] == "$context.requestId"
    client.update_stage(ApiId=api_id, StageName="s", AccessLogSettings={})
    assert "AccessLogSettings" not in client.get_stage(ApiId=api_id, StageName="s")


def test_integration_parameters_merge_and_empty_removes(api):
    client, api_id = api
    integration = client.create_integration(
        ApiId=api_id, IntegrationType="HTTP_PROXY", IntegrationMethod="GET", IntegrationUri="http://127.0.0.1:9/x",
        PayloadFormatVersion="1.0",
        RequestParameters={"append:header.a": "1", "append:header.b": "2"},
        ResponseParameters={"200": {"append:header.x": "1"}, "404": {"overwrite:statuscode": "204"}},
    )["IntegrationId"]
    client.update_integration(ApiId=api_id, IntegrationId=integration,
                              RequestParameters={"append:header.a": "", "append:header.c": "3"},
                              ResponseParameters={"404": {}})
    got = client.get_integration(ApiId=api_id, IntegrationId=integration)
    assert got["RequestParameters"] == {"append:header.b": "2", "append:header.c": "3"}
    assert got["ResponseParameters"] == {"200": {"append:header.x": "1"}}


def test_empty_target_detaches_a_route(api):
    client, api_id = api
    integration = client.create_integration(
        ApiId=api_id, IntegrationType="HTTP_PROXY", IntegrationMethod="GET", IntegrationUri="http://127.0.0.1:9/x",
        PayloadFormatVersion="1.0")["IntegrationId"]
    route = client.create_route(ApiId=api_id, RouteKey="GET /x", Target=f"integrations/{integration}")["RouteId"]
    client.update_route(ApiId=api_id, RouteId=route, Target="")
    assert "Target" not in client.get_route(ApiId=api_id, RouteId=route)
    # Detached, the integration can now be deleted.
    client.delete_integration(ApiId=api_id, IntegrationId=integration)


def test_iam_authorization_is_accepted_now_that_it_is_enforced(api):
    # AWS_IAM routes are verified on the data plane (test_iam_auth.py), so the route is kept.
    client, api_id = api
    route = client.create_route(ApiId=api_id, RouteKey="GET /secret", AuthorizationType="AWS_IAM")
    assert route["AuthorizationType"] == "AWS_IAM"
    assert "AuthorizerId" not in route


def test_deployment_id_cannot_be_set_on_an_auto_deploy_stage(api):
    client, api_id = api
    integration = client.create_integration(
        ApiId=api_id, IntegrationType="HTTP_PROXY", IntegrationMethod="GET", IntegrationUri="http://127.0.0.1:9/x",
        PayloadFormatVersion="1.0")["IntegrationId"]
    client.create_route(ApiId=api_id, RouteKey="GET /x", Target=f"integrations/{integration}")
    deployment = client.create_deployment(ApiId=api_id)["DeploymentId"]
    client.create_stage(ApiId=api_id, StageName="auto", AutoDeploy=True)
    with pytest.raises(ClientError) as error:
        client.update_stage(ApiId=api_id, StageName="auto", DeploymentId=deployment)
    assert error.value.response["Error"]["Code"] == "BadRequestException"
    assert "because AutoDeploy is enabled" in error.value.response["Error"]["Message"]
    # Without auto-deploy it is allowed.
    client.create_stage(ApiId=api_id, StageName="manual", DeploymentId=deployment)


def test_an_api_without_routes_cannot_be_deployed(api):
    client, api_id = api
    with pytest.raises(ClientError) as error:
        client.create_deployment(ApiId=api_id)
    assert error.value.response["Error"]["Code"] == "BadRequestException"
    assert error.value.response["Error"]["Message"] == "Unable to deploy API because no routes exist in this API"
