"""Each function's handler, imported as Lambda imports it: it loads, is callable, and brings only its own stack."""

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.lambda_handlers import ENVIRONMENT, ROOT
from tests.unit.test_template import FUNCTIONS

# Whole packages that must never be on a function's import path (the cold start is a feature).
FORBIDDEN = {
    "AuthorizerFunction": {"fastapi", "mcp", "groq", "upstash_vector", "upstash_redis", "starlette", "mangum"},
    "AskFunction": {"mcp"},
    "FitFunction": {"mcp"},
    "SearchFunction": {"mcp"},
    "ProfileFunction": {"mcp"},
    "IngestFunction": {"mcp"},
    "SessionsFunction": {"mcp"},
    "HealthFunction": {"mcp"},
    "MetadataFunction": {"mcp"},
    "PublicFunction": {"mcp"},
    "McpFunction": {"fastapi"},
    "PublicMcpFunction": {"fastapi"},
    "OAuthFunction": {"fastapi", "groq", "upstash_vector"},
}
# The document readers' libraries load when such a document arrives, never with a handler.
EVERYWHERE = {"aws_xray_sdk", "boto3", "pdfminer", "docx", "lxml", "markdown_it", "yaml"}
# Installed here (for `twin serve`) but left out of the layer by layers/twin/Makefile: the probe hides them.
NOT_IN_LAYER = ("uvicorn", "click")

PROBE = """
import gc, importlib, importlib.abc, json, sys

class NotInLayer(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in NOT_IN_LAYER:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, NotInLayer())
sys.path.insert(0, CODE)
module = importlib.import_module(MODULE)
handler = getattr(module, ATTRIBUTE)
modules = sorted({name.split(".")[0] for name in sys.modules})
collector = {"collecting": gc.isenabled(), "frozen": gc.get_freeze_count()}
print(json.dumps({"callable": callable(handler), "modules": modules, **collector}))
"""


# Cloud settings: clients are built on first use, so importing a handler must not load their SDKs yet.
CLOUD = {
    "TWIN_UPSTASH_VECTOR_URL": "https://vector.invalid",
    "TWIN_UPSTASH_VECTOR_TOKEN": "token",
    "TWIN_UPSTASH_REDIS_URL": "https://redis.invalid",
    "TWIN_UPSTASH_REDIS_TOKEN": "token",
    "TWIN_UPSTASH_CREDENTIALS_REDIS_URL": "https://credentials.invalid",
    "TWIN_UPSTASH_CREDENTIALS_REDIS_TOKEN": "token",
    "TWIN_GROQ_API_KEY": "key",
}


# What a function cannot start without, beyond the environment every function has.
REQUIRED = {
    "OAuthFunction": {
        "TWIN_UPSTASH_CREDENTIALS_REDIS_URL": "https://credentials.invalid",
        "TWIN_UPSTASH_CREDENTIALS_REDIS_TOKEN": "token",
    }
}


def python(code: str, state_dir: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    """`code` run in a fresh interpreter with the functions' environment; it must succeed."""
    completed = subprocess.run(
        [sys.executable, "-c", code],
        env={**ENVIRONMENT, "TWIN_STATE_DIR": str(state_dir), "PATH": "/usr/bin:/bin", **extra},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    return completed


def imported(function: str, state_dir: Path, **extra: str) -> dict[str, Any]:
    properties = FUNCTIONS[function]
    module, attribute = properties["Handler"].rsplit(".", 1)
    code = PROBE.replace("CODE", repr(str(ROOT / properties["CodeUri"]))).replace("MODULE", repr(module))
    code = code.replace("ATTRIBUTE", repr(attribute)).replace("NOT_IN_LAYER", repr(NOT_IN_LAYER))
    result: dict[str, Any] = json.loads(python(code, state_dir, **extra).stdout.splitlines()[-1])
    return result


def test_every_function_of_the_template_is_covered() -> None:
    assert set(FORBIDDEN) == set(FUNCTIONS)


@pytest.mark.parametrize("function", sorted(FUNCTIONS))
def test_the_handler_imports_is_callable_and_loads_nothing_it_must_not(function: str, tmp_path: Path) -> None:
    result = imported(function, tmp_path, **REQUIRED.get(function, {}))

    assert result["callable"]
    assert not (set(result["modules"]) & (FORBIDDEN[function] | EVERYWHERE))


@pytest.mark.parametrize("function", sorted(FUNCTIONS))
def test_the_handler_starts_with_the_collector_paused_and_freezes_what_it_made(function: str, tmp_path: Path) -> None:
    result = imported(function, tmp_path, **REQUIRED.get(function, {}))

    assert result["collecting"]
    assert result["frozen"] > 10_000


@pytest.mark.parametrize("function", ["AuthorizerFunction", "HealthFunction", "MetadataFunction"])
def test_with_cloud_settings_a_handler_loads_no_cloud_sdk_before_it_needs_one(function: str, tmp_path: Path) -> None:
    result = imported(function, tmp_path, **CLOUD)

    assert not (set(result["modules"]) & {"upstash_vector", "upstash_redis", "upstash_ratelimit", "groq"})


def test_with_a_groq_key_the_ask_service_is_ready_without_the_groq_sdk(tmp_path: Path) -> None:
    """A cold start answered from the cache never needs the model, so it must not pay for importing its SDK."""
    code = (
        "import json, sys\n"
        "from twin.composition import Services\n"
        "from twin.settings import Settings\n"
        "Services(Settings.from_environment(env_file=None)).ask\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    modules = json.loads(python(code, tmp_path, **CLOUD).stdout.splitlines()[-1])
    assert "twin.services.ask" in modules
    assert not {"groq", "twin.adapters.groq_model"} & set(modules)


FIRST_EVENTS = {
    "ask": "ask",
    "fit": "fit",
    "search": "search",
    "profile": "profile",
    "ingest": "ingest",
    "sessions": "sessions_delete",
    "health": "health",
    "metadata": "metadata",
    "mcp": "mcp_tools_call",
    "public": "public_page",
    "public_mcp": "public_mcp_tools_call",
}


@pytest.mark.parametrize(("function", "event_name"), FIRST_EVENTS.items())
def test_a_cold_start_and_its_first_events_write_nothing_but_json_log_lines(
    function: str, event_name: str, tmp_path: Path
) -> None:
    """Lambda puts a function's stdout and stderr in its log: a warning there is an unstructured line per cold start
    (or, like Powertools' "no metrics to publish", per request)."""
    code = (
        "import sys\n"
        f"sys.path.insert(0, {str(ROOT / 'functions' / function)!r})\n"
        f"from {function}_handler import handler\n"
        "from tests.lambda_handlers import LambdaContext, event\n"
        "for _ in range(2):\n"
        f"    assert handler(event({event_name!r}), LambdaContext())['statusCode'] < 500\n"
    )
    completed = python(code, tmp_path, PYTHONPATH=str(ROOT))

    assert completed.stderr == ""
    assert all(json.loads(line) for line in completed.stdout.splitlines())
