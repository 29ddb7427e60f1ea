"""A loopback stand-in for the Upstash Vector REST API, enough of it for the `upstash_vector` SDK.

It speaks the documented protocol (https://upstash.com/docs/vector/api/endpoints/*): POST to
`/<command>[/<namespace>]` with a Bearer token; answers `{"result": ...}`, or `{"error": ..., "status": ...}`
with that HTTP status. Commands: upsert-data, query-data, range, fetch, delete, list-namespaces,
delete-namespace; a namespace exists from its first upsert until it is deleted. Instead of embeddings it
scores by word overlap, so queries rank sensibly and deterministically. Every request is recorded, and
`fail_next` makes the next request fail in a chosen way.
"""

import json
import math
import re
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote

from tests.fakes.loopback import JsonHandler

_WORD = re.compile(r"[a-z0-9]+")
# `key = 'literal'` or `key = "literal"`, joined by AND: the part of the filter syntax the twin uses.
_CLAUSE = re.compile(r"""\s*([A-Za-z_][A-Za-z_0-9.]*)\s*=\s*(?:'([^']*)'|"([^"]*)")\s*""")
_AND = re.compile(r"AND\b", re.IGNORECASE)
_QUERY_MODES = {"DENSE", "SPARSE", "HYBRID"}


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    """Header names in lower case."""
    body: Any

    @property
    def command(self) -> str:
        return self.path.strip("/").split("/", 1)[0]

    @property
    def namespace(self) -> str:
        parts = self.path.strip("/").split("/", 1)
        return unquote(parts[1]) if len(parts) > 1 else ""


@dataclass(frozen=True)
class Fault:
    status: int | None = None
    body: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class StoredVector:
    data: str
    metadata: dict[str, Any] | None


class BadRequestError(Exception):
    pass


class NotFoundError(Exception):
    pass


DEFAULT_TOKEN = "fake-upstash-vector-token"


class FakeUpstashVector:
    def __init__(self, token: str = DEFAULT_TOKEN) -> None:
        self.token = token
        self.requests: list[RecordedRequest] = []
        self.namespaces: dict[str, dict[str, StoredVector]] = {}
        self.range_page_cap: int | None = None
        """When set, a range page holds at most this many vectors, whatever limit the client asks for."""
        self._faults: deque[Fault] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name="fake-upstash-vector", daemon=True
        )
        self._thread.start()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def fail_next(
        self,
        status: int | None = None,
        body: str | None = None,
        headers: dict[str, str] | None = None,
        delay: float = 0,
    ) -> None:
        """The next request waits `delay` seconds, then gets `status` (with an Upstash error body unless `body`
        is given) or, with only a `body`, a 200 carrying it; with neither, it is answered normally."""
        with self._lock:
            self._faults.append(Fault(status, body, dict(headers or {}), delay))

    def requests_to(self, command: str) -> list[RecordedRequest]:
        with self._lock:
            return [request for request in self.requests if request.command == command]

    def stop(self) -> None:
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def handle(self, method: str, path: str, headers: dict[str, str], raw: bytes) -> tuple[int, str, dict[str, str]]:
        """Status, body and headers of the answer to one request."""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode(errors="replace")
        request = RecordedRequest(method, path, headers, body)
        with self._lock:
            self.requests.append(request)
            fault = self._faults.popleft() if self._faults else None
        if fault is not None:
            self._stopping.wait(fault.delay)
            if fault.status is not None or fault.body is not None:
                status = fault.status or 200
                text = fault.body if fault.body is not None else _error(f"injected failure {status}", status)
                return status, text, fault.headers
        if headers.get("authorization") != f"Bearer {self.token}":
            return 401, _error("Unauthorized: Invalid auth token", 401), {}
        if method != "POST":
            return 405, _error("Method not allowed", 405), {}
        try:
            with self._lock:
                result = self._command(request)
        except BadRequestError as error:
            return 400, _error(str(error), 400), {}
        except NotFoundError as error:
            return 404, _error(str(error), 404), {}
        return 200, json.dumps({"result": result}), {}

    def _command(self, request: RecordedRequest) -> Any:
        vectors = self.namespaces.get(request.namespace, {})
        body = request.body
        match request.command:
            case "upsert-data":
                return _upsert(self.namespaces.setdefault(request.namespace, {}), body)
            case "list-namespaces":
                return ["", *(name for name in self.namespaces if name)]
            case "delete-namespace":
                if request.namespace not in self.namespaces:
                    raise NotFoundError(f"Namespace {request.namespace} for the index fake does not exist")
                del self.namespaces[request.namespace]
                return "Success"
            case "query-data":
                return _query(vectors, _object(body))
            case "range":
                return self._range(vectors, _object(body))
            case "fetch":
                body = _object(body)
                return [_shown(id_, vectors[id_], body) if id_ in vectors else None for id_ in _ids(body)]
            case "delete":
                return {"deleted": sum(vectors.pop(id_, None) is not None for id_ in _ids(_object(body)))}
            case _:
                raise BadRequestError(f"unsupported command {request.command!r}")

    def _range(self, vectors: dict[str, StoredVector], body: dict[str, Any]) -> Any:
        cursor, limit = body.get("cursor"), body.get("limit")
        if not isinstance(cursor, str) or not isinstance(limit, int) or limit <= 0:
            raise BadRequestError("range needs a cursor and a positive limit")
        start = 0 if cursor in ("", "0") else int(cursor)
        size = min(limit, self.range_page_cap or limit)
        ids = list(vectors)[start : start + size]
        end = start + len(ids)
        return {
            "nextCursor": str(end) if end < len(vectors) else "",
            "vectors": [_shown(id_, vectors[id_], body) for id_ in ids],
        }


