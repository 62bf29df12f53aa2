"""Helpers for the Lambda function API end-to-end tests (test_lambda_functions.py, test_lambda_invoke.py): real zips, made with Python's
zipfile, and the calls every test repeats."""
import io
import zipfile

ROLE = "arn:aws:iam::000000000000:role/lambda-role"
ARN_PREFIX = "arn:aws:lambda:us-east-1:000000000000:function:"

PYTHON_HANDLER = '''import json

def handler(event, context):
    print("handling", json.dumps(event))
    if isinstance(event, dict) and event.get("fail"):
        raise ValueError("kaboom")
    return {"echo": event, "function": context.function_name}
'''

# A `provided` runtime's bootstrap: the Runtime API loop (AWS_FACTS L1) in plain Python, so it
# needs nothing but the interpreter.
PROVIDED_BOOTSTRAP = '''#!/usr/bin/env python3
import json, os, urllib.request
api = "http://" + os.environ["AWS_LAMBDA_RUNTIME_API"] + "/2018-06-01/runtime/invocation/"
while True:
    with urllib.request.urlopen(api + "next") as response:
        request_id = response.headers["Lambda-Runtime-Aws-Request-Id"]
        event = json.loads(response.read() or b"null")
    print("bootstrap got", json.dumps(event), flush=True)
    body = json.dumps({"bootstrap": event, "handler": os.environ.get("_HANDLER")}).encode()
    urllib.request.urlopen(urllib.request.Request(api + request_id + "/response", data=body, method="POST")).read()
'''


def make_zip(files):
    """A zip of {name: contents} or {name: (contents, mode)}, with Unix modes recorded."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, value in files.items():
            contents, mode = value if isinstance(value, tuple) else (value, 0o644)
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 2, 3, 4, 5))
            info.create_system = 3
            info.external_attr = (0o100000 | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, contents)
    return out.getvalue()


def python_zip(source=PYTHON_HANDLER):
    return make_zip({"app.py": source})


def bootstrap_zip():
    return make_zip({"bootstrap": (PROVIDED_BOOTSTRAP, 0o755)})


def create_python_function(client, name, zip_bytes=None, **extra):
    arguments = {
        "FunctionName": name, "Runtime": "python3.12", "Handler": "app.handler", "Role": ROLE,
        "Code": {"ZipFile": zip_bytes if zip_bytes is not None else python_zip()},
    }
    arguments.update(extra)
    return client.create_function(**arguments)
