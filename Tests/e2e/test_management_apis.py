"""CreateApi (and quick create), GetApis, GetApi, UpdateApi, DeleteApi, plus the admin endpoints."""
import requests

from management_helpers import aws_error, cli_error, cli_json, quick_api, signed_request


def test_health_metrics_reset_need_no_credentials(fresh):
    health = requests.get(fresh.management_url + "/_portico/health", timeout=10)
    assert health.status_code == 200 and health.json() == {"status": "ok"}
    assert health.headers["x-amzn-RequestId"]
    metrics = requests.get(fresh.management_url + "/_portico/metrics", timeout=10)
    assert metrics.status_code == 200
    assert metrics.headers["Content-Type"] == "text/plain; version=0.0.4"
    client = fresh.client()
    client.create_api(Name="doomed", ProtocolType="HTTP")
    reset = requests.post(fresh.management_url + "/_portico/reset", timeout=10)
    assert reset.status_code == 200 and reset.json() == {}
    assert client.get_apis()["Items"] == []


def test_create_get_update_delete_with_boto3(fresh):
    client = fresh.client()
    created = client.create_api(Name="pets", ProtocolType="HTTP", Description="d", Version="1", Tags={"team": "a"})
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    api_id = created["ApiId"]
    assert len(api_id) == 10
    assert created["ApiEndpoint"].startswith("http://" + api_id + ".execute-api.")
    assert created["ProtocolType"] == "HTTP" and created["Tags"] == {"team": "a"}
    assert created["CreatedDate"].year >= 2024

    got = client.get_api(ApiId=api_id)
    assert got["Name"] == "pets" and got["Description"] == "d"

    updated = client.update_api(ApiId=api_id, Name="pets2",
                                CorsConfiguration={"AllowOrigins": ["https://a.example"], "MaxAge": 60})
    assert updated["Name"] == "pets2"
    assert updated["CorsConfiguration"] == {"AllowOrigins": ["https://a.example"], "MaxAge": 60}
    assert client.get_api(ApiId=api_id)["Description"] == "d"

    client.delete_cors_configuration(ApiId=api_id)
    assert "CorsConfiguration" not in client.get_api(ApiId=api_id)

    deleted = client.delete_api(ApiId=api_id)
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
    code, message, status = aws_error(client.get_api, ApiId=api_id)
    assert (code, status) == ("NotFoundException", 404)
    assert message == f"Invalid API identifier specified 000000000000:{api_id}"


def test_create_get_update_delete_with_cli(fresh):
    created = cli_json(fresh, "create-api", "--name", "cli-api", "--protocol-type", "HTTP")
    api_id = created["ApiId"]
    assert cli_json(fresh, "get-api", "--api-id", api_id)["Name"] == "cli-api"
    assert cli_json(fresh, "update-api", "--api-id", api_id, "--name", "renamed")["Name"] == "renamed"
    assert [item["ApiId"] for item in cli_json(fresh, "get-apis")["Items"]] == [api_id]
    cli_json(fresh, "delete-api", "--api-id", api_id)
    code, message = cli_error(fresh, "get-api", "--api-id", api_id)
    assert code == "NotFoundException"
    assert message == f"Invalid API identifier specified 000000000000:{api_id}"


def test_quick_create_http_target(fresh):
    client = fresh.client()
    api = quick_api(client, target="https://example.com/backend")
    api_id = api["ApiId"]
    [integration] = client.get_integrations(ApiId=api_id)["Items"]
    assert integration["IntegrationType"] == "HTTP_PROXY"
    assert integration["IntegrationUri"] == "https://example.com/backend"
    assert integration["PayloadFormatVersion"] == "1.0"
    assert integration["ApiGatewayManaged"] is True
    [route] = client.get_routes(ApiId=api_id)["Items"]
    assert route["RouteKey"] == "$default"
    assert route["Target"] == "integrations/" + integration["IntegrationId"]
    assert route["ApiGatewayManaged"] is True
    [stage] = client.get_stages(ApiId=api_id)["Items"]
    assert stage["StageName"] == "$default" and stage["AutoDeploy"] is True and stage["ApiGatewayManaged"] is True
    [deployment] = client.get_deployments(ApiId=api_id)["Items"]
    assert stage["DeploymentId"] == deployment["DeploymentId"]
    assert deployment["AutoDeployed"] is True
    assert stage["LastDeploymentStatusMessage"] == f"Successfully deployed stage with deployment ID '{deployment['DeploymentId']}'"


