"""SnapStart: a function registers the hooks that renew, in each restored environment, what its snapshot shares.

Lambda's `snapshot_restore_py` exists only in its Python runtime; a stand-in records the hooks, in a fresh
interpreter (registration happens as a function starts), and the test runs them as a restore would.
"""

import json
import subprocess
import sys

from tests.lambda_handlers import ENVIRONMENT, ROOT

RESTORE = """
import json, socket, sys, types

hooks = []
sys.modules["snapshot_restore_py"] = types.SimpleNamespace(register_after_restore=hooks.append)
sys.path.insert(0, str(ROOT / "functions" / "search"))

import boto3
from aws_lambda_powertools.utilities.parameters import SSMProvider
from aws_lambda_powertools.utilities.parameters.constants import DEFAULT_PROVIDERS
from botocore.stub import Stubber

client = boto3.client("ssm", region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
DEFAULT_PROVIDERS["ssm"] = SSMProvider(boto3_client=client)
stubber = Stubber(client)
for value in ("before-rotation", "after-rotation"):
    stubber.add_response("get_parameter", {"Parameter": {"Name": "/twin/groq", "Value": value, "Type": "SecureString"}})
stubber.activate()

import random
from search_handler import handler  # the function's start: what a snapshot is taken of
from twin.composition import lambda_telemetry
from twin.entrypoints.aws import observability
from twin.parameters import read_parameter

_, daemon = lambda_telemetry(observability.metrics)
assert daemon is not None
started_socket = daemon._socket
read = [read_parameter("/twin/groq", setting="S"), read_parameter("/twin/groq", setting="S")]
random.seed(1)
snapshot_draw = random.random()
random.seed(1)
for hook in hooks:  # a restore
    hook()
forgotten = "ssm" not in DEFAULT_PROVIDERS  # the cached values, and the client with its connections
DEFAULT_PROVIDERS["ssm"] = SSMProvider(boto3_client=client)
read.append(read_parameter("/twin/groq", setting="S"))
print(json.dumps({
    "hooks": len(hooks),
    "forgotten": forgotten,
    "reads": read,
    "new_socket": daemon._socket is not started_socket and started_socket.fileno() == -1,
    "same_draw": random.random() == snapshot_draw,
}))
"""


def test_a_restored_environment_renews_the_xray_socket_the_random_state_and_cached_secrets() -> None:
    completed = subprocess.run(
        [sys.executable, "-c", f"from pathlib import Path\nROOT = Path({str(ROOT)!r})\n{RESTORE}"],
        env={
            **ENVIRONMENT,
            "AWS_XRAY_DAEMON_ADDRESS": "127.0.0.1:2000",
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": ":".join(sys.path),
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    result = json.loads(completed.stdout.splitlines()[-1])

    assert result["hooks"] >= 3
    # Cached within the function's lifetime, read again after a restore: a rotated secret reaches it.
    assert result["forgotten"]
    assert result["reads"] == ["before-rotation", "before-rotation", "after-rotation"]
    assert result["new_socket"]
    assert not result["same_draw"]
