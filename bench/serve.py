"""Latency and throughput of `twin serve` over keep-alive HTTP, against a constant route under the same server.

Starts `twin serve` (embedded defaults, the bundled sample, a temporary state directory) and a FastAPI app
whose one `async` route returns a constant JSON object, served by the same listener and uvicorn set-up,
both on loopback, and drives every route of both with `wrk` (one thread, kept-alive connections, a fixed
time). Per route it prints p50 and p99 latency at one connection, requests per second at `--connections`
connections and that throughput as a share of the constant route's, and the server's CPU time per request
(read from `/proc`, so Linux only), which a busy machine hardly moves.

    scripts/dev bench-serve [--duration S] [--connections N] [--rounds N] [--route TEXT ...]
"""

import argparse
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CONSTANT_APP = """
from fastapi import FastAPI
from twin.entrypoints.local_server import listen, local_server

app = FastAPI()

@app.get("/")
async def constant() -> dict[str, str]:
    return {"status": "ok"}

listener = listen("127.0.0.1", 0)
print(f"http://127.0.0.1:{listener.getsockname()[1]}", flush=True)
local_server(app).run(sockets=[listener])
"""

NUMBER = "@N@"
"""Replaced in a body by the run's and the request's number, for bodies that must differ on every request."""

# wrk runs this after the lines that set `wrk.method`, `wrk.headers`, `wrk.body` and `run` for the route.
WRK_SCRIPT = """
local counter = 0
if string.find(wrk.body, NUMBER, 1, true) then
  function request()
    counter = counter + 1
    return wrk.format(nil, nil, nil, (string.gsub(wrk.body, NUMBER, run .. "." .. counter)))
  end
end
function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "failed": %d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    errors.connect + errors.read + errors.write + errors.status + errors.timeout))
end
""".replace("NUMBER", json.dumps(NUMBER))


@dataclass(frozen=True)
class Server:
    url: str
    pid: int
    headers: dict[str, str] = field(default_factory=dict)

    def cpu_seconds(self) -> float | None:
        """The server process's CPU time so far, user and system, where `/proc` shows it (Linux)."""
        try:
            stat = Path(f"/proc/{self.pid}/stat").read_text()
        except OSError:
            return None
        fields = stat.rsplit(")", 1)[1].split()  # after the command name: state, ppid, ..., utime, stime
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Route:
    name: str
    method: str
    path: str
    body: object = None
    """JSON; a string in it may hold NUMBER."""
    headers: dict[str, str] = field(default_factory=dict)
    credentials: bool = True
    """Sends the server's credentials (the public chat's routes are called without)."""

    def script(self, server: Server, run: int) -> str:
        headers = {**(server.headers if self.credentials else {}), **self.headers}
        body = "" if self.body is None else json.dumps(self.body)
        if self.body is not None:
            headers["Content-Type"] = "application/json"
        lines = [f"wrk.method = {_lua(self.method)}", f"wrk.body = {_lua(body)}", f"run = {_lua(str(run))}"]
        lines += [f"wrk.headers[{_lua(name)}] = {_lua(value)}" for name, value in headers.items()]
        return "\n".join(lines) + WRK_SCRIPT


def _lua(text: str) -> str:
    return json.dumps(text)  # a JSON string of ASCII is a valid Lua string literal


