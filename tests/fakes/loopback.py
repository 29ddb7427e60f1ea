"""What the loopback fakes' HTTP handlers share: JSON answers sent at once, quietly."""

from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler
from typing import Any


class JsonHandler(BaseHTTPRequestHandler):
    # Headers and body go out in two writes; with Nagle's algorithm the body waits for the client's delayed
    # ACK of the headers (up to 40 ms a request), which made every fake look like a slow remote service.
    disable_nagle_algorithm = True

    def send_json(self, status: int, payload: bytes, headers: Mapping[str, str] | None = None) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (a timeout under test)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: pytest shows what the tests assert."""
