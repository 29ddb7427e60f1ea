"""Subsegments reach an X-Ray daemon stand-in listening on loopback UDP: straight from `XRayDaemon`, and from
the Lambda handlers serving their `events/*.json` with active tracing on."""

import asyncio
import json
import socket
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextvars import copy_context
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.fakes.redis_shim import RedisShim
from tests.fakes.upstash_vector import FakeUpstashVector
from tests.lambda_handlers import LambdaContext, event, lambda_environment, load_handler
from twin.adapters.xray_daemon import XRayDaemon
from twin.composition import build_services
from twin.entrypoints.aws.tracing import RequestSubsegments
from twin.profiles import sample_profile
from twin.settings import Settings

TRACE_ID = "1-5759e988-bd862e3fe1be46a994272793"
INVOCATION_SEGMENT = "53995c3f42cd8ad8"
SAMPLED = f"Root={TRACE_ID};Parent={INVOCATION_SEGMENT};Sampled=1"
CLIENT_TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
CLIENT_SPAN_ID = "00f067aa0ba902b7"
QUESTION = "What programming languages are you most comfortable with?"

type Document = dict[str, Any]


def listening() -> socket.socket:
    listener = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    listener.bind(("127.0.0.1", 0))
    listener.settimeout(2)
    return listener


@pytest.fixture
def daemon() -> Iterator[socket.socket]:
    listener = listening()
    yield listener
    listener.close()


def always(header: str | None) -> Callable[[], str | None]:
    return lambda: header


def address(listener: socket.socket) -> str:
    host, port = listener.getsockname()
    return f"{host}:{port}"


def received(listener: socket.socket) -> list[bytes]:
    """Every datagram waiting: the handler has sent them all by the time it returns."""
    listener.setblocking(False)
    datagrams = []
    try:
        while True:
            datagrams.append(listener.recv(65536))
    except BlockingIOError:
        return datagrams
    finally:
        listener.settimeout(2)


def documents(datagrams: list[bytes]) -> dict[str, Document]:
    """The subsegments by name (each datagram is the daemon's header line, then one document)."""
    parsed = {}
    for datagram in datagrams:
        header, document = datagram.split(b"\n", 1)
        assert json.loads(header) == {"format": "json", "version": 1}
        subsegment = json.loads(document)
        parsed[subsegment["name"]] = subsegment
    return parsed


def test_a_sampled_invocation_gets_a_subsegment_under_its_trace_and_parent(daemon: socket.socket) -> None:
    with XRayDaemon(address(daemon), always(SAMPLED)).subsegment("Retrieval"):
        pass

    header, document = daemon.recv(65536).split(b"\n", 1)
    segment = json.loads(document)
    assert json.loads(header) == {"format": "json", "version": 1}
    assert segment["type"] == "subsegment"
    assert segment["name"] == "Retrieval"
    assert segment["trace_id"] == TRACE_ID
    assert segment["parent_id"] == INVOCATION_SEGMENT
    assert len(segment["id"]) == 16
    assert segment["start_time"] <= segment["end_time"]


def test_an_unsampled_or_untraced_invocation_sends_nothing(daemon: socket.socket) -> None:
    for header in (SAMPLED.replace("Sampled=1", "Sampled=0"), None, "garbage"):
        xray = XRayDaemon(address(daemon), always(header))
        with xray.subsegment("Request"), xray.subsegment("Model"):
            pass

    daemon.settimeout(0.2)
    with pytest.raises(TimeoutError):
        daemon.recv(65536)


def test_the_span_still_closes_when_the_work_fails_and_names_the_exception_type_only(daemon: socket.socket) -> None:
    with pytest.raises(ValueError, match="boom"), XRayDaemon(address(daemon), always(SAMPLED)).subsegment("Model"):
        raise ValueError("boom: the caller's question")

    model = documents(received(daemon))["Model"]
    assert model["fault"] is True
    assert [exception["type"] for exception in model["cause"]["exceptions"]] == ["ValueError"]
    assert "boom" not in json.dumps(model)


def test_a_subsegment_opened_inside_another_is_its_child_in_a_worker_thread_too(daemon: socket.socket) -> None:
    xray = XRayDaemon(address(daemon), always(SAMPLED))

    def retrieve() -> None:
        with xray.subsegment("Retrieval"):
            pass

    with xray.subsegment("Request"), ThreadPoolExecutor(1) as pool:
        with xray.subsegment("Model"):
            pass
        pool.submit(copy_context().run, retrieve).result()

    sent = documents(received(daemon))
    assert sent["Request"]["parent_id"] == INVOCATION_SEGMENT
    assert sent["Model"]["parent_id"] == sent["Request"]["id"]
    assert sent["Retrieval"]["parent_id"] == sent["Request"]["id"]
    assert {document["trace_id"] for document in sent.values()} == {TRACE_ID}