def _upsert(vectors: dict[str, StoredVector], body: Any) -> str:
    items = body if isinstance(body, list) else [body]
    parsed = []
    for item in items:
        item = _object(item)
        id_, data, metadata = item.get("id"), item.get("data"), item.get("metadata")
        if not isinstance(id_, str) or not id_ or not isinstance(data, str):
            raise BadRequestError("each vector needs a non-empty id and data")
        if metadata is not None and not isinstance(metadata, dict):
            raise BadRequestError("metadata must be an object")
        parsed.append((id_, StoredVector(data, metadata)))
    vectors.update(parsed)
    return "Success"


def _query(vectors: dict[str, StoredVector], body: dict[str, Any]) -> list[dict[str, Any]]:
    text, top_k = body.get("data"), body.get("topK", 10)
    if not isinstance(text, str) or not isinstance(top_k, int) or top_k <= 0:
        raise BadRequestError("query-data needs data and a positive topK")
    if "queryMode" in body and body["queryMode"] not in _QUERY_MODES:
        raise BadRequestError("unknown queryMode")
    matches = _filter(str(body.get("filter") or ""))
    words = set(_WORD.findall(text.lower()))
    scored = [(_overlap(words, vector.data), id_) for id_, vector in vectors.items() if matches(vector.metadata)]
    scored.sort(key=lambda pair: (-pair[0], pair[1]))
    return [{"id": id_, "score": score} | _shown(id_, vectors[id_], body) for score, id_ in scored[:top_k]]


def _overlap(words: set[str], data: str) -> float:
    """Cosine of the two word sets: 0 with nothing in common, 1 for the same words."""
    other = set(_WORD.findall(data.lower()))
    if not words or not other:
        return 0.0
    return len(words & other) / math.sqrt(len(words) * len(other))


def _filter(expression: str) -> Any:
    clauses: list[tuple[str, str]] = []
    position = 0
    while expression.strip():
        clause = _CLAUSE.match(expression, position)
        if clause is None:
            raise BadRequestError(f"invalid filter at {position}")
        clauses.append((clause[1], clause[2] if clause[2] is not None else clause[3]))
        position = clause.end()
        if position == len(expression):
            break
        joint = _AND.match(expression, position)
        if joint is None:
            raise BadRequestError(f"invalid filter at {position}")
        position = joint.end()

    def matches(metadata: dict[str, Any] | None) -> bool:
        return all(_lookup(metadata, key) == literal for key, literal in clauses)

    return matches


def _lookup(metadata: dict[str, Any] | None, key: str) -> Any:
    value: Any = metadata
    for part in key.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _shown(id_: str, vector: StoredVector, body: dict[str, Any]) -> dict[str, Any]:
    shown: dict[str, Any] = {"id": id_}
    if body.get("includeMetadata") and vector.metadata is not None:
        shown["metadata"] = vector.metadata
    if body.get("includeData"):
        shown["data"] = vector.data
    return shown


def _ids(body: dict[str, Any]) -> list[str]:
    ids = body.get("ids")
    ids = [ids] if isinstance(ids, str) else ids
    if not isinstance(ids, list) or not all(isinstance(id_, str) for id_ in ids):
        raise BadRequestError("ids must be a list of strings")
    return ids


def _object(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise BadRequestError("expected a JSON object")
    return body


def _error(message: str, status: int) -> str:
    return json.dumps({"error": message, "status": status})


def _handler_for(fake: FakeUpstashVector) -> type[BaseHTTPRequestHandler]:
    class Handler(JsonHandler):
        protocol_version = "HTTP/1.1"

        def _answer(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            headers = {name.lower(): value for name, value in self.headers.items()}
            status, text, extra = fake.handle(self.command, self.path, headers, raw)
            self.send_json(status, text.encode(), extra)

        do_POST = do_GET = do_PUT = _answer  # noqa: N815  # http.server names its handlers so

    return Handler
