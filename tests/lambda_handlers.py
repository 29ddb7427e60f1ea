"""Loading the Lambda handlers in-process, with the environment the SAM template gives them."""

import importlib.util
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.credentials import ISSUER, SECRET

ROOT = Path(__file__).resolve().parents[1]
EVENTS = ROOT / "events"
TIER_USAGE_KEYS = {
    "free": "stack-free-tier-usage-key",
    "pro": "stack-pro-tier-usage-key",
    "partner": "stack-partner-tier-usage-key",
}
API_URL = "https://abc123defg.execute-api.us-east-1.amazonaws.com/dev"
ALLOWED_ORIGIN = "https://me.example"

ENVIRONMENT = {
    "POWERTOOLS_SERVICE_NAME": "digital-twin",
    "POWERTOOLS_METRICS_NAMESPACE": "DigitalTwin",
    "POWERTOOLS_TRACE_DISABLED": "true",
    "AWS_REGION": "us-east-1",  # Lambda's own
    "TWIN_INDEX_PATH": ":memory:",
    "TWIN_JWT_SECRET": SECRET,
    "TWIN_JWT_ISSUER": ISSUER,
    "TWIN_TIER_USAGE_KEYS": json.dumps(TIER_USAGE_KEYS),
    "TWIN_CORS_ORIGINS": json.dumps([ALLOWED_ORIGIN]),
}

type Handler = Callable[[dict[str, Any], Any], dict[str, Any]]


@dataclass(frozen=True)
class LambdaContext:
    function_name: str = "digital-twin-test"
    memory_limit_in_mb: int = 1024
    invoked_function_arn: str = "arn:aws:lambda:us-east-1:123456789012:function:digital-twin-test"
    aws_request_id: str = "c6af9ac6-7b61-11e6-9a41-93e812345678"

    def get_remaining_time_in_millis(self) -> int:
        return 25_000


def event(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((EVENTS / f"{name}.json").read_text())
    return loaded


@contextmanager
def lambda_environment(state_dir: Path) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        for name, value in ENVIRONMENT.items():
            patch.setenv(name, value)
        patch.setenv("TWIN_STATE_DIR", str(state_dir))
        yield


def load_handler(code_dir: str, module: str) -> ModuleType:
    """Each handler module under its own name, as Lambda loads it (several share a process here)."""
    path = ROOT / "functions" / code_dir / f"{module}.py"
    spec = importlib.util.spec_from_file_location(module, path)
    assert spec is not None
    assert spec.loader is not None
    loaded = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loaded)
    return loaded
