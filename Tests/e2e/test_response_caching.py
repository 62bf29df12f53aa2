"""Response caching, end to end (docs/CACHING.md).

REST stages are configured as on AWS (boto3 / the AWS CLI: `cacheClusterEnabled`, `cacheClusterSize`, method
settings `*/*/caching/*` and per-method overrides, integration `cacheKeyParameters`); HTTP API stages through
Portico's `portico:cache-*` stage tags. A real backend on loopback counts the calls that reach it: a hit is a
request answered without a new backend call. Invalidation requests are signed by botocore for `execute-api`.
"""
import re
import uuid

import requests

from conftest import Portico
from dataplane_helpers import call, make_api
from management_helpers import aws_error
from rest_dataplane_helpers import RestApi, wait_for
from test_iam_auth import signed, user_with_key

WARNING = '199 "Cache-control headers were ignored because the caller was unauthorized."'


def backend_calls(upstream, tag):
    return sum(1 for _, path, _ in upstream.requests if f"/c/{tag}" in path)


def proxy(upstream, tag, path="", **extra):
    return {"type": "HTTP_PROXY", "integrationHttpMethod": "ANY", "uri": f"{upstream.url}/c/{tag}{path}", **extra}


def patch_stage(api, stage, *operations):
    api.client.update_stage(
        restApiId=api.id, stageName=stage,
        patchOperations=[{"op": "replace", "path": path, "value": value} for path, value in operations])


def cached_rest_api(portico, upstream, stage="test", ttl="300", extra_settings=()):
    """A REST API with `GET /probe`, `GET /items` (keyed on `type`), `POST /items`, `GET /things/{id}` (no key
    parameters), deployed, with the stage cache on and `*/*` caching enabled; returns (api, tag) once a probe
    request is seen answered from the cache."""
    tag = uuid.uuid4().hex[:10]
    api = RestApi(portico, name="cached")
    api.method("/things/{id}", "GET", proxy(upstream, tag, "/things/{id}",
               requestParameters={"integration.request.path.id": "method.request.path.id"}),
               requestParameters={"method.request.path.id": True})
    api.method("/items", "POST", proxy(upstream, tag, "/items"))
    api.method("/items", "GET", proxy(upstream, tag, "/items", cacheKeyParameters=["method.request.querystring.type"]),
               requestParameters={"method.request.querystring.type": False})
    api.method("/probe", "GET", proxy(upstream, tag, "/probe"))
    api.deploy(stage)
    patch_stage(api, stage, ("/cacheClusterEnabled", "true"), ("/cacheClusterSize", "0.5"),
                ("/*/*/caching/enabled", "true"), ("/*/*/caching/ttlInSeconds", ttl), *extra_settings)
    wait_until_cached(portico, upstream, api.id, f"/{stage}/probe", tag)
    return api, tag


def wait_until_cached(portico, upstream, api_id, path, tag):
    """The settings apply once the stage is recompiled: wait (bounded) until two calls reach the backend once."""
    def cached():
        before = backend_calls(upstream, tag)
        first = call(portico, api_id, path)
        second = call(portico, api_id, path)
        return first.status_code == 200 and second.status_code == 200 and backend_calls(upstream, tag) - before <= 1
    wait_for(cached)


def metric(portico, name, api_id, stage, route):
    text = requests.get(portico.management_url + "/_portico/metrics", timeout=5).text
    pattern = re.compile(
        rf'^{name}\{{api_id="{api_id}",route="{re.escape(route)}",stage="{re.escape(stage)}"\}} (\d+)$', re.M)
    found = pattern.search(text)
    return int(found.group(1)) if found else 0


# MARK: REST stages


