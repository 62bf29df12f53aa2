"""HTTP API JWT authorizers end to end: management through the AWS CLI and boto3 (CreateAuthorizer …
DeleteAuthorizer with JwtConfiguration, routes with JWT and AuthorizationScopes), and the data plane
against a real OpenID provider on loopback (jwt_helpers.OpenIdProvider): every refused token (401 with
AWS's www-authenticate header), scopes (403), claims reaching a Lambda function (payload 2.0 and 1.0)
and an HTTP backend ($context.authorizer.claims.* in parameter mapping), key rotation with a refresh on
an unknown kid, and an issuer that cannot be reached."""
import json
import time

import pytest
import requests
from botocore.exceptions import ClientError

import jwt_helpers
from dataplane_helpers import wait_until_served
from rest_dataplane_helpers import wait_for
from conftest import Portico
from jwt_helpers import Key, OpenIdProvider, claims, sign
from lambda_helpers import KEY_ID, SECRET, function_arn, invocation_uri
from lambda_server import LambdaServer

AUDIENCE = "portico-client"


@pytest.fixture(scope="module")
def env(upstream):
    k1 = Key("k1")
    provider = OpenIdProvider([k1])
    server = LambdaServer(credentials=(KEY_ID, SECRET))
    server.scripts["jbackend"] = ("json", {"statusCode": 200, "body": "backend"})
    env = {"AWS_ACCESS_KEY_ID": KEY_ID, "AWS_SECRET_ACCESS_KEY": SECRET, "AWS_SESSION_TOKEN": "",
           "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent"}
    # A refresh for every unknown kid, so that rotation is seen at once (the default bounds it).
    portico = Portico("--lambda-endpoint", server.url, "--lambda-region", "us-east-1",
                      "--jwks-min-refresh-seconds", "0", "--cognito-endpoint", provider.issuer, env=env)
    yield {"provider": provider, "k1": k1, "server": server, "portico": portico, "upstream": upstream}
    portico.stop()
    server.stop()
    provider.stop()


def build(env, issuer=None, scopes=("read",)):
    portico = env["portico"]
    client = portico.client()
    api_id = client.create_api(Name="jwt-api", ProtocolType="HTTP")["ApiId"]
    authorizer = client.create_authorizer(
        ApiId=api_id, AuthorizerType="JWT", Name="jwt", IdentitySource=["$request.header.Authorization"],
        JwtConfiguration={"Issuer": issuer or env["provider"].issuer, "Audience": [AUDIENCE]})["AuthorizerId"]
    v2 = client.create_integration(ApiId=api_id, IntegrationType="AWS_PROXY", IntegrationUri=function_arn("jbackend"),
                                   PayloadFormatVersion="2.0")["IntegrationId"]
    v1 = client.create_integration(ApiId=api_id, IntegrationType="AWS_PROXY", IntegrationUri=invocation_uri("jbackend"),
                                   PayloadFormatVersion="1.0")["IntegrationId"]
    http = client.create_integration(
        ApiId=api_id, IntegrationType="HTTP_PROXY", IntegrationMethod="GET", IntegrationUri=env["upstream"].url + "/echo",
        PayloadFormatVersion="1.0",
        RequestParameters={"append:header.x-user": "$context.authorizer.claims.sub",
                           "append:header.x-email": "$context.authorizer.claims.email"})["IntegrationId"]
    jwt_route = {"AuthorizationType": "JWT", "AuthorizerId": authorizer}
    client.create_route(ApiId=api_id, RouteKey="GET /any", Target=f"integrations/{v2}", **jwt_route)
    client.create_route(ApiId=api_id, RouteKey="GET /read", Target=f"integrations/{v2}", AuthorizationScopes=list(scopes), **jwt_route)
    client.create_route(ApiId=api_id, RouteKey="GET /v1", Target=f"integrations/{v1}", **jwt_route)
    client.create_route(ApiId=api_id, RouteKey="GET /http", Target=f"integrations/{http}", **jwt_route)
    client.create_route(ApiId=api_id, RouteKey="GET /open", Target=f"integrations/{v2}")
    client.create_stage(ApiId=api_id, StageName="$default", AutoDeploy=True)
    wait_until_served(portico, api_id, "$default")
    return api_id, authorizer


