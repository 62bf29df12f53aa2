"""REST API data plane: routing, MOCK integrations, gateway responses, passthrough behaviour and
request validation, against the real binary."""
import json
import re

from rest_dataplane_helpers import MOCK_200, RestApi, call, wait_for


def missing_token(response):
    assert response.status_code == 403
    assert response.json() == {"message": "Missing Authentication Token"}
    assert response.headers["x-amzn-ErrorType"] == "MissingAuthenticationTokenException"


def test_mock_template_status_selects_integration_response(fresh):
    api = RestApi(fresh)
    api.method(
        "/scope", "GET",
        {"type": "MOCK", "requestTemplates": {
            "application/json": '{#if( $input.params(\'scope\') == "internal" )"statusCode": 200#else"statusCode": 500#end}'}},
        responses={
            "200": {"selectionPattern": "", "responseTemplates": {"application/json":
                    '{"ok": true, "stage": "$context.stage", "time": "$context.requestTime", "path": "$context.resourcePath"}'}},
            "500": {"selectionPattern": "5\\d{2}", "responseTemplates": {"application/json": '{"message": "external"}'}},
        })
    api.deploy()
    ok = call(fresh, api.id, "/test/scope?scope=internal")
    assert ok.status_code == 200
    body = ok.json()
    assert re.fullmatch(r"\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d \+0000", body.pop("time"))
    assert body == {"ok": True, "stage": "test", "path": "/scope"}
    assert ok.headers["Content-Type"] == "application/json"
    failed = call(fresh, api.id, "/test/scope?scope=other", style="path")
    assert failed.status_code == 500
    assert failed.json() == {"message": "external"}


def test_rest_responses_carry_aws_headers(fresh):
    api = RestApi(fresh)
    api.method("/", "GET", MOCK_200, responses={"200": {}})
    api.deploy()
    response = call(fresh, api.id, "/test")
    assert response.status_code == 200
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", response.headers["x-amzn-RequestId"])
    assert response.headers["x-amz-apigw-id"]
    assert re.fullmatch(r"Root=1-[0-9a-f]{8}-[0-9a-f]{24}", response.headers["X-Amzn-Trace-Id"])


def test_unknown_resource_method_or_stage_is_missing_authentication_token(fresh):
    api = RestApi(fresh)
    api.method("/pets", "GET", MOCK_200, responses={"200": {}})
    api.deploy()
    missing_token(call(fresh, api.id, "/test/random-non-existing"))
    missing_token(call(fresh, api.id, "/test/pets", method="POST"))
    missing_token(call(fresh, api.id, "/nostage/pets"))
    missing_token(call(fresh, api.id, "/test/pets", style="path", method="DELETE"))
    assert call(fresh, api.id, "/test/pets").status_code == 200


def test_router_precedence_literal_param_greedy_and_any(fresh):
    api = RestApi(fresh)
    for path, label in (("/pets/mine", "literal"), ("/pets/{id}", "param"), ("/{proxy+}", "greedy")):
        api.method(path, "ANY", MOCK_200, responses={"200": {"responseTemplates": {
            "application/json": '{"route": "' + label + '", "id": "$input.params(\'id\')", "proxy": "$input.params(\'proxy\')"}'}}})
    api.method("/pets/{id}", "GET", MOCK_200, responses={"200": {"responseTemplates": {"application/json": '{"route": "get-param"}'}}})
    api.deploy()
    assert call(fresh, api.id, "/test/pets/mine").json()["route"] == "literal"
    assert call(fresh, api.id, "/test/pets/7").json() == {"route": "get-param"}
    assert call(fresh, api.id, "/test/pets/7", method="PUT").json()["id"] == "7"
    greedy = call(fresh, api.id, "/test/a/b/c").json()
    assert greedy["route"] == "greedy" and greedy["proxy"] == "a/b/c"
    # A greedy resource needs at least one segment: the root has no method.
    missing_token(call(fresh, api.id, "/test/"))


