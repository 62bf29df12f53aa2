"""ImportRestApi, PutRestApi (merge/overwrite) and GetExport with the AWS CLI and boto3.

The large definition is `fixtures/petstore-large.yaml` (AWS's PetStore example extended to 66
operations; `fixtures/make_petstore_large.py` says where it comes from and regenerates it).
"""
import json
import os
import tempfile

import yaml

from management_helpers import aws_error, signed_request
from rest_helpers import rest_cli, rest_cli_error

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")
LARGE = os.path.join(FIXTURES, "petstore-large.yaml")
ACCOUNT = "000000000000"
METHOD_KEYS = ("get", "put", "post", "delete", "options", "head", "patch", "x-amazon-apigateway-any-method")

SWAGGER = {
    "swagger": "2.0",
    "info": {"title": "pets", "version": "1"},
    "basePath": "/v1",
    "x-amazon-apigateway-request-validators": {"all": {"validateRequestBody": True, "validateRequestParameters": True}},
    "paths": {
        "/pets": {
            "get": {
                "parameters": [{"name": "type", "in": "query", "required": True, "type": "string"}],
                "responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/Pets"}}},
                "x-amazon-apigateway-request-validator": "all",
                "x-amazon-apigateway-integration": {
                    "type": "mock", "requestTemplates": {"application/json": '{"statusCode": 200}'},
                    "responses": {"default": {"statusCode": "200"}},
                },
            },
        },
    },
    "definitions": {
        "Pet": {"type": "object", "properties": {"id": {"type": "integer"}}},
        "Pets": {"type": "array", "items": {"$ref": "#/definitions/Pet"}},
    },
}


def write(directory, name, text):
    path = os.path.join(directory, name)
    with open(path, "w") as handle:
        handle.write(text)
    return path


def expected_operations(definition):
    """(METHOD, path) of every operation in a definition."""
    return sorted(
        ("ANY" if key == "x-amazon-apigateway-any-method" else key.upper(), path)
        for path, item in definition["paths"].items() for key in item if key in METHOD_KEYS)


def operations(client, api_id):
    items = client.get_resources(restApiId=api_id, embed=["methods"], limit=500)["items"]
    return sorted((method, item["path"]) for item in items for method in item.get("resourceMethods", {}))


def comparable_methods(client, api_id):
    """Path -> method -> the method as GetResources shows it, with the validator named instead of its id."""
    validators = {v["id"]: v["name"] for v in client.get_request_validators(restApiId=api_id)["items"]}
    result = {}
    for item in client.get_resources(restApiId=api_id, embed=["methods"], limit=500)["items"]:
        for name, method in item.get("resourceMethods", {}).items():
            if "requestValidatorId" in method:
                method["requestValidatorId"] = validators[method["requestValidatorId"]]
            result[f"{name} {item['path']}"] = method
    return result


def deploy(client, api_id, stage="prod"):
    client.create_deployment(restApiId=api_id, stageName=stage)