def get(portico, api_id, path, token=None, header="Authorization", prefix="Bearer "):
    headers = {"Host": f"{api_id}.execute-api.localhost"}
    if token is not None:
        headers[header] = prefix + token
    return requests.get(f"{portico.data_url}{path}", headers=headers, timeout=30)


def event_of(record):
    event = record["event"]
    return event if isinstance(event, dict) else json.loads(event)


def assert_refused(response, description=None):
    assert response.status_code == 401, response.text
    assert response.json() == {"message": "Unauthorized"}
    challenge = response.headers.get("www-authenticate", "")
    assert challenge.startswith('Bearer scope="" error="invalid_token" error_description="'), challenge
    if description:
        assert description in challenge, challenge


# --- management -----------------------------------------------------------------------------------

def test_management_cli_crud(env):
    portico = env["portico"]
    api_id = json.loads(portico.cli("apigatewayv2", "create-api", "--name", "m", "--protocol-type", "HTTP").stdout)["ApiId"]
    created = json.loads(portico.cli(
        "apigatewayv2", "create-authorizer", "--api-id", api_id, "--name", "my-jwt", "--authorizer-type", "JWT",
        "--identity-source", "$request.header.Authorization",
        "--jwt-configuration", "Audience=aud-1,Issuer=https://cognito-idp.us-west-2.amazonaws.com/us-west-2_abc123").stdout)
    assert created["AuthorizerType"] == "JWT"
    assert created["IdentitySource"] == ["$request.header.Authorization"]
    assert created["JwtConfiguration"] == {"Audience": ["aud-1"], "Issuer": "https://cognito-idp.us-west-2.amazonaws.com/us-west-2_abc123"}
    authorizer_id = created["AuthorizerId"]
    updated = json.loads(portico.cli(
        "apigatewayv2", "update-authorizer", "--api-id", api_id, "--authorizer-id", authorizer_id,
        "--jwt-configuration", "Audience=aud-1,aud-2").stdout)
    # Members left out keep their value.
    assert updated["JwtConfiguration"]["Audience"] == ["aud-1", "aud-2"]
    assert updated["JwtConfiguration"]["Issuer"].startswith("https://cognito-idp.")
    fetched = json.loads(portico.cli("apigatewayv2", "get-authorizer", "--api-id", api_id, "--authorizer-id", authorizer_id).stdout)
    assert fetched == updated
    listed = json.loads(portico.cli("apigatewayv2", "get-authorizers", "--api-id", api_id).stdout)["Items"]
    assert [item["AuthorizerId"] for item in listed] == [authorizer_id]
    route = json.loads(portico.cli(
        "apigatewayv2", "create-route", "--api-id", api_id, "--route-key", "GET /pets", "--authorization-type", "JWT",
        "--authorizer-id", authorizer_id, "--authorization-scopes", "pets/read", "pets/write").stdout)
    assert route["AuthorizationType"] == "JWT"
    assert route["AuthorizationScopes"] == ["pets/read", "pets/write"]
    refused = portico.cli("apigatewayv2", "delete-authorizer", "--api-id", api_id, "--authorizer-id", authorizer_id, check=False)
    assert refused.returncode != 0 and "ConflictException" in refused.stderr
    portico.cli("apigatewayv2", "delete-route", "--api-id", api_id, "--route-id", route["RouteId"])
    portico.cli("apigatewayv2", "delete-authorizer", "--api-id", api_id, "--authorizer-id", authorizer_id)
    gone = portico.cli("apigatewayv2", "get-authorizer", "--api-id", api_id, "--authorizer-id", authorizer_id, check=False)
    assert gone.returncode != 0 and "NotFoundException" in gone.stderr