def test_hits_misses_key_parameters_and_metrics(fresh, upstream):
    api, tag = cached_rest_api(fresh, upstream)
    first = call(fresh, api.id, "/test/items?type=a")
    assert first.status_code == 200 and first.json()["query"] == "type=a"
    assert backend_calls(upstream, f"{tag}/items") == 1
    again = call(fresh, api.id, "/test/items?type=a")
    assert again.status_code == 200 and again.content == first.content
    assert again.headers["x-amzn-RequestId"] != first.headers["x-amzn-RequestId"]
    assert backend_calls(upstream, f"{tag}/items") == 1
    # A different value of a cache key parameter is another entry.
    other = call(fresh, api.id, "/test/items?type=b")
    assert other.json()["query"] == "type=b"
    assert backend_calls(upstream, f"{tag}/items") == 2
    # A parameter outside the key does not matter (AWS's `department` example).
    assert call(fresh, api.id, "/test/items?type=a&department=B").content == first.content
    assert backend_calls(upstream, f"{tag}/items") == 2
    assert metric(fresh, "portico_cache_hits_total", api.id, "test", "GET /items") == 2
    assert metric(fresh, "portico_cache_misses_total", api.id, "test", "GET /items") == 2
    # Stage-wide settings cache GET only: POST reaches the backend every time.
    for _ in range(2):
        assert call(fresh, api.id, "/test/items", method="POST", data="{}").status_code == 200
    assert sum(1 for m, p, _ in upstream.requests if m == "POST" and f"/c/{tag}/items" in p) == 2
    # As on AWS, path parameters are not part of the key unless listed: /things/2 gets /things/1's answer.
    assert call(fresh, api.id, "/test/things/1").json()["path"].endswith("/things/1")
    assert call(fresh, api.id, "/test/things/2").json()["path"].endswith("/things/1")
    assert backend_calls(upstream, f"{tag}/things") == 1


def test_path_parameter_in_key_ttl_zero_and_method_override(fresh, upstream):
    api, tag = cached_rest_api(fresh, upstream)
    things = api.resources["/things/{id}"]
    assert call(fresh, api.id, "/test/things/1").json()["path"].endswith("/things/1")
    api.client.update_integration(
        restApiId=api.id, resourceId=things, httpMethod="GET",
        patchOperations=[{"op": "add", "path": "/cacheKeyParameters/method.request.path.id"}])
    api.client.create_deployment(restApiId=api.id, stageName="test")
    wait_for(lambda: call(fresh, api.id, "/test/things/9").json()["path"].endswith("/things/9"))
    assert call(fresh, api.id, "/test/things/8").json()["path"].endswith("/things/8")
    # TTL 0 on one method turns its caching off; an override turns POST on.
    patch_stage(api, "test", ("/~1items/GET/caching/ttlInSeconds", "0"), ("/~1items/GET/caching/enabled", "true"),
                ("/~1items/POST/caching/enabled", "true"), ("/~1items/POST/caching/ttlInSeconds", "60"))

    def post_cached():
        before = backend_calls(upstream, f"{tag}/items")
        call(fresh, api.id, "/test/items", method="POST", data="{}")
        call(fresh, api.id, "/test/items", method="POST", data="{}")
        # Uncached, both reach the backend; once the override is live, at most the first does.
        return backend_calls(upstream, f"{tag}/items") - before <= 1
    wait_for(post_cached)
    before = backend_calls(upstream, f"{tag}/items")
    call(fresh, api.id, "/test/items?type=z")
    call(fresh, api.id, "/test/items?type=z")
    assert backend_calls(upstream, f"{tag}/items") - before == 2
    # AWS's bounds on the TTL.
    code, message, status = aws_error(
        api.client.update_stage, restApiId=api.id, stageName="test",
        patchOperations=[{"op": "replace", "path": "/*/*/caching/ttlInSeconds", "value": "3601"}])
    assert (code, status) == ("BadRequestException", 400) and "3600" in message
    stage = api.client.get_stage(restApiId=api.id, stageName="test")
    assert stage["cacheClusterEnabled"] is True and stage["cacheClusterSize"] == "0.5"
    assert stage["methodSettings"]["items/POST"]["cachingEnabled"] is True
    assert stage["methodSettings"]["items/GET"]["cacheTtlInSeconds"] == 0


