#!/usr/bin/env python3
"""A Cognito-like OpenID provider on loopback for Benchmarks/features: serves discovery and a JWKS for any
user pool path, writes `ISSUER_BASE TOKEN` (an id token for pool `us-east-1_Bench`, valid for a day) to the
file named by its first argument, then serves until killed. Needs the e2e venv (pyjwt, cryptography)."""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "e2e"))

from jwt_helpers import Key, OpenIdProvider, claims, sign  # noqa: E402

POOL = "us-east-1_Bench"

key = Key("bench-key")
provider = OpenIdProvider([key])
issuer = provider.issuer + "/" + POOL
token = sign(key, claims(issuer, audience="bench-client", token_use="id", exp=int(time.time()) + 86400))
with open(sys.argv[1], "w") as out:
    out.write(f"{provider.issuer} {token}\n")
while True:
    time.sleep(3600)