def test_management_defaults_and_validation(env):
    client = env["portico"].client()
    api_id = client.create_api(Name="v", ProtocolType="HTTP")["ApiId"]
    created = client.create_authorizer(ApiId=api_id, AuthorizerType="JWT", Name="d", IdentitySource=[],
                                       JwtConfiguration={"Issuer": "https://issuer.example", "Audience": ["a"]})
    assert created["IdentitySource"] == ["$request.header.Authorization"]
    bad = [
        {"JwtConfiguration": {"Audience": ["a"]}},
        {"JwtConfiguration": {"Issuer": "https://issuer.example"}},
        {"JwtConfiguration": {"Issuer": "http://issuer.example", "Audience": ["a"]}},
        {"JwtConfiguration": {"Issuer": "issuer.example", "Audience": ["a"]}},
        {"JwtConfiguration": {"Issuer": "https://issuer.example", "Audience": ["a"]},
         "IdentitySource": ["$request.header.A", "$request.header.B"]},
        {"JwtConfiguration": {"Issuer": "https://issuer.example", "Audience": ["a"]}, "IdentitySource": ["$context.requestId"]},
    ]
    for extra in bad:
        kwargs = {"ApiId": api_id, "AuthorizerType": "JWT", "Name": "bad", "IdentitySource": ["$request.header.Authorization"]}
        kwargs.update(extra)
        with pytest.raises(ClientError) as error:
            client.create_authorizer(**kwargs)
        assert error.value.response["Error"]["Code"] == "BadRequestException", extra
    # A JWT route needs a JWT authorizer: a Lambda one is not found for it.
    lambda_authorizer = client.create_authorizer(
        ApiId=api_id, AuthorizerType="REQUEST", Name="l", AuthorizerUri=invocation_uri("x"), AuthorizerPayloadFormatVersion="2.0",
        EnableSimpleResponses=True, IdentitySource=["$request.header.Authorization"])["AuthorizerId"]
    with pytest.raises(ClientError) as error:
        client.create_route(ApiId=api_id, RouteKey="GET /x", AuthorizationType="JWT", AuthorizerId=lambda_authorizer)
    assert error.value.response["Error"]["Code"] == "NotFoundException"
    with pytest.raises(ClientError) as error:
        client.create_route(ApiId=api_id, RouteKey="GET /y", AuthorizationType="CUSTOM", AuthorizerId=created["AuthorizerId"])
    assert error.value.response["Error"]["Code"] == "NotFoundException"


# --- data plane -----------------------------------------------------------------------------------

def test_valid_token_reaches_the_function_with_its_claims(env):
    portico, server, provider, k1 = env["portico"], env["server"], env["provider"], env["k1"]
    api_id, _ = build(env)
    token = sign(k1, claims(provider.issuer, email="a@example.com", scope="read write", groups=["admin", "ops"]))
    server.clear()
    for prefix in ("Bearer ", "", "bearer "):
        response = get(portico, api_id, "/read", token, prefix=prefix)
        assert response.status_code == 200, (prefix, response.text, response.headers)
        assert response.text == "backend"
    event = event_of(server.last("jbackend"))
    jwt_context = event["requestContext"]["authorizer"]["jwt"]
    assert jwt_context["claims"]["sub"] == "user-1"
    assert jwt_context["claims"]["email"] == "a@example.com"
    assert jwt_context["claims"]["iss"] == provider.issuer
    # AWS passes every claim as a string: numbers as digits, lists as [a b].
    assert jwt_context["claims"]["exp"].isdigit()
    assert jwt_context["claims"]["groups"] == "[admin ops]"
    assert jwt_context["scopes"] == ["read", "write"]

    server.clear()
    assert get(portico, api_id, "/v1", token).status_code == 200
    event = event_of(server.last("jbackend"))
    assert event["requestContext"]["authorizer"]["claims"]["email"] == "a@example.com"
    assert event["requestContext"]["authorizer"]["scopes"] == ["read", "write"]


def test_claims_reach_an_http_backend_through_parameter_mapping(env):
    portico, provider, k1 = env["portico"], env["provider"], env["k1"]
    api_id, _ = build(env)
    token = sign(k1, claims(provider.issuer, sub="mapped-user", email="m@example.com"))
    response = get(portico, api_id, "/http", token)
    assert response.status_code == 200, response.text
    headers = {name.lower(): value for name, value in response.json()["headers"]}
    assert headers["x-user"] == "mapped-user"
    assert headers["x-email"] == "m@example.com"