def test_annotations_x_ray_would_refuse_are_left_out(daemon: socket.socket) -> None:
    xray = XRayDaemon(address(daemon), always(SAMPLED))

    with xray.subsegment("Request"):
        xray.annotate(route="POST /v1/ask", cached=True, **{"not allowed": 1, "é": 2})

    assert documents(received(daemon))["Request"]["annotations"] == {"route": "POST /v1/ask", "cached": True}


def test_an_exception_escaping_the_app_is_the_requests_cause_by_type_only(daemon: socket.socket) -> None:
    async def failing(scope: Any, receive: Any, send: Any) -> None:
        raise RuntimeError(QUESTION)

    async def empty_body() -> dict[str, Any]:
        return {"type": "http.request", "body": b""}

    async def ignore(message: Any) -> None:
        pass

    scope = {"type": "http", "method": "POST", "path": "/v1/ask", "aws.event": {"resource": "/v1/ask"}}
    app = RequestSubsegments(failing, XRayDaemon(address(daemon), always(SAMPLED)))
    with pytest.raises(RuntimeError):
        asyncio.run(app(scope, empty_body, ignore))

    datagrams = received(daemon)
    request = documents(datagrams)["POST /v1/ask"]
    assert request["fault"] is True
    assert request["cause"]["exceptions"][0]["type"] == "RuntimeError"
    assert QUESTION.encode() not in b"".join(datagrams)


# The Lambda handlers, loaded once for the module with active tracing on, as Lambda runs them.


@pytest.fixture(scope="module")
def xray() -> Iterator[socket.socket]:
    listener = listening()
    yield listener
    listener.close()


@pytest.fixture(scope="module")
def handlers(xray: socket.socket, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, ModuleType]]:
    with lambda_environment(tmp_path_factory.mktemp("traced-state")), pytest.MonkeyPatch.context() as patch:
        patch.setenv("AWS_XRAY_DAEMON_ADDRESS", address(xray))
        patch.setenv("_X_AMZN_TRACE_ID", SAMPLED)
        loaded = {name: load_handler(name, f"{name}_handler") for name in ("ask", "sessions", "mcp")}
        patch.setenv("TWIN_RATE_LIMIT_PRO", "1")  # the tier of the search event's caller
        loaded["search"] = load_handler("search", "search_handler")
        yield loaded


def traced(
    handlers: dict[str, ModuleType], xray: socket.socket, function: str, request: dict[str, Any]
) -> tuple[dict[str, Any], list[bytes]]:
    """The handler's response to `request`, and the datagrams it sent."""
    received(xray)  # what earlier tests left
    response: dict[str, Any] = handlers[function].handler(request, LambdaContext())
    return response, received(xray)


def mcp_call(traceparent: str) -> dict[str, Any]:
    request = event("mcp_tools_call")
    call = json.loads(request["body"])
    call["params"]["_meta"]["traceparent"] = traceparent
    request["body"] = json.dumps(call)
    return request


def test_a_request_is_one_subsegment_named_after_its_route_with_the_work_nested_under_it(
    handlers: dict[str, ModuleType], xray: socket.socket
) -> None:
    response, datagrams = traced(handlers, xray, "ask", event("ask"))

    assert response["statusCode"] == 200
    sent = documents(datagrams)
    request = sent["POST /v1/ask"]
    assert request["trace_id"] == TRACE_ID
    assert request["parent_id"] == INVOCATION_SEGMENT
    assert request["http"] == {"request": {"method": "POST", "url": "/v1/ask"}, "response": {"status": 200}}
    assert not {"error", "fault", "throttle", "cause"} & set(request)
    assert {"Cache", "Retrieval", "Model"} <= set(sent)
    assert {sent[name]["parent_id"] for name in sent if name != "POST /v1/ask"} == {request["id"]}


def test_an_ask_is_annotated_with_its_route_and_how_it_was_answered(
    handlers: dict[str, ModuleType], xray: socket.socket
) -> None:
    request = event("ask")
    request["body"] = json.dumps({"question": "Where did you study?"})

    first = documents(traced(handlers, xray, "ask", request)[1])["POST /v1/ask"]["annotations"]
    again = documents(traced(handlers, xray, "ask", request)[1])["POST /v1/ask"]["annotations"]

    expected = {"route": "POST /v1/ask", "model": "extractive", "fallback": False, "answered": True}
    assert first == {**expected, "cached": False}
    assert again == {**expected, "cached": True}