def invalidating_user(iam, name, api_id, allowed=True):
    action = "execute-api:InvalidateCache" if allowed else "execute-api:Invoke"
    policy = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": action, "Resource": f"arn:aws:execute-api:*:*:{api_id}/*/GET/*"}]}
    return user_with_key(iam, name, policy)


def test_max_age_zero_invalidation_with_each_strategy(fresh, upstream):
    api, tag = cached_rest_api(fresh, upstream)
    iam = fresh.client("iam")
    allowed = invalidating_user(iam, "invalidator", api.id)
    denied = invalidating_user(iam, "reader", api.id, allowed=False)
    path = "/test/items?type=inv"
    first = call(fresh, api.id, path)
    assert backend_calls(upstream, f"{tag}/items") == 1
    no_cache = {"Cache-Control": "max-age=0"}

    # Default: authorization required, SUCCEED_WITH_RESPONSE_HEADER: served from the cache, with a warning.
    response = call(fresh, api.id, path, headers=no_cache)
    assert response.status_code == 200 and response.content == first.content
    assert response.headers["Warning"] == WARNING
    # A signed request from a user without execute-api:InvalidateCache is unauthorized too.
    response = signed(fresh, api.id, path, denied, headers=no_cache)
    assert response.headers["Warning"] == WARNING and response.content == first.content
    assert backend_calls(upstream, f"{tag}/items") == 1
    # A user allowed to invalidate reloads the entry from the backend, and the new answer is cached.
    fresh_answer = signed(fresh, api.id, path, allowed, headers=no_cache)
    assert fresh_answer.status_code == 200 and "Warning" not in fresh_answer.headers
    assert backend_calls(upstream, f"{tag}/items") == 2
    assert fresh_answer.content != first.content
    assert call(fresh, api.id, path).content == fresh_answer.content
    assert backend_calls(upstream, f"{tag}/items") == 2

    patch_stage(api, "test", ("/*/*/caching/unauthorizedCacheControlHeaderStrategy", "FAIL_WITH_403"))
    wait_for(lambda: call(fresh, api.id, path, headers=no_cache).status_code == 403)
    refused = call(fresh, api.id, path, headers=no_cache)
    assert refused.json()["message"].startswith("User: anonymous is not authorized to perform: execute-api:InvalidateCache")
    assert signed(fresh, api.id, path, denied, headers=no_cache).status_code == 403
    assert signed(fresh, api.id, path, allowed, headers=no_cache).status_code == 200
    assert backend_calls(upstream, f"{tag}/items") == 3

    patch_stage(api, "test", ("/*/*/caching/unauthorizedCacheControlHeaderStrategy", "SUCCEED_WITHOUT_RESPONSE_HEADER"))
    wait_for(lambda: call(fresh, api.id, path, headers=no_cache).status_code == 200)
    quiet = call(fresh, api.id, path, headers=no_cache)
    assert "Warning" not in quiet.headers
    assert backend_calls(upstream, f"{tag}/items") == 3

    # Without required authorization, anyone invalidates.
    patch_stage(api, "test", ("/*/*/caching/requireAuthorizationForCacheControl", "false"))

    def anyone_invalidates():
        before = backend_calls(upstream, f"{tag}/items")
        call(fresh, api.id, path, headers=no_cache)
        return backend_calls(upstream, f"{tag}/items") == before + 1
    wait_for(anyone_invalidates)


