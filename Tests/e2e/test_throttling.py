"""Stage, method, route and account throttles on the data plane (docs/THROTTLING.md).

Each test configures limits through the management API (boto3 or the AWS CLI), then drives real requests over
real sockets and checks the ADMITTED COUNT against what a token bucket allows: a bucket of `burst` tokens that
starts full and refills at `rate` per second admits at most `burst + rate × elapsed` requests in `elapsed` seconds
(measured here, from before the first request to after the last answer), and — driven above its rate from a full
bucket — at least `burst + 1` once one refill interval has passed. No assertion depends on how fast anything is.

Exact sequences use rates so low (0.01/s: one token per 100 s) that no token can come back during the test.
Live changes are detected with a sentinel method or route throttled to 0/0, which refuses every request (AWS's
reading of a zero throttle, see StageThrottles.swift).
"""
import collections
import concurrent.futures
import json
import subprocess
import time

import requests

from conftest import BIN, Portico
from dataplane_helpers import call, make_api, wait_until_served
from rest_dataplane_helpers import MOCK_200, RestApi, wait_for

OK = {"200": {}}
TOO_MANY = {"message": "Too Many Requests"}


def drive(urls_and_headers, seconds=2.0, threads=4):
    """Sends GETs round-robin over `urls_and_headers` from `threads` keep-alive connections for `seconds`.
    Returns ({url: Counter(status)}, elapsed seconds from before the first send to after the last answer)."""
    deadline = time.monotonic() + seconds

    def worker(index):
        session = requests.Session()
        counts = collections.defaultdict(collections.Counter)
        turn = index
        while time.monotonic() < deadline:
            url, headers = urls_and_headers[turn % len(urls_and_headers)]
            turn += 1
            counts[url][session.get(url, headers=headers, timeout=30).status_code] += 1
        return counts

    start = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        results = list(pool.map(worker, range(threads)))
    elapsed = time.monotonic() - start
    total = collections.defaultdict(collections.Counter)
    for result in results:
        for url, counts in result.items():
            total[url].update(counts)
    return total, elapsed


def assert_bucket_admitted(counts, rate, burst, elapsed):
    """`counts` (status → n) of requests driven above `rate` at a bucket that started full."""
    admitted, throttled = counts[200], counts[429]
    upper = burst + int(rate * elapsed) + 1  # +1: the interval is rounded to a whole nanosecond
    print(f"rate {rate}/s burst {burst} over {elapsed:.3f} s: admitted {admitted} (bound {burst + 1}..{upper}), "
          f"throttled {throttled}, other {sum(counts.values()) - admitted - throttled}")
    assert set(counts) <= {200, 429}, counts
    assert throttled > 0, "the test did not drive above the limit"
    assert burst + 1 <= admitted <= upper


def rest_url(portico, api_id, path):
    return portico.data_url + path, {"Host": f"{api_id}.execute-api.localhost"}


def patch_stage(client, api_id, stage, **settings):
    """REST UpdateStage with method-setting patches: {"*/*": (rate, burst), "/~1b/GET": (rate, burst)}."""
    operations = []
    for method, (rate, burst) in settings.items():
        prefix = "/" + method if not method.startswith("/") else method
        operations += [{"op": "replace", "path": f"{prefix}/throttling/rateLimit", "value": str(rate)},
                       {"op": "replace", "path": f"{prefix}/throttling/burstLimit", "value": str(burst)}]
    client.update_stage(restApiId=api_id, stageName=stage, patchOperations=operations)


def throttled_rest_api(portico):
    """`GET /a`, `GET /b`, `GET /c` and the sentinel `GET /probe`, MOCK, deployed to `prod`."""
    api = RestApi(portico, "throttled")
    for path in ("/a", "/b", "/c", "/probe"):
        api.method(path, "GET", MOCK_200, OK)
    api.deploy("prod")
    return api


def test_rest_stage_default_and_method_override(fresh):
    api = throttled_rest_api(fresh)
    # With the AWS CLI: */* for every method, /b's own entry, the sentinel blocked.
    ops = [{"op": "replace", "path": "/*/*/throttling/rateLimit", "value": "5"},
           {"op": "replace", "path": "/*/*/throttling/burstLimit", "value": "4"},
           {"op": "replace", "path": "/~1b/GET/throttling/rateLimit", "value": "0.01"},
           {"op": "replace", "path": "/~1b/GET/throttling/burstLimit", "value": "2"},
           {"op": "replace", "path": "/~1probe/GET/throttling/rateLimit", "value": "0"},
           {"op": "replace", "path": "/~1probe/GET/throttling/burstLimit", "value": "0"}]
    stage = json.loads(fresh.cli("apigateway", "update-stage", "--rest-api-id", api.id, "--stage-name", "prod",
                                 "--patch-operations", json.dumps(ops)).stdout)
    assert stage["methodSettings"]["b/GET"]["throttlingRateLimit"] == 0.01
    assert stage["methodSettings"]["*/*"]["throttlingBurstLimit"] == 4
    wait_for(lambda: call(fresh, api.id, "/prod/probe").status_code == 429)
    blocked = call(fresh, api.id, "/prod/probe")
    assert blocked.json() == TOO_MANY and blocked.headers["x-amzn-ErrorType"] == "TooManyRequestsException"

    # The stage default, driven above its rate: /a's own bucket of 4 refilled at 5/s.
    counts, elapsed = drive([rest_url(fresh, api.id, "/prod/a")])
    assert_bucket_admitted(counts[fresh.data_url + "/prod/a"], rate=5, burst=4, elapsed=elapsed)
    # AWS applies stage limits per method: /c has a bucket of its own, untouched by /a's traffic.
    assert call(fresh, api.id, "/prod/c").status_code == 200
    # The method's override: 2, then nothing (one token per 100 s).
    assert [call(fresh, api.id, "/prod/b").status_code for _ in range(5)] == [200, 200, 429, 429, 429]


