"""Deployments and stages: stage variables, method settings, canaries, and the refusals AWS makes."""
from management_helpers import aws_error
from rest_helpers import deployable_api, rest_api, rest_cli


def test_deploy_refusals(fresh):
    client = fresh.client("apigateway")
    api_id, root = rest_api(client)
    assert aws_error(client.create_deployment, restApiId=api_id)[:2] == (
        "BadRequestException", "The REST API doesn't contain any methods")
    client.put_method(restApiId=api_id, resourceId=root, httpMethod="GET", authorizationType="NONE")
    assert aws_error(client.create_deployment, restApiId=api_id)[1] == "No integration defined for method"


def test_deployments_with_stage_and_variables(fresh):
    client = fresh.client("apigateway")
    api_id, _, pets = deployable_api(client)
    # What Terraform's aws_api_gateway_deployment sends with stage_name and variables.
    first = client.create_deployment(restApiId=api_id, stageName="prod", stageDescription="production",
                                     description="first", variables={"backend": "one.example"})
    assert first["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert first["description"] == "first" and len(first["id"]) == 6
    stage = client.get_stage(restApiId=api_id, stageName="prod")
    assert stage["deploymentId"] == first["id"] and stage["description"] == "production"
    assert stage["variables"] == {"backend": "one.example"}
    assert (stage["cacheClusterEnabled"], stage["cacheClusterStatus"], stage["tracingEnabled"]) == (False, "NOT_AVAILABLE", False)
    assert stage["methodSettings"] == {}

    second = client.create_deployment(restApiId=api_id, stageName="prod", variables={"extra": "x"})
    stage = client.get_stage(restApiId=api_id, stageName="prod")
    assert stage["deploymentId"] == second["id"]
    assert stage["variables"] == {"backend": "one.example", "extra": "x"}

    summary = client.get_deployment(restApiId=api_id, deploymentId=first["id"], embed=["apisummary"])
    assert summary["apiSummary"] == {"/pets": {"GET": {"authorizationType": "NONE", "apiKeyRequired": False}}}
    assert "apiSummary" not in client.get_deployment(restApiId=api_id, deploymentId=first["id"])
    # The snapshot is immutable: later changes do not show in the first deployment.
    client.put_method(restApiId=api_id, resourceId=pets, httpMethod="POST", authorizationType="NONE")
    client.put_integration(restApiId=api_id, resourceId=pets, httpMethod="POST", type="MOCK")
    summary = client.get_deployment(restApiId=api_id, deploymentId=first["id"], embed=["apisummary"])
    assert list(summary["apiSummary"]["/pets"]) == ["GET"]

    listed = client.get_deployments(restApiId=api_id, limit=1)
    assert len(listed["items"]) == 1 and listed["position"]
    updated = client.update_deployment(restApiId=api_id, deploymentId=first["id"],
                                       patchOperations=[{"op": "replace", "path": "/description", "value": "renamed"}])
    assert updated["description"] == "renamed"

    # AWS refuses to delete a deployment a stage serves.
    assert aws_error(client.delete_deployment, restApiId=api_id, deploymentId=second["id"])[:2] == (
        "BadRequestException", "Active stages pointing to this deployment must be moved or deleted")
    assert client.delete_deployment(restApiId=api_id, deploymentId=first["id"])["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert aws_error(client.get_deployment, restApiId=api_id, deploymentId=first["id"])[:2] == (
        "NotFoundException", "Invalid Deployment identifier specified")


def test_stages_and_update_stage_patch_paths(fresh):
    client = fresh.client("apigateway")
    api_id, _, _ = deployable_api(client)
    deployment = client.create_deployment(restApiId=api_id)["id"]
    created = client.create_stage(restApiId=api_id, stageName="dev", deploymentId=deployment,
                                  variables={"a": "1"}, tags={"env": "dev"})
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert aws_error(client.create_stage, restApiId=api_id, stageName="dev", deploymentId=deployment)[:3] == (
        "ConflictException", "Stage already exists", 409)
    assert aws_error(client.create_stage, restApiId=api_id, stageName="x", deploymentId="nope00")[0] == "NotFoundException"
    assert aws_error(client.create_stage, restApiId=api_id, stageName="bad name", deploymentId=deployment)[0] == "BadRequestException"

    # The patch operations Terraform's aws_api_gateway_stage and aws_api_gateway_method_settings send.
    updated = client.update_stage(restApiId=api_id, stageName="dev", patchOperations=[
        {"op": "replace", "path": "/description", "value": "development"},
        {"op": "replace", "path": "/variables/a", "value": "2"},
        {"op": "replace", "path": "/variables/b", "value": "3"},
        {"op": "replace", "path": "/tracingEnabled", "value": "true"},
        {"op": "replace", "path": "/cacheClusterEnabled", "value": "true"},
        {"op": "replace", "path": "/*/*/throttling/rateLimit", "value": "100"},
        {"op": "replace", "path": "/*/*/throttling/burstLimit", "value": "50"},
        {"op": "replace", "path": "/*/*/metrics/enabled", "value": "true"},
        {"op": "replace", "path": "/*/*/caching/enabled", "value": "true"},
        {"op": "replace", "path": "/~1items/GET/logging/loglevel", "value": "INFO"},
        {"op": "replace", "path": "/accessLogSettings/destinationArn", "value": "arn:aws:logs:us-east-1:000000000000:log-group:x"},
        {"op": "replace", "path": "/accessLogSettings/format", "value": "$context.requestId"},
    ])
    assert updated["description"] == "development" and updated["variables"] == {"a": "2", "b": "3"}
    assert updated["tracingEnabled"] is True
    assert (updated["cacheClusterEnabled"], updated["cacheClusterSize"], updated["cacheClusterStatus"]) == (True, "0.5", "AVAILABLE")
    everything = updated["methodSettings"]["*/*"]
    assert (everything["throttlingRateLimit"], everything["throttlingBurstLimit"]) == (100.0, 50)
    assert everything["metricsEnabled"] is True and everything["cachingEnabled"] is True
    items = updated["methodSettings"]["items/GET"]
    assert items["loggingLevel"] == "INFO" and items["throttlingBurstLimit"] == 5000
    assert updated["accessLogSettings"]["format"] == "$context.requestId"

    removed = client.update_stage(restApiId=api_id, stageName="dev", patchOperations=[
        {"op": "remove", "path": "/variables/b"}, {"op": "remove", "path": "/~1items/GET"},
        {"op": "remove", "path": "/accessLogSettings"}])
    assert removed["variables"] == {"a": "2"} and "items/GET" not in removed["methodSettings"]
    assert aws_error(client.update_stage, restApiId=api_id, stageName="dev",
                     patchOperations=[{"op": "remove", "path": "/~1items/GET"}])[1] == (
        "Cannot remove method setting ~1items/GET because there is no method setting for this method ")
    assert "accessLogSettings" not in removed

    code, message, _ = aws_error(client.update_stage, restApiId=api_id, stageName="dev",
                                 patchOperations=[{"op": "replace", "path": "/nonsense", "value": "1"}])
    assert code == "BadRequestException"
    assert message.startswith("Invalid method setting path: /nonsense. Must be one of: [/deploymentId, /description,")
    assert aws_error(client.update_stage, restApiId=api_id, stageName="dev",
                     patchOperations=[{"op": "replace", "path": "/deploymentId", "value": "nope00"}])[0] == "BadRequestException"

    assert [stage["stageName"] for stage in client.get_stages(restApiId=api_id)["item"]] == ["dev"]
    assert client.get_stages(restApiId=api_id, deploymentId="nope00")["item"] == []
    assert client.delete_stage(restApiId=api_id, stageName="dev")["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert aws_error(client.get_stage, restApiId=api_id, stageName="dev")[:2] == (
        "NotFoundException", "Invalid Stage identifier specified")


def test_canary_release_and_promotion(fresh):
    client = fresh.client("apigateway")
    api_id, _, _ = deployable_api(client)
    stable = client.create_deployment(restApiId=api_id, stageName="prod", variables={"color": "blue"})["id"]
    canary = client.create_deployment(restApiId=api_id, stageName="prod", canarySettings={
        "percentTraffic": 10.0, "stageVariableOverrides": {"color": "green"}, "useStageCache": False})["id"]
    stage = client.get_stage(restApiId=api_id, stageName="prod")
    # The stage keeps serving its deployment; the canary takes the new one.
    assert stage["deploymentId"] == stable
    assert stage["canarySettings"] == {"percentTraffic": 10.0, "deploymentId": canary,
                                       "stageVariableOverrides": {"color": "green"}, "useStageCache": False}
    assert aws_error(client.delete_deployment, restApiId=api_id, deploymentId=canary)[1] == (
        "Active stages pointing to this deployment must be moved or deleted")
    assert aws_error(client.create_deployment, restApiId=api_id, canarySettings={"percentTraffic": 1.0})[1] == (
        "Invalid deployment content specified.Non null and non empty stageName must be provided for canary deployment. "
        "Provided value is null")
    assert aws_error(client.create_deployment, restApiId=api_id, stageName="non-existing",
                     canarySettings={"percentTraffic": 1.0})[1] == (
        "Invalid deployment content specified.Stage non-existing must already be created before making a canary release deployment")
    raised = client.update_stage(restApiId=api_id, stageName="prod", patchOperations=[
        {"op": "replace", "path": "/canarySettings/percentTraffic", "value": "50.5"}])
    assert raised["canarySettings"]["percentTraffic"] == 50.5
    promoted = client.update_stage(restApiId=api_id, stageName="prod", patchOperations=[
        {"op": "copy", "from": "/canarySettings/stageVariableOverrides", "path": "/variables"},
        {"op": "copy", "from": "/canarySettings/deploymentId", "path": "/deploymentId"},
        {"op": "remove", "path": "/canarySettings"}])
    assert promoted["deploymentId"] == canary and promoted["variables"] == {"color": "green"}
    assert "canarySettings" not in promoted


def test_update_stage_with_cli(fresh):
    client = fresh.client("apigateway")
    api_id, _, _ = deployable_api(client)
    client.create_deployment(restApiId=api_id, stageName="prod")
    updated = rest_cli(fresh, "update-stage", "--rest-api-id", api_id, "--stage-name", "prod", "--patch-operations",
                       "op=replace,path=/*/*/logging/loglevel,value=ERROR", "op=replace,path=/variables/x,value=y")
    assert updated["methodSettings"]["*/*"]["loggingLevel"] == "ERROR" and updated["variables"] == {"x": "y"}
    deployments = rest_cli(fresh, "get-deployments", "--rest-api-id", api_id)["items"]
    assert len(deployments) == 1
