"""CreateRestApi, GetRestApis, GetRestApi, UpdateRestApi, DeleteRestApi, tags, paging."""
import datetime
import re

from management_helpers import aws_error
from rest_helpers import rest_api, rest_cli, rest_cli_error

ACCOUNT = "000000000000"


def test_create_get_update_delete_with_boto3(fresh):
    client = fresh.client("apigateway")
    created = client.create_rest_api(name="pets", description="d", version="v1", tags={"team": "a"})
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    api_id = created["id"]
    assert re.fullmatch(r"[a-z0-9]{10}", api_id)
    # AWS's defaults (recorded in LocalStack's snapshots).
    assert created["apiKeySource"] == "HEADER"
    assert created["endpointConfiguration"] == {"types": ["EDGE"], "ipAddressType": "ipv4"}
    assert created["disableExecuteApiEndpoint"] is False
    assert isinstance(created["createdDate"], datetime.datetime)
    assert created["tags"] == {"team": "a"}
    root = created["rootResourceId"]
    assert len(root) == 10

    got = client.get_rest_api(restApiId=api_id)
    assert got["name"] == "pets" and got["description"] == "d" and got["version"] == "v1"

    updated = client.update_rest_api(restApiId=api_id, patchOperations=[
        {"op": "replace", "path": "/name", "value": "pets2"},
        {"op": "replace", "path": "/description", "value": "new"},
        {"op": "add", "path": "/binaryMediaTypes/image~1png"},
        {"op": "replace", "path": "/minimumCompressionSize", "value": "1024"},
        {"op": "replace", "path": "/apiKeySource", "value": "AUTHORIZER"},
        {"op": "replace", "path": "/endpointConfiguration/types/EDGE", "value": "REGIONAL"},
    ])
    assert updated["name"] == "pets2" and updated["description"] == "new"
    assert updated["binaryMediaTypes"] == ["image/png"]
    assert updated["minimumCompressionSize"] == 1024 and updated["apiKeySource"] == "AUTHORIZER"
    assert updated["endpointConfiguration"]["types"] == ["REGIONAL"]
    assert client.get_rest_api(restApiId=api_id)["binaryMediaTypes"] == ["image/png"]

    deleted = client.delete_rest_api(restApiId=api_id)
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 202
    code, message, status = aws_error(client.get_rest_api, restApiId=api_id)
    assert (code, status) == ("NotFoundException", 404)
    assert message == f"Invalid API identifier specified {ACCOUNT}:{api_id}"


def test_create_get_update_delete_with_cli(fresh):
    created = rest_cli(fresh, "create-rest-api", "--name", "cli-api", "--binary-media-types", "image/png")
    api_id = created["id"]
    assert rest_cli(fresh, "get-rest-api", "--rest-api-id", api_id)["binaryMediaTypes"] == ["image/png"]
    updated = rest_cli(fresh, "update-rest-api", "--rest-api-id", api_id,
                       "--patch-operations", "op=replace,path=/name,value=renamed",
                       "op=remove,path=/binaryMediaTypes/image~1png")
    assert updated["name"] == "renamed" and "binaryMediaTypes" not in updated
    assert [item["id"] for item in rest_cli(fresh, "get-rest-apis")["items"]] == [api_id]
    rest_cli(fresh, "delete-rest-api", "--rest-api-id", api_id)
    code, message = rest_cli_error(fresh, "get-rest-api", "--rest-api-id", api_id)
    assert (code, message) == ("NotFoundException", f"Invalid API identifier specified {ACCOUNT}:{api_id}")


def test_create_refusals_as_aws_words_them(fresh):
    client = fresh.client("apigateway")
    assert aws_error(client.create_rest_api, name="x", description="")[:2] == (
        "BadRequestException", "Description cannot be an empty string")
    assert aws_error(client.create_rest_api, name="x", minimumCompressionSize=-1)[:2] == (
        "BadRequestException", "Invalid minimum compression size, must be between 0 and 10485760")
    assert aws_error(client.create_rest_api, name="x", endpointConfiguration={"types": ["EDGE", "REGIONAL"]})[:2] == (
        "BadRequestException", "Cannot create an api with multiple Endpoint Types.")
    assert aws_error(client.create_rest_api, name="x",
                     endpointConfiguration={"types": ["PRIVATE"], "ipAddressType": "ipv4"})[:2] == (
        "BadRequestException", "Only dualstack ipAddressType is supported for Private APIs.")
    private = client.create_rest_api(name="p", endpointConfiguration={"types": ["PRIVATE"]})
    assert private["endpointConfiguration"] == {"types": ["PRIVATE"], "ipAddressType": "dualstack"}


