"""Models, request validators and gateway responses."""
import json

from management_helpers import aws_error
from rest_helpers import rest_api, rest_cli

SCHEMA = json.dumps({"$schema": "http://json-schema.org/draft-04/schema#", "title": "Pet", "type": "object",
                     "properties": {"name": {"type": "string"}}, "required": ["name"]})


def test_models(fresh):
    client = fresh.client("apigateway")
    api_id, root = rest_api(client)
    defaults = {item["name"]: item for item in client.get_models(restApiId=api_id)["items"]}
    assert sorted(defaults) == ["Empty", "Error"]
    assert defaults["Empty"]["description"] == "This is a default empty schema model"
    assert json.loads(defaults["Error"]["schema"])["properties"] == {"message": {"type": "string"}}

    created = client.create_model(restApiId=api_id, name="Pet", contentType="application/json", schema=SCHEMA, description="a pet")
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201 and len(created["id"]) == 6
    assert json.loads(client.get_model(restApiId=api_id, modelName="Pet")["schema"]) == json.loads(SCHEMA)
    assert aws_error(client.create_model, restApiId=api_id, name="Pet", contentType="application/json", schema=SCHEMA)[:3] == (
        "ConflictException", "Model name already exists for this REST API", 409)
    assert aws_error(client.create_model, restApiId=api_id, name="Bad", contentType="application/json", schema="{not json")[0] == (
        "BadRequestException")
    assert aws_error(client.create_model, restApiId=api_id, name="body_1", contentType="application/json", schema=SCHEMA)[1] == (
        "Model name must be alphanumeric: body_1")
    assert aws_error(client.create_model, restApiId=api_id, name="NoSchema", contentType="application/json")[1] == (
        "Model schema must have at least 1 property or array items defined")
    assert aws_error(client.create_model, restApiId="nope000000", name="X", contentType="application/json", schema=SCHEMA)[1] == (
        "Invalid API identifier specified 000000000000:nope000000")

    updated = client.update_model(restApiId=api_id, modelName="Pet", patchOperations=[
        {"op": "replace", "path": "/description", "value": "changed"},
        {"op": "replace", "path": "/schema", "value": '{"type": "object", "title": "Updated schema"}'}])
    assert updated["description"] == "changed" and json.loads(updated["schema"])["title"] == "Updated schema"
    assert aws_error(client.update_model, restApiId=api_id, modelName="Pet",
                     patchOperations=[{"op": "replace", "path": "/name", "value": "x"}])[1] == (
        "Invalid patch path  '/name' specified for op 'replace'. Must be one of: [/description, /schema]")
    assert aws_error(client.update_model, restApiId=api_id, modelName="Pet",
                     patchOperations=[{"op": "replace", "path": "/schema", "value": "[1"}])[0] == "BadRequestException"

    # A model a method uses cannot go (recorded wording, with `{path}/{method}`).
    client.put_method(restApiId=api_id, resourceId=root, httpMethod="ANY", authorizationType="NONE",
                      requestModels={"application/json": "Pet"})
    assert aws_error(client.delete_model, restApiId=api_id, modelName="Pet")[:2] == (
        "ConflictException", "Cannot delete model 'Pet', is referenced in method request: //ANY")
    client.delete_method(restApiId=api_id, resourceId=root, httpMethod="ANY")
    assert client.delete_model(restApiId=api_id, modelName="Pet")["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert aws_error(client.get_model, restApiId=api_id, modelName="Pet")[:2] == (
        "NotFoundException", "Invalid model name specified: Pet")
    page = client.get_models(restApiId=api_id, limit=1)
    assert [item["name"] for item in page["items"]] == ["Empty"] and page["position"]