def test_quick_create_lambda_target_with_route_key_cli(fresh):
    arn = "arn:aws:lambda:us-east-1:123456789012:function:hello"
    api = cli_json(fresh, "create-api", "--name", "fn", "--protocol-type", "HTTP", "--target", arn,
                   "--route-key", "GET /hello")
    [integration] = cli_json(fresh, "get-integrations", "--api-id", api["ApiId"])["Items"]
    assert integration["IntegrationType"] == "AWS_PROXY"
    assert integration["PayloadFormatVersion"] == "2.0"
    [route] = cli_json(fresh, "get-routes", "--api-id", api["ApiId"])["Items"]
    assert route["RouteKey"] == "GET /hello"


def test_quick_update_changes_target_and_route_key(fresh):
    client = fresh.client()
    api_id = quick_api(client)["ApiId"]
    client.update_api(ApiId=api_id, Target="https://other.example/", RouteKey="ANY /proxy")
    [integration] = client.get_integrations(ApiId=api_id)["Items"]
    assert integration["IntegrationUri"] == "https://other.example/"
    assert client.get_routes(ApiId=api_id)["Items"][0]["RouteKey"] == "ANY /proxy"
    plain = client.create_api(Name="plain", ProtocolType="HTTP")["ApiId"]
    code, _, status = aws_error(client.update_api, ApiId=plain, Target="https://other.example/")
    assert (code, status) == ("BadRequestException", 400)


def test_bad_requests(fresh):
    client = fresh.client()
    code, message, status = aws_error(client.create_api, Name="x", ProtocolType="HTTP", Target="not a url")
    assert (code, status) == ("BadRequestException", 400)
    assert "not a url" in message
    code, _, _ = aws_error(client.create_api, Name="x", ProtocolType="HTTP", Target="http://e.com", RouteKey="FETCH /x")
    assert code == "BadRequestException"
    code, _, _ = aws_error(client.create_api, Name="x", ProtocolType="HTTP",
                           CorsConfiguration={"AllowOrigins": ["*"], "AllowCredentials": True})
    assert code == "BadRequestException"
    assert client.get_apis()["Items"] == []