def test_gateway_response_customisation(fresh):
    api = RestApi(fresh)
    api.method("/pets", "GET", MOCK_200, responses={"200": {}})
    api.client.put_gateway_response(
        restApiId=api.id, responseType="MISSING_AUTHENTICATION_TOKEN", statusCode="404",
        responseParameters={"gatewayresponse.header.x-custom": "'yes'", "gatewayresponse.header.x-echo": "method.request.header.x-in"},
        responseTemplates={"application/json": '{"error": $context.error.messageString, "type": "$context.error.responseType"}'})
    api.client.put_gateway_response(restApiId=api.id, responseType="DEFAULT_4XX", responseParameters={
        "gatewayresponse.header.Access-Control-Allow-Origin": "'*'"})
    api.deploy()
    response = call(fresh, api.id, "/test/nothing", headers={"x-in": "hello"})
    assert response.status_code == 404
    assert response.json() == {"error": "Missing Authentication Token", "type": "MISSING_AUTHENTICATION_TOKEN"}
    assert response.headers["x-custom"] == "yes"
    assert response.headers["x-echo"] == "hello"
    # Another 4xx type still at its default inherits DEFAULT_4XX's headers.
    api.method("/strict", "POST", {"type": "MOCK", "passthroughBehavior": "NEVER",
                                   "requestTemplates": {"application/json": '{"statusCode": 200}'}}, responses={"200": {}})
    api.deploy()
    refused = call(fresh, api.id, "/test/strict", method="POST", data="x", headers={"Content-Type": "text/plain"})
    assert refused.status_code == 415
    assert refused.headers["Access-Control-Allow-Origin"] == "*"


def test_passthrough_never_and_when_no_templates(fresh):
    api = RestApi(fresh)
    api.method("/never", "POST", {"type": "MOCK", "passthroughBehavior": "NEVER",
                                  "requestTemplates": {"application/json": '{"statusCode": 200}'}}, responses={"200": {}})
    api.method("/notemplates", "POST", {"type": "MOCK", "passthroughBehavior": "WHEN_NO_TEMPLATES",
                                        "requestTemplates": {"application/json": '{"statusCode": 200}'}}, responses={"200": {}})
    api.method("/nomatch", "POST", {"type": "MOCK", "passthroughBehavior": "WHEN_NO_MATCH",
                                    "requestTemplates": {"application/json": '{"statusCode": 200}'}}, responses={"200": {}})
    api.deploy()
    for path in ("/never", "/notemplates"):
        refused = call(fresh, api.id, f"/test{path}", method="POST", data="<a/>", headers={"Content-Type": "application/xml"})
        assert refused.status_code == 415, path
        assert refused.json() == {"message": "Unsupported Media Type"}
        accepted = call(fresh, api.id, f"/test{path}", method="POST", json={"a": 1})
        assert accepted.status_code == 200, path
    # WHEN_NO_MATCH passes an unmatched payload through: the MOCK then answers its default.
    assert call(fresh, api.id, "/test/nomatch", method="POST", data="<a/>", headers={"Content-Type": "application/xml"}).status_code == 200


def test_mock_without_default_response_is_internal_error(fresh):
    api = RestApi(fresh)
    api.method("/only500", "GET", MOCK_200, responses={"500": {"selectionPattern": "5\\d{2}"}})
    api.method("/badtemplate", "GET", {"type": "MOCK", "requestTemplates": {"application/json": "not json"}}, responses={"200": {}})
    api.deploy()
    for path in ("/only500", "/badtemplate"):
        response = call(fresh, api.id, f"/test{path}")
        assert response.status_code == 500, path
        assert response.json() == {"message": "Internal server error"}


