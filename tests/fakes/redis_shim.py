"""Upstash Redis, as far as the SDKs use it: its REST protocol in front of a real redis-server.

The shim speaks what upstash-redis sends (a command as a JSON array POSTed to
`/`, a list of them to `/pipeline` or `/multi-exec`, `Authorization: Bearer <token>`, answers as
`{"result": ...}` / `{"error": ...}`, strings base64-encoded under `Upstash-Encoding: base64`) and
runs each command on redis-server, so expiry, list trimming, transactions and scripts are real Redis.
Each shim is one database (a redis-server database number); given a read-only token too, it answers requests with
that token as a Redis user allowed only read commands, as Upstash's read-only token is. It records what it was sent and
can be told to fail: `faults`.
"""

import base64
import json
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import redis

from tests.fakes.loopback import JsonHandler

# Upstash's scripting accepts this shebang flag (upstash-ratelimit sets it), redis-server refuses it: scripts
# written for Upstash run here unchanged.
UPSTASH_ONLY_FLAG = "allow-key-locking"
SCRIPT_COMMANDS = {"EVAL": 1, "EVAL_RO": 1, "SCRIPT": 2}
"""Where the script is among a command's words (`SCRIPT LOAD <script>`)."""
READ_ONLY_USER = "upstash-read-only"


