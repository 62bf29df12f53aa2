"""The call sequence Terraform's aws_api_gateway_* resources make (same SDK calls, replayed with boto3):
create in dependency order, read back after each create, update in place, destroy in reverse order."""
from management_helpers import aws_error


def test_terraform_lifecycle(fresh):
    client = fresh.client("apigateway")
    # aws_api_gateway_rest_api (then Terraform reads the root resource id from get_resources).
    api = client.create_rest_api(name="tf", description="managed by terraform",
                                 endpointConfiguration={"types": ["REGIONAL"]}, tags={"owner": "tf"})
    api_id = api["id"]
    client.update_rest_api(restApiId=api_id, patchOperations=[
        {"op": "replace", "path": "/minimumCompressionSize", "value": ""}])
    root = [item for item in client.get_resources(restApiId=api_id)["items"] if item["path"] == "/"][0]["id"]
    assert root == api["rootResourceId"]

    # aws_api_gateway_resource, aws_api_gateway_method, aws_api_gateway_request_validator, aws_api_gateway_model.
    items = client.create_resource(restApiId=api_id, parentId=root, pathPart="items")["id"]
    validator = client.create_request_validator(restApiId=api_id, name="params", validateRequestParameters=True)["id"]
    client.create_model(restApiId=api_id, name="Item", contentType="application/json",
                        schema='{"type": "object", "properties": {"id": {"type": "string"}}}')
    client.put_method(restApiId=api_id, resourceId=items, httpMethod="POST", authorizationType="NONE",
                      apiKeyRequired=False, requestParameters={"method.request.header.X-Id": True},
                      requestModels={"application/json": "Item"}, requestValidatorId=validator)
    client.get_method(restApiId=api_id, resourceId=items, httpMethod="POST")

    # aws_api_gateway_integration: everything the provider fills in, request templates included.
    client.put_integration(
        restApiId=api_id, resourceId=items, httpMethod="POST", type="HTTP", integrationHttpMethod="POST",
        uri="http://backend.example/items", connectionType="INTERNET", passthroughBehavior="WHEN_NO_TEMPLATES",
        requestTemplates={"application/json": '#set($body = $input.path(\'$\'))\n{"id": "$body.id"}'},
        requestParameters={"integration.request.header.X-Id": "method.request.header.X-Id"},
        cacheKeyParameters=[], timeoutInMillis=29000)
    integration = client.get_integration(restApiId=api_id, resourceId=items, httpMethod="POST")
    assert integration["requestTemplates"]["application/json"].startswith("#set($body")

    # aws_api_gateway_method_response and aws_api_gateway_integration_response.
    client.put_method_response(restApiId=api_id, resourceId=items, httpMethod="POST", statusCode="200",
                               responseModels={"application/json": "Empty"},
                               responseParameters={"method.response.header.X-Id": False})
    client.put_integration_response(restApiId=api_id, resourceId=items, httpMethod="POST", statusCode="200",
                                    selectionPattern="", responseTemplates={"application/json": ""},
                                    responseParameters={"method.response.header.X-Id": "integration.response.header.X-Id"})

    # aws_api_gateway_gateway_response.
    client.put_gateway_response(restApiId=api_id, responseType="DEFAULT_4XX",
                                responseParameters={"gatewayresponse.header.Access-Control-Allow-Origin": "'*'"},
                                responseTemplates={"application/json": '{"error": $context.error.messageString}'})

    # aws_api_gateway_deployment (with variables), then aws_api_gateway_stage on it.
    deployment = client.create_deployment(restApiId=api_id, description="v1", variables={"deployed_at": "1"})["id"]
    client.get_deployment(restApiId=api_id, deploymentId=deployment)
    client.create_stage(restApiId=api_id, stageName="live", deploymentId=deployment, description="live",
                        variables={"backend": "backend.example"}, tracingEnabled=False, tags={"env": "live"})

    # aws_api_gateway_method_settings and in-place updates of the stage.
    client.update_stage(restApiId=api_id, stageName="live", patchOperations=[
        {"op": "replace", "path": "/*/*/metrics/enabled", "value": "true"},
        {"op": "replace", "path": "/*/*/logging/loglevel", "value": "INFO"},
        {"op": "replace", "path": "/*/*/throttling/burstLimit", "value": "10"},
        {"op": "replace", "path": "/*/*/throttling/rateLimit", "value": "5"}])
    client.update_stage(restApiId=api_id, stageName="live", patchOperations=[
        {"op": "replace", "path": "/items/POST/caching/enabled", "value": "false"}])
    stage = client.get_stage(restApiId=api_id, stageName="live")
    assert stage["methodSettings"]["*/*"]["throttlingRateLimit"] == 5.0
    assert stage["methodSettings"]["items/POST"]["cachingEnabled"] is False
    assert stage["variables"] == {"backend": "backend.example"}

    # A change and a redeployment (Terraform's triggers), moving the stage.
    client.update_integration(restApiId=api_id, resourceId=items, httpMethod="POST", patchOperations=[
        {"op": "replace", "path": "/requestTemplates/application~1json", "value": '{"id": "$input.params(\'id\')"}'}])
    second = client.create_deployment(restApiId=api_id, description="v2")["id"]
    client.update_stage(restApiId=api_id, stageName="live", patchOperations=[
        {"op": "replace", "path": "/deploymentId", "value": second}])
    client.delete_deployment(restApiId=api_id, deploymentId=deployment)

    # Destroy in reverse dependency order.
    client.update_stage(restApiId=api_id, stageName="live", patchOperations=[
        {"op": "remove", "path": "/*/*"}, {"op": "remove", "path": "/items/POST"}])
    client.delete_stage(restApiId=api_id, stageName="live")
    client.delete_deployment(restApiId=api_id, deploymentId=second)
    client.delete_gateway_response(restApiId=api_id, responseType="DEFAULT_4XX")
    client.delete_integration_response(restApiId=api_id, resourceId=items, httpMethod="POST", statusCode="200")
    client.delete_method_response(restApiId=api_id, resourceId=items, httpMethod="POST", statusCode="200")
    client.delete_integration(restApiId=api_id, resourceId=items, httpMethod="POST")
    client.delete_method(restApiId=api_id, resourceId=items, httpMethod="POST")
    client.delete_model(restApiId=api_id, modelName="Item")
    client.delete_request_validator(restApiId=api_id, requestValidatorId=validator)
    client.delete_resource(restApiId=api_id, resourceId=items)
    client.delete_rest_api(restApiId=api_id)
    assert aws_error(client.get_rest_api, restApiId=api_id)[0] == "NotFoundException"