def _tool_call(name: str, arguments: dict[str, object]) -> dict[str, object]:
    return {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": name, "arguments": arguments}}


MCP_HEADERS = {"Accept": "application/json, text/event-stream", "Mcp-Protocol-Version": "2025-11-25"}
CONSTANT_ROUTE = Route("constant route", "GET", "/")
TWIN_ROUTES = [
    Route("GET /health", "GET", "/health"),
    Route("POST /v1/search", "POST", "/v1/search", body={"query": "python data pipelines"}),
    Route("POST /v1/ask (cache hit)", "POST", "/v1/ask", body={"question": "Where do you work now?"}),
    # A distinct question each time: the answer cache never has it.
    Route("POST /v1/ask (cache miss)", "POST", "/v1/ask", body={"question": f"What did you build, project {NUMBER}?"}),
    Route("GET /v1/profile", "GET", "/v1/profile"),
    Route("GET / (the chat page)", "GET", "/", credentials=False),
    Route(
        "POST /v1/public/ask (hit)",
        "POST",
        "/v1/public/ask",
        body={"question": "Where do you work now?"},
        credentials=False,
    ),
    Route(
        "MCP tools/call search_profile",
        "POST",
        "/mcp",
        body=_tool_call("search_profile", {"query": "python data pipelines"}),
        headers=MCP_HEADERS,
    ),
    Route(
        "MCP tools/call ask_twin (hit)",
        "POST",
        "/mcp",
        body=_tool_call("ask_twin", {"question": "Where do you work now?"}),
        headers=MCP_HEADERS,
    ),
]


@dataclass(frozen=True)
class Load:
    requests: int
    p50_ms: float
    p99_ms: float
    requests_per_second: float
    failed: int
    """Requests answered with a status other than 2xx/3xx, or not answered."""
    cpu_ms: float | None
    """The server's CPU time per request: unlike the rates, it hardly moves with what else the machine runs."""


RUNS = itertools.count()


def drive(server: Server, route: Route, connections: int, seconds: int, scripts: Path) -> Load:
    script = scripts / "route.lua"
    script.write_text(route.script(server, next(RUNS)))
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "-s", str(script), server.url + route.path]
    cpu_before = server.cpu_seconds()
    completed = subprocess.run(command, capture_output=True, text=True, check=True)
    cpu_after = server.cpu_seconds()
    line = next(line for line in completed.stdout.splitlines() if line.startswith("RESULT "))
    result = json.loads(line.removeprefix("RESULT "))
    cpu = None if cpu_before is None or cpu_after is None else cpu_after - cpu_before
    return Load(
        requests=result["requests"],
        p50_ms=result["p50_us"] / 1000,
        p99_ms=result["p99_us"] / 1000,
        requests_per_second=result["requests"] / (result["duration_us"] / 1e6),
        failed=result["failed"],
        cpu_ms=None if cpu is None or not result["requests"] else cpu * 1000 / result["requests"],
    )


def _environment(state_dir: Path) -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("TWIN_")}
    paths = [str(ROOT / "layers" / "twin"), str(ROOT), environment.get("PYTHONPATH", "")]
    limits = {f"TWIN_RATE_LIMIT_{tier}": "1000000" for tier in ("FREE", "PRO", "PARTNER", "PUBLIC")}
    return (
        environment
        | limits
        | {
            "PYTHONPATH": os.pathsep.join(filter(None, paths)),
            "TWIN_STATE_DIR": str(state_dir),
            "TWIN_RATE_LIMIT_WINDOW_SECONDS": "1",
        }
    )


@contextmanager
def started(command: list[str], environment: dict[str, str], log: Path) -> Iterator[tuple[int, Callable[[], str]]]:
    """Runs `command`; yields its pid and a function giving its next line of output (or its log, if it stopped)."""
    with log.open("w") as errors:
        process = subprocess.Popen(command, env=environment, stdout=subprocess.PIPE, stderr=errors, text=True)
        assert process.stdout is not None
        output = process.stdout

        def next_line() -> str:
            line = output.readline()
            if not line:
                raise RuntimeError(f"{command[-1]!r} stopped:\n{log.read_text()[-3000:]}")
            return line

        try:
            yield process.pid, next_line
        finally:
            process.terminate()
            process.wait(timeout=10)


