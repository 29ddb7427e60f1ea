"""Ingest under stress, with real processes: two ingests at once, and `twin ingest` killed with SIGKILL midway.

Whatever happens, a reader sees one profile whole, the one the profile record names: never the union of two,
never a part of one. Embedded (SQLite) and on the cloud adapters (loopback Upstash Vector, Upstash's REST API
over a real redis-server).
"""

import json
import random
import sqlite3
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.fakes.redis_shim import RedisShim
from tests.fakes.upstash_vector import FakeUpstashVector
from tests.functional.conftest import TWIN, RunningServer, running_twin, twin_environment, upstash_settings
from twin.adapters.upstash_vector_index import BATCH_SIZE
from twin.composition import build_services
from twin.domain.chunks import chunk_profile
from twin.profiles import load_profile
from twin.settings import Settings

TWIN_ID = "default"
ROUNDS = 3
# Within the REST body limit (256 KiB), and large enough that two ingests sent together overlap.
RACING_SECTIONS = 600
# Large enough that writing it takes a while to interrupt, small enough that a round takes a second or two.
LARGE_SECTIONS = 2000
# How long writing LARGE_SECTIONS takes, about: kills land at random points within it.
WRITE_SECONDS = 0.4


@dataclass(frozen=True)
class Document:
    name: str
    content: bytes = field(repr=False)
    section_ids: frozenset[str] = field(repr=False)


def document(name: str, sections: int) -> Document:
    """A profile of `sections` projects; no two documents share a section."""
    chunks = [
        {
            "id": f"{name}-{number}",
            "title": f"{name.capitalize()} project {number}",
            "type": "project",
            "content": f"I built the {name} system number {number}, which served {number * 7} customers.",
        }
        for number in range(sections)
    ]
    content = json.dumps({"metadata": {"name": name.capitalize(), "title": "Engineer"}, "content_chunks": chunks})
    ids = frozenset(chunk.id for chunk in chunk_profile(TWIN_ID, load_profile(content)))
    return Document(name.capitalize(), content.encode(), ids)


@dataclass(frozen=True)
class Served:
    name: str
    section_ids: frozenset[str] = field(repr=False)
    stored_chunks: int | None
    """Chunks in the embedded index file, whatever their version: None on the cloud adapters."""


def served_by(settings: Settings) -> Served:
    """What a reader sees, read in this process as any reader would, through the profile record."""
    overview = build_services(settings).profile.overview()
    stored = None
    if settings.upstash_vector_url is None:
        with sqlite3.connect(settings.resolved_index_path()) as db:
            stored = db.execute("SELECT count(*) FROM chunks").fetchone()[0]
    return Served(overview.profile.name, frozenset(chunk.id for chunk in overview.sections), stored)


def assert_whole(served: Served, *candidates: Document) -> Document:
    """The served profile is one of the candidates, whole, and the record names that one."""
    matching = [candidate for candidate in candidates if candidate.section_ids == served.section_ids]
    names = [candidate.name for candidate in candidates]
    assert matching, f"served {len(served.section_ids)} sections, not exactly those of one of {names}"
    [whole] = matching
    assert served.name == whole.name, "the profile record names another profile than the index holds"
    assert served.stored_chunks in (None, len(whole.section_ids)), "the index holds chunks no reader can see"
    return whole


def ingest_together(server: RunningServer, documents: list[Document]) -> list[httpx.Response]:
    start = threading.Barrier(len(documents))

    def ingest(document: Document) -> httpx.Response:
        with server.http() as client:
            start.wait()
            return client.post(
                "/v1/admin/ingest", content=document.content, headers={"content-type": "application/json"}
            )

    with ThreadPoolExecutor(len(documents)) as pool:
        return list(pool.map(ingest, documents))


def assert_concurrent_ingests_leave_one_profile_whole(server: RunningServer, settings: Settings) -> None:
    for round_ in range(ROUNDS):
        documents = [document(f"alpha{round_}", RACING_SECTIONS), document(f"beta{round_}", RACING_SECTIONS)]

        responses = ingest_together(server, documents)

        whole = assert_whole(served_by(settings), *documents)
        statuses = [response.status_code for response in responses]
        assert sorted(statuses) in ([200, 200], [200, 409]), [response.text for response in responses]
        for candidate, response in zip(documents, responses, strict=True):
            if response.status_code == 409:
                assert response.json()["error"]["code"] == "concurrent_ingest"
                assert candidate is not whole, "a refused ingest was published"


def test_two_concurrent_rest_ingests_leave_one_of_the_two_profiles_whole(tmp_path: Path) -> None:
    with running_twin(tmp_path) as server:
        assert_concurrent_ingests_leave_one_profile_whole(server, Settings(state_dir=tmp_path))


def test_two_concurrent_rest_ingests_on_upstash_leave_one_of_the_two_profiles_whole(
    tmp_path: Path, fake_vector: FakeUpstashVector, redis_shim: RedisShim
) -> None:
    # Integrity, not speed, is under test: a loaded machine must not turn a slow fake into an outage.
    cloud = upstash_settings(fake_vector, redis_shim, timeout_seconds=25)
    with running_twin(tmp_path, **cloud) as server:
        assert_concurrent_ingests_leave_one_profile_whole(server, Settings.from_environment(cloud, env_file=None))