def test_flush_stage_cache_redeploy_resize_and_disable(fresh, upstream):
    api, tag = cached_rest_api(fresh, upstream)
    call(fresh, api.id, "/test/items?type=f")
    call(fresh, api.id, "/test/items?type=f")
    assert backend_calls(upstream, f"{tag}/items") == 1
    # A redeploy keeps the stage's cache (AWS's cache belongs to the stage).
    api.client.create_deployment(restApiId=api.id, stageName="test")
    for _ in range(3):
        call(fresh, api.id, "/test/items?type=f")
    assert backend_calls(upstream, f"{tag}/items") == 1
    # flush-stage-cache through the real AWS CLI empties it.
    fresh.cli("apigateway", "flush-stage-cache", "--rest-api-id", api.id, "--stage-name", "test")
    call(fresh, api.id, "/test/items?type=f")
    call(fresh, api.id, "/test/items?type=f")
    assert backend_calls(upstream, f"{tag}/items") == 2
    fresh.cli("apigateway", "flush-stage-authorizers-cache", "--rest-api-id", api.id, "--stage-name", "test")
    assert aws_error(api.client.flush_stage_cache, restApiId=api.id, stageName="nope")[0] == "NotFoundException"
    assert aws_error(api.client.flush_stage_authorizers_cache, restApiId=api.id, stageName="nope")[0] == "NotFoundException"
    # Resizing replaces the cache instance: everything cached is gone (until then, calls are hits).
    patch_stage(api, "test", ("/cacheClusterSize", "1.6"))

    def emptied():
        call(fresh, api.id, "/test/items?type=f")
        return backend_calls(upstream, f"{tag}/items") == 3
    wait_for(emptied)
    # Turned off, nothing is cached.
    patch_stage(api, "test", ("/cacheClusterEnabled", "false"))

    def uncached():
        before = backend_calls(upstream, f"{tag}/probe")
        call(fresh, api.id, "/test/probe")
        call(fresh, api.id, "/test/probe")
        return backend_calls(upstream, f"{tag}/probe") - before == 2
    wait_for(uncached)
    assert api.client.get_stage(restApiId=api.id, stageName="test")["cacheClusterStatus"] == "NOT_AVAILABLE"


def test_gateway_errors_and_5xx_are_not_cached(fresh, upstream):
    api, tag = cached_rest_api(fresh, upstream)
    status = api.resource("/status/{code}")
    api.method("/status/{code}", "GET",
               {"type": "HTTP_PROXY", "integrationHttpMethod": "GET", "uri": f"{upstream.url}/status/{{code}}",
                "requestParameters": {"integration.request.path.code": "method.request.path.code"},
                "cacheKeyParameters": ["method.request.path.code"]},
               requestParameters={"method.request.path.code": True})
    assert status
    api.client.create_deployment(restApiId=api.id, stageName="test")
    wait_for(lambda: call(fresh, api.id, "/test/status/404").status_code == 404)

    def count(code):
        return sum(1 for _, p, _ in upstream.requests if p == f"/status/{code}")
    before = count(503)
    assert call(fresh, api.id, "/test/status/503").status_code == 503
    assert call(fresh, api.id, "/test/status/503").status_code == 503
    assert count(503) - before == 2
    # A 4xx answer of the integration is cached, as AWS does (a backend's 429 served from the cache).
    before = count(429)
    assert call(fresh, api.id, "/test/status/429").status_code == 429
    assert call(fresh, api.id, "/test/status/429").status_code == 429
    assert count(429) - before == 1
    # The gateway's own answers never reach the cache.
    assert call(fresh, api.id, "/test/nothing-here").status_code == 403


def test_mock_integration_answers_are_cached(fresh, upstream):
    """A MOCK method's rendered answer is cached like a backend's: its template writes the request id of the request
    that rendered it, so a hit repeats the first request's id while the response header carries the new one."""
    api, _ = cached_rest_api(fresh, upstream)
    api.method("/mocked", "GET", {"type": "MOCK", "requestTemplates": {"application/json": '{"statusCode": 200}'}},
               responses={"200": {"responseTemplates": {"application/json": '{"renderedFor": "$context.requestId"}'}}})
    api.client.create_deployment(restApiId=api.id, stageName="test")
    wait_for(lambda: call(fresh, api.id, "/test/mocked").status_code == 200)
    first = call(fresh, api.id, "/test/mocked")
    second = call(fresh, api.id, "/test/mocked")
    assert first.status_code == 200 and second.status_code == 200
    assert second.headers["x-amzn-RequestId"] != first.headers["x-amzn-RequestId"]
    assert second.json() == first.json()
    # Flushing the stage cache makes the next answer a fresh render.
    api.client.flush_stage_cache(restApiId=api.id, stageName="test")
    third = call(fresh, api.id, "/test/mocked")
    assert third.json()["renderedFor"] == third.headers["x-amzn-RequestId"]
    assert third.json() != first.json()


