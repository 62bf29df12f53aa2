"""Handlers run under awslambdaric by PorticoLambdaTests."""
import json
import os
import subprocess
import time


def echo(event, context):
    names = ["AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_REGION",
             "_HANDLER", "LAMBDA_TASK_ROOT", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_EXECUTION_ENV", "GREETING", "_X_AMZN_TRACE_ID"]
    return {
        "event": event,
        "requestId": context.aws_request_id,
        "functionName": context.function_name,
        "invokedArn": context.invoked_function_arn,
        "memoryLimit": context.memory_limit_in_mb,
        "remainingMs": context.get_remaining_time_in_millis(),
        "clientContext": context.client_context.custom if context.client_context else None,
        "pid": os.getpid(),
        "cwd": os.getcwd(),
        "env": {name: os.environ.get(name) for name in names},
    }


def fail(event, context):
    raise ValueError("kaboom")


def pid(event, context):
    return {"pid": os.getpid()}


def chatty(event, context):
    print("hello from the handler")
    return "ok"


def hang(event, context):
    """Starts a child, records both pids, then sleeps past any timeout; without a pidFile, answers at once."""
    if "pidFile" not in event:
        return {"pid": os.getpid()}
    child = subprocess.Popen(["sleep", "120"])
    with open(event["pidFile"], "w") as f:
        json.dump({"pid": os.getpid(), "child": child.pid}, f)
    time.sleep(120)


def crash(event, context):
    print("about to crash", flush=True)
    os._exit(7)


def hog(event, context):
    """Touches `mb` megabytes (written, so they are resident), then answers."""
    data = b"x" * (int(event.get("mb", 200)) * 1024 * 1024)
    time.sleep(float(event.get("hold", 2)))
    return {"pid": os.getpid(), "bytes": len(data)}
