"""Subsegments reach an X-Ray daemon stand-in listening on loopback UDP."""

import json
import socket
from collections.abc import Callable, Iterator

import pytest

from twin.adapters.xray_daemon import XRayDaemon

SAMPLED = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"


@pytest.fixture
def daemon() -> Iterator[socket.socket]:
    listener = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    listener.bind(("127.0.0.1", 0))
    listener.settimeout(2)
    yield listener
    listener.close()


def always(header: str | None) -> Callable[[], str | None]:
    return lambda: header


def address(listener: socket.socket) -> str:
    host, port = listener.getsockname()
    return f"{host}:{port}"


def test_a_sampled_invocation_gets_a_subsegment_under_its_trace_and_parent(daemon: socket.socket) -> None:
    with XRayDaemon(address(daemon), always(SAMPLED)).subsegment("Retrieval"):
        pass

    header, document = daemon.recv(65536).split(b"\n", 1)
    segment = json.loads(document)
    assert json.loads(header) == {"format": "json", "version": 1}
    assert segment["type"] == "subsegment"
    assert segment["name"] == "Retrieval"
    assert segment["trace_id"] == "1-5759e988-bd862e3fe1be46a994272793"
    assert segment["parent_id"] == "53995c3f42cd8ad8"
    assert len(segment["id"]) == 16
    assert segment["start_time"] <= segment["end_time"]


def test_an_unsampled_or_untraced_invocation_sends_nothing(daemon: socket.socket) -> None:
    for header in (SAMPLED.replace("Sampled=1", "Sampled=0"), None, "garbage"):
        with XRayDaemon(address(daemon), always(header)).subsegment("Model"):
            pass

    daemon.settimeout(0.2)
    with pytest.raises(TimeoutError):
        daemon.recv(65536)


def test_the_span_still_closes_when_the_work_fails(daemon: socket.socket) -> None:
    with pytest.raises(ValueError, match="boom"), XRayDaemon(address(daemon), always(SAMPLED)).subsegment("Model"):
        raise ValueError("boom")

    assert json.loads(daemon.recv(65536).split(b"\n", 1)[1])["name"] == "Model"
