"""REST API stages write access logs and count metrics like HTTP API stages; REST-only changes
reload the data plane."""
import json
import time

import requests

from rest_dataplane_helpers import MOCK_200, RestApi, call, wait_for


def test_rest_access_log_and_metrics(fresh, tmp_path):
    log = tmp_path / "rest-access.log"
    api = RestApi(fresh)
    api.method("/logged/{id}", "GET", MOCK_200, responses={"200": {}})
    api.deploy()
    fmt = '{"requestId":"$context.requestId","method":"$context.httpMethod","routeKey":"$context.routeKey","status":"$context.status","stage":"$context.stage"}'
    api.client.update_stage(restApiId=api.id, stageName="test", patchOperations=[
        {"op": "replace", "path": "/accessLogSettings/destinationArn", "value": f"file:{log}"},
        {"op": "replace", "path": "/accessLogSettings/format", "value": fmt}])

    def read():
        return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []

    wait_for(lambda: call(fresh, api.id, "/test/logged/1") and read())
    response = call(fresh, api.id, "/test/logged/2")
    call(fresh, api.id, "/test/missing")
    request_id = response.headers["x-amzn-RequestId"]
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not any(line["requestId"] == request_id for line in read()):
        time.sleep(0.05)
    ours = [line for line in read() if line["requestId"] == request_id]
    assert ours == [{"requestId": request_id, "method": "GET", "routeKey": "GET /logged/{id}", "status": "200", "stage": "test"}]
    wait_for(lambda: any(line["status"] == "403" for line in read()))

    text = requests.get(fresh.management_url + "/_portico/metrics", timeout=5).text
    labels = [f'api_id="{api.id}"', 'route="GET /logged/{id}"', 'stage="test"']
    counted = [line for line in text.splitlines() if line.startswith("portico_requests_total{") and all(l in line for l in labels)]
    assert counted and float(counted[0].rsplit(" ", 1)[1]) >= 2


def test_rest_changes_reload_without_redeploying_http_apis(fresh):
    api = RestApi(fresh)
    resource = api.method("/change", "GET", MOCK_200, responses={"200": {"responseTemplates": {"application/json": '{"n": 1}'}}})
    api.deploy()
    assert call(fresh, api.id, "/test/change").json() == {"n": 1}
    api.client.put_integration_response(restApiId=api.id, resourceId=resource, httpMethod="GET", statusCode="200",
                                        responseTemplates={"application/json": '{"n": 2}'})
    # Not deployed yet: the stage keeps serving its deployment, as on AWS.
    assert call(fresh, api.id, "/test/change").json() == {"n": 1}
    api.client.create_deployment(restApiId=api.id, stageName="test")
    wait_for(lambda: call(fresh, api.id, "/test/change").json() == {"n": 2})
    api.client.delete_stage(restApiId=api.id, stageName="test")
    wait_for(lambda: call(fresh, api.id, "/test/change").status_code == 403)
    api.client.delete_rest_api(restApiId=api.id)
    wait_for(lambda: call(fresh, api.id, "/test/change").status_code == 404)
