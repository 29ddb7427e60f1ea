"""Cold start and warm latency of every Lambda function, from a layer built as `sam build` builds it.

The layer is built with layers/twin/Makefile for this machine's platform (the deployed one is arm64),
once with compiled bytecode and once without. Each cold run is a fresh `python -S` process that sees
only the function's code, the layer and a stand-in for the Lambda runtime (boto3), imports the
handler and serves its first event; it is timed from inside the process, so interpreter start-up,
the same for everyone, is left out. The baseline is a handler importing every package of the stack.

With `--backends cloud` the functions run on their cloud adapters (Upstash Vector, Upstash Redis, Groq),
against the loopback fakes the tests use (and a real redis-server), with the sample profile ingested.

    scripts/dev bench-cold [--runs N] [--warm N] [--backends embedded|cloud]
"""

import argparse
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "bench" / ".build"
PLATFORM_TAG = {"x86_64": "manylinux2014_x86_64", "aarch64": "manylinux2014_aarch64"}[platform.machine()]
SECRET = "benchmark-secret-0123456789abcdefghijklmnop"
API_URL = "https://abc123defg.execute-api.us-east-1.amazonaws.com/dev"

ENVIRONMENT = {
    "POWERTOOLS_SERVICE_NAME": "digital-twin",
    "POWERTOOLS_METRICS_NAMESPACE": "DigitalTwin",
    "AWS_LAMBDA_FUNCTION_NAME": "digital-twin-bench",
    "AWS_REGION": "us-east-1",
    "AWS_DEFAULT_REGION": "us-east-1",
    "POWERTOOLS_TRACE_DISABLED": "true",
    "TWIN_INDEX_PATH": ":memory:",
    "PYDANTIC_DISABLE_PLUGINS": "__all__",
    "TWIN_JWT_SECRET": SECRET,
    "PYTHONDONTWRITEBYTECODE": "1",
    # The events' callers ask again and again: without these, later runs would be timed answering 429.
    "TWIN_RATE_LIMIT_FREE": "1000000",
    "TWIN_RATE_LIMIT_PRO": "1000000",
    "TWIN_RATE_LIMIT_PARTNER": "1000000",
}


@dataclass(frozen=True)
class Function:
    name: str
    code: Path
    module: str
    event: str


FUNCTIONS = [
    Function("authorizer", ROOT / "functions/authorizer", "authorizer_handler", "authorizer"),
    Function("ask", ROOT / "functions/ask", "ask_handler", "ask"),
    Function("fit", ROOT / "functions/fit", "fit_handler", "fit"),
    Function("search", ROOT / "functions/search", "search_handler", "search"),
    Function("profile", ROOT / "functions/profile", "profile_handler", "profile"),
    Function("ingest", ROOT / "functions/ingest", "ingest_handler", "ingest"),
    Function("sessions", ROOT / "functions/sessions", "sessions_handler", "sessions_delete"),
    Function("health", ROOT / "functions/health", "health_handler", "health"),
    Function("metadata", ROOT / "functions/metadata", "metadata_handler", "metadata"),
    Function("mcp", ROOT / "functions/mcp", "mcp_handler", "mcp_tools_call"),
    Function("baseline", ROOT / "bench", "baseline_handler", "ask"),
]

# Runs inside each fresh process: time the import and the first event, then (optionally) warm calls.
RUNNER = """
import json, sys, time
started = time.perf_counter()
sys.path[:0] = PATHS
import importlib
handler = importlib.import_module(MODULE).handler
class Context:
    function_name = "bench"; memory_limit_in_mb = 1024; aws_request_id = "bench"
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:bench"
    def get_remaining_time_in_millis(self): return 25000
response = handler(json.loads(EVENT), Context())
cold = time.perf_counter() - started
warm = []
statuses = {response.get("statusCode")}
for _ in range(WARM):
    event = json.loads(EVENT)
    start = time.perf_counter()
    statuses.add(handler(event, Context()).get("statusCode"))
    warm.append(time.perf_counter() - start)
sys.stdout = sys.__stdout__
print("RESULT " + json.dumps({"cold": cold, "warm": warm, "statuses": sorted(statuses, key=str)}))
"""


