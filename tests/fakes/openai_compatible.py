"""A loopback OpenAI-compatible chat server, for contract tests of the Groq adapter through the real SDK.

It serves `POST /openai/v1/chat/completions` (the path the `groq` SDK appends to its base URL), checks
`Authorization: Bearer <api_key>` (401 otherwise), records every request, and answers each one with the
next queued `Scripted` response, or, once the queue is empty, a chat completion saying `content`.
"""

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self

from tests.fakes.loopback import JsonHandler

PATH = "/openai/v1/chat/completions"


@dataclass(frozen=True, slots=True)
class Scripted:
    """One response: a status, extra headers, the answer's text, a raw body instead, and a delay before it."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    content: str | None = None
    """The answer's text; None means the server's `content`."""
    body: bytes | None = None
    """Sent as is instead of a chat completion (or an error object, for a status other than 200)."""
    delay_seconds: float = 0.0


def ok(content: str | None = None) -> Scripted:
    return Scripted(content=content)


def rate_limited(retry_after_seconds: int) -> Scripted:
    return Scripted(status=429, headers={"retry-after": str(retry_after_seconds)})


def server_error(status: int = 500) -> Scripted:
    return Scripted(status=status)


def malformed_json() -> Scripted:
    return Scripted(body=b'{"id": "chatcmpl-1", "choices": [{"message": ')


def empty_content() -> Scripted:
    return Scripted(content="")


def slow(delay_seconds: float) -> Scripted:
    return Scripted(delay_seconds=delay_seconds)


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    path: str
    headers: dict[str, str]
    """Header names in lower case."""
    body: Any


class FakeOpenAI:
    def __init__(self, api_key: str = "gsk_fake_contract_key", content: str = "I build payment systems [1].") -> None:
        self.api_key = api_key
        self.content = content
        self.model: str | None = None
        """The model name the responses report; None echoes the requested one."""
        self.requests: list[RecordedRequest] = []
        self._queued: deque[Scripted] = deque()
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, name="fake-openai", daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def queue(self, *responses: Scripted) -> None:
        """The responses to the next requests, in order; requests after them get a plain success."""
        with self._lock:
            self._queued.extend(responses)

    def start(self) -> Self:
        self._thread.start()
        return self

    def close(self) -> None:
        self._closing.set()  # wakes slow responses
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def _next(self) -> Scripted:
        with self._lock:
            return self._queued.popleft() if self._queued else Scripted()

    def _completion(self, request_body: Any, content: str) -> bytes:
        requested = request_body.get("model", "") if isinstance(request_body, dict) else ""
        return json.dumps(
            {
                "id": f"chatcmpl-fake-{len(self.requests)}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": requested if self.model is None else self.model,
                "choices": [
                    {"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}
                ],
                "usage": {"prompt_tokens": 321, "completion_tokens": 42, "total_tokens": 363},
            }
        ).encode()


def _error_body(status: int, message: str) -> bytes:
    return json.dumps({"error": {"message": message, "type": "fake_error", "code": status}}).encode()


def _handler_for(fake: FakeOpenAI) -> type[BaseHTTPRequestHandler]:
    class Handler(JsonHandler):
        def do_POST(self) -> None:  # noqa: N802  # http.server names its handlers so
            raw = self.rfile.read(int(self.headers.get("content-length") or 0))
            try:
                body: Any = json.loads(raw)
            except ValueError:
                body = raw.decode(errors="replace")
            headers = {name.lower(): value for name, value in self.headers.items()}
            fake._record(RecordedRequest(self.path, headers, body))
            if not self.path.endswith("/chat/completions"):
                self.send_json(404, _error_body(404, "unknown path"))
            elif headers.get("authorization") != f"Bearer {fake.api_key}":
                self.send_json(401, _error_body(401, "Invalid API Key"))
            else:
                self._respond(fake._next(), body)

        def _respond(self, scripted: Scripted, request_body: Any) -> None:
            if scripted.delay_seconds and fake._closing.wait(scripted.delay_seconds):
                return
            if scripted.body is not None:
                payload = scripted.body
            elif scripted.status != 200:
                payload = _error_body(scripted.status, "injected fault")
            else:
                content = fake.content if scripted.content is None else scripted.content
                payload = fake._completion(request_body, content)
            self.send_json(scripted.status, payload, scripted.headers)

    return Handler