def test_missing_token_is_401(env):
    portico = env["portico"]
    api_id, _ = build(env)
    for response in (get(portico, api_id, "/any"), get(portico, api_id, "/any", "", prefix="")):
        assert response.status_code == 401
        assert response.json() == {"message": "Unauthorized"}
    # The token must be in the configured header, not another.
    token = sign(env["k1"], claims(env["provider"].issuer))
    assert get(portico, api_id, "/any", token, header="X-Token").status_code == 401


def test_scopes(env):
    portico, provider, k1 = env["portico"], env["provider"], env["k1"]
    api_id, _ = build(env, scopes=("read", "admin"))
    for token_claims in (claims(provider.issuer, scope="write"), claims(provider.issuer)):
        response = get(portico, api_id, "/read", sign(k1, token_claims))
        assert response.status_code == 403, response.text
        assert response.json() == {"message": "Forbidden"}
        assert 'error="insufficient_scope"' in response.headers["www-authenticate"]
    # `scp` as a list (as some providers send it), and one of several scopes is enough.
    assert get(portico, api_id, "/read", sign(k1, claims(provider.issuer, scp=["admin"]))).status_code == 200
    assert get(portico, api_id, "/read", sign(k1, claims(provider.issuer, scope="x admin"))).status_code == 200
    # A route without scopes takes any valid token.
    assert get(portico, api_id, "/any", sign(k1, claims(provider.issuer))).status_code == 200


def test_every_bad_token_is_refused(env):
    portico, provider, k1 = env["portico"], env["provider"], env["k1"]
    api_id, _ = build(env)
    issuer = provider.issuer
    now = int(time.time())
    good = claims(issuer)
    stranger = Key("k1")  # the right kid, the wrong key
    cases = {
        "alg none": jwt_helpers.unsigned(good),
        "alg None": jwt_helpers.unsigned(good, alg="None"),
        "alg NONE": jwt_helpers.unsigned(good, alg="NONE"),
        "alg nOnE with a signature": jwt_helpers.unsigned(good, alg="nOnE") + "c2ln",
        "HS256 keyed with the public key": jwt_helpers.hmac_with_public_key(k1, good),
        "HS512 keyed with the public key": jwt_helpers.hmac_with_public_key(k1, good, "HS512"),
        "ES256 (not RSA)": sign(Key("k1", kind="EC"), good),
        "unknown kid": sign(Key("nope"), good),
        "wrong key": sign(stranger, good),
        "jku elsewhere": sign(k1, good, headers={"jku": "https://attacker.example/jwks"}),
        "x5u elsewhere": sign(k1, good, headers={"x5u": "https://attacker.example/cert"}),
        "embedded jwk": sign(k1, good, headers={"jwk": k1.jwk}),
        "crit": sign(k1, good, headers={"crit": ["exp"]}),
        "no exp": sign(k1, claims(issuer, exp=None)),
        "expired": sign(k1, claims(issuer, exp=now - 3600)),
        "future nbf": sign(k1, claims(issuer, nbf=now + 3600)),
        "future iat": sign(k1, claims(issuer, iat=now + 3600)),
        "wrong iss": sign(k1, claims(issuer + "/other")),
        "wrong aud": sign(k1, claims(issuer, audience="someone-else")),
        "no aud, wrong client_id": sign(k1, claims(issuer, audience=None, client_id="someone-else")),
        "not a JWT": "not-a-token",
        "padded": sign(k1, good) + "==",
        "five parts (JWE)": "a.b.c.d.e",
        "oversized": sign(k1, claims(issuer, pad="x" * 6500)),
    }
    # A payload changed under the original header and signature.
    header, _, signature = sign(k1, good).split(".")
    cases["tampered payload"] = header + "." + jwt_helpers.b64url(json.dumps(claims(issuer, sub="admin"))) + "." + signature
    for name, token in cases.items():
        response = get(portico, api_id, "/any", token)
        assert response.status_code == 401, (name, response.status_code, response.text)
        assert_refused(response)
    assert_refused(get(portico, api_id, "/any", sign(k1, claims(issuer, exp=now - 3600))), "the token has expired")
    assert_refused(get(portico, api_id, "/any", sign(k1, claims(issuer, audience="x"))), "the token does not have a valid audience")
    # client_id stands in for aud only when there is no aud (AWS: access tokens such as Cognito's).
    assert get(portico, api_id, "/any", sign(k1, claims(issuer, audience=None, client_id=AUDIENCE))).status_code == 200
    # Each RSA algorithm AWS's "RSA-based" covers is accepted.
    for alg in ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512"):
        assert get(portico, api_id, "/any", sign(k1, good, alg=alg)).status_code == 200, alg