def build(compiled: bool) -> Path:
    """The layer for this machine, plus what the Lambda runtime and the baseline add."""
    target = BUILD / ("compiled" if compiled else "source")
    inputs = target / "inputs.sha256"
    if (target / "python").is_dir() and inputs.is_file() and inputs.read_text() == layer_inputs():
        return target
    shutil.rmtree(target, ignore_errors=True)
    make = ["make", "-s", "-C", str(ROOT / "layers/twin"), "build-TwinLayer", f"ARTIFACTS_DIR={target}"]
    make += [f"PYTHON={sys.executable}", f"PLATFORM={PLATFORM_TAG}", f"COMPILE={'yes' if compiled else 'no'}"]
    subprocess.run(make, check=True)
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--target"]
    subprocess.run([*pip, str(target / "runtime"), "boto3"], check=True)
    baseline = ["groq", "upstash-vector", "upstash-redis", "aws-xray-sdk"]
    subprocess.run([*pip, str(target / "baseline"), *baseline], check=True)
    if compiled:
        for extra in ("runtime", "baseline"):
            subprocess.run([sys.executable, "-m", "compileall", "-q", "-j", "0", str(target / extra)], check=True)
    inputs.write_text(layer_inputs())
    return target


def layer_inputs() -> str:
    """A digest of what the layer is built from: a build made from other sources is rebuilt, never measured."""
    digest = hashlib.sha256()
    package = sorted(path for path in (ROOT / "layers/twin/twin").rglob("*") if path.is_file())
    sources = [path for path in package if "__pycache__" not in path.parts]
    for path in [
        *sources,
        *(
            ROOT / "layers/twin" / name
            for name in ("Makefile", "requirements.txt", "ca_directory.py", "tables_to_json.py")
        ),
        ROOT / "constraints.txt",
    ]:
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def event_for(function: Function) -> str:
    event = json.loads((ROOT / "events" / f"{function.event}.json").read_text())
    if function.name == "authorizer":
        sys.path.insert(0, str(ROOT))
        from tests.credentials import TokenFactory

        token = TokenFactory(secret=SECRET, audience=[API_URL, f"{API_URL}/mcp"]).token()
        event["headers"]["Authorization"] = f"Bearer {token}"
    return json.dumps(event)


@dataclass(frozen=True)
class Measurement:
    cold_ms: float
    warm_ms: list[float]
    statuses: list[int | None]
    """Every status the function answered with (the authorizer answers a policy: None)."""


def run(function: Function, layer: Path, warm: int, backends: dict[str, str]) -> Measurement:
    paths = [str(function.code), str(layer / "python"), str(layer / "runtime")]
    if function.name == "baseline":
        paths.append(str(layer / "baseline"))
    code = RUNNER.replace("PATHS", repr(paths)).replace("MODULE", repr(function.module))
    code = code.replace("EVENT", repr(event_for(function))).replace("WARM", str(warm))
    state = BUILD / "state"
    shutil.rmtree(state, ignore_errors=True)
    environment = {"PATH": os.environ["PATH"], "HOME": str(state), **ENVIRONMENT, "TWIN_STATE_DIR": str(state)}
    environment["SSL_CERT_DIR"] = str(layer / "ca-certificates")  # /opt/ca-certificates in Lambda
    environment |= backends
    completed = subprocess.run(
        [sys.executable, "-S", "-c", code], env=environment, capture_output=True, text=True, check=False
    )
    line = next((line for line in completed.stdout.splitlines() if line.startswith("RESULT ")), None)
    if line is None:
        raise RuntimeError(f"{function.name} failed:\n{completed.stderr[-3000:]}")
    result = json.loads(line.removeprefix("RESULT "))
    return Measurement(result["cold"] * 1000, [sample * 1000 for sample in result["warm"]], result["statuses"])


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=11, help="cold runs per function and build (median)")
    parser.add_argument("--warm", type=int, default=500, help="warm invocations after one cold start")
    parser.add_argument("--backends", choices=["embedded", "cloud"], default="embedded")
    arguments = parser.parse_args()
    with ExitStack() as running:
        backends = cloud_backends(running) if arguments.backends == "cloud" else {}
        report(arguments.runs, arguments.warm, backends, arguments.backends)