def test_a_4xx_is_an_error_of_the_caller_and_the_path_values_stay_out(
    handlers: dict[str, ModuleType], xray: socket.socket
) -> None:
    response, datagrams = traced(handlers, xray, "sessions", event("sessions_delete"))

    assert response["statusCode"] == 404
    request = documents(datagrams)["DELETE /v1/sessions/:session_id"]
    assert request["error"] is True
    assert not {"fault", "throttle"} & set(request)
    assert request["http"]["request"]["url"] == "/v1/sessions/{session_id}"
    assert request["http"]["response"]["status"] == 404
    assert b"Zq3x8Kd2VbN0pW7yR4tLmA" not in b"".join(datagrams), "the session id in the path"


def test_a_429_is_a_throttle_and_an_error(handlers: dict[str, ModuleType], xray: socket.socket) -> None:
    statuses = [traced(handlers, xray, "search", event("search")) for _ in range(2)]

    (first, _), (limited, datagrams) = statuses
    assert (first["statusCode"], limited["statusCode"]) == (200, 429)
    request = documents(datagrams)["POST /v1/search"]
    assert (request["error"], request["throttle"]) == (True, True)
    assert "fault" not in request


def test_an_mcp_request_records_the_clients_trace_context_and_nests_the_tools_work(
    handlers: dict[str, ModuleType], xray: socket.socket
) -> None:
    response, datagrams = traced(handlers, xray, "mcp", mcp_call(f"00-{CLIENT_TRACE_ID}-{CLIENT_SPAN_ID}-01"))

    assert response["statusCode"] == 200, response["body"]
    sent = documents(datagrams)
    request = sent["POST /mcp"]
    assert request["annotations"]["client_trace_id"] == CLIENT_TRACE_ID
    assert request["annotations"]["client_span_id"] == CLIENT_SPAN_ID
    assert request["annotations"]["model"] == "extractive"
    assert sent["Retrieval"]["parent_id"] == request["id"]


@pytest.mark.parametrize(
    "traceparent",
    [f"00-{'0' * 32}-{CLIENT_SPAN_ID}-01", f"00-{CLIENT_TRACE_ID.upper()}-{CLIENT_SPAN_ID}-01", "00-<script>-01"],
)
def test_a_malformed_traceparent_is_not_recorded(
    handlers: dict[str, ModuleType], xray: socket.socket, traceparent: str
) -> None:
    response, datagrams = traced(handlers, xray, "mcp", mcp_call(traceparent))

    assert response["statusCode"] == 200
    assert not {"client_trace_id", "client_span_id"} & set(documents(datagrams)["POST /mcp"]["annotations"])


def test_no_segment_holds_the_question_the_answer_the_caller_or_the_token(
    handlers: dict[str, ModuleType], xray: socket.socket
) -> None:
    ask, ask_datagrams = traced(handlers, xray, "ask", event("ask"))
    mcp, mcp_datagrams = traced(handlers, xray, "mcp", event("mcp_tools_call"))

    sent = b"".join(ask_datagrams + mcp_datagrams).decode()
    answer = json.loads(ask["body"])
    for personal in (QUESTION, answer["answer"], answer["session_id"], "user-example-0001", "eyJ", "Bearer"):
        assert personal not in sent
    assert mcp["statusCode"] == 200


def test_a_5xx_is_a_fault(
    tmp_path: Path, xray: socket.socket, fake_vector: FakeUpstashVector, redis_shim: RedisShim
) -> None:
    cloud = {
        "TWIN_UPSTASH_VECTOR_URL": fake_vector.url,
        "TWIN_UPSTASH_VECTOR_TOKEN": fake_vector.token,
        "TWIN_UPSTASH_REDIS_URL": redis_shim.url,
        "TWIN_UPSTASH_REDIS_TOKEN": redis_shim.token,
    }
    with lambda_environment(tmp_path), pytest.MonkeyPatch.context() as patch:
        for name, value in {**cloud, "AWS_XRAY_DAEMON_ADDRESS": address(xray), "_X_AMZN_TRACE_ID": SAMPLED}.items():
            patch.setenv(name, value)
        build_services(Settings.from_environment(env_file=None)).ingest.ingest(sample_profile())
        ask = load_handler("ask", "ask_handler")
        for _ in range(5):  # every index query of the ask: Upstash Vector is down
            fake_vector.fail_next(status=500)

        response, datagrams = traced({"ask": ask}, xray, "ask", event("ask"))

    assert response["statusCode"] == 503
    request = documents(datagrams)["POST /v1/ask"]
    assert request["fault"] is True
    assert not {"error", "throttle"} & set(request)