def test_request_validation_messages(fresh):
    api = RestApi(fresh)
    validator = api.client.create_request_validator(
        restApiId=api.id, name="all", validateRequestBody=True, validateRequestParameters=True)["id"]
    model = api.client.create_model(
        restApiId=api.id, name="Pet", contentType="application/json",
        schema=json.dumps({"type": "object", "properties": {"name": {"type": "string"}}}))["name"]
    api.method("/items/{issuer}", "POST", MOCK_200, responses={"200": {}}, requestValidatorId=validator,
               requestParameters={"method.request.header.x-header-param": True, "method.request.querystring.qs1": True,
                                  "method.request.path.issuer": True, "method.request.querystring.optional": False},
               requestModels={"application/json": model})
    api.deploy()
    both = call(fresh, api.id, "/test/items/me", method="POST", json={})
    assert both.status_code == 400
    assert both.json() == {"message": "Missing required request parameters: [x-header-param, qs1]"}
    assert both.headers["x-amzn-ErrorType"] == "BadRequestException"
    header_only = call(fresh, api.id, "/test/items/me?qs1=a", method="POST", json={})
    assert header_only.json() == {"message": "Missing required request parameters: [x-header-param]"}
    bad_body = call(fresh, api.id, "/test/items/me?qs1=a", method="POST", data="{not json",
                    headers={"x-header-param": "v", "Content-Type": "application/json"})
    assert bad_body.status_code == 400
    assert bad_body.json() == {"message": "Invalid request body"}
    # The body is checked against the model's JSON Schema.
    wrong_type = call(fresh, api.id, "/test/items/me?qs1=a", method="POST", json={"name": 7}, headers={"x-header-param": "v"})
    assert wrong_type.status_code == 400
    assert wrong_type.json() == {"message": "Invalid request body"}
    ok = call(fresh, api.id, "/test/items/me?qs1=a", method="POST", json={"name": "rex"}, headers={"x-header-param": "v"})
    assert ok.status_code == 200


def test_validation_error_string_in_a_customised_gateway_response(fresh):
    api = RestApi(fresh)
    validator = api.client.create_request_validator(restApiId=api.id, name="body", validateRequestBody=True)["id"]
    model = api.client.create_model(
        restApiId=api.id, name="Order", contentType="application/json",
        schema=json.dumps({"type": "object", "required": ["qty"], "properties": {"qty": {"type": "integer", "minimum": 1}}}))["name"]
    api.method("/orders", "POST", MOCK_200, responses={"200": {}}, requestValidatorId=validator,
               requestModels={"application/json": model})
    api.client.put_gateway_response(restApiId=api.id, responseType="BAD_REQUEST_BODY", statusCode="422", responseTemplates={
        "application/json": '{"message": $context.error.messageString, "details": "$context.error.validationErrorString"}'})
    api.deploy()
    refused = call(fresh, api.id, "/test/orders", method="POST", json={"qty": 0})
    assert refused.status_code == 422
    assert refused.json()["message"] == "Invalid request body"
    assert refused.json()["details"].startswith("[")
    assert call(fresh, api.id, "/test/orders", method="POST", json={"qty": 2}).status_code == 200
    # No Content-Type is read as application/json; a type without a model is not validated.
    assert call(fresh, api.id, "/test/orders", method="POST", data="{}").status_code == 422
    assert call(fresh, api.id, "/test/orders", method="POST", data="x", headers={"Content-Type": "text/plain"}).status_code == 200


def test_disabled_execute_api_endpoint_is_forbidden(fresh):
    api = RestApi(fresh, disableExecuteApiEndpoint=True)
    api.method("/", "GET", MOCK_200, responses={"200": {}})
    api.client.create_deployment(restApiId=api.id, stageName="test")

    # Before the deployment is live the stage is unknown, which is a 403 too ("Missing Authentication Token"):
    # wait for the disabled endpoint's own answer.
    wait_for(lambda: call(fresh, api.id, "/test").json() == {"message": "Forbidden"})
    response = call(fresh, api.id, "/test")
    assert response.status_code == 403
    assert response.json() == {"message": "Forbidden"}


def test_iam_without_signature_and_api_key_required_are_refused(fresh):
    api = RestApi(fresh)
    api.method("/iam", "GET", MOCK_200, responses={"200": {}}, authorizationType="AWS_IAM")
    api.method("/keyed", "GET", MOCK_200, responses={"200": {}}, apiKeyRequired=True)
    api.method("/open", "GET", MOCK_200, responses={"200": {}})
    api.deploy()
    missing_token(call(fresh, api.id, "/test/iam"))
    # A malformed signature is refused too now that signatures are verified (test_iam_auth.py).
    assert call(fresh, api.id, "/test/iam", headers={"Authorization": "AWS4-HMAC-SHA256 Credential=x"}).status_code == 403
    for headers in ({}, {"x-api-key": "not-a-key"}):
        refused = call(fresh, api.id, "/test/keyed", headers=headers)
        assert refused.status_code == 403
        assert refused.json() == {"message": "Forbidden"}