def test_http_default_route_settings_and_route_override(fresh, upstream):
    api_id = make_api(fresh, {f"GET /{name}": {"uri": f"{upstream.url}/throttling-{name}"} for name in ("a", "b", "c", "probe")})
    client = fresh.client()
    client.update_stage(
        ApiId=api_id, StageName="$default",
        DefaultRouteSettings={"ThrottlingRateLimit": 5, "ThrottlingBurstLimit": 4},
        RouteSettings={"GET /b": {"ThrottlingRateLimit": 0.01, "ThrottlingBurstLimit": 2},
                       "GET /probe": {"ThrottlingRateLimit": 0, "ThrottlingBurstLimit": 0}})
    wait_for(lambda: call(fresh, api_id, "/probe").status_code == 429)
    blocked = call(fresh, api_id, "/probe")
    assert blocked.json() == TOO_MANY and blocked.headers["apigw-requestid"]

    url = fresh.data_url + "/a"
    counts, elapsed = drive([(url, {"Host": f"{api_id}.execute-api.localhost"})])
    assert_bucket_admitted(counts[url], rate=5, burst=4, elapsed=elapsed)
    assert call(fresh, api_id, "/c").status_code == 200
    assert [call(fresh, api_id, "/b").status_code for _ in range(5)] == [200, 200, 429, 429, 429]
    # Throttled requests never reached the backend: it saw exactly the two admitted /b requests.
    assert sum(1 for _, path, _ in upstream.requests if path == "/throttling-b") == 2


def test_updates_and_redeploys_change_the_limit(fresh, upstream):
    # REST: a stage update takes effect without a redeploy (method settings belong to the stage).
    api = throttled_rest_api(fresh)
    client = fresh.client("apigateway")
    patch_stage(client, api.id, "prod", **{"*/*": (0, 0)})
    wait_for(lambda: call(fresh, api.id, "/prod/a").status_code == 429)
    patch_stage(client, api.id, "prod", **{"*/*": (0.01, 3)})
    wait_for(lambda: call(fresh, api.id, "/prod/a").status_code == 200)  # the first of 3
    assert [call(fresh, api.id, "/prod/a").status_code for _ in range(3)] == [200, 200, 429]
    # A redeploy (here with a new method, to see when it is live) keeps the method's bucket, tokens and all, while
    # its limit is the same; the new method has a full bucket of its own.
    api.method("/d", "GET", MOCK_200, OK)
    client.create_deployment(restApiId=api.id, stageName="prod")
    wait_for(lambda: call(fresh, api.id, "/prod/d").status_code == 200)
    assert call(fresh, api.id, "/prod/a").status_code == 429
    # A new limit is a new bucket, full.
    patch_stage(client, api.id, "prod", **{"*/*": (0.01, 4)})
    wait_for(lambda: call(fresh, api.id, "/prod/a").status_code == 200)
    assert [call(fresh, api.id, "/prod/a").status_code for _ in range(4)] == [200, 200, 200, 429]
    # Back to AWS's default values: no stage limit any more.
    patch_stage(client, api.id, "prod", **{"*/*": (10000, 5000)})
    wait_for(lambda: call(fresh, api.id, "/prod/a").status_code == 200)
    assert [call(fresh, api.id, "/prod/a").status_code for _ in range(10)] == [200] * 10

    # HTTP API, auto-deployed stage: default route settings, then a route's own.
    api_id = make_api(fresh, {"GET /x": {"uri": f"{upstream.url}/x"}}, stage="dev")
    v2 = fresh.client()
    v2.update_stage(ApiId=api_id, StageName="dev", DefaultRouteSettings={"ThrottlingRateLimit": 0, "ThrottlingBurstLimit": 0})
    wait_for(lambda: call(fresh, api_id, "/dev/x").status_code == 429)
    v2.update_stage(ApiId=api_id, StageName="dev", RouteSettings={"GET /x": {"ThrottlingRateLimit": 0.01, "ThrottlingBurstLimit": 2}})
    wait_for(lambda: call(fresh, api_id, "/dev/x").status_code == 200)
    assert [call(fresh, api_id, "/dev/x").status_code for _ in range(2)] == [200, 429]
    # Removing the route's settings leaves the stage default (0/0) in force.
    v2.delete_route_settings(ApiId=api_id, StageName="dev", RouteKey="GET /x")
    wait_for(lambda: call(fresh, api_id, "/dev/x").status_code == 429)