def test_large_definition_cli_import_export_and_put(fresh):
    with open(LARGE) as handle:
        definition = yaml.safe_load(handle)
    expected = expected_operations(definition)
    assert len(expected) >= 50

    imported = rest_cli(fresh, "import-rest-api", "--body", f"fileb://{LARGE}",
                        "--parameters", "endpointConfigurationTypes=REGIONAL")
    api_id = imported["id"]
    assert imported["name"] == "PetStoreLarge"
    assert imported["endpointConfiguration"]["types"] == ["REGIONAL"]
    assert imported["binaryMediaTypes"] == ["image/png", "image/jpeg"]
    assert imported["minimumCompressionSize"] == 1024
    assert "warnings" not in imported
    client = fresh.client("apigateway")
    assert operations(client, api_id) == expected
    paths = {item["path"] for item in client.get_resources(restApiId=api_id, limit=500)["items"]}
    assert set(definition["paths"]) <= paths
    models = {model["name"] for model in client.get_models(restApiId=api_id, limit=500)["items"]}
    assert set(definition["components"]["schemas"]) <= models
    pet = client.get_model(restApiId=api_id, modelName="Pets")
    assert f"https://apigateway.amazonaws.com/restapis/{api_id}/models/Pet" in pet["schema"]
    validators = {v["name"] for v in client.get_request_validators(restApiId=api_id)["items"]}
    assert validators == {"all", "params-only", "body-only"}
    responses = {r["responseType"]: r for r in client.get_gateway_responses(restApiId=api_id, limit=50)["items"]}
    assert responses["MISSING_AUTHENTICATION_TOKEN"]["statusCode"] == "404"
    assert responses["MISSING_AUTHENTICATION_TOKEN"]["defaultResponse"] is False

    deploy(client, api_id)
    directory = tempfile.mkdtemp(prefix="portico-rest-export-")
    out = os.path.join(directory, "exported.yaml")
    fresh.cli("apigateway", "get-export", "--rest-api-id", api_id, "--stage-name", "prod", "--export-type", "oas30",
              "--parameters", "extensions=apigateway", "--accepts", "application/yaml", out)
    with open(out) as handle:
        exported = yaml.safe_load(handle)
    assert exported["openapi"] == "3.0.1"
    assert exported["servers"][0]["variables"]["basePath"]["default"] == "prod"
    assert expected_operations(exported) == expected

    # Overwrite with the export: the same tree, the same methods and integrations (resource ids are kept).
    before = comparable_methods(client, api_id)
    rest_cli(fresh, "put-rest-api", "--rest-api-id", api_id, "--mode", "overwrite", "--body", f"fileb://{out}")
    assert operations(client, api_id) == expected
    assert comparable_methods(client, api_id) == before
    pets_get = next(i for i in client.get_resources(restApiId=api_id, embed=["methods"], limit=500)["items"] if i["path"] == "/pets")
    integration = pets_get["resourceMethods"]["GET"]["methodIntegration"]
    assert integration["type"] == "HTTP" and integration["uri"].endswith("/petstore/pets")
    assert set(integration["integrationResponses"]) == {"200", "400"}

    # Merge a small definition in: its method is added, everything else stays.
    small = write(directory, "small.json", json.dumps({
        "openapi": "3.0.1", "info": {"title": "ignored by merge"},
        "paths": {"/extra": {"get": {"x-amazon-apigateway-integration": {"type": "mock"}}}}}))
    merged = rest_cli(fresh, "put-rest-api", "--rest-api-id", api_id, "--mode", "merge", "--body", f"fileb://{small}")
    assert merged["name"] == "PetStoreLarge"
    assert operations(client, api_id) == sorted(expected + [("GET", "/extra")])
    # Merging the export back changes none of its methods and keeps the merged-in one.
    merged_before = comparable_methods(client, api_id)
    rest_cli(fresh, "put-rest-api", "--rest-api-id", api_id, "--mode", "merge", "--body", f"fileb://{out}")
    assert comparable_methods(client, api_id) == merged_before
    # The stage still serves the deployment made before the puts.
    assert client.get_stage(restApiId=api_id, stageName="prod")["deploymentId"]


def test_swagger_json_boto3_round_trip(fresh):
    client = fresh.client("apigateway")
    imported = client.import_rest_api(body=json.dumps(SWAGGER), parameters={"basepath": "prepend"})
    assert imported["ResponseMetadata"]["HTTPStatusCode"] == 201
    api_id = imported["id"]
    assert operations(client, api_id) == [("GET", "/v1/pets")]
    deploy(client, api_id)
    for export_type in ("swagger", "oas30"):
        exported = client.get_export(restApiId=api_id, stageName="prod", exportType=export_type,
                                     parameters={"extensions": "integrations,validators"}, accepts="application/json")
        assert exported["contentType"] == "application/octet-stream"
        spec = json.loads(exported["body"].read())
        method = spec["paths"]["/v1/pets"]["get"]
        assert method["x-amazon-apigateway-integration"]["type"] == "mock"
        assert method["x-amazon-apigateway-request-validator"] == "all"
        if export_type == "swagger":
            assert spec["swagger"] == "2.0" and spec["basePath"] == "/prod"
            assert method["responses"]["200"]["schema"] == {"$ref": "#/definitions/Pets"}
            assert spec["definitions"]["Pets"]["items"] == {"$ref": "#/definitions/Pet"}
        else:
            assert spec["components"]["schemas"]["Pets"]["items"] == {"$ref": "#/components/schemas/Pet"}
        again = client.import_rest_api(body=json.dumps(spec))["id"]
        assert operations(client, again) == [("GET", "/v1/pets")]
        method_again = client.get_method(restApiId=again, resourceId=resource_id(client, again, "/v1/pets"), httpMethod="GET")
        assert method_again["requestParameters"] == {"method.request.querystring.type": True}
        assert method_again["methodIntegration"]["requestTemplates"] == {"application/json": '{"statusCode": 200}'}


def resource_id(client, api_id, path):
    return next(item["id"] for item in client.get_resources(restApiId=api_id, limit=500)["items"] if item["path"] == path)


def test_export_without_extensions_has_no_integrations(fresh):
    client = fresh.client("apigateway")
    api_id = client.import_rest_api(body=json.dumps(SWAGGER))["id"]
    deploy(client, api_id)
    exported = client.get_export(restApiId=api_id, stageName="prod", exportType="oas30")
    # AWS labels the JSON application/octet-stream and names the file after the version (recorded).
    assert exported["contentType"] == "application/octet-stream"
    assert exported["contentDisposition"] == 'attachment; filename="oas30_1.json"'
    spec = json.loads(exported["body"].read())
    assert "x-amazon-apigateway-integration" not in spec["paths"]["/pets"]["get"]
    assert "x-amazon-apigateway-request-validators" not in spec