def start_servers(running: ExitStack, state_dir: Path) -> tuple[Server, Server]:
    """`twin serve` and the constant app: (twin, constant)."""
    environment = _environment(state_dir)
    twin = [sys.executable, "-m", "twin.entrypoints.cli", "serve", "--port", "0"]
    twin_pid, twin_output = running.enter_context(started(twin, environment, state_dir / "twin.log"))
    constant_pid, constant_output = running.enter_context(
        started([sys.executable, "-c", CONSTANT_APP], environment, state_dir / "constant.log")
    )
    banner = list(iter(twin_output, "Press Ctrl+C to stop.\n"))
    token = next(banner[n + 1].strip() for n, line in enumerate(banner) if line.startswith("Development token"))
    twin_url = banner[0].removeprefix("Digital Twin is running at ").strip()
    twin_server = Server(twin_url, twin_pid, {"Authorization": f"Bearer {token}"})
    return twin_server, Server(constant_output().strip(), constant_pid)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=5, help="seconds of load per route and level")
    parser.add_argument("--connections", type=int, default=20, help="kept-alive connections for throughput")
    parser.add_argument("--rounds", type=int, default=1, help="rounds over every route; each keeps its best")
    parser.add_argument(
        "--route", action="append", default=[], help="only the routes whose name holds this text (repeatable)"
    )
    arguments = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("bench-serve needs wrk (Debian/Ubuntu: apt-get install wrk; macOS: brew install wrk)")
    chosen = [
        route for route in TWIN_ROUTES if not arguments.route or any(part in route.name for part in arguments.route)
    ]
    routes = [CONSTANT_ROUTE, *chosen]
    with ExitStack() as running:
        state_dir = Path(running.enter_context(tempfile.TemporaryDirectory(prefix="bench-serve-")))
        twin, constant = start_servers(running, state_dir)
        servers = {route.name: constant if route is CONSTANT_ROUTE else twin for route in routes}
        for route in routes:
            drive(servers[route.name], route, 1, 1, state_dir)  # warm-up: caches, the first answer, lazy imports
        latencies: dict[str, list[Load]] = {route.name: [] for route in routes}
        loads: dict[str, list[Load]] = {route.name: [] for route in routes}
        # Round-robin, so a drift in the machine's load moves every route and the constant route alike.
        for _ in range(arguments.rounds):
            for route in routes:
                latencies[route.name].append(drive(servers[route.name], route, 1, arguments.duration, state_dir))
                loads[route.name].append(
                    drive(servers[route.name], route, arguments.connections, arguments.duration, state_dir)
                )
    report(routes, latencies, loads, arguments)


def report(
    routes: list[Route], latencies: dict[str, list[Load]], loads: dict[str, list[Load]], arguments: argparse.Namespace
) -> None:
    rounds = f", best of {arguments.rounds} rounds" if arguments.rounds > 1 else ""
    print(f"wrk, one thread, kept-alive connections on loopback, {arguments.duration} s per route and level{rounds}")
    print("share: of the constant route's requests/s; CPU: the server's CPU time per request, and the constant")
    print("route's CPU time per request as a share of it (what one core could serve, relative to the constant route)")
    print(f"{'':<32}{'1 connection':>18}{f'{arguments.connections} connections':>38}")
    print(f"{'route':<32}{'p50 ms':>9}{'p99 ms':>9}{'req/s':>10}{'share':>8}{'CPU ms':>10}{'share':>8}")
    constant_rate = max(load.requests_per_second for load in loads[CONSTANT_ROUTE.name])
    constant_cpu = _least_cpu(loads[CONSTANT_ROUTE.name])
    for route in routes:
        latency = min(latencies[route.name], key=lambda run: (not run.requests, run.p50_ms))
        rate = max(load.requests_per_second for load in loads[route.name])
        cpu = _least_cpu(loads[route.name])
        cpu_cells = f"{cpu:>10.3f}{constant_cpu / cpu:>8.0%}" if cpu and constant_cpu else f"{'-':>10}{'-':>8}"
        failed = sum(run.failed for run in (*latencies[route.name], *loads[route.name]))
        print(
            f"{route.name:<32}{latency.p50_ms:>9.2f}{latency.p99_ms:>9.2f}{rate:>10.0f}{rate / constant_rate:>8.0%}"
            + cpu_cells
            + (f"   ({failed} requests failed or not 2xx)" if failed else "")
        )


def _least_cpu(loads: list[Load]) -> float | None:
    measured = [load.cpu_ms for load in loads if load.cpu_ms is not None]
    return min(measured) if measured else None


if __name__ == "__main__":
    main()
