"""`twin serve`'s listener and server, run in this process so that the server's side of a connection can be seen."""

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from twin.composition import Services
from twin.entrypoints.local_server import create_local_app, listen, local_server
from twin.security.policy import Resources


def _has_ipv6_loopback() -> bool:
    try:
        socket.create_server(("::1", 0), family=socket.AF_INET6).close()
    except OSError:
        return False
    return True


LOOPBACKS = [
    "127.0.0.1",
    pytest.param("::1", marks=pytest.mark.skipif(not _has_ipv6_loopback(), reason="no IPv6 loopback here")),
]


@contextmanager
def serving(app: FastAPI, host: str) -> Iterator[tuple[uvicorn.Server, str]]:
    """The app served as `twin serve` serves it, on a free port; yields the server and its base URL."""
    listener = listen(host, 0)
    server = local_server(app)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive(), "the server stopped"
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.01)
    name = f"[{host}]" if listener.family == socket.AF_INET6 else host
    try:
        yield server, f"http://{name}:{listener.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def local_app(services: Services) -> FastAPI:
    return create_local_app(services, services.authenticator, Resources(api_url="http://127.0.0.1:8000"))


@pytest.mark.parametrize("host", LOOPBACKS)
def test_every_accepted_connection_has_nagles_algorithm_off(services: Services, host: str) -> None:
    # With Nagle on, a response's body waits for the client's delayed ACK of its headers: ~40 ms a request.
    with serving(local_app(services), host) as (server, base_url), httpx.Client(base_url=base_url) as client:
        statuses = [client.get("/health").status_code for _ in range(3)]  # one kept-alive connection
        accepted = [connection.transport.get_extra_info("socket") for connection in server.server_state.connections]

        assert statuses == [200, 200, 200]
        assert [sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) for sock in accepted] == [1]
