"""Helpers for REST API (apigateway v1) data-plane tests: build a REST API through boto3's
`apigateway` client, deploy it, and call it host-style or path-style."""
import time

from dataplane_helpers import call  # noqa: F401  (host-style or path-style, as for HTTP APIs)
from rest_helpers import rest_api


class RestApi:
    """A REST API under construction: resources by path, methods with integrations."""

    def __init__(self, portico, name="rest-dp", **kwargs):
        self.portico = portico
        self.client = portico.client("apigateway")
        self.id, root_id = rest_api(self.client, name, **kwargs)
        self.resources = {"/": root_id}

    def resource(self, path):
        """The id of the resource at `path`, creating the missing path parts."""
        if path in self.resources:
            return self.resources[path]
        parent_path, _, part = path.rpartition("/")
        parent = self.resource(parent_path or "/")
        resource_id = self.client.create_resource(restApiId=self.id, parentId=parent, pathPart=part)["id"]
        self.resources[path] = resource_id
        return resource_id

    def method(self, path, http_method, integration, responses=None, **method_kwargs):
        """Puts a method with its integration; `responses` maps status → integration response
        settings (selectionPattern, responseTemplates, responseParameters)."""
        resource_id = self.resource(path)
        self.client.put_method(
            restApiId=self.id, resourceId=resource_id, httpMethod=http_method,
            authorizationType=method_kwargs.pop("authorizationType", "NONE"), **method_kwargs)
        self.client.put_integration(restApiId=self.id, resourceId=resource_id, httpMethod=http_method, **integration)
        for status, settings in (responses or {}).items():
            self.client.put_method_response(restApiId=self.id, resourceId=resource_id, httpMethod=http_method, statusCode=status)
            self.client.put_integration_response(
                restApiId=self.id, resourceId=resource_id, httpMethod=http_method, statusCode=status, **settings)
        return resource_id

    def deploy(self, stage="test", variables=None, probe="/__probe__", **kwargs):
        """Deploys to `stage` and waits until the data plane serves the new deployment."""
        args = {"restApiId": self.id, "stageName": stage}
        if variables:
            args["variables"] = variables
        deployment = self.client.create_deployment(**args, **kwargs)["id"]
        if probe == "/__probe__":
            # A served stage answers even an unknown path with REST's headers.
            wait_for(lambda: call(self.portico, self.id, f"/{stage}{probe}").headers.get("x-amzn-RequestId"))
        else:
            # A method the new deployment adds stops answering "Missing Authentication Token".
            wait_for(lambda: call(self.portico, self.id, f"/{stage}{probe}").status_code != 403)
        return deployment


def wait_for(condition, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    raise AssertionError(f"condition not met within {timeout} s")


MOCK_200 = {"type": "MOCK", "requestTemplates": {"application/json": '{"statusCode": 200}'}}
