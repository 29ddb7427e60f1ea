import sqlite3
from collections.abc import Sequence
from pathlib import Path

import pytest

from twin.adapters.sqlite_index import SqliteIndex
from twin.domain.chunks import Chunk
from twin.domain.profile import IndexedProfile, ProfileFormat, SectionType, version_namespace
from twin.errors import ConcurrentIngestError


def chunk(id_: str, title: str, text: str, type_: SectionType = SectionType.OTHER) -> Chunk:
    return Chunk(id=id_, path=f"$.{id_}", type=type_, title=title, text=text)


def publish(
    index: SqliteIndex, chunks: Sequence[Chunk], *, replacing: IndexedProfile | None = None, twin_id: str = "twin"
) -> IndexedProfile:
    """`chunks` published as the next version after `replacing` (the first without)."""
    version = replacing.version + 1 if replacing else 1
    profile = IndexedProfile(
        twin_id=twin_id,
        version=version,
        namespace=version_namespace("test", twin_id, version, [chunk.id for chunk in chunks]),
        name="Sam Rivera",
        headline="Staff engineer",
        summary="",
        source_format=ProfileFormat.MARKDOWN,
        chunk_count=len(chunks),
        updated_at="2026-12-01T00:00:00+00:00",
    )
    index.publish(profile, chunks, replacing=replacing)
    return profile


LANGUAGES = chunk(
    "a" * 24,
    "Programming languages",
    "My programming languages: Python (expert), Go, SQL.",
    SectionType.SKILLS,
)
SALARY = chunk(
    "b" * 24,
    "Salary and location",
    "My salary expectations are 150k. I am based in Lisbon.",
    SectionType.COMPENSATION,
)
DEGREE = chunk("c" * 24, "BSc Computer Science", "I studied computer science at Porto.", SectionType.EDUCATION)


@pytest.fixture
def index() -> SqliteIndex:
    return SqliteIndex(":memory:")


@pytest.fixture
def current(index: SqliteIndex) -> IndexedProfile:
    return publish(index, [LANGUAGES, SALARY, DEGREE])


def test_question_phrasing_finds_the_section_that_answers_it(index: SqliteIndex, current: IndexedProfile) -> None:
    hits = index.query(current.namespace, "What programming languages are you most comfortable with?", top_k=3)

    assert hits[0].chunk == LANGUAGES


def test_section_vocabulary_bridges_words_the_profile_does_not_use(index: SqliteIndex, current: IndexedProfile) -> None:
    hits = index.query(current.namespace, "How much pay do you want?", top_k=1)

    assert [hit.chunk for hit in hits] == [SALARY]


def test_scores_are_between_zero_and_one_and_best_first(index: SqliteIndex, current: IndexedProfile) -> None:
    hits = index.query(current.namespace, "where did you study computer science", top_k=3)

    assert hits[0].chunk == DEGREE
    assert all(0 < hit.score < 1 for hit in hits)
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)


def test_filter_by_section_type_returns_only_that_type(index: SqliteIndex, current: IndexedProfile) -> None:
    hits = index.query(current.namespace, "python salary study", top_k=5, section=SectionType.EDUCATION)

    assert [hit.chunk for hit in hits] == [DEGREE]


def test_a_query_of_only_filler_words_matches_nothing(index: SqliteIndex, current: IndexedProfile) -> None:
    assert index.query(current.namespace, "what are you?", top_k=5) == []


def test_fts_syntax_in_a_query_is_treated_as_words(index: SqliteIndex, current: IndexedProfile) -> None:
    hits = index.query(current.namespace, 'python" OR NEAR(x) * ^salary -- ;DROP TABLE chunks', top_k=5)

    assert {hit.chunk.id for hit in hits} == {LANGUAGES.id, SALARY.id}


def test_twins_do_not_see_each_other(index: SqliteIndex, current: IndexedProfile) -> None:
    other = publish(index, [chunk("d" * 24, "Python", "Python everywhere")], twin_id="other")

    assert index.list_ids(other.namespace) == ["d" * 24]
    assert "d" * 24 not in {hit.chunk.id for hit in index.query(current.namespace, "python", top_k=5)}
    assert (index.get("twin"), index.get("other")) == (current, other)


def test_a_new_version_keeps_the_chunks_it_shares_drops_the_others_and_adds_its_own(
    index: SqliteIndex, current: IndexedProfile
) -> None:
    haskell = chunk("e" * 24, "Programming languages", "Rust and Haskell", SectionType.SKILLS)

    new = publish(index, [haskell, DEGREE], replacing=current)

    assert index.get("twin") == new
    assert index.list_ids(current.namespace) == []
    assert set(index.list_ids(new.namespace)) == {haskell.id, DEGREE.id}
    assert index.query(new.namespace, "python salary", top_k=5) == []
    assert index.query(new.namespace, "haskell", top_k=5)[0].chunk == haskell
    assert index.query(new.namespace, "computer science", top_k=5)[0].chunk == DEGREE


