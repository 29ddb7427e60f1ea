from pathlib import Path

import pytest

from twin.adapters.sqlite_index import SqliteIndex
from twin.domain.chunks import Chunk
from twin.domain.profile import SectionType


def chunk(id_: str, title: str, text: str, type_: SectionType = SectionType.OTHER) -> Chunk:
    return Chunk(id=id_, path=f"$.{id_}", type=type_, title=title, text=text)


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
    index = SqliteIndex(":memory:")
    index.upsert("twin", [LANGUAGES, SALARY, DEGREE])
    return index


def test_question_phrasing_finds_the_section_that_answers_it(index: SqliteIndex) -> None:
    hits = index.query("twin", "What programming languages are you most comfortable with?", top_k=3)

    assert hits[0].chunk == LANGUAGES


def test_section_vocabulary_bridges_words_the_profile_does_not_use(index: SqliteIndex) -> None:
    hits = index.query("twin", "How much pay do you want?", top_k=1)

    assert [hit.chunk for hit in hits] == [SALARY]


def test_scores_are_between_zero_and_one_and_best_first(index: SqliteIndex) -> None:
    hits = index.query("twin", "where did you study computer science", top_k=3)

    assert hits[0].chunk == DEGREE
    assert all(0 < hit.score < 1 for hit in hits)
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)


def test_filter_by_section_type_returns_only_that_type(index: SqliteIndex) -> None:
    hits = index.query("twin", "python salary study", top_k=5, section=SectionType.EDUCATION)

    assert [hit.chunk for hit in hits] == [DEGREE]


def test_a_query_of_only_filler_words_matches_nothing(index: SqliteIndex) -> None:
    assert index.query("twin", "what are you?", top_k=5) == []


def test_fts_syntax_in_a_query_is_treated_as_words(index: SqliteIndex) -> None:
    hits = index.query("twin", 'python" OR NEAR(x) * ^salary -- ;DROP TABLE chunks', top_k=5)

    assert {hit.chunk.id for hit in hits} == {LANGUAGES.id, SALARY.id}


def test_namespaces_do_not_see_each_other(index: SqliteIndex) -> None:
    index.upsert("other", [chunk("d" * 24, "Python", "Python everywhere")])

    assert index.list_ids("other") == ["d" * 24]
    assert "d" * 24 not in {hit.chunk.id for hit in index.query("twin", "python", top_k=5)}


def test_upsert_replaces_a_chunk_with_the_same_id_and_reindexes_it(index: SqliteIndex) -> None:
    index.upsert("twin", [chunk(LANGUAGES.id, "Programming languages", "Rust and Haskell", SectionType.SKILLS)])

    assert index.query("twin", "python", top_k=5) == []
    assert index.query("twin", "haskell", top_k=5)[0].chunk.id == LANGUAGES.id
    assert index.list_ids("twin").count(LANGUAGES.id) == 1


def test_delete_removes_chunks_from_listing_fetch_and_search(index: SqliteIndex) -> None:
    index.delete("twin", [SALARY.id])

    assert SALARY.id not in index.list_ids("twin")
    assert index.fetch("twin", [SALARY.id]) == []
    assert index.query("twin", "salary", top_k=5) == []


def test_fetch_keeps_the_order_asked_for_and_skips_unknown_ids(index: SqliteIndex) -> None:
    fetched = index.fetch("twin", [DEGREE.id, "f" * 24, LANGUAGES.id])

    assert fetched == [DEGREE, LANGUAGES]


def test_chunks_round_trip_with_dates_and_tags() -> None:
    index = SqliteIndex(":memory:")
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
    index.upsert("twin", [original])

    assert index.fetch("twin", [original.id]) == [original]


def test_a_file_index_survives_reopening(tmp_path: Path) -> None:
    path = str(tmp_path / "nested" / "index.db")
    SqliteIndex(path).upsert("twin", [LANGUAGES])

    reopened = SqliteIndex(path)

    assert reopened.list_ids("twin") == [LANGUAGES.id]
    assert reopened.query("twin", "python", top_k=1)[0].chunk == LANGUAGES


def test_a_change_another_process_makes_to_the_file_is_seen_at_once(tmp_path: Path) -> None:
    path = str(tmp_path / "index.db")
    server, ingest = SqliteIndex(path), SqliteIndex(path)
    server.upsert("twin", [LANGUAGES, SALARY])
    before = (server.list_ids("twin"), server.query("twin", "python", top_k=5))

    ingest.upsert("twin", [chunk(LANGUAGES.id, "Programming languages", "Rust and Haskell", SectionType.SKILLS)])
    ingest.delete("twin", [SALARY.id])

    assert before[0] == [LANGUAGES.id, SALARY.id]
    assert [hit.chunk for hit in before[1]] == [LANGUAGES]
    assert server.query("twin", "python", top_k=5) == []
    assert server.query("twin", "haskell", top_k=5)[0].chunk.text == "Rust and Haskell"
    assert server.fetch("twin", [LANGUAGES.id, SALARY.id])[0].text == "Rust and Haskell"
    assert server.list_ids("twin") == [LANGUAGES.id]
