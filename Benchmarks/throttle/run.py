#!/usr/bin/env python3
"""Throttle accuracy (not a test): drives a usage plan's per-key throttle above its rate for a fixed time and prints
the admitted count against rate x seconds + burst.

Starts its own Portico (`PORTICO_BIN`, default .build/debug/portico) on ephemeral ports, creates a REST API with one
`apiKeyRequired` MOCK method, a usage plan with the throttle and a key, then sends requests from several threads for
`--seconds`. Usage: `Benchmarks/throttle/run.py [--rate 50] [--burst 20] [--seconds 10] [--threads 8]`
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
    args = parser.parse_args()

    portico = Portico()
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
        # Live once a request gets past the key check (a 403 uses no token).
        wait_for(lambda: call(portico, api.id, "/prod/pets", headers={"x-api-key": key["value"]}).status_code != 403)
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
        admitted = sum(r.get(200, 0) for r in results)
        throttled = sum(r.get(429, 0) for r in results)
        other = sum(v for r in results for k, v in r.items() if k not in (200, 429))
        expected = args.rate * args.seconds + args.burst
        print(f"rate {args.rate}/s burst {args.burst}, {args.seconds:.0f} s window ({elapsed:.2f} s with the last replies), "
              f"{args.threads} threads")
        print(f"sent {admitted + throttled + other} ({(admitted + throttled + other) / elapsed:.0f}/s), admitted {admitted}, "
              f"throttled {throttled}, other {other}")
        print(f"expected rate x seconds + burst = {expected:.0f}; admitted/expected = {admitted / expected:.4f} "
              f"({(admitted - expected) / expected * 100:+.2f}%)")
    finally:
        portico.stop()


if __name__ == "__main__":
    main()
