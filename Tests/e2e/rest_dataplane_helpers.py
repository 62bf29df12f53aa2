"""Helpers for REST API (apigateway v1) data-plane tests: build a REST API through boto3's
`apigateway` client, deploy it, and call it host-style or path-style."""
import re
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
        #: (method, path) of the last method a deployment can be probed with.
        self.probe = None

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
        if method_kwargs.get("authorizationType", "NONE") == "NONE" and not method_kwargs.get("apiKeyRequired"):
            concrete = re.sub(r"\{[^}]+\}", "x", path)
            self.probe = ("GET" if http_method == "ANY" else http_method, concrete)
        self.client.put_method(
            restApiId=self.id, resourceId=resource_id, httpMethod=http_method,
            authorizationType=method_kwargs.pop("authorizationType", "NONE"), **method_kwargs)
        self.client.put_integration(restApiId=self.id, resourceId=resource_id, httpMethod=http_method, **integration)
        for status, settings in (responses or {}).items():
            self.client.put_method_response(restApiId=self.id, resourceId=resource_id, httpMethod=http_method, statusCode=status)
            self.client.put_integration_response(
                restApiId=self.id, resourceId=resource_id, httpMethod=http_method, statusCode=status, **settings)
        return resource_id

    def deploy(self, stage="test", variables=None, **kwargs):
        """Deploys to `stage` and waits until the data plane serves the new deployment: until the
        last method put (one without IAM or API key) stops answering "Missing Authentication
        Token" (a stage that is not served yet, or a deployment without that method, answers it;
        the error type header stays even when the gateway response is customised)."""
        args = {"restApiId": self.id, "stageName": stage}
        if variables:
            args["variables"] = variables
        deployment = self.client.create_deployment(**args, **kwargs)["id"]
        method, path = self.probe

        def served():
            response = call(self.portico, self.id, f"/{stage}{path}", method=method)
            return response.headers.get("x-amzn-ErrorType") != "MissingAuthenticationTokenException"

        wait_for(served)
        return deployment


def wait_for(condition, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    raise AssertionError(f"condition not met within {timeout} s")


MOCK_200 = {"type": "MOCK", "requestTemplates": {"application/json": '{"statusCode": 200}'}}
