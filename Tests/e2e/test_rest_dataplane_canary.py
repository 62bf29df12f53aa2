"""REST API canary releases: a stage's canarySettings split live traffic to a second deployment
with stage-variable overrides. Counts only, no timing."""
from rest_dataplane_helpers import RestApi, call, wait_for


def version_template(label):
    return {"responseTemplates": {"application/json": '{"v": "' + label + '", "color": "$stageVariables.color"}'}}


def test_canary_split(fresh):
    api = RestApi(fresh)
    resource = api.method("/v", "GET", {"type": "MOCK", "requestTemplates": {"application/json": '{"statusCode": 200}'}},
                          responses={"200": version_template("main")})
    api.deploy(variables={"color": "red"})
    assert call(fresh, api.id, "/test/v").json() == {"v": "main", "color": "red"}
    api.client.put_integration_response(restApiId=api.id, resourceId=resource, httpMethod="GET", statusCode="200",
                                        **version_template("canary"))
    api.client.create_deployment(restApiId=api.id, stageName="test", canarySettings={
        "percentTraffic": 100.0, "stageVariableOverrides": {"color": "blue"}})
    wait_for(lambda: call(fresh, api.id, "/test/v").json()["v"] == "canary")
    # 100 %: every request goes to the canary, with its variable overrides.
    assert all(call(fresh, api.id, "/test/v").json() == {"v": "canary", "color": "blue"} for _ in range(50))

    def set_percent(value):
        api.client.update_stage(restApiId=api.id, stageName="test", patchOperations=[
            {"op": "replace", "path": "/canarySettings/percentTraffic", "value": str(value)}])

    set_percent(0)
    # At 100 % the main deployment never answers: its first answer shows 0 % is live.
    wait_for(lambda: call(fresh, api.id, "/test/v").json()["v"] == "main")
    assert all(call(fresh, api.id, "/test/v").json() == {"v": "main", "color": "red"} for _ in range(50))
    set_percent(50)
    wait_for(lambda: call(fresh, api.id, "/test/v").json()["v"] == "canary")
    counts = {"main": 0, "canary": 0}
    for _ in range(400):
        counts[call(fresh, api.id, "/test/v").json()["v"]] += 1
    # Binomial(400, 0.5): mean 200, sd 10; the bound is over 7 sd wide.
    assert 125 <= counts["canary"] <= 275, counts


def test_stage_without_canary_deployment_serves_main_only(fresh):
    api = RestApi(fresh)
    api.method("/v", "GET", {"type": "MOCK", "requestTemplates": {"application/json": '{"statusCode": 200}'}},
               responses={"200": version_template("main")})
    api.deploy(variables={"color": "red"})
    assert all(call(fresh, api.id, "/test/v").json()["v"] == "main" for _ in range(20))
