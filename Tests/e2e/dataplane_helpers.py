"""Helpers for data-plane tests: build HTTP APIs through the management API (boto3), then call
them on the data plane host-style or path-style."""
import time

import requests


def make_api(portico, routes, stage="$default", stage_variables=None, cors=None, access_log=None, name="dp-test"):
    """Creates an HTTP API whose routes map route keys to integration settings:
    {"GET /items/{id}": {"uri": "http://...", "method": "GET", "requestParameters": {...}, ...}}.
    Returns the API id once the stage serves it."""
    client = portico.client()
    kwargs = {"Name": name, "ProtocolType": "HTTP"}
    if cors:
        kwargs["CorsConfiguration"] = cors
    api_id = client.create_api(**kwargs)["ApiId"]
    for route_key, spec in routes.items():
        integration = {
            "ApiId": api_id,
            "IntegrationType": "HTTP_PROXY",
            "IntegrationMethod": spec.get("method", "ANY"),
            "IntegrationUri": spec["uri"],
            "PayloadFormatVersion": "1.0",
        }
        for key in ("RequestParameters", "ResponseParameters", "TimeoutInMillis"):
            if key in spec:
                integration[key] = spec[key]
        integration_id = client.create_integration(**integration)["IntegrationId"]
        client.create_route(ApiId=api_id, RouteKey=route_key, Target=f"integrations/{integration_id}")
    stage_kwargs = {"ApiId": api_id, "StageName": stage, "AutoDeploy": True}
    if stage_variables:
        stage_kwargs["StageVariables"] = stage_variables
    if access_log:
        stage_kwargs["AccessLogSettings"] = access_log
    client.create_stage(**stage_kwargs)
    wait_until_served(portico, api_id, stage)
    return api_id


def wait_until_served(portico, api_id, stage, timeout=10):
    """Auto-deploy makes a deployment; wait (bounded) until the data plane knows the API."""
    deadline = time.monotonic() + timeout
    prefix = "" if stage == "$default" else f"/{stage}"
    while time.monotonic() < deadline:
        response = requests.get(f"{portico.data_url}/_aws/execute-api/{api_id}{prefix}/__probe__", timeout=5)
        if response.headers.get("apigw-requestid"):
            return
        time.sleep(0.02)
    raise AssertionError(f"API {api_id} stage {stage} was not served within {timeout} s")


def call(portico, api_id, path, method="GET", style="host", **kwargs):
    """Calls the API on the data plane, host-style (Host: {id}.execute-api.localhost) or path-style."""
    headers = dict(kwargs.pop("headers", {}) or {})
    if style == "host":
        headers.setdefault("Host", f"{api_id}.execute-api.localhost")
        url = portico.data_url + path
    else:
        url = f"{portico.data_url}/_aws/execute-api/{api_id}{path}"
    return requests.request(method, url, headers=headers, timeout=kwargs.pop("timeout", 30), **kwargs)


def header_values(echo, name):
    return [v for k, v in echo["headers"] if k.lower() == name.lower()]