def test_usage_plan_throttle_applies_on_top_and_the_most_restrictive_wins(fresh):
    client = fresh.client("apigateway")
    api = RestApi(fresh, "keyed")
    api.method("/pets", "GET", MOCK_200, OK, apiKeyRequired=True)
    api.method("/probe", "GET", MOCK_200, OK)
    api.deploy("prod")
    plan = client.create_usage_plan(name="p", apiStages=[{"apiId": api.id, "stage": "prod"}],
                                    throttle={"rateLimit": 0.01, "burstLimit": 2})["id"]
    keys = []
    for name in ("k1", "k2"):
        key = client.create_api_key(name=name, enabled=True)
        client.create_usage_plan_key(usagePlanId=plan, keyId=key["id"], keyType="API_KEY")
        keys.append(key["value"])
    # The stage allows 3 requests to /pets in all; each key 2 of its own.
    patch_stage(client, api.id, "prod", **{"/~1pets/GET": (0.01, 3), "/~1probe/GET": (0, 0)})
    wait_for(lambda: call(fresh, api.id, "/prod/probe").status_code == 429)
    wait_for(lambda: call(fresh, api.id, "/prod/pets", headers={"x-api-key": keys[0]}).status_code != 403)

    def get(key):
        return call(fresh, api.id, "/prod/pets", headers={"x-api-key": key}).status_code

    # k1's first request (the wait above) and second pass both buckets; its third is refused by its key's bucket,
    # checked first (AWS's order), so it takes nothing from the stage's bucket ...
    assert [get(keys[0]), get(keys[0])] == [200, 429]
    # ... which has one token left, for k2; then the stage's bucket refuses k2 although k2's still had a token.
    assert [get(keys[1]), get(keys[1])] == [200, 429]
    refused = call(fresh, api.id, "/prod/pets", headers={"x-api-key": keys[1]})
    assert refused.json() == TOO_MANY and refused.headers["x-amzn-ErrorType"] == "TooManyRequestsException"


def test_account_throttle_is_shared_by_every_api():
    from upstream import Upstream

    backend = Upstream()
    # Rate from the environment, burst from the flag.
    portico = Portico("--account-burst-limit", "5", env={"PORTICO_ACCOUNT_RATE_LIMIT": "10"})
    try:
        api_id = make_api(portico, {"GET /h": {"uri": f"{backend.url}/h"}})
        rest = RestApi(portico, "acct")
        rest.method("/r", "GET", MOCK_200, OK)
        rest.deploy("prod")
        time.sleep(1.0)  # let the bucket refill to its 5 tokens (0.5 s at 10/s) after the set-up probes
        http_url, rest_target = portico.data_url + "/h", rest_url(portico, rest.id, "/prod/r")
        counts, elapsed = drive([(http_url, {"Host": f"{api_id}.execute-api.localhost"}), rest_target])
        both = counts[http_url] + counts[rest_target[0]]
        assert_bucket_admitted(both, rate=10, burst=5, elapsed=elapsed)
        # Both APIs had their share of the one bucket, and each answered AWS's 429.
        assert counts[http_url][200] > 0 and counts[rest_target[0]][200] > 0
        assert counts[http_url][429] > 0 and counts[rest_target[0]][429] > 0
    finally:
        portico.stop()
        backend.stop()


def test_account_throttle_can_be_turned_off_and_bad_values_are_refused(upstream):
    portico = Portico("--account-rate-limit", "0.01", "--account-burst-limit", "1", "--no-account-throttle")
    try:
        api_id = make_api(portico, {"GET /h": {"uri": f"{upstream.url}/h"}})
        assert [call(portico, api_id, "/h").status_code for _ in range(20)] == [200] * 20
    finally:
        portico.stop()
    # On: a bucket of 1 that refills once per 100 s. Requests that match no route count too.
    portico = Portico("--account-rate-limit", "0.01", "--account-burst-limit", "1")
    try:
        api_id = portico.client().create_api(Name="n", ProtocolType="HTTP")["ApiId"]
        portico.client().create_stage(ApiId=api_id, StageName="$default", AutoDeploy=True)
        wait_until_served(portico, api_id, "$default")  # its first probe took the only token
        refused = requests.get(f"{portico.data_url}/_aws/execute-api/{api_id}/nothing", timeout=10)
        assert refused.status_code == 429 and refused.json() == TOO_MANY
    finally:
        portico.stop()
    for args, message in ((["--account-rate-limit", "0"], "--account-rate-limit"),
                          (["--account-rate-limit", "fast"], "--account-rate-limit"),
                          (["--account-burst-limit", "-3"], "--account-burst-limit")):
        result = subprocess.run([str(BIN), "serve", "--listen", "127.0.0.1:0", "--management-listen", "127.0.0.1:0", *args],
                                capture_output=True, text=True, timeout=20)
        assert result.returncode != 0 and message in result.stderr, (args, result.stderr)
