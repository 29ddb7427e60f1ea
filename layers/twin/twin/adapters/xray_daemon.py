"""X-Ray subsegments sent straight to the daemon Lambda runs beside each function.

The X-Ray SDK builds a botocore client when it is imported (about 0.2 s of every cold start). A
subsegment needs none of that: one JSON document over UDP to the daemon, under the trace and the
parent segment that Lambda's active tracing gives each invocation in the `_X_AMZN_TRACE_ID` header.
"""

import json
import secrets
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Final

_HEADER: Final = b'{"format": "json", "version": 1}\n'


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
    def subsegment(self, name: str) -> Iterator[None]:
        trace = _parsed(self._trace_header())
        start = time.time()
        try:
            yield
        finally:
            if trace.get("Sampled") == "1" and "Root" in trace and "Parent" in trace:
                document = {
                    "type": "subsegment",
                    "id": secrets.token_hex(8),
                    "trace_id": trace["Root"],
                    "parent_id": trace["Parent"],
                    "name": name,
                    "start_time": start,
                    "end_time": time.time(),
                }
                self._send(_HEADER + json.dumps(document).encode())

    def _send(self, datagram: bytes) -> None:
        with suppress(OSError):  # tracing must never fail a request
            self._socket.sendto(datagram, self._address)


def _parsed(header: str | None) -> dict[str, str]:
    """`Root=1-...;Parent=...;Sampled=1` as a mapping."""
    pairs = (part.split("=", 1) for part in (header or "").split(";") if "=" in part)
    return {key.strip(): value.strip() for key, value in pairs}
