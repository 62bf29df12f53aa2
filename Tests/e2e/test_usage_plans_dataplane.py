"""API keys, usage plans, quotas and per-key throttles on a REST API's data plane: every allow and deny path."""
import concurrent.futures
import tempfile

from conftest import Portico
from rest_dataplane_helpers import MOCK_200, RestApi, call, wait_for

OK = {"200": {}}


def keyed_api(portico, stage="prod"):
    """`GET /open` (no key) and `GET /pets` (apiKeyRequired) on MOCK, deployed to `stage`."""
    api = RestApi(portico, "keyed")
    api.method("/pets", "GET", MOCK_200, OK, apiKeyRequired=True)
    api.method("/open", "GET", MOCK_200, OK)
    api.deploy(stage)
    return api


def plan_with_key(client, api_id, stage="prod", **plan):
    plan_id = client.create_usage_plan(name="plan", apiStages=[{"apiId": api_id, "stage": stage}], **plan)["id"]
    key = client.create_api_key(name="key", enabled=True)
    client.create_usage_plan_key(usagePlanId=plan_id, keyId=key["id"], keyType="API_KEY")
    return plan_id, key


def get(portico, api, key=None, stage="prod"):
    headers = {"x-api-key": key} if key else {}
    return call(portico, api.id, f"/{stage}/pets", headers=headers)


def test_key_required_allow_and_deny(fresh):
    client = fresh.client("apigateway")
    api = keyed_api(fresh)
    plan_id, key = plan_with_key(client, api.id)
    wait_for(lambda: get(fresh, api, key["value"]).status_code == 200)

    missing = get(fresh, api)
    assert missing.status_code == 403 and missing.json() == {"message": "Forbidden"}
    assert missing.headers["x-amzn-ErrorType"] == "ForbiddenException"
    assert get(fresh, api, "unknown-key-value-0123456789").status_code == 403
    assert call(fresh, api.id, "/prod/open").status_code == 200

    # A key no plan holds on this stage, and a key of a plan on another stage.
    loose = client.create_api_key(name="loose", enabled=True)
    client.create_deployment(restApiId=api.id, stageName="other")
    _, other_key = plan_with_key(client, api.id, stage="other")
    wait_for(lambda: get(fresh, api, other_key["value"], stage="other").status_code == 200)
    assert get(fresh, api, loose["value"]).status_code == 403
    assert get(fresh, api, other_key["value"]).status_code == 403

    # Disabled, then enabled again; removed from the plan.
    client.update_api_key(apiKey=key["id"], patchOperations=[{"op": "replace", "path": "/enabled", "value": "false"}])
    wait_for(lambda: get(fresh, api, key["value"]).status_code == 403)
    client.update_api_key(apiKey=key["id"], patchOperations=[{"op": "replace", "path": "/enabled", "value": "true"}])
    wait_for(lambda: get(fresh, api, key["value"]).status_code == 200)
    client.delete_usage_plan_key(usagePlanId=plan_id, keyId=key["id"])
    wait_for(lambda: get(fresh, api, key["value"]).status_code == 403)


def test_quota_is_exact_under_concurrency(fresh):
    client = fresh.client("apigateway")
    api = keyed_api(fresh)
    plan_id, key = plan_with_key(client, api.id, quota={"limit": 60, "period": "DAY", "offset": 0})
    wait_for(lambda: get(fresh, api, key["value"]).status_code == 200)  # request 1
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda _: get(fresh, api, key["value"]).status_code, range(100)))
    assert statuses.count(200) == 59 and statuses.count(429) == 41
    refused = get(fresh, api, key["value"])
    assert refused.status_code == 429 and refused.json() == {"message": "Limit Exceeded"}
    assert refused.headers["x-amzn-ErrorType"] == "LimitExceededException"
    today = __import__("datetime").datetime.now(__import__("datetime").timezone.utc).date().isoformat()
    assert client.get_usage(usagePlanId=plan_id, startDate=today, endDate=today)["items"] == {key["id"]: [[60, 0]]}
    # UpdateUsage gives the key 2 more requests in this period, live.
    client.update_usage(usagePlanId=plan_id, keyId=key["id"],
                        patchOperations=[{"op": "replace", "path": f"/keyId:{key['id']}/remaining", "value": "2"}])
    assert [get(fresh, api, key["value"]).status_code for _ in range(3)] == [200, 200, 429]


def test_quota_survives_a_restart():
    data_dir = tempfile.mkdtemp(prefix="portico-quota-")
    first = Portico(data_dir=data_dir)
    try:
        client = first.client("apigateway")
        api = keyed_api(first)
        _, key = plan_with_key(client, api.id, quota={"limit": 5, "period": "MONTH", "offset": 0})
        wait_for(lambda: get(first, api, key["value"]).status_code == 200)
        assert [get(first, api, key["value"]).status_code for _ in range(3)] == [200, 200, 200]
    finally:
        assert first.stop() == 0
    second = Portico(data_dir=data_dir)
    try:
        wait_for(lambda: call(second, api.id, "/prod/open").status_code == 200)
        # 4 of 5 were used before the restart: one more, then refused.
        assert [get(second, api, key["value"]).status_code for _ in range(3)] == [200, 429, 429]
    finally:
        second.stop()


def test_plan_throttle_answers_429(fresh):
    client = fresh.client("apigateway")
    api = keyed_api(fresh)
    # A bucket of 3 that refills once a minute: the 4th request at once is throttled.
    _, key = plan_with_key(client, api.id, throttle={"rateLimit": 0.0166, "burstLimit": 3})
    wait_for(lambda: get(fresh, api, key["value"]).status_code == 200)
    statuses = [get(fresh, api, key["value"]).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    throttled = get(fresh, api, key["value"])
    assert throttled.status_code == 429 and throttled.json() == {"message": "Too Many Requests"}
    assert throttled.headers["x-amzn-ErrorType"] == "TooManyRequestsException"
