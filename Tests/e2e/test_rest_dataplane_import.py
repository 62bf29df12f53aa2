"""An imported definition is served: AWS's PetStore extended to 66 operations
(`fixtures/petstore-large.yaml`), its HTTP integrations pointed at a local backend."""
import os
import re

import pytest

from rest_dataplane_helpers import call, wait_for
from upstream import Upstream

FIXTURE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "petstore-large.yaml")
AWS_BACKEND = "http://petstore.execute-api.us-east-1.amazonaws.com/petstore"


@pytest.fixture(scope="module")
def upstream():
    server = Upstream()
    yield server
    server.stop()


def test_every_imported_operation_is_served(fresh, upstream):
    client = fresh.client("apigateway")
    with open(FIXTURE) as handle:
        definition = handle.read().replace(AWS_BACKEND, upstream.url)
    api_id = client.import_rest_api(body=definition.encode())["id"]
    client.create_deployment(restApiId=api_id, stageName="live")
    resources = client.get_resources(restApiId=api_id, embed=["methods"], limit=500)["items"]
    operations = [(method, resource["path"]) for resource in resources for method in resource.get("resourceMethods", {})]
    assert len(operations) >= 50
    wait_for(lambda: call(fresh, api_id, "/live/pets", method="OPTIONS").status_code != 403)
    for method, path in operations:
        concrete = re.sub(r"\{[^}]+\}", "7", path)
        response = call(fresh, api_id, f"/live{concrete}", method="GET" if method == "ANY" else method, json={})
        assert response.headers.get("x-amzn-ErrorType") != "MissingAuthenticationTokenException", (method, path)
        # Validators may refuse what this loop sends (400); nothing may fail in the gateway or backend.
        assert response.status_code < 500, (method, path, response.status_code, response.text)
    # An HTTP integration reached the local backend with its path parameter filled in.
    assert any(path.startswith("/pets/7") for _, path, _ in upstream.requests), upstream.requests[:5]