@dataclass(frozen=True)
class RedisServer:
    port: int
    client: "redis.Redis"
    """redis-py on the server itself, answering in text: for looking past the shim."""

    def key_names(self, database: int = 0) -> set[str]:
        """Every key of one of the server's databases."""
        with redis.Redis(port=self.port, db=database, decode_responses=True) as client:
            return set(client.keys("*"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def running_redis_server(directory: Path) -> Iterator[RedisServer]:
    """redis-server on a free port, without persistence, stopped on exit."""
    executable = shutil.which("redis-server")
    if executable is None:
        raise FileNotFoundError("redis-server is not on PATH: install Debian's redis-server (scripts/dev test does)")
    port = free_port()
    log = directory / "redis-server.log"
    command = [executable, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    process = subprocess.Popen([*command, "--dir", str(directory), "--logfile", str(log)])
    client = redis.Redis(port=port, decode_responses=True)
    try:
        _wait_for_ping(client, process, log)
        yield RedisServer(port=port, client=client)
    finally:
        client.close()
        process.terminate()
        process.wait(timeout=10)


def _wait_for_ping(client: "redis.Redis", process: "subprocess.Popen[bytes]", log: Path) -> None:
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            return
        except redis.ConnectionError:
            if process.poll() is not None or time.monotonic() > deadline:
                output = log.read_text() if log.exists() else ""
                raise RuntimeError(f"redis-server did not start:\n{output}") from None
            time.sleep(0.05)


@dataclass
class Faults:
    """How the shim misbehaves; all off by default."""

    status: int | None = None
    """Answer every request with this HTTP status and a body that is not JSON."""
    malformed: bool = False
    """Answer 200 with JSON that has neither `result` nor `error`."""
    delay_seconds: float = 0.0
    """Wait this long before answering."""


@dataclass(frozen=True)
class RecordedRequest:
    path: str
    commands: list[list[Any]]
    """One command for `/`, all of them for `/pipeline` and `/multi-exec`."""


class RedisShim:
    """A threaded HTTP server on 127.0.0.1 that answers Upstash REST requests from redis-server."""

    def __init__(
        self, redis_port: int, token: str = "shim-token", *, database: int = 0, readonly_token: str | None = None
    ) -> None:
        self.token = token
        self.readonly_token = readonly_token
        self.faults = Faults()
        self.requests: list[RecordedRequest] = []
        self._redis = _raw_client(redis_port, database)
        self._readonly_redis = None
        if readonly_token is not None:
            user = ("ACL", "SETUSER", READ_ONLY_USER, "reset", "on", "nopass", "~*", "+@read", "+select", "+ping")
            self._redis.execute_command(*user)  # type: ignore[no-untyped-call]  # redis-py leaves these untyped
            self._readonly_redis = _raw_client(redis_port, database, username=READ_ONLY_USER)
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.shim = self
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Stop answering: connections are refused from now on."""
        if self._stopping.is_set():
            return
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._redis.close()
        if self._readonly_redis is not None:
            self._readonly_redis.close()

    def commands(self) -> list[str]:
        """The name of every command received, in order, pipelined ones included."""
        with self._lock:
            return [str(command[0]).upper() for request in self.requests for command in request.commands]

    # -- what a request does -----------------------------------------------------------------------

    def handle(self, path: str, authorization: str | None, base64_encoding: bool, body: bytes) -> tuple[int, bytes]:
        if self.faults.delay_seconds:
            self._stopping.wait(self.faults.delay_seconds)
        if self.faults.status is not None:
            return self.faults.status, b"<html>upstream trouble</html>"
        if self.faults.malformed:
            return 200, b'{"unexpected": "shape"}'
        if authorization == f"Bearer {self.token}":
            client = self._redis
        elif self._readonly_redis is not None and authorization == f"Bearer {self.readonly_token}":
            client = self._readonly_redis
        else:
            return 401, _json({"error": "Unauthorized"})
        try:
            payload = json.loads(body)
        except ValueError:
            return 400, _json({"error": "ERR the body is not JSON"})
        if path == "/":
            return self._single(client, payload, base64_encoding)
        if path in ("/pipeline", "/multi-exec"):
            return self._batch(client, path, payload, base64_encoding)
        return 404, _json({"error": f"ERR no such endpoint {path}"})

    def _single(self, client: "redis.Redis", command: Any, base64_encoding: bool) -> tuple[int, bytes]:
        self._record("/", [command])
        try:
            reply = client.execute_command(*_redis_words(command))  # type: ignore[no-untyped-call]  # redis-py leaves these untyped
        except (redis.ResponseError, redis.DataError, TypeError) as error:
            return 400, _json({"error": str(error)})
        return 200, _json({"result": _encode(reply, base64_encoding)})

    def _batch(self, client: "redis.Redis", path: str, commands: Any, base64_encoding: bool) -> tuple[int, bytes]:
        if not isinstance(commands, list) or not all(isinstance(command, list) for command in commands):
            return 400, _json({"error": "ERR expected a list of commands"})
        self._record(path, commands)
        try:
            replies = self._transaction(client, commands) if path == "/multi-exec" else self._pipeline(client, commands)
        except (redis.ResponseError, redis.DataError, TypeError) as error:
            return 400, _json({"error": str(error)})
        return 200, _json([_result(reply, base64_encoding) for reply in replies])

    def _pipeline(self, client: "redis.Redis", commands: list[list[Any]]) -> list[Any]:
        replies: list[Any] = []
        for command in commands:
            try:
                replies.append(client.execute_command(*_redis_words(command)))  # type: ignore[no-untyped-call]  # redis-py leaves these untyped
            except redis.ResponseError as error:
                replies.append(error)
        return replies

    def _transaction(self, client: "redis.Redis", commands: list[list[Any]]) -> list[Any]:
        """MULTI, the commands, EXEC on one connection: other clients' commands cannot come between."""
        words = [_redis_words(command) for command in commands]
        connection = client.connection_pool.get_connection()
        try:
            connection.send_command("MULTI")  # type: ignore[no-untyped-call]  # redis-py leaves these untyped
            connection.read_response()
            for command in words:
                connection.send_command(*command)  # type: ignore[no-untyped-call]  # redis-py leaves these untyped
                with suppress(redis.ResponseError):  # queued with an error: EXEC aborts, as on Upstash
                    connection.read_response()
            connection.send_command("EXEC")  # type: ignore[no-untyped-call]  # redis-py leaves these untyped
            replies: list[Any] = connection.read_response()
            return replies
        except redis.ResponseError:
            raise  # EXEC ended the transaction: the connection is fine
        except BaseException:
            connection.disconnect()  # type: ignore[no-untyped-call]  # it may be left inside MULTI
            raise
        finally:
            client.connection_pool.release(connection)

    def _record(self, path: str, commands: list[list[Any]]) -> None:
        with self._lock:
            self.requests.append(RecordedRequest(path=path, commands=commands))


def _raw_client(port: int, database: int, username: str | None = None) -> "redis.Redis":
    """redis-py on one database, relaying raw replies as Upstash does; as `username` (which needs no password)."""
    client = redis.Redis(port=port, db=database, username=username, password="-" if username else None, protocol=2)
    client.response_callbacks.clear()
    return client


def _redis_words(command: Any) -> list[Any]:
    """The command's words for redis-py; scripts lose the shebang flag only Upstash knows."""
    if not isinstance(command, list) or not command or not isinstance(command[0], str):
        raise TypeError("ERR a command is a non-empty JSON array starting with its name")
    words = list(command)
    position = SCRIPT_COMMANDS.get(words[0].upper())
    if position is not None and len(words) > position and isinstance(words[position], str):
        words[position] = _without_upstash_flags(words[position])
    return words


def _without_upstash_flags(script: str) -> str:
    first, newline, rest = script.lstrip().partition("\n")
    if not first.startswith("#!lua"):
        return script
    flags = [flag for flag in first.partition("flags=")[2].split(",") if flag.strip() not in ("", UPSTASH_ONLY_FLAG)]
    shebang = f"#!lua flags={','.join(flags)}" if flags else "#!lua"
    return shebang + newline + rest


def _result(reply: Any, base64_encoding: bool) -> dict[str, Any]:
    if isinstance(reply, redis.ResponseError):
        return {"error": str(reply)}
    return {"result": _encode(reply, base64_encoding)}


def _encode(reply: Any, base64_encoding: bool) -> Any:
    """Strings base64-encoded (but "OK") when asked, as Upstash does; numbers, null and arrays as they are."""
    if isinstance(reply, bytes):
        if reply == b"OK" or not base64_encoding:
            return reply.decode(errors="replace")
        return base64.b64encode(reply).decode()
    if isinstance(reply, list):
        return [_encode(item, base64_encoding) for item in reply]
    if isinstance(reply, redis.ResponseError):
        return str(reply)
    return reply


def _json(value: Any) -> bytes:
    return json.dumps(value).encode()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # many clients at once (the concurrency tests), none refused
    shim: RedisShim


class _Handler(JsonHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:  # noqa: N802  # http.server names its handlers so
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        encoding = self.headers.get("Upstash-Encoding") == "base64"
        path = self.path.split("?")[0].rstrip("/") or "/"
        status, answer = self.server.shim.handle(path, self.headers.get("Authorization"), encoding, body)
        self.send_json(status, answer)