def test_key_rotation(env):
    try:
        rotate(env)
    finally:
        env["provider"].set_keys([env["k1"]])


def rotate(env):
    portico, provider, k1 = env["portico"], env["provider"], env["k1"]
    api_id, _ = build(env)
    issuer = provider.issuer
    # One k1 token throughout: after its first check Portico remembers its signature as verified,
    # and that must not outlive k1's removal from the key set.
    t1 = sign(k1, claims(issuer))
    assert get(portico, api_id, "/any", t1).status_code == 200
    k2 = Key("k2")
    # Not published yet: a refresh finds nothing, the token is refused.
    assert_refused(get(portico, api_id, "/any", sign(k2, claims(issuer))))
    provider.set_keys([k1, k2])
    before = provider.jwks_fetches()
    # Published: the unknown kid makes Portico fetch the key set again, and the token passes.
    assert get(portico, api_id, "/any", sign(k2, claims(issuer))).status_code == 200
    assert provider.jwks_fetches() == before + 1
    # Known keys need no fetch.
    assert get(portico, api_id, "/any", t1).status_code == 200
    assert provider.jwks_fetches() == before + 1
    # k1 retired: still accepted until the set is refreshed (here by a token with an unknown kid)...
    provider.set_keys([k2])
    assert get(portico, api_id, "/any", t1).status_code == 200
    assert_refused(get(portico, api_id, "/any", sign(Key("k3"), claims(issuer))))
    # ...and refused after it.
    assert_refused(get(portico, api_id, "/any", t1))
    assert get(portico, api_id, "/any", sign(k2, claims(issuer))).status_code == 200


def test_unreachable_issuer_is_401(env):
    from upstream import closed_port

    portico = env["portico"]
    issuer = f"http://127.0.0.1:{closed_port()}"
    api_id, _ = build(env, issuer=issuer)
    response = get(portico, api_id, "/any", sign(env["k1"], claims(issuer)))
    assert_refused(response)


def test_configured_jwks_url_replaces_discovery(env):
    """`--jwks-url ISSUER=URL` (beyond AWS, which only discovers): an issuer with no discovery document (here an
    address nothing listens on) verifies against the configured key set; without the flag it is refused."""
    from upstream import closed_port

    provider = env["provider"]
    issuer = f"http://127.0.0.1:{closed_port()}/no-discovery"
    jwks_url = provider.issuer + "/configured/jwks"
    fetches_before = sum(1 for path in provider.fetches if path == "/configured/jwks")
    portico = Portico("--lambda-endpoint", env["server"].url, "--lambda-region", "us-east-1",
                      "--jwks-url", f"{issuer}/={jwks_url}",
                      env={"AWS_ACCESS_KEY_ID": KEY_ID, "AWS_SECRET_ACCESS_KEY": SECRET, "AWS_SESSION_TOKEN": "",
                           "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent"})
    try:
        configured = dict(env, portico=portico)
        api_id, _ = build(configured, issuer=issuer)
        assert get(portico, api_id, "/any", sign(env["k1"], claims(issuer))).status_code == 200
        assert sum(1 for path in provider.fetches if path == "/configured/jwks") == fetches_before + 1
        # Another issuer on the same Portico still goes through discovery, and is refused when it has none.
        other = f"http://127.0.0.1:{closed_port()}/other"
        api_other, _ = build(configured, issuer=other)
        assert_refused(get(portico, api_other, "/any", sign(env["k1"], claims(other))))
    finally:
        portico.stop()
    # The main Portico, without the flag, refuses the same token.
    api_plain, _ = build(env, issuer=issuer)
    assert_refused(get(env["portico"], api_plain, "/any", sign(env["k1"], claims(issuer))))


