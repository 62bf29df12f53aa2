"""The resource tree, methods, method responses, integrations and integration responses."""
import re

from management_helpers import aws_error
from rest_helpers import rest_api, rest_cli, rest_cli_error


def test_resource_tree(fresh):
    client = fresh.client("apigateway")
    api_id, root = rest_api(client)
    assert client.get_resources(restApiId=api_id)["items"] == [{"id": root, "path": "/"}]
    pets = client.create_resource(restApiId=api_id, parentId=root, pathPart="pets")
    assert pets["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert re.fullmatch(r"[a-z0-9]{6}", pets["id"])
    assert (pets["parentId"], pets["pathPart"], pets["path"]) == (root, "pets", "/pets")
    pet = client.create_resource(restApiId=api_id, parentId=pets["id"], pathPart="{petId}")
    toys = client.create_resource(restApiId=api_id, parentId=pet["id"], pathPart="toys")
    assert toys["path"] == "/pets/{petId}/toys"
    proxy = client.create_resource(restApiId=api_id, parentId=root, pathPart="{proxy+}")
    assert proxy["path"] == "/{proxy+}"
    paths = [item["path"] for item in client.get_resources(restApiId=api_id)["items"]]
    assert paths == ["/", "/pets", "/pets/{petId}", "/pets/{petId}/toys", "/{proxy+}"]

    # Recorded AWS refusals.
    assert aws_error(client.create_resource, restApiId=api_id, parentId=root, pathPart="pets")[:3] == (
        "ConflictException", "Another resource with the same parent already has this name: pets", 409)
    assert aws_error(client.create_resource, restApiId=api_id, parentId=root, pathPart="{other}")[:2] == (
        "BadRequestException", "A sibling ({proxy+}) of this resource already has a variable path part -- only one is allowed")
    assert aws_error(client.create_resource, restApiId=api_id, parentId=proxy["id"], pathPart="child")[1] == (
        "Cannot create a child of a resource with a greedy path variable: {proxy+}")
    assert aws_error(client.create_resource, restApiId=api_id, parentId="nope00", pathPart="x")[:3] == (
        "NotFoundException", "Invalid Resource identifier specified", 404)
    assert aws_error(client.create_resource, restApiId=api_id, parentId=root, pathPart="a b")[0] == "BadRequestException"

    # Rename and move; the subtree follows.
    renamed = client.update_resource(restApiId=api_id, resourceId=pets["id"],
                                     patchOperations=[{"op": "replace", "path": "/pathPart", "value": "animals"}])
    assert renamed["path"] == "/animals"
    assert client.get_resource(restApiId=api_id, resourceId=toys["id"])["path"] == "/animals/{petId}/toys"
    moved = client.update_resource(restApiId=api_id, resourceId=toys["id"],
                                   patchOperations=[{"op": "replace", "path": "/parentId", "value": root}])
    assert moved["path"] == "/toys"
    assert aws_error(client.update_resource, restApiId=api_id, resourceId=pets["id"],
                     patchOperations=[{"op": "replace", "path": "/parentId", "value": pet["id"]}])[1] == (
        "Resources cannot be cyclical.")
    assert aws_error(client.update_resource, restApiId=api_id, resourceId=pets["id"],
                     patchOperations=[{"op": "replace", "path": "/invalid", "value": "x"}])[1] == (
        "Invalid patch path  '/invalid' specified for op 'replace'. Must be one of: [/parentId, /pathPart]")
    assert aws_error(client.update_resource, restApiId=api_id, resourceId=pets["id"],
                     patchOperations=[{"op": "remove", "path": "/pathPart"}])[1] == (
        "Invalid patch path  '/pathPart' specified for op 'remove'. Please choose supported operations")
    assert aws_error(client.update_resource, restApiId=api_id, resourceId=root,
                     patchOperations=[{"op": "replace", "path": "/pathPart", "value": "x"}])[1] == (
        "Root resource cannot update its pathPart.")

    # Deleting a resource deletes its subtree.
    deleted = client.delete_resource(restApiId=api_id, resourceId=pets["id"])
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert [item["path"] for item in client.get_resources(restApiId=api_id)["items"]] == ["/", "/toys", "/{proxy+}"]
    assert aws_error(client.get_resource, restApiId=api_id, resourceId=pet["id"])[1] == "Invalid Resource identifier specified"
    assert aws_error(client.get_resources, restApiId="nope000000")[1] == "Invalid API identifier specified 000000000000:nope000000"


def test_resources_paging_and_embed(fresh):
    client = fresh.client("apigateway")
    api_id, root = rest_api(client)
    for index in range(4):
        client.create_resource(restApiId=api_id, parentId=root, pathPart=f"r{index}")
    client.put_method(restApiId=api_id, resourceId=root, httpMethod="GET", authorizationType="NONE")
    first = client.get_resources(restApiId=api_id, limit=3)
    assert [item["path"] for item in first["items"]] == ["/", "/r0", "/r1"]
    assert first["items"][0]["resourceMethods"] == {"GET": {}}
    rest = client.get_resources(restApiId=api_id, limit=3, position=first["position"])
    assert [item["path"] for item in rest["items"]] == ["/r2", "/r3"]
    embedded = client.get_resources(restApiId=api_id, embed=["methods"])["items"][0]
    assert embedded["resourceMethods"]["GET"]["authorizationType"] == "NONE"
    # GetResource shows the methods in full without being asked.
    assert client.get_resource(restApiId=api_id, resourceId=root)["resourceMethods"]["GET"]["httpMethod"] == "GET"


def test_methods_and_method_responses(fresh):
    client = fresh.client("apigateway")
    api_id, root = rest_api(client)
    put = client.put_method(
        restApiId=api_id, resourceId=root, httpMethod="ANY", authorizationType="NONE", apiKeyRequired=True,
        operationName="Everything", requestParameters={"method.request.querystring.q": True, "method.request.header.h": False},
        requestModels={"application/json": "Empty"})
    assert put["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert put["httpMethod"] == "ANY" and put["apiKeyRequired"] is True
    assert put["requestParameters"] == {"method.request.querystring.q": True, "method.request.header.h": False}
    assert aws_error(client.put_method, restApiId=api_id, resourceId=root, httpMethod="ANY", authorizationType="NONE")[:2] == (
        "ConflictException", "Method already exists for this resource")

    updated = client.update_method(restApiId=api_id, resourceId=root, httpMethod="ANY", patchOperations=[
        {"op": "replace", "path": "/apiKeyRequired", "value": "false"},
        {"op": "remove", "path": "/requestParameters/method.request.header.h"},
        {"op": "add", "path": "/requestParameters/method.request.path.p", "value": "true"},
        {"op": "replace", "path": "/requestModels/application~1json", "value": "Error"},
    ])
    assert updated["apiKeyRequired"] is False
    assert updated["requestParameters"] == {"method.request.querystring.q": True, "method.request.path.p": True}
    assert updated["requestModels"] == {"application/json": "Error"}
    assert aws_error(client.update_method, restApiId=api_id, resourceId=root, httpMethod="ANY",
                     patchOperations=[{"op": "replace", "path": "/httpMethod", "value": "GET"}])[1] == "Invalid patch path /httpMethod"
    assert aws_error(client.update_method, restApiId=api_id, resourceId=root, httpMethod="ANY",
                     patchOperations=[{"op": "add", "path": "/operationName", "value": "x"}])[1] == (
        "Invalid patch operation specified. Must be one of: [replace]")

    assert aws_error(client.put_method, restApiId=api_id, resourceId=root, httpMethod="FETCH", authorizationType="NONE")[1] == (
        "Invalid HttpMethod specified. Valid options are GET,PUT,POST,DELETE,PATCH,OPTIONS,HEAD,ANY")
    assert aws_error(client.put_method, restApiId=api_id, resourceId=root, httpMethod="GET", authorizationType="NONE",
                     requestModels={"application/json": "petModel"})[1] == "Invalid model identifier specified: petModel"
    assert aws_error(client.put_method, restApiId=api_id, resourceId=root, httpMethod="GET", authorizationType="NONE",
                     requestValidatorId="nope00")[1] == "Invalid Request Validator identifier specified"
    assert aws_error(client.put_method, restApiId=api_id, resourceId=root, httpMethod="GET", authorizationType="CUSTOM")[1] == (
        "Invalid authorizer ID specified. Setting the authorization type to CUSTOM or COGNITO_USER_POOLS requires a valid authorizer.")
    assert aws_error(client.put_method, restApiId=api_id, resourceId=root, httpMethod="GET", authorizationType="NONE",
                     requestParameters={"method.request.querystring.x": True, "method.request.header.x": True})[1] == (
        "Parameter names must be unique across querystring, header and path")
    assert aws_error(client.get_method, restApiId=api_id, resourceId=root, httpMethod="GET")[:3] == (
        "NotFoundException", "Invalid Method identifier specified", 404)
    # Method operations answer an unknown API as an unknown resource (recorded).
    assert aws_error(client.get_method, restApiId="nope000000", resourceId=root, httpMethod="ANY")[1] == (
        "Invalid Resource identifier specified")

    response = client.put_method_response(restApiId=api_id, resourceId=root, httpMethod="ANY", statusCode="200",
                                          responseParameters={"method.response.header.my-header": True})
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert response["responseParameters"] == {"method.response.header.my-header": True} and response["responseModels"] == {}
    patched = client.update_method_response(restApiId=api_id, resourceId=root, httpMethod="ANY", statusCode="200",
                                            patchOperations=[{"op": "add", "path": "/responseModels/application~1json", "value": "Empty"}])
    # UpdateMethodResponse answers 201 (botocore model; recorded).
    assert patched["ResponseMetadata"]["HTTPStatusCode"] == 201 and patched["responseModels"] == {"application/json": "Empty"}
    assert aws_error(client.update_method_response, restApiId=api_id, resourceId=root, httpMethod="ANY", statusCode="200",
                     patchOperations=[{"op": "replace", "path": "/responseParameters/method.response.header.nope", "value": "true"}])[:2] == (
        "NotFoundException", "Invalid parameter name specified")
    assert aws_error(client.get_method_response, restApiId=api_id, resourceId=root, httpMethod="ANY", statusCode="404")[1] == (
        "Invalid Response status code specified")
    code, message, _ = aws_error(client.get_method_response, restApiId=api_id, resourceId=root, httpMethod="ANY", statusCode="wrong")
    assert code == "ValidationException" and "Member must satisfy regular expression pattern: [1-5]\\d\\d" in message
    method = client.get_method(restApiId=api_id, resourceId=root, httpMethod="ANY")
    assert method["methodResponses"]["200"]["responseModels"] == {"application/json": "Empty"}
    assert client.delete_method_response(restApiId=api_id, resourceId=root, httpMethod="ANY", statusCode="200")[
        "ResponseMetadata"]["HTTPStatusCode"] == 204
    assert client.delete_method(restApiId=api_id, resourceId=root, httpMethod="ANY")["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert aws_error(client.delete_method, restApiId=api_id, resourceId=root, httpMethod="ANY")[1] == "Invalid Method identifier specified"


def test_integrations_and_integration_responses(fresh):
    client = fresh.client("apigateway")
    api_id, root = rest_api(client)
    client.put_method(restApiId=api_id, resourceId=root, httpMethod="POST", authorizationType="NONE")
    assert aws_error(client.get_integration, restApiId=api_id, resourceId=root, httpMethod="POST")[1] == (
        "Invalid Integration identifier specified")
    # What Terraform's aws_api_gateway_integration sends: an HTTP integration with templates.
    template = '{"name": "$input.path(\'$.name\')", "stage": "$stageVariables.env"}'
    put = client.put_integration(
        restApiId=api_id, resourceId=root, httpMethod="POST", type="HTTP", integrationHttpMethod="POST",
        uri="https://backend.example/pets", requestTemplates={"application/json": template},
        requestParameters={"integration.request.header.X-Trace": "method.request.header.X-Trace"},
        passthroughBehavior="WHEN_NO_TEMPLATES", timeoutInMillis=5000, contentHandling="CONVERT_TO_TEXT")
    assert put["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert put["type"] == "HTTP" and put["httpMethod"] == "POST" and put["uri"] == "https://backend.example/pets"
    assert put["requestTemplates"] == {"application/json": template}
    assert put["cacheNamespace"] == root and put["cacheKeyParameters"] == [] and put["timeoutInMillis"] == 5000
    got = client.get_integration(restApiId=api_id, resourceId=root, httpMethod="POST")
    assert got["requestTemplates"] == {"application/json": template}
    assert got["passthroughBehavior"] == "WHEN_NO_TEMPLATES"

    updated = client.update_integration(restApiId=api_id, resourceId=root, httpMethod="POST", patchOperations=[
        {"op": "replace", "path": "/uri", "value": "https://other.example/"},
        {"op": "add", "path": "/requestTemplates/application~1xml", "value": "<a/>"},
        {"op": "remove", "path": "/requestTemplates/application~1json"},
        {"op": "replace", "path": "/timeoutInMillis", "value": "29000"},
    ])
    assert updated["uri"] == "https://other.example/"
    assert updated["requestTemplates"] == {"application/xml": "<a/>"} and updated["timeoutInMillis"] == 29000

    for bad, message in [
        ({"type": "HTTP", "uri": "https://x"}, "Enumeration value for HttpMethod must be non-empty"),
        ({"type": "HTTP_PROXY", "integrationHttpMethod": "GET"}, "Invalid HTTP endpoint specified for URI"),
        ({"type": "MOCK", "timeoutInMillis": 10}, "Timeout should be between 50 ms and 29000 ms"),
    ]:
        assert aws_error(client.put_integration, restApiId=api_id, resourceId=root, httpMethod="POST", **bad)[1] == message
    code, message, _ = aws_error(client.put_integration, restApiId=api_id, resourceId=root, httpMethod="POST", type="HTTPS_PROXY")
    assert (code, message) == ("ValidationException", "1 validation error detected: Value 'HTTPS_PROXY' at 'putIntegrationInput.type' "
                               "failed to satisfy constraint: Member must satisfy enum value set: [HTTP, MOCK, AWS_PROXY, HTTP_PROXY, AWS]")
    assert aws_error(client.put_integration, restApiId=api_id, resourceId=root, httpMethod="GET", type="MOCK")[1] == (
        "Invalid Method identifier specified")

    response = client.put_integration_response(
        restApiId=api_id, resourceId=root, httpMethod="POST", statusCode="400", selectionPattern="4\\d{2}",
        responseTemplates={"application/json": '{"error": $input.json(\'$.message\')}'},
        responseParameters={"method.response.header.X-Error": "integration.response.header.X-Error"})
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 201 and response["selectionPattern"] == "4\\d{2}"
    # Recorded: an empty template comes back as null.
    passthrough = client.put_integration_response(restApiId=api_id, resourceId=root, httpMethod="POST", statusCode="200",
                                                  responseTemplates={"application/json": ""})
    assert passthrough["responseTemplates"] == {"application/json": None}
    patched = client.update_integration_response(restApiId=api_id, resourceId=root, httpMethod="POST", statusCode="400",
                                                 patchOperations=[{"op": "replace", "path": "/selectionPattern", "value": "400"}])
    assert patched["selectionPattern"] == "400"
    method = client.get_method(restApiId=api_id, resourceId=root, httpMethod="POST")
    assert method["methodIntegration"]["integrationResponses"]["400"]["selectionPattern"] == "400"
    assert aws_error(client.get_integration_response, restApiId=api_id, resourceId=root, httpMethod="POST", statusCode="500")[1] == (
        "Invalid Response status code specified")
    assert client.delete_integration_response(restApiId=api_id, resourceId=root, httpMethod="POST", statusCode="400")[
        "ResponseMetadata"]["HTTPStatusCode"] == 204
    assert client.delete_integration(restApiId=api_id, resourceId=root, httpMethod="POST")["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert aws_error(client.delete_integration, restApiId=api_id, resourceId=root, httpMethod="POST")[1] == (
        "Invalid Integration identifier specified")


def test_method_family_with_cli(fresh):
    api = rest_cli(fresh, "create-rest-api", "--name", "cli")
    api_id, root = api["id"], api["rootResourceId"]
    items = rest_cli(fresh, "create-resource", "--rest-api-id", api_id, "--parent-id", root, "--path-part", "items")
    rest_cli(fresh, "put-method", "--rest-api-id", api_id, "--resource-id", items["id"], "--http-method", "GET",
             "--authorization-type", "NONE")
    integration = rest_cli(fresh, "put-integration", "--rest-api-id", api_id, "--resource-id", items["id"],
                           "--http-method", "GET", "--type", "MOCK",
                           "--request-templates", '{"application/json": "{\\"statusCode\\": 200}"}')
    assert integration["requestTemplates"] == {"application/json": '{"statusCode": 200}'}
    rest_cli(fresh, "put-integration-response", "--rest-api-id", api_id, "--resource-id", items["id"],
             "--http-method", "GET", "--status-code", "200", "--response-templates", '{"application/json": "[]"}')
    method = rest_cli(fresh, "get-method", "--rest-api-id", api_id, "--resource-id", items["id"], "--http-method", "GET")
    assert method["methodIntegration"]["integrationResponses"]["200"]["responseTemplates"] == {"application/json": "[]"}
    code, message = rest_cli_error(fresh, "get-method", "--rest-api-id", api_id, "--resource-id", items["id"],
                                   "--http-method", "POST")
    assert (code, message) == ("NotFoundException", "Invalid Method identifier specified")