def test_failed_import_changes_nothing(fresh):
    client = fresh.client("apigateway")
    before = client.get_rest_apis()["items"]
    bad = json.loads(json.dumps(SWAGGER))
    bad["paths"]["/pets"]["get"]["x-amazon-apigateway-integration"]["type"] = "lambda"
    code, message, status = aws_error(client.import_rest_api, body=json.dumps(bad))
    assert (code, status) == ("BadRequestException", 400)
    assert "x-amazon-apigateway-integration.type" in message and "unknown integration type 'lambda'" in message
    assert client.get_rest_apis()["items"] == before

    api_id = client.import_rest_api(body=json.dumps(SWAGGER))["id"]
    code, _, _ = aws_error(client.put_rest_api, restApiId=api_id, mode="overwrite", body=json.dumps(bad))
    assert code == "BadRequestException"
    assert operations(client, api_id) == [("GET", "/pets")]


def test_negative_cases_with_the_cli(fresh):
    directory = tempfile.mkdtemp(prefix="portico-rest-import-")
    malformed_json = write(directory, "bad.json", '{\n  "openapi": "3.0.1",\n  "info": {"title": "x"},,\n}')
    code, message = rest_cli_error(fresh, "import-rest-api", "--body", f"fileb://{malformed_json}")
    assert code == "BadRequestException" and "malformed JSON at line 3" in message

    malformed_yaml = write(directory, "bad.yaml", "openapi: 3.0.1\ninfo:\n  title: x\n   version: 1\n")
    code, message = rest_cli_error(fresh, "import-rest-api", "--body", f"fileb://{malformed_yaml}")
    assert code == "BadRequestException" and "malformed YAML at line" in message

    unsupported = write(directory, "v31.yaml", "openapi: 3.1.0\ninfo: {title: x}\npaths: {}\n")
    code, message = rest_cli_error(fresh, "import-rest-api", "--body", f"fileb://{unsupported}")
    assert code == "BadRequestException" and "found openapi '3.1.0'" in message

    bad_value = write(directory, "bad-value.yaml",
                      "openapi: 3.0.1\ninfo: {title: x}\nx-amazon-apigateway-minimum-compression-size: lots\npaths: {}\n")
    code, message = rest_cli_error(fresh, "import-rest-api", "--body", f"fileb://{bad_value}")
    assert "x-amazon-apigateway-minimum-compression-size (line 3): expected an integer" in message

    warning = write(directory, "warning.yaml", "openapi: 3.0.1\ninfo: {title: x}\nunknown: 1\npaths: {}\n")
    code, message = rest_cli_error(fresh, "import-rest-api", "--fail-on-warnings", "--body", f"fileb://{warning}")
    assert code == "BadRequestException" and message.startswith("Warnings found during import:")
    imported = rest_cli(fresh, "import-rest-api", "--no-fail-on-warnings", "--body", f"fileb://{warning}")
    assert imported["warnings"] == ["Parse issue: attribute unknown is unexpected (line 3)"]

    code, message = rest_cli_error(fresh, "put-rest-api", "--rest-api-id", "nope123456", "--body", f"fileb://{warning}")
    assert (code, message) == ("NotFoundException", f"Invalid API identifier specified {ACCOUNT}:nope123456")
    code, message = rest_cli_error(fresh, "get-export", "--rest-api-id", "nope123456", "--stage-name", "prod",
                                   "--export-type", "oas30", os.path.join(directory, "x.json"))
    assert code == "NotFoundException"
    code, message = rest_cli_error(fresh, "get-export", "--rest-api-id", imported["id"], "--stage-name", "prod",
                                   "--export-type", "oas30", os.path.join(directory, "x.json"))
    assert (code, message) == ("NotFoundException", "Invalid Stage identifier specified")


def test_put_mode_and_export_type_are_checked(fresh):
    client = fresh.client("apigateway")
    api_id = client.import_rest_api(body=json.dumps(SWAGGER))["id"]
    response = signed_request(fresh, "PUT", f"/restapis/{api_id}?mode=replace", body=json.dumps(SWAGGER))
    assert response.status_code == 400 and "Valid values are merge and overwrite" in response.json()["message"]
    deploy(client, api_id)
    response = signed_request(fresh, "GET", f"/restapis/{api_id}/stages/prod/exports/raml")
    assert response.status_code == 400 and "Invalid export type" in response.json()["message"]
    # put-rest-api defaults to merge (AWS: "By default, the update mode is merge").
    extra = {"openapi": "3.0.1", "info": {"title": "x"},
             "paths": {"/more": {"post": {"x-amazon-apigateway-integration": {"type": "mock"}}}}}
    client.put_rest_api(restApiId=api_id, body=json.dumps(extra))
    assert operations(client, api_id) == [("GET", "/pets"), ("POST", "/more")]