# --- REST APIs: Cognito user pool authorizers -----------------------------------------------------

POOL_ARN = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Pool1"


def build_rest(env):
    portico, upstream = env["portico"], env["upstream"]
    client = portico.client("apigateway")
    api_id = client.create_rest_api(name="cognito")["id"]
    root = client.get_resources(restApiId=api_id)["items"][0]["id"]
    authorizer = client.create_authorizer(restApiId=api_id, name="pool", type="COGNITO_USER_POOLS", providerARNs=[POOL_ARN],
                                          identitySource="method.request.header.Authorization")
    assert authorizer["type"] == "COGNITO_USER_POOLS" and authorizer["providerARNs"] == [POOL_ARN]
    for path, scopes in (("id", []), ("scoped", ["pets/read"]), ("proxy", [])):
        resource = client.create_resource(restApiId=api_id, parentId=root, pathPart=path)["id"]
        kwargs = {"authorizationScopes": scopes} if scopes else {}
        method = client.put_method(restApiId=api_id, resourceId=resource, httpMethod="GET", authorizationType="COGNITO_USER_POOLS",
                                   authorizerId=authorizer["id"], **kwargs)
        assert method["authorizationType"] == "COGNITO_USER_POOLS"
        if path == "proxy":
            client.put_integration(restApiId=api_id, resourceId=resource, httpMethod="GET", type="AWS_PROXY",
                                   integrationHttpMethod="POST", uri=invocation_uri("jbackend"))
        else:
            client.put_integration(
                restApiId=api_id, resourceId=resource, httpMethod="GET", type="HTTP", integrationHttpMethod="GET",
                uri=upstream.url + "/echo", requestParameters={"integration.request.header.x-user": "context.authorizer.claims.sub"},
                requestTemplates={"application/json": '{"email": "$context.authorizer.claims.email"}'})
            client.put_method_response(restApiId=api_id, resourceId=resource, httpMethod="GET", statusCode="200")
            client.put_integration_response(restApiId=api_id, resourceId=resource, httpMethod="GET", statusCode="200")
    client.create_deployment(restApiId=api_id, stageName="test")
    # Served once the method is known: without a token it is 401, not 403 Missing Authentication Token.
    wait_for(lambda: rest_get(portico, api_id, "id").status_code == 401)
    return api_id


def rest_get(portico, api_id, path, token=None):
    headers = {"Host": f"{api_id}.execute-api.localhost"}
    if token is not None:
        headers["Authorization"] = token
    return requests.get(f"{portico.data_url}/test/{path}", headers=headers, timeout=30)


def test_cognito_user_pool_authorizer(env):
    portico, provider, server, k1 = env["portico"], env["provider"], env["server"], env["k1"]
    provider.set_keys([k1])
    api_id = build_rest(env)
    issuer = provider.issuer + "/us-east-1_Pool1"
    id_token = sign(k1, claims(issuer, audience="app-client-1", token_use="id", email="c@example.com", sub="cognito-user"))
    access_token = sign(k1, claims(issuer, audience=None, client_id="app-client-1", token_use="access", scope="pets/read"))

    # An id token on a method without scopes: the claims reach the backend's request mapping.
    response = rest_get(portico, api_id, "id", id_token)
    assert response.status_code == 200, response.text
    echoed = response.json()
    headers = {name.lower(): value for name, value in echoed["headers"]}
    assert headers["x-user"] == "cognito-user"
    assert json.loads(echoed["body"]) == {"email": "c@example.com"}

    # Scopes: an access token with one of them; an id token, or an access token without, is refused.
    assert rest_get(portico, api_id, "scoped", access_token).status_code == 200
    assert rest_get(portico, api_id, "scoped", id_token).status_code == 401
    no_scope = sign(k1, claims(issuer, audience=None, client_id="app-client-1", token_use="access", scope="other"))
    assert rest_get(portico, api_id, "scoped", no_scope).status_code == 401
    # Without scopes the method wants an id token.
    assert rest_get(portico, api_id, "id", access_token).status_code == 401

    # The proxy event carries requestContext.authorizer.claims.
    server.clear()
    assert rest_get(portico, api_id, "proxy", id_token).status_code == 200
    event = event_of(server.last("jbackend"))
    assert event["requestContext"]["authorizer"]["claims"]["email"] == "c@example.com"
    assert event["requestContext"]["authorizer"]["claims"]["sub"] == "cognito-user"

    now = int(time.time())
    refused = {
        "missing": None,
        "empty": "",
        "alg none": jwt_helpers.unsigned(claims(issuer, token_use="id")),
        "HMAC with the public key": jwt_helpers.hmac_with_public_key(k1, claims(issuer, token_use="id")),
        "another pool": sign(k1, claims(provider.issuer + "/us-east-1_Other", token_use="id")),
        "expired": sign(k1, claims(issuer, token_use="id", exp=now - 3600)),
        "unknown kid": sign(Key("zz"), claims(issuer, token_use="id")),
        "garbage": "abc.def.ghi",
    }
    for name, token in refused.items():
        response = rest_get(portico, api_id, "id", token)
        assert response.status_code == 401, (name, response.text)
        assert response.json() == {"message": "Unauthorized"}, name


