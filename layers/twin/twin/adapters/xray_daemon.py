"""X-Ray subsegments sent straight to the daemon Lambda runs beside each function.

The X-Ray SDK builds a botocore client when it is imported (about 260 ms of every cold start without SnapStart). A
subsegment needs none of that: one JSON document over UDP to the daemon, under the trace and the
parent segment that Lambda's active tracing gives each invocation in the `_X_AMZN_TRACE_ID` header.

A subsegment opened inside another is its child: the open one is a context variable, which reaches the
tasks and worker threads a request starts (asyncio tasks and anyio's `to_thread` copy the context).
"""

from __future__ import annotations

import json
import re
import secrets
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:  # the authorizer loads this module and never needs the ports
    from twin.ports import Annotation

_HEADER: Final = b'{"format": "json", "version": 1}\n'
_ANNOTATION_KEY: Final = re.compile(r"\w{1,500}", re.ASCII)
# Letters, digits, spaces and these are all a name may hold; a route's `{parameter}` becomes `:parameter`.
_NOT_IN_A_NAME: Final = re.compile(r"[^\w\s.:/%&#=+\\@-]")


class Subsegment:
    """One piece of an invocation's work; what it records is sent when it ends."""

    def __init__(self, name: str, trace_id: str, parent_id: str, *, sampled: bool) -> None:
        self.id = secrets.token_hex(8)
        self.trace_id = trace_id
        self.sampled = sampled
        self._document: dict[str, Any] = {
            "type": "subsegment",
            "id": self.id,
            "trace_id": trace_id,
            "parent_id": parent_id,
            "name": _NOT_IN_A_NAME.sub("", name.replace("{", ":"))[:200],
            "start_time": time.time(),
        }

    def annotate(self, **values: Annotation) -> None:
        """Indexed for filter expressions; a key of anything but ASCII letters, digits and `_` is left out, as the
        X-Ray SDKs leave it out: X-Ray does not accept it."""
        annotations = self._document.setdefault("annotations", {})
        annotations.update((key, value) for key, value in values.items() if _ANNOTATION_KEY.fullmatch(key))

    def record_request(self, method: str, url: str) -> None:
        self._document.setdefault("http", {})["request"] = {"method": method, "url": url}

    def record_status(self, status: int) -> None:
        """4xx is the caller's error (429 a throttle too), 5xx a fault of the function."""
        self._document.setdefault("http", {})["response"] = {"status": status}
        if 400 <= status < 500:
            self._document["error"] = True
            if status == 429:
                self._document["throttle"] = True
        elif status >= 500:
            self._document["fault"] = True

    def record_exception(self, error: BaseException) -> None:
        """The exception's type only: its message may hold the request's input."""
        self._document["fault"] = True
        exception = {"id": secrets.token_hex(8), "type": type(error).__name__}
        self._document["cause"] = {"exceptions": [exception]}

    def finished(self) -> bytes:
        return _HEADER + json.dumps({**self._document, "end_time": time.time()}).encode()


_current: ContextVar[Subsegment | None] = ContextVar("xray_subsegment", default=None)


class XRayDaemon:
    def __init__(self, address: str, trace_header: Callable[[], str | None]) -> None:
        host, _, port = address.rpartition(":")
        self._address = (host, int(port))
        self._trace_header = trace_header
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)

    def reconnect(self) -> None:
        """A new socket: after a SnapStart restore the one made at start is shared by every restored environment."""
        self._socket.close()
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)

    @contextmanager
    def subsegment(self, name: str) -> Iterator[Subsegment]:
        """A child of the open subsegment, or of the invocation's segment; sent only when the trace is sampled."""
        parent = _current.get()
        if parent is not None:
            subsegment = Subsegment(name, parent.trace_id, parent.id, sampled=parent.sampled)
        else:
            trace = _parsed(self._trace_header())
            sampled = trace.get("Sampled") == "1" and "Root" in trace and "Parent" in trace
            subsegment = Subsegment(name, trace.get("Root", ""), trace.get("Parent", ""), sampled=sampled)
        opened = _current.set(subsegment)
        try:
            yield subsegment
        except Exception as error:
            subsegment.record_exception(error)
            raise
        finally:
            _current.reset(opened)
            if subsegment.sampled:
                self._send(subsegment.finished())

    def annotate(self, **values: Annotation) -> None:
        """On the open subsegment; outside any there is nothing of ours to label."""
        current = _current.get()
        if current is not None:
            current.annotate(**values)

    def _send(self, datagram: bytes) -> None:
        with suppress(OSError):  # tracing must never fail a request
            self._socket.sendto(datagram, self._address)


def _parsed(header: str | None) -> dict[str, str]:
    """`Root=1-...;Parent=...;Sampled=1` as a mapping."""
    pairs = (part.split("=", 1) for part in (header or "").split(";") if "=" in part)
    return {key.strip(): value.strip() for key, value in pairs}