def test_capacity_bound_evicts_least_recently_used(upstream):
    portico = Portico("--response-cache-max-bytes", "350000")
    try:
        tag = uuid.uuid4().hex[:10]
        api = RestApi(portico, name="small-cache")
        api.method("/big", "GET",
                   {"type": "HTTP_PROXY", "integrationHttpMethod": "GET", "uri": f"{upstream.url}/bytes",
                    "cacheKeyParameters": ["method.request.querystring.k"]},
                   requestParameters={"method.request.querystring.k": False})
        api.method("/probe", "GET", proxy(upstream, tag, "/probe"))
        api.deploy("test")
        patch_stage(api, "test", ("/cacheClusterEnabled", "true"), ("/*/*/caching/enabled", "true"))
        wait_until_cached(portico, upstream, api.id, "/test/probe", tag)

        def fetches(k):
            return sum(1 for _, p, _ in upstream.requests if p.startswith("/bytes?") and f"k={k}-{tag}" in p)
        # Five 100 kB answers into a 350 kB cache: only the last three stay.
        for k in range(5):
            response = call(portico, api.id, f"/test/big?n=100000&k={k}-{tag}")
            assert response.status_code == 200 and len(response.content) == 100000
        for k in (2, 3, 4):
            assert len(call(portico, api.id, f"/test/big?n=100000&k={k}-{tag}").content) == 100000
            assert fetches(k) == 1
        call(portico, api.id, f"/test/big?n=100000&k=0-{tag}")
        assert fetches(0) == 2
        # k=0 came back in and evicted the least recently used (k=2).
        call(portico, api.id, f"/test/big?n=100000&k=4-{tag}")
        assert fetches(4) == 1
        call(portico, api.id, f"/test/big?n=100000&k=2-{tag}")
        assert fetches(2) == 2
    finally:
        portico.stop()


# MARK: HTTP API routes (a Portico extension)