@contextmanager
def another_process_publishing(index_path: Path) -> Iterator[None]:
    """The write lock of the embedded index file held, as by another process in the middle of an ingest."""
    writer = sqlite3.connect(index_path, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        yield
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_an_ingest_while_another_process_publishes_is_refused_with_409_and_changes_nothing(tmp_path: Path) -> None:
    with running_twin(tmp_path) as server, server.http() as client:
        before = client.get("/v1/profile").json()
        with another_process_publishing(tmp_path / "index.db"):
            refused = client.post("/v1/admin/ingest", content=document("alpha", 3).content)
        after = client.get("/v1/profile").json()
        documented = client.get("/openapi.json").json()["paths"]["/v1/admin/ingest"]["post"]["responses"]

    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "concurrent_ingest"
    assert after == before
    assert "concurrent_ingest" in documented["409"]["description"]


type KillPoint = Callable[[], Callable[[], bool]]
"""Called as an ingest starts; what it returns says when to kill it."""


def interrupted_ingest(state_dir: Path, path: Path, cloud: dict[str, str], kill_point: KillPoint) -> None:
    """`twin ingest path`, killed with SIGKILL at the kill point (unless it is done by then)."""
    due = kill_point()
    process = subprocess.Popen(
        [str(TWIN), "ingest", str(path)],
        env=twin_environment(state_dir, **cloud),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while not due() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.002)
    finally:
        process.kill()
        process.wait(timeout=10)


def assert_a_killed_ingest_leaves_one_profile_whole(
    state_dir: Path, settings: Settings, cloud: dict[str, str], *kill_points: KillPoint
) -> None:
    """Ingests alpha, then tries to replace it, killing each try at the next kill point; then replaces it."""
    documents = [document("alpha", LARGE_SECTIONS), document("beta", LARGE_SECTIONS)]
    paths = {candidate.name: state_dir / f"{candidate.name}.json" for candidate in documents}
    for candidate in documents:
        paths[candidate.name].write_bytes(candidate.content)
    build_services(settings).ingest.ingest(documents[0].content)
    current = assert_whole(served_by(settings), *documents)

    for round_ in range(ROUNDS):
        replacement = next(candidate for candidate in documents if candidate is not current)
        interrupted_ingest(state_dir, paths[replacement.name], cloud, kill_points[round_ % len(kill_points)])
        current = assert_whole(served_by(settings), current, replacement)

    replacement = next(candidate for candidate in documents if candidate is not current)
    build_services(settings).ingest.ingest(replacement.content)
    assert assert_whole(served_by(settings), *documents) is replacement, "a killed ingest holds up the next one"


def once_writing_began(wal: Path) -> KillPoint:
    """A random moment within WRITE_SECONDS after the write-ahead log changes: the ingest has begun writing."""

    def mtime() -> int | None:
        return wal.stat().st_mtime_ns if wal.exists() else None

    def kill_point() -> Callable[[], bool]:
        before, delay = mtime(), random.uniform(0, WRITE_SECONDS)
        began: list[float] = []

        def due() -> bool:
            if not began and mtime() != before:
                began.append(time.monotonic())
            return bool(began) and time.monotonic() - began[0] >= delay

        return due

    return kill_point


def once_a_reader_sees_a_change(index_path: Path) -> KillPoint:
    """As soon as the index file holds a chunk it did not hold, as a reader could see it: after a commit."""

    def newest_chunk() -> int | None:
        with closing(sqlite3.connect(index_path)) as reader:
            newest: int | None = reader.execute("SELECT max(rowid) FROM chunks").fetchone()[0]
            return newest

    def kill_point() -> Callable[[], bool]:
        before = newest_chunk()
        return lambda: newest_chunk() != before

    return kill_point


def test_a_twin_ingest_killed_at_any_point_leaves_the_old_or_the_new_profile_whole(tmp_path: Path) -> None:
    while_writing = once_writing_began(tmp_path / "index.db-wal")
    after_a_commit = once_a_reader_sees_a_change(tmp_path / "index.db")

    assert_a_killed_ingest_leaves_one_profile_whole(
        tmp_path, Settings(state_dir=tmp_path), {}, while_writing, after_a_commit
    )


def test_a_twin_ingest_into_upstash_killed_at_any_point_leaves_the_old_or_the_new_profile_whole(
    tmp_path: Path, fake_vector: FakeUpstashVector, redis_shim: RedisShim
) -> None:
    batches = LARGE_SECTIONS // BATCH_SIZE

    def after_some_batches() -> Callable[[], bool]:
        before, wanted = len(fake_vector.requests_to("upsert-data")), random.randint(1, batches)
        return lambda: len(fake_vector.requests_to("upsert-data")) - before >= wanted

    # Integrity, not speed, is under test: a loaded machine must not turn a slow fake into an outage.
    cloud = upstash_settings(fake_vector, redis_shim, timeout_seconds=25)
    settings = Settings.from_environment(cloud, env_file=None)

    assert_a_killed_ingest_leaves_one_profile_whole(tmp_path, settings, cloud, after_some_batches)
    assert len(fake_vector.namespaces) == 2, "what killed ingests wrote is gone; the version replaced stays"
