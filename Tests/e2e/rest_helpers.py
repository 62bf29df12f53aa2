"""Helpers for the REST API (`apigateway`, v1) management end-to-end tests (test_rest_management_*.py)."""
from functools import partial

from management_helpers import cli_error, cli_json

#: `aws apigateway ...`, returning its JSON output ({} when it prints nothing).
rest_cli = partial(cli_json, service="apigateway")
#: An `aws apigateway ...` that must fail; returns (code, message).
rest_cli_error = partial(cli_error, service="apigateway")


def rest_api(client, name="pets", **extra):
    """A new REST API and its root resource id."""
    api = client.create_rest_api(name=name, **extra)
    return api["id"], api["rootResourceId"]


def mock_method(client, api_id, resource_id, http_method="GET", **integration):
    """A method with a MOCK integration answering 200, the smallest deployable method."""
    client.put_method(restApiId=api_id, resourceId=resource_id, httpMethod=http_method, authorizationType="NONE")
    client.put_integration(
        restApiId=api_id, resourceId=resource_id, httpMethod=http_method, type="MOCK",
        requestTemplates={"application/json": '{"statusCode": 200}'}, **integration)
    client.put_method_response(restApiId=api_id, resourceId=resource_id, httpMethod=http_method, statusCode="200")
    client.put_integration_response(restApiId=api_id, resourceId=resource_id, httpMethod=http_method, statusCode="200")


def deployable_api(client, name="deployable"):
    """A REST API with `GET /pets` on a MOCK integration; returns (api id, root id, pets id)."""
    api_id, root_id = rest_api(client, name)
    pets = client.create_resource(restApiId=api_id, parentId=root_id, pathPart="pets")["id"]
    mock_method(client, api_id, pets)
    return api_id, root_id, pets