def test_patch_errors(fresh):
    client = fresh.client("apigateway")
    api_id, _ = rest_api(client)
    code, message, status = aws_error(client.update_rest_api, restApiId=api_id,
                                      patchOperations=[{"op": "replace", "path": "/nonsense", "value": "x"}])
    assert (code, message, status) == ("BadRequestException", "Invalid patch path /nonsense", 400)
    assert aws_error(client.update_rest_api, restApiId=api_id,
                     patchOperations=[{"op": "add", "path": "/name", "value": "x"}])[1] == (
        "Invalid patch operation specified. Must be one of: [replace]")
    assert aws_error(client.update_rest_api, restApiId=api_id,
                     patchOperations=[{"op": "add", "path": "/minimumCompressionSize", "value": "1"}])[1] == (
        "Invalid patch operation specified. Must be 'add'|'remove'|'replace'")
    code, message, _ = aws_error(client.update_rest_api, restApiId=api_id,
                                 patchOperations=[{"op": "wrong", "path": "/name", "value": "x"}])
    assert code == "ValidationException"
    assert message == ("1 validation error detected: Value 'wrong' at 'updateRestApiInput.patchOperations.1.member.op' "
                       "failed to satisfy constraint: Member must satisfy enum value set: [add, remove, move, test, replace, copy]")
    # A failed update changes nothing, not even the operations before the bad one.
    aws_error(client.update_rest_api, restApiId=api_id, patchOperations=[
        {"op": "replace", "path": "/name", "value": "changed"}, {"op": "replace", "path": "/bad", "value": "x"}])
    assert client.get_rest_api(restApiId=api_id)["name"] == "pets"
    assert aws_error(client.update_rest_api, restApiId="nope000000", patchOperations=[])[1] == (
        f"Invalid API identifier specified {ACCOUNT}:nope000000")


def test_limit_and_position_paging(fresh):
    client = fresh.client("apigateway")
    ids = sorted(rest_api(client, name=f"api{index}")[0] for index in range(5))
    first = client.get_rest_apis(limit=2)
    assert [item["id"] for item in first["items"]] == ids[:2] and first["position"]
    second = client.get_rest_apis(limit=2, position=first["position"])
    assert [item["id"] for item in second["items"]] == ids[2:4]
    third = client.get_rest_apis(limit=2, position=second["position"])
    assert [item["id"] for item in third["items"]] == ids[4:] and "position" not in third
    # boto3's paginator follows position to the end.
    paged = [item["id"] for page in client.get_paginator("get_rest_apis").paginate(PaginationConfig={"PageSize": 2})
             for item in page["items"]]
    assert paged == ids
    code, _, status = aws_error(client.get_rest_apis, position="garbage!")
    assert (code, status) == ("BadRequestException", 400)


def test_rest_and_http_api_ids_share_one_namespace(fresh):
    rest = fresh.client("apigateway")
    v2 = fresh.client("apigatewayv2")
    api_id, _ = rest_api(rest)
    http_id = v2.create_api(Name="http", ProtocolType="HTTP")["ApiId"]
    assert aws_error(v2.get_api, ApiId=api_id)[0] == "NotFoundException"
    assert aws_error(rest.get_rest_api, restApiId=http_id)[0] == "NotFoundException"
    assert [item["id"] for item in rest.get_rest_apis()["items"]] == [api_id]
    assert [item["ApiId"] for item in v2.get_apis()["Items"]] == [http_id]


def test_tags_on_rest_apis_and_stages(fresh):
    from rest_helpers import deployable_api
    client = fresh.client("apigateway")
    api_id, _, _ = deployable_api(client)
    client.create_deployment(restApiId=api_id, stageName="prod")
    api_arn = f"arn:aws:apigateway:us-east-1::/restapis/{api_id}"
    stage_arn = f"{api_arn}/stages/prod"
    tagged = client.tag_resource(resourceArn=api_arn, tags={"a": "1", "b": "2"})
    assert tagged["ResponseMetadata"]["HTTPStatusCode"] == 204
    client.tag_resource(resourceArn=stage_arn, tags={"env": "prod"})
    assert client.get_tags(resourceArn=api_arn)["tags"] == {"a": "1", "b": "2"}
    assert client.get_rest_api(restApiId=api_id)["tags"] == {"a": "1", "b": "2"}
    assert client.get_stage(restApiId=api_id, stageName="prod")["tags"] == {"env": "prod"}
    untagged = client.untag_resource(resourceArn=api_arn, tagKeys=["a"])
    assert untagged["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert rest_cli(fresh, "get-tags", "--resource-arn", api_arn)["tags"] == {"b": "2"}
    code, _, status = aws_error(client.get_tags, resourceArn=f"{api_arn}/stages/nope")
    assert (code, status) == ("NotFoundException", 404)