def cloud_backends(running: ExitStack) -> dict[str, str]:
    """Loopback Upstash Vector and Groq fakes and Upstash's REST API over a real redis-server, seeded."""
    sys.path.insert(0, str(ROOT))
    from tests.fakes.openai_compatible import FakeOpenAI
    from tests.fakes.redis_shim import RedisShim, running_redis_server
    from tests.fakes.upstash_vector import FakeUpstashVector
    from twin.composition import Services
    from twin.profiles import sample_profile
    from twin.settings import Settings

    vector = FakeUpstashVector()
    running.callback(vector.stop)
    (BUILD / "redis").mkdir(parents=True, exist_ok=True)
    redis_server = running.enter_context(running_redis_server(BUILD / "redis"))
    redis = running.enter_context(RedisShim(redis_server.port))
    groq = running.enter_context(FakeOpenAI())
    backends = {
        "TWIN_UPSTASH_VECTOR_URL": vector.url,
        "TWIN_UPSTASH_VECTOR_TOKEN": vector.token,
        "TWIN_UPSTASH_REDIS_URL": redis.url,
        "TWIN_UPSTASH_REDIS_TOKEN": redis.token,
        "TWIN_GROQ_API_KEY": groq.api_key,
        "TWIN_GROQ_BASE_URL": groq.url,
    }
    Services(Settings.from_environment(backends, env_file=None)).ingest.ingest(sample_profile())
    return backends


def report(runs: int, warm: int, backends: dict[str, str], backends_label: str) -> None:
    layers = {"bytecode": build(compiled=True), "source only": build(compiled=False)}
    print(f"{backends_label} backends; cold init (import + first event), median of {runs} fresh processes, ms")
    colds: dict[tuple[str, str], list[float]] = {
        (label, function.name): [] for label in layers for function in FUNCTIONS
    }
    statuses: dict[str, set[int | None]] = {function.name: set() for function in FUNCTIONS}
    # Round-robin, so a drift in the machine's speed moves every function and the baseline alike.
    for _ in range(runs):
        for label, layer in layers.items():
            for function in FUNCTIONS:
                measured = run(function, layer, 0, backends)
                colds[(label, function.name)].append(measured.cold_ms)
                statuses[function.name].update(measured.statuses)
    print("share of the baseline: the median of each round's ratio (a round's runs are minutes apart at most)")
    print(f"{'function':<12}" + "".join(f"{label:>14}{'':>9}" for label in layers) + "  statuses")
    for function in FUNCTIONS:
        cells = ""
        for label in layers:
            samples, baseline = colds[(label, function.name)], colds[(label, "baseline")]
            share = statistics.median(value / base for value, base in zip(samples, baseline, strict=True)) * 100
            cells += f"{statistics.median(samples):>14.1f}{share:>8.1f}%"
        print(f"{function.name:<12}{cells}  {sorted(statuses[function.name], key=str)}")

    print(f"\nwarm invocations in one process after a cold start ({warm} each), ms")
    for function in FUNCTIONS[:-1]:
        result = run(function, layers["bytecode"], warm, backends)
        p50, p99 = percentile(result.warm_ms, 0.5), percentile(result.warm_ms, 0.99)
        print(f"{function.name:<12} p50 {p50:7.3f}   p99 {p99:7.3f}   statuses {result.statuses}")

    for label, layer in layers.items():
        content = [*(layer / "python").rglob("*"), *(layer / "ca-certificates").rglob("*")]
        size = sum(path.stat().st_size for path in content if path.is_file())
        print(f"layer ({label}), unzipped, without boto3: {size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