def test_a_version_published_over_one_no_longer_served_is_refused_and_changes_nothing(
    index: SqliteIndex, current: IndexedProfile
) -> None:
    winner = publish(index, [DEGREE], replacing=current)

    with pytest.raises(ConcurrentIngestError):
        publish(index, [LANGUAGES], replacing=current)

    assert index.get("twin") == winner
    assert index.list_ids(winner.namespace) == [DEGREE.id]


def test_a_publish_while_another_process_writes_the_file_is_refused_and_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "index.db"
    index = SqliteIndex(str(path))
    current = publish(index, [LANGUAGES])
    other_process = sqlite3.connect(path, isolation_level=None)
    other_process.execute("BEGIN IMMEDIATE")

    with pytest.raises(ConcurrentIngestError):
        publish(index, [DEGREE], replacing=current)

    other_process.execute("ROLLBACK")
    assert index.get("twin") == current
    assert index.list_ids(current.namespace) == [LANGUAGES.id]


def test_fetch_keeps_the_order_asked_for_and_skips_unknown_ids(index: SqliteIndex, current: IndexedProfile) -> None:
    fetched = index.fetch(current.namespace, [DEGREE.id, "f" * 24, LANGUAGES.id])

    assert fetched == [DEGREE, LANGUAGES]


def test_chunks_round_trip_with_dates_and_tags(index: SqliteIndex) -> None:
    original = Chunk(
        id="e" * 24,
        path="$.experience[0]",
        type=SectionType.EXPERIENCE,
        title="Job",
        text="I work here.",
        start="2021-03",
        end="present",
        tags=("python", "aws"),
    )
    profile = publish(index, [original])

    assert index.fetch(profile.namespace, [original.id]) == [original]


def test_a_file_index_survives_reopening(tmp_path: Path) -> None:
    path = str(tmp_path / "nested" / "index.db")
    profile = publish(SqliteIndex(path), [LANGUAGES])

    reopened = SqliteIndex(path)

    assert reopened.get("twin") == profile
    assert reopened.list_ids(profile.namespace) == [LANGUAGES.id]
    assert reopened.query(profile.namespace, "python", top_k=1)[0].chunk == LANGUAGES


def test_an_index_from_before_versions_had_namespaces_is_served_then_replaced(tmp_path: Path) -> None:
    path = tmp_path / "index.db"
    publish(SqliteIndex(str(path)), [LANGUAGES, SALARY])
    with sqlite3.connect(path) as db:  # as versions before namespaces stored them: the twin id names the chunks
        db.execute("UPDATE chunks SET namespace = 'twin'")
        db.execute("UPDATE profiles SET record = json_remove(record, '$.namespace')")
    index = SqliteIndex(str(path))

    legacy = index.get("twin")
    assert legacy is not None
    assert legacy.namespace == "twin"
    assert set(index.list_ids("twin")) == {LANGUAGES.id, SALARY.id}
    new = publish(index, [LANGUAGES, DEGREE], replacing=legacy)

    assert index.list_ids("twin") == []
    assert set(index.list_ids(new.namespace)) == {LANGUAGES.id, DEGREE.id}


def test_a_version_another_process_publishes_to_the_file_is_served_at_once(tmp_path: Path) -> None:
    path = str(tmp_path / "index.db")
    server, ingest = SqliteIndex(path), SqliteIndex(path)
    current = publish(server, [LANGUAGES, SALARY])
    served_before = server.list_ids(current.namespace), server.query(current.namespace, "python", top_k=5)
    haskell = chunk("e" * 24, "Programming languages", "Rust and Haskell", SectionType.SKILLS)

    new = publish(ingest, [haskell, SALARY], replacing=current)

    assert served_before[0] == [LANGUAGES.id, SALARY.id]
    assert [hit.chunk for hit in served_before[1]] == [LANGUAGES]
    assert server.get("twin") == new
    assert server.query(current.namespace, "python", top_k=5) == []
    assert server.query(new.namespace, "python", top_k=5) == []
    assert server.query(new.namespace, "haskell", top_k=5)[0].chunk == haskell
    assert server.fetch(new.namespace, [haskell.id, LANGUAGES.id, SALARY.id]) == [haskell, SALARY]
    assert set(server.list_ids(new.namespace)) == {haskell.id, SALARY.id}