def test_cognito_management_validation(env):
    client = env["portico"].client("apigateway")
    api_id = client.create_rest_api(name="cognito-v")["id"]
    for kwargs in ({"providerARNs": ["arn:aws:iam::123456789012:role/x"]}, {"providerARNs": []},
                   {"providerARNs": [POOL_ARN], "identitySource": "method.request.querystring.token"}):
        with pytest.raises(ClientError) as error:
            client.create_authorizer(restApiId=api_id, name="bad", type="COGNITO_USER_POOLS", **kwargs)
        assert error.value.response["Error"]["Code"] == "BadRequestException", kwargs


def test_openapi_import_and_export_of_jwt_authorizers(env):
    client = env["portico"].client()
    definition = {
        "openapi": "3.0.1",
        "info": {"title": "jwt-import", "version": "1"},
        "components": {"securitySchemes": {"my-jwt": {
            "type": "oauth2", "flows": {},
            "x-amazon-apigateway-authorizer": {
                "type": "jwt", "identitySource": "$request.header.Authorization",
                "jwtConfiguration": {"issuer": "https://issuer.example", "audience": ["aud-1"]}}}}},
        "paths": {"/pets": {"get": {
            "security": [{"my-jwt": ["pets/read"]}],
            "x-amazon-apigateway-integration": {"type": "http_proxy", "httpMethod": "GET", "uri": "https://example.com/pets",
                                                "payloadFormatVersion": "1.0"}}}},
    }
    api_id = client.import_api(Body=json.dumps(definition))["ApiId"]
    authorizers = client.get_authorizers(ApiId=api_id)["Items"]
    assert len(authorizers) == 1
    assert authorizers[0]["AuthorizerType"] == "JWT"
    assert authorizers[0]["JwtConfiguration"] == {"Issuer": "https://issuer.example", "Audience": ["aud-1"]}
    assert authorizers[0]["IdentitySource"] == ["$request.header.Authorization"]
    route = client.get_routes(ApiId=api_id)["Items"][0]
    assert route["AuthorizationType"] == "JWT"
    assert route["AuthorizerId"] == authorizers[0]["AuthorizerId"]
    assert route["AuthorizationScopes"] == ["pets/read"]
    exported = json.loads(client.export_api(ApiId=api_id, Specification="OAS30", OutputType="JSON")["body"].read())
    scheme = exported["components"]["securitySchemes"]["my-jwt"]
    assert scheme["type"] == "oauth2"
    assert scheme["x-amazon-apigateway-authorizer"]["type"] == "jwt"
    assert scheme["x-amazon-apigateway-authorizer"]["jwtConfiguration"] == {"audience": ["aud-1"], "issuer": "https://issuer.example"}
    assert exported["paths"]["/pets"]["get"]["security"] == [{"my-jwt": ["pets/read"]}]
    # The export imports again to the same authorizer and route.
    again = client.import_api(Body=json.dumps(exported))["ApiId"]
    assert client.get_routes(ApiId=again)["Items"][0]["AuthorizationScopes"] == ["pets/read"]
