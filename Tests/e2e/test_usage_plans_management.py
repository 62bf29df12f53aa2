"""API keys, usage plans, usage plan keys and usage: every operation through boto3 and the AWS CLI."""
import datetime
import json

from management_helpers import aws_error
from rest_helpers import deployable_api, rest_cli, rest_cli_error


def staged_api(client, stage="prod"):
    api_id, _, pets = deployable_api(client)
    client.create_deployment(restApiId=api_id, stageName=stage)
    return api_id


def test_api_keys_crud(fresh):
    client = fresh.client("apigateway")
    created = client.create_api_key(name="alpha", description="first", enabled=True, tags={"team": "a"})
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert len(created["id"]) == 10 and len(created["value"]) == 40 and created["value"].isalnum()
    assert created["enabled"] is True and created["stageKeys"] == [] and created["tags"] == {"team": "a"}
    assert isinstance(created["createdDate"], datetime.datetime)
    key_id = created["id"]

    # Disabled unless asked; a given value is kept; a duplicate value is a conflict.
    given = client.create_api_key(name="beta", value="b" * 30)
    assert given["enabled"] is False and given["value"] == "b" * 30
    assert aws_error(client.create_api_key, name="dup", value="b" * 30)[:3] == ("ConflictException", "API Key already exists", 409)
    assert aws_error(client.create_api_key, value="short")[0] == "BadRequestException"

    # The value is shown only when asked for.
    assert "value" not in client.get_api_key(apiKey=key_id)
    assert client.get_api_key(apiKey=key_id, includeValue=True)["value"] == created["value"]
    assert aws_error(client.get_api_key, apiKey="nope")[:3] == ("NotFoundException", "Invalid API Key identifier specified", 404)

    listed = client.get_api_keys()
    assert sorted(item["name"] for item in listed["items"]) == ["alpha", "beta"]
    assert all("value" not in item for item in listed["items"])
    assert all("value" in item for item in client.get_api_keys(includeValues=True)["items"])
    assert [item["name"] for item in client.get_api_keys(nameQuery="al")["items"]] == ["alpha"]
    first = client.get_api_keys(limit=1)
    assert len(first["items"]) == 1 and first["position"]
    second = client.get_api_keys(limit=1, position=first["position"])
    assert len(second["items"]) == 1 and second["items"][0]["id"] != first["items"][0]["id"]

    updated = client.update_api_key(apiKey=key_id, patchOperations=[
        {"op": "replace", "path": "/name", "value": "renamed"},
        {"op": "replace", "path": "/description", "value": "changed"},
        {"op": "replace", "path": "/enabled", "value": "false"}])
    assert updated["name"] == "renamed" and updated["description"] == "changed" and updated["enabled"] is False
    assert aws_error(client.update_api_key, apiKey=key_id, patchOperations=[{"op": "replace", "path": "/nope", "value": "x"}])[:2] == (
        "BadRequestException", "Invalid patch path /nope")

    assert client.delete_api_key(apiKey=key_id)["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert aws_error(client.delete_api_key, apiKey=key_id)[0] == "NotFoundException"


def test_import_api_keys(fresh):
    client = fresh.client("apigateway")
    plan = client.create_usage_plan(name="imported")["id"]
    csv = f"Name,key,description,Enabled,usageplanIds\nfirst,{'k' * 24},an imported key,TRUE,{plan}\nsecond,{'m' * 24},,false,\n"
    result = client.import_api_keys(body=csv.encode(), format="csv")
    assert result["ResponseMetadata"]["HTTPStatusCode"] == 201 and len(result["ids"]) == 2 and result["warnings"] == []
    keys = {item["name"]: item for item in client.get_api_keys(includeValues=True)["items"]}
    assert keys["first"]["value"] == "k" * 24 and keys["first"]["enabled"] is True and keys["second"]["enabled"] is False
    assert [item["id"] for item in client.get_usage_plan_keys(usagePlanId=plan)["items"]] == [keys["first"]["id"]]
    # The same value again overwrites; a bad row is a warning, or refuses everything with failOnWarnings.
    again = client.import_api_keys(body=f"key,name\n{'k' * 24},renamed\nshort,bad\n".encode(), format="csv")
    assert again["ids"] == [keys["first"]["id"]] and len(again["warnings"]) == 1
    assert aws_error(client.import_api_keys, body=b"key,name\nshort,bad\n", format="csv", failOnWarnings=True)[0] == "BadRequestException"
    assert aws_error(client.import_api_keys, body=b"name\nx\n", format="csv")[0] == "BadRequestException"


def test_usage_plans_crud(fresh):
    client = fresh.client("apigateway")
    api_id = staged_api(client)
    created = client.create_usage_plan(
        name="gold", description="d", throttle={"rateLimit": 10.0, "burstLimit": 5},
        quota={"limit": 100, "offset": 0, "period": "DAY"},
        apiStages=[{"apiId": api_id, "stage": "prod", "throttle": {"/pets/GET": {"rateLimit": 1.0, "burstLimit": 1}}}])
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201 and len(created["id"]) == 6
    assert created["apiStages"] == [{"apiId": api_id, "stage": "prod", "throttle": {"/pets/GET": {"rateLimit": 1.0, "burstLimit": 1}}}]
    assert created["quota"] == {"limit": 100, "offset": 0, "period": "DAY"}
    plan_id = created["id"]
    assert client.get_usage_plan(usagePlanId=plan_id)["name"] == "gold"
    assert aws_error(client.get_usage_plan, usagePlanId="nope")[:3] == ("NotFoundException", "Invalid Usage Plan ID specified", 404)
    assert aws_error(client.create_usage_plan, name="x", apiStages=[{"apiId": api_id, "stage": "nostage"}])[0] == "BadRequestException"
    assert aws_error(client.create_usage_plan, name="x", quota={"limit": 1, "period": "YEAR"})[0] == "BadRequestException"

    updated = client.update_usage_plan(usagePlanId=plan_id, patchOperations=[
        {"op": "replace", "path": "/name", "value": "platinum"},
        {"op": "replace", "path": "/throttle/rateLimit", "value": "20"},
        {"op": "replace", "path": "/throttle/burstLimit", "value": "7"},
        {"op": "replace", "path": "/quota/limit", "value": "500"},
        {"op": "replace", "path": "/quota/period", "value": "WEEK"},
        {"op": "replace", "path": f"/apiStages/{api_id}:prod/throttle/~1pets/GET/rateLimit", "value": "3"}])
    assert updated["name"] == "platinum" and updated["throttle"] == {"rateLimit": 20.0, "burstLimit": 7}
    assert updated["quota"]["limit"] == 500 and updated["quota"]["period"] == "WEEK"
    assert updated["apiStages"][0]["throttle"]["/pets/GET"] == {"rateLimit": 3.0, "burstLimit": 1}
    removed = client.update_usage_plan(usagePlanId=plan_id, patchOperations=[
        {"op": "remove", "path": "/apiStages", "value": f"{api_id}:prod"}])
    assert removed["apiStages"] == []
    assert client.update_usage_plan(usagePlanId=plan_id, patchOperations=[
        {"op": "add", "path": "/apiStages", "value": f"{api_id}:prod"}])["apiStages"] == [{"apiId": api_id, "stage": "prod"}]

    # Usage plan keys, and the plans of a key.
    key = client.create_api_key(name="k", enabled=True)
    added = client.create_usage_plan_key(usagePlanId=plan_id, keyId=key["id"], keyType="API_KEY")
    assert added["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert {k: added[k] for k in ("id", "type", "name", "value")} == {"id": key["id"], "type": "API_KEY", "name": "k", "value": key["value"]}
    assert aws_error(client.create_usage_plan_key, usagePlanId=plan_id, keyId=key["id"], keyType="API_KEY")[0] == "ConflictException"
    assert aws_error(client.create_usage_plan_key, usagePlanId=plan_id, keyId="nope", keyType="API_KEY")[:2] == (
        "NotFoundException", "Invalid API Key identifier specified")
    # A key cannot be in two plans on the same stage.
    other = client.create_usage_plan(name="other", apiStages=[{"apiId": api_id, "stage": "prod"}])["id"]
    assert aws_error(client.create_usage_plan_key, usagePlanId=other, keyId=key["id"], keyType="API_KEY")[0] == "ConflictException"
    assert client.get_usage_plan_key(usagePlanId=plan_id, keyId=key["id"])["id"] == key["id"]
    assert [item["id"] for item in client.get_usage_plan_keys(usagePlanId=plan_id)["items"]] == [key["id"]]
    assert [item["id"] for item in client.get_usage_plans(keyId=key["id"])["items"]] == [plan_id]
    assert len(client.get_usage_plans()["items"]) == 2

    # Usage: one [used, remaining] pair per day.
    today = datetime.datetime.now(datetime.timezone.utc).date()
    start = (today - datetime.timedelta(days=1)).isoformat()
    usage = client.get_usage(usagePlanId=plan_id, startDate=start, endDate=today.isoformat())
    assert usage["usagePlanId"] == plan_id and usage["items"] == {key["id"]: [[0, 500], [0, 500]]}
    changed = client.update_usage(usagePlanId=plan_id, keyId=key["id"], patchOperations=[
        {"op": "replace", "path": f"/keyId:{key['id']}/remaining", "value": "420"}])
    assert changed["items"][key["id"]] == [[80, 420]]
    assert client.get_usage(usagePlanId=plan_id, startDate=today.isoformat(), endDate=today.isoformat())["items"] == {key["id"]: [[80, 420]]}
    assert aws_error(client.get_usage, usagePlanId=plan_id, startDate="yesterday", endDate=today.isoformat())[0] == "BadRequestException"

    assert client.delete_usage_plan_key(usagePlanId=plan_id, keyId=key["id"])["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert aws_error(client.get_usage_plan_key, usagePlanId=plan_id, keyId=key["id"])[0] == "NotFoundException"
    assert client.delete_usage_plan(usagePlanId=plan_id)["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert aws_error(client.delete_usage_plan, usagePlanId=plan_id)[0] == "NotFoundException"


def test_cli_operations(fresh):
    api_id = staged_api(fresh.client("apigateway"))
    key = rest_cli(fresh, "create-api-key", "--name", "cli", "--enabled", "--value", "c" * 40)
    assert key["value"] == "c" * 40 and key["enabled"] is True
    assert rest_cli(fresh, "get-api-key", "--api-key", key["id"], "--include-value")["value"] == "c" * 40
    assert [item["id"] for item in rest_cli(fresh, "get-api-keys", "--name-query", "cl")["items"]] == [key["id"]]
    assert rest_cli(fresh, "update-api-key", "--api-key", key["id"], "--patch-operations",
                    "op=replace,path=/enabled,value=false")["enabled"] is False
    plan = rest_cli(fresh, "create-usage-plan", "--name", "cli-plan", "--throttle", "burstLimit=10,rateLimit=5",
                    "--quota", "limit=500,offset=0,period=MONTH", "--api-stages", f"apiId={api_id},stage=prod")
    assert plan["quota"] == {"limit": 500, "offset": 0, "period": "MONTH"}
    rest_cli(fresh, "create-usage-plan-key", "--usage-plan-id", plan["id"], "--key-id", key["id"], "--key-type", "API_KEY")
    assert rest_cli(fresh, "get-usage-plan-keys", "--usage-plan-id", plan["id"])["items"][0]["id"] == key["id"]
    assert rest_cli(fresh, "get-usage-plan-key", "--usage-plan-id", plan["id"], "--key-id", key["id"])["type"] == "API_KEY"
    assert rest_cli(fresh, "get-usage-plans", "--key-id", key["id"])["items"][0]["id"] == plan["id"]
    assert rest_cli(fresh, "update-usage-plan", "--usage-plan-id", plan["id"], "--patch-operations",
                    "op=replace,path=/quota/limit,value=600")["quota"]["limit"] == 600
    today = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
    usage = rest_cli(fresh, "get-usage", "--usage-plan-id", plan["id"], "--start-date", today, "--end-date", today)
    assert usage["items"] == {key["id"]: [[0, 600]]}
    assert rest_cli(fresh, "update-usage", "--usage-plan-id", plan["id"], "--key-id", key["id"], "--patch-operations",
                    f"op=replace,path=/keyId:{key['id']}/remaining,value=590")["items"][key["id"]] == [[10, 590]]
    imported = rest_cli(fresh, "import-api-keys", "--format", "csv", "--body", f"name,key\nimp,{'i' * 25}\n")
    assert len(imported["ids"]) == 1
    assert rest_cli_error(fresh, "get-api-key", "--api-key", "missing")[0] == "NotFoundException"
    rest_cli(fresh, "delete-usage-plan-key", "--usage-plan-id", plan["id"], "--key-id", key["id"])
    rest_cli(fresh, "delete-usage-plan", "--usage-plan-id", plan["id"])
    rest_cli(fresh, "delete-api-key", "--api-key", key["id"])
    assert rest_cli_error(fresh, "get-usage-plan", "--usage-plan-id", plan["id"])[0] == "NotFoundException"