def test_http_api_route_caching_by_stage_tags(fresh, upstream):
    tag = uuid.uuid4().hex[:10]
    api_id = make_api(fresh, {
        "GET /items/{id}": {"uri": f"{upstream.url}/c/{tag}/items/{{id}}"},
        "POST /items/{id}": {"uri": f"{upstream.url}/c/{tag}/items/{{id}}"},
        "GET /search": {"uri": f"{upstream.url}/c/{tag}/search"},
    })
    client = fresh.client()
    routes = {r["RouteKey"]: r["RouteId"] for r in client.get_routes(ApiId=api_id)["Items"]}
    arn = f"arn:aws:apigateway:us-east-1::/apis/{api_id}/stages/$default"
    client.tag_resource(ResourceArn=arn, Tags={
        "portico:cache-size": "0.5", "portico:cache-ttl": "300",
        f"portico:cache:{routes['GET /search']}": "120 querystring.q header.accept-language",
        f"portico:cache:{routes['POST /items/{id}']}": "60",
    })

    def cached():
        before = backend_calls(upstream, f"{tag}/items/1")
        call(fresh, api_id, "/items/1")
        call(fresh, api_id, "/items/1")
        return backend_calls(upstream, f"{tag}/items/1") - before <= 1
    wait_for(cached)
    one = call(fresh, api_id, "/items/1")
    assert one.status_code == 200 and one.headers["apigw-requestid"]
    calls = backend_calls(upstream, f"{tag}/items/1")
    assert call(fresh, api_id, "/items/1").content == one.content
    assert backend_calls(upstream, f"{tag}/items/1") == calls
    # The request path is part of an HTTP API route's key.
    assert call(fresh, api_id, "/items/2").json()["path"].endswith("/items/2")
    # Listed key parameters: query string and header.
    base = backend_calls(upstream, f"{tag}/search")
    call(fresh, api_id, "/search?q=a", headers={"Accept-Language": "en"})
    call(fresh, api_id, "/search?q=a&page=2", headers={"Accept-Language": "en"})
    assert backend_calls(upstream, f"{tag}/search") == base + 1
    call(fresh, api_id, "/search?q=a", headers={"Accept-Language": "fr"})
    call(fresh, api_id, "/search?q=b", headers={"Accept-Language": "en"})
    assert backend_calls(upstream, f"{tag}/search") == base + 3
    # A POST route is cached only by its own tag.
    base = backend_calls(upstream, f"{tag}/items/5")
    call(fresh, api_id, "/items/5", method="POST", data="x")
    call(fresh, api_id, "/items/5", method="POST", data="x")
    assert backend_calls(upstream, f"{tag}/items/5") == base + 1
    # Unauthorized max-age=0: served from the cache with AWS's warning; ANYONE lets it through.
    response = call(fresh, api_id, "/items/1", headers={"Cache-Control": "max-age=0"})
    assert response.headers["Warning"] == WARNING and response.content == one.content
    assert metric(fresh, "portico_cache_hits_total", api_id, "$default", "GET /items/{id}") >= 2
    assert metric(fresh, "portico_cache_misses_total", api_id, "$default", "GET /items/{id}") >= 2
    client.tag_resource(ResourceArn=arn, Tags={"portico:cache-invalidation": "ANYONE"})

    def invalidated():
        before = backend_calls(upstream, f"{tag}/items/1")
        call(fresh, api_id, "/items/1", headers={"Cache-Control": "max-age=0"})
        return backend_calls(upstream, f"{tag}/items/1") == before + 1
    wait_for(invalidated)
    # A route tag of 0 turns the route off; untagging the size turns the stage's cache off.
    client.tag_resource(ResourceArn=arn, Tags={f"portico:cache:{routes['GET /items/{id}']}": "0"})

    def uncached():
        before = backend_calls(upstream, f"{tag}/items/3")
        call(fresh, api_id, "/items/3")
        call(fresh, api_id, "/items/3")
        return backend_calls(upstream, f"{tag}/items/3") - before == 2
    wait_for(uncached)
    client.untag_resource(ResourceArn=arn, TagKeys=["portico:cache-size"])
    base = backend_calls(upstream, f"{tag}/search")

    def search_uncached():
        before = backend_calls(upstream, f"{tag}/search")
        call(fresh, api_id, "/search?q=a", headers={"Accept-Language": "en"})
        return backend_calls(upstream, f"{tag}/search") == before + 1
    wait_for(search_uncached)
    assert backend_calls(upstream, f"{tag}/search") > base


def test_http_api_lambda_route_caching():
    """A Lambda (AWS_PROXY) route: hits skip the invocation; a 5xx answer is not stored."""
    import lambda_helpers

    server, portico = lambda_helpers.start()
    try:
        invocations = []

        def counted(event):
            invocations.append(event["rawPath"])
            return {"statusCode": 200, "headers": {"x-call": str(len(invocations))}, "body": f"call {len(invocations)}"}

        failures = []

        def failing(event):
            failures.append(event["rawPath"])
            return {"statusCode": 503, "body": "busy"}

        server.scripts["cached-fn"] = counted
        server.scripts["failing-fn"] = failing
        api_id = lambda_helpers.http_api(portico, {"GET /fn/{id}": ("cached-fn", "2.0"), "GET /down": ("failing-fn", "2.0")})
        arn = f"arn:aws:apigateway:us-east-1::/apis/{api_id}/stages/$default"
        portico.client().tag_resource(ResourceArn=arn, Tags={"portico:cache-size": "0.5"})

        def cached():
            return call(portico, api_id, "/fn/1").text == call(portico, api_id, "/fn/1").text
        wait_for(cached)
        first = call(portico, api_id, "/fn/1")
        count = len(invocations)
        again = call(portico, api_id, "/fn/1")
        assert again.text == first.text and again.headers["x-call"] == first.headers["x-call"]
        assert again.headers["apigw-requestid"] != first.headers["apigw-requestid"]
        assert len(invocations) == count
        assert call(portico, api_id, "/fn/2").text == f"call {count + 1}"
        assert len(invocations) == count + 1
        assert call(portico, api_id, "/down").status_code == 503
        assert call(portico, api_id, "/down").status_code == 503
        assert len(failures) == 2
    finally:
        portico.stop()
        server.stop()