def test_malformed_json_and_wrong_member_types(fresh):
    response = signed_request(fresh, "POST", "/v2/apis", body='{"name": "x", ', headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.headers["x-amzn-ErrorType"] == "BadRequestException"
    assert response.json()["message"].startswith("Could not parse request body into json")
    response = signed_request(fresh, "POST", "/v2/apis", body={"name": 42, "protocolType": "HTTP"})
    assert response.status_code == 400
    assert response.json() == {"message": "Invalid type for member 'name': expected a string but got a number."}
    response = signed_request(fresh, "POST", "/v2/apis", body={"name": "x", "protocolType": "HTTP", "tags": {"a": 1}})
    assert response.status_code == 400 and "'tags.a'" in response.json()["message"]
    response = signed_request(fresh, "POST", "/v2/apis", body=b"\xff\xfe\x00garbage")
    assert response.status_code == 400
    assert fresh.client().get_apis()["Items"] == []


def test_unknown_operation(fresh):
    response = signed_request(fresh, "GET", "/v2/nothing-here")
    assert response.status_code == 404
    assert response.headers["x-amzn-ErrorType"] == "UnknownOperationException"
    assert response.headers["Content-Type"] == "application/json"
    assert "message" in response.json()


def test_oversized_body_is_refused_with_413(fresh):
    response = signed_request(fresh, "POST", "/v2/apis", body="x" * (17 << 20))
    assert response.status_code == 413
    assert response.headers["x-amzn-ErrorType"] == "PayloadTooLargeException"


def test_pagination_with_boto3_and_cli(fresh):
    client = fresh.client()
    ids = sorted(client.create_api(Name=f"api{n}", ProtocolType="HTTP")["ApiId"] for n in range(7))
    first = client.get_apis(MaxResults="3")
    assert len(first["Items"]) == 3 and first["NextToken"]
    second = client.get_apis(MaxResults="3", NextToken=first["NextToken"])
    third = client.get_apis(MaxResults="3", NextToken=second["NextToken"])
    assert "NextToken" not in third
    assert [a["ApiId"] for a in first["Items"] + second["Items"] + third["Items"]] == ids
    paged = [a["ApiId"] for page in client.get_paginator("get_apis").paginate(PaginationConfig={"PageSize": 2})
             for a in page["Items"]]
    assert paged == ids
    cli = cli_json(fresh, "get-apis", "--page-size", "2")
    assert sorted(a["ApiId"] for a in cli["Items"]) == ids
    limited = cli_json(fresh, "get-apis", "--max-items", "4")
    assert len(limited["Items"]) == 4 and limited["NextToken"]
    code, message, status = aws_error(client.get_apis, NextToken="not-a-token")
    assert (code, status) == ("BadRequestException", 400)
    code, _, _ = aws_error(client.get_apis, MaxResults="zero")
    assert code == "BadRequestException"


def test_a_failed_call_changes_nothing(fresh):
    client = fresh.client()
    api_id = quick_api(client)["ApiId"]
    before = (client.get_api(ApiId=api_id), client.get_routes(ApiId=api_id)["Items"],
              client.get_integrations(ApiId=api_id)["Items"], client.get_stages(ApiId=api_id)["Items"],
              client.get_deployments(ApiId=api_id)["Items"])
    aws_error(client.update_api, ApiId=api_id, Name="new", CorsConfiguration={"MaxAge": 999999})
    aws_error(client.create_route, ApiId=api_id, RouteKey="GET /x", Target="integrations/missing")
    aws_error(client.create_route, ApiId=api_id, RouteKey="$default")
    after = (client.get_api(ApiId=api_id), client.get_routes(ApiId=api_id)["Items"],
             client.get_integrations(ApiId=api_id)["Items"], client.get_stages(ApiId=api_id)["Items"],
             client.get_deployments(ApiId=api_id)["Items"])
    strip = lambda value: {k: v for k, v in value.items() if k != "ResponseMetadata"} if isinstance(value, dict) else value
    assert [strip(x) for x in before] == [strip(x) for x in after]


def test_quick_created_integration_and_stage_cannot_be_deleted(fresh):
    """AWS: "You can update a managed integration, but you can't delete it"; "the $default stage is
    managed by API Gateway. You can't modify the $default stage." Both refusals change nothing."""
    client = fresh.client()
    api_id = quick_api(client)["ApiId"]
    [route] = client.get_routes(ApiId=api_id)["Items"]
    client.delete_route(ApiId=api_id, RouteId=route["RouteId"])  # frees the integration of its route
    [integration] = client.get_integrations(ApiId=api_id)["Items"]
    code, message, status = aws_error(client.delete_integration, ApiId=api_id, IntegrationId=integration["IntegrationId"])
    assert (code, status) == ("BadRequestException", 400)
    assert "managed" in message
    code, _, status = aws_error(client.delete_stage, ApiId=api_id, StageName="$default")
    assert (code, status) == ("BadRequestException", 400)
    assert len(client.get_integrations(ApiId=api_id)["Items"]) == 1
    assert [stage["StageName"] for stage in client.get_stages(ApiId=api_id)["Items"]] == ["$default"]


def test_quick_update_of_the_target_keeps_timeout_and_tls(fresh):
    """AWS: a target update "updates the integration URI and integration type", nothing else."""
    client = fresh.client()
    api_id = quick_api(client, target="https://one.example/")["ApiId"]
    [integration] = client.get_integrations(ApiId=api_id)["Items"]
    client.update_integration(ApiId=api_id, IntegrationId=integration["IntegrationId"], TimeoutInMillis=12000,
                              TlsConfig={"ServerNameToVerify": "one.example"})
    client.update_api(ApiId=api_id, Target="https://two.example/")
    [integration] = client.get_integrations(ApiId=api_id)["Items"]
    assert integration["IntegrationUri"] == "https://two.example/"
    assert integration["TimeoutInMillis"] == 12000
    assert integration["TlsConfig"] == {"ServerNameToVerify": "one.example"}


def test_reads_of_resources_portico_does_not_have_yet_are_empty(fresh):
    """Authorizers, models, route/integration responses, domain names and VPC links: AWS answers an
    API or account without any with an empty list (and NotFound for an id), so listing tools work."""
    client = fresh.client()
    api_id = quick_api(client)["ApiId"]
    [route] = client.get_routes(ApiId=api_id)["Items"]
    [integration] = client.get_integrations(ApiId=api_id)["Items"]
    assert client.get_authorizers(ApiId=api_id)["Items"] == []
    assert client.get_models(ApiId=api_id)["Items"] == []
    assert client.get_route_responses(ApiId=api_id, RouteId=route["RouteId"])["Items"] == []
    assert client.get_integration_responses(ApiId=api_id, IntegrationId=integration["IntegrationId"])["Items"] == []
    assert client.get_domain_names()["Items"] == []
    assert client.get_vpc_links()["Items"] == []
    assert cli_json(fresh, "get-authorizers", "--api-id", api_id)["Items"] == []
    for call, kwargs in [
        (client.get_authorizers, {"ApiId": "nope000000"}),
        (client.get_authorizer, {"ApiId": api_id, "AuthorizerId": "abc123"}),
        (client.get_model, {"ApiId": api_id, "ModelId": "abc123"}),
        (client.get_route_responses, {"ApiId": api_id, "RouteId": "nope"}),
        (client.get_integration_responses, {"ApiId": api_id, "IntegrationId": "nope"}),
        (client.get_domain_name, {"DomainName": "api.example.com"}),
        (client.get_api_mappings, {"DomainName": "api.example.com"}),
    ]:
        code, _, status = aws_error(call, **kwargs)
        assert (code, status) == ("NotFoundException", 404), call
