#!/usr/bin/env python3
"""Throttle accuracy (not a test): drives one throttle above its rate for a fixed time and prints the admitted count
against rate x seconds + burst.

Starts its own Portico (`PORTICO_BIN`, default .build/debug/portico) on ephemeral ports, creates a REST API with one
`apiKeyRequired` MOCK method and one open MOCK method, and puts the throttle at `--level`:
  key      a usage plan's per-key throttle (the default)
  stage    the REST stage's `*/*` method settings
  route    an HTTP API `$default` stage's `defaultRouteSettings` (a route with no integration: 404 = admitted)
  account  `portico serve --account-rate-limit/--account-burst-limit`, driven through the open REST method
then sends requests from several threads for `--seconds`. Usage:
`Benchmarks/throttle/run.py [--level key] [--rate 50] [--burst 20] [--seconds 10] [--threads 8]`
(needs the e2e venv: boto3, requests)."""
import argparse
import concurrent.futures
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "e2e"))
os.environ.setdefault("PORTICO_BIN", os.path.join(os.path.dirname(__file__), "..", "..", ".build", "debug", "portico"))

import requests  # noqa: E402
from conftest import Portico  # noqa: E402
from rest_dataplane_helpers import MOCK_200, RestApi, call, wait_for  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate", type=float, default=50.0)
    parser.add_argument("--burst", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--level", choices=["key", "stage", "route", "account"], default="key")
    args = parser.parse_args()

    account = ["--account-rate-limit", str(args.rate), "--account-burst-limit", str(args.burst)] if args.level == "account" else []
    portico = Portico(*account)
    try:
        client = portico.client("apigateway")
        api = RestApi(portico, "throttle-bench")
        api.method("/pets", "GET", MOCK_200, {"200": {}}, apiKeyRequired=True)
        api.method("/open", "GET", MOCK_200, {"200": {}})
        api.deploy("prod")
        plan = client.create_usage_plan(name="bench", apiStages=[{"apiId": api.id, "stage": "prod"}],
                                        throttle={"rateLimit": args.rate, "burstLimit": args.burst})["id"]
        key = client.create_api_key(name="bench", enabled=True)
        client.create_usage_plan_key(usagePlanId=plan, keyId=key["id"], keyType="API_KEY")
        headers = {"x-api-key": key["value"], "Host": f"{api.id}.execute-api.localhost"}
        url = portico.data_url + "/prod/pets"
        admitted_status = 200
        if args.level == "key":
            # Live once a request gets past the key check (a 403 uses no token).
            wait_for(lambda: call(portico, api.id, "/prod/pets", headers={"x-api-key": key["value"]}).status_code != 403)
        elif args.level == "stage":
            client.update_stage(restApiId=api.id, stageName="prod", patchOperations=[
                {"op": "replace", "path": "/*/*/throttling/rateLimit", "value": str(args.rate)},
                {"op": "replace", "path": "/*/*/throttling/burstLimit", "value": str(args.burst)},
                {"op": "replace", "path": "/~1pets/GET/throttling/rateLimit", "value": "0"}])
            wait_for(lambda: call(portico, api.id, "/prod/pets", headers={"x-api-key": key["value"]}).status_code == 429)
            headers, url = {"Host": f"{api.id}.execute-api.localhost"}, portico.data_url + "/prod/open"
        elif args.level == "route":
            v2 = portico.client()
            http_api = v2.create_api(Name="throttle-bench", ProtocolType="HTTP")["ApiId"]
            v2.create_route(ApiId=http_api, RouteKey="GET /r")
            v2.create_stage(ApiId=http_api, StageName="$default", AutoDeploy=True,
                            DefaultRouteSettings={"ThrottlingRateLimit": args.rate, "ThrottlingBurstLimit": args.burst})
            wait_for(lambda: call(portico, http_api, "/r").status_code in (404, 429) and
                     call(portico, http_api, "/r").headers.get("apigw-requestid") is not None)
            headers, url, admitted_status = {"Host": f"{http_api}.execute-api.localhost"}, portico.data_url + "/r", 404
        else:
            headers, url = {"Host": f"{api.id}.execute-api.localhost"}, portico.data_url + "/prod/open"
        time.sleep(max(1.0, args.burst / args.rate if args.rate else 1.0) + 0.5)  # refill to a full bucket

        deadline_holder = {}

        def drive(_):
            session = requests.Session()
            counts = {}
            while time.monotonic() < deadline_holder["end"]:
                status = session.get(url, headers=headers, timeout=10).status_code
                counts[status] = counts.get(status, 0) + 1
            return counts

        start = time.monotonic()
        deadline_holder["end"] = start + args.seconds
        with concurrent.futures.ThreadPoolExecutor(args.threads) as pool:
            results = list(pool.map(drive, range(args.threads)))
        elapsed = time.monotonic() - start
        admitted = sum(r.get(admitted_status, 0) for r in results)
        throttled = sum(r.get(429, 0) for r in results)
        other = sum(v for r in results for k, v in r.items() if k not in (admitted_status, 429))
        expected = args.rate * args.seconds + args.burst
        print(f"level {args.level}: rate {args.rate}/s burst {args.burst}, {args.seconds:.0f} s window ({elapsed:.2f} s with the last replies), "
              f"{args.threads} threads")
        print(f"sent {admitted + throttled + other} ({(admitted + throttled + other) / elapsed:.0f}/s), admitted {admitted}, "
              f"throttled {throttled}, other {other}")
        print(f"expected rate x seconds + burst = {expected:.0f}; admitted/expected = {admitted / expected:.4f} "
              f"({(admitted - expected) / expected * 100:+.2f}%)")
    finally:
        portico.stop()


if __name__ == "__main__":
    main()