def test_request_validators(fresh):
    client = fresh.client("apigateway")
    api_id, root = rest_api(client)
    created = client.create_request_validator(restApiId=api_id, name="body-only", validateRequestBody=True)
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert (created["validateRequestBody"], created["validateRequestParameters"]) == (True, False)
    validator_id = created["id"]
    assert [item["id"] for item in client.get_request_validators(restApiId=api_id)["items"]] == [validator_id]
    updated = client.update_request_validator(restApiId=api_id, requestValidatorId=validator_id, patchOperations=[
        {"op": "replace", "path": "/validateRequestParameters", "value": "true"},
        {"op": "replace", "path": "/name", "value": "all"}])
    assert (updated["name"], updated["validateRequestParameters"]) == ("all", True)
    assert aws_error(client.update_request_validator, restApiId=api_id, requestValidatorId=validator_id,
                     patchOperations=[{"op": "replace", "path": "/invalidPath", "value": "x"}])[1] == (
        "Invalid patch path  '/invalidPath' specified for op 'replace'. Must be one of: [/name, /validateRequestParameters, /validateRequestBody]")
    assert aws_error(client.update_request_validator, restApiId=api_id, requestValidatorId=validator_id,
                     patchOperations=[{"op": "replace", "path": "/name", "value": ""}])[1] == "Request Validator name cannot be blank"
    # A method can name it.
    method = client.put_method(restApiId=api_id, resourceId=root, httpMethod="POST", authorizationType="NONE",
                               requestValidatorId=validator_id)
    assert method["requestValidatorId"] == validator_id
    # Recorded: CreateRequestValidator on an unknown API is a 400.
    assert aws_error(client.create_request_validator, restApiId="nope000000", name="x")[:3] == (
        "BadRequestException", "Invalid REST API identifier specified", 400)
    assert client.delete_request_validator(restApiId=api_id, requestValidatorId=validator_id)[
        "ResponseMetadata"]["HTTPStatusCode"] == 202
    assert aws_error(client.get_request_validator, restApiId=api_id, requestValidatorId=validator_id)[:2] == (
        "NotFoundException", "Invalid Request Validator identifier specified")


def test_gateway_responses(fresh):
    client = fresh.client("apigateway")
    api_id, _ = rest_api(client)
    defaults = client.get_gateway_responses(restApiId=api_id, limit=500)["items"]
    assert len(defaults) == 21 and all(item["defaultResponse"] for item in defaults)
    by_type = {item["responseType"]: item for item in defaults}
    assert by_type["MISSING_AUTHENTICATION_TOKEN"]["statusCode"] == "403"
    assert by_type["INTEGRATION_TIMEOUT"]["statusCode"] == "504"
    assert "statusCode" not in by_type["DEFAULT_4XX"]
    assert by_type["THROTTLED"]["responseTemplates"] == {"application/json": '{"message":$context.error.messageString}'}
    assert len(client.get_gateway_responses(restApiId=api_id)["items"]) == 21

    put = client.put_gateway_response(restApiId=api_id, responseType="MISSING_AUTHENTICATION_TOKEN", statusCode="404",
                                      responseParameters={"gatewayresponse.header.Access-Control-Allow-Origin": "'a.b.c'"})
    assert put["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert put["defaultResponse"] is False and put["statusCode"] == "404"
    assert put["responseTemplates"] == {"application/json": '{"message":$context.error.messageString}'}
    updated = client.update_gateway_response(restApiId=api_id, responseType="MISSING_AUTHENTICATION_TOKEN", patchOperations=[
        {"op": "replace", "path": "/responseParameters/gatewayresponse.header.Access-Control-Allow-Origin", "value": "'example.com'"},
        {"op": "add", "path": "/responseTemplates/application~1xml", "value": "<m>$context.error.messageString</m>"}])
    assert updated["responseParameters"] == {"gatewayresponse.header.Access-Control-Allow-Origin": "'example.com'"}
    assert set(updated["responseTemplates"]) == {"application/json", "application/xml"}
    assert aws_error(client.update_gateway_response, restApiId=api_id, responseType="MISSING_AUTHENTICATION_TOKEN",
                     patchOperations=[{"op": "add", "path": "/statusCode", "value": "401"}])[1] == "Invalid patch path /statusCode"

    # A customised DEFAULT_5XX shows on the 5xx types still at their default (recorded).
    client.put_gateway_response(restApiId=api_id, responseType="DEFAULT_5XX", statusCode="599")
    assert client.get_gateway_response(restApiId=api_id, responseType="INTEGRATION_FAILURE")["statusCode"] == "599"

    code, message, _ = aws_error(client.get_gateway_response, restApiId=api_id, responseType="FAKE_RESPONSE_TYPE")
    assert code == "ValidationException" and message.startswith(
        "1 validation error detected: Value 'FAKE_RESPONSE_TYPE' at 'responseType' failed to satisfy constraint")
    assert client.delete_gateway_response(restApiId=api_id, responseType="MISSING_AUTHENTICATION_TOKEN")[
        "ResponseMetadata"]["HTTPStatusCode"] == 202
    back = client.get_gateway_response(restApiId=api_id, responseType="MISSING_AUTHENTICATION_TOKEN")
    assert (back["defaultResponse"], back["statusCode"]) == (True, "403")
    assert aws_error(client.delete_gateway_response, restApiId=api_id, responseType="THROTTLED")[:2] == (
        "NotFoundException", "Gateway response type not defined on api")
    listed = rest_cli(fresh, "get-gateway-responses", "--rest-api-id", api_id)["items"]
    assert len(listed) == 21
