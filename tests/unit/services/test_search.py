import json
from collections.abc import Sequence
from pathlib import Path

from tests.conftest import MARKDOWN_PROFILE
from twin.composition import Services, build_services
from twin.domain.chunks import Chunk, ScoredChunk
from twin.domain.profile import SectionType
from twin.ports import VectorIndex
from twin.services.recent import Recent
from twin.services.search import SearchService
from twin.settings import Settings

HASKELL = MARKDOWN_PROFILE.replace("a little Rust", "a little Haskell")


class CountedQueries:
    """The index, counting the queries it is asked."""

    def __init__(self, index: VectorIndex) -> None:
        self._index = index
        self.queries = 0

    def list_ids(self, namespace: str) -> list[str]:
        return self._index.list_ids(namespace)

    def fetch(self, namespace: str, ids: Sequence[str]) -> list[Chunk]:
        return self._index.fetch(namespace, ids)

    def query(self, namespace: str, text: str, *, top_k: int, section: SectionType | None = None) -> list[ScoredChunk]:
        self.queries += 1
        return self._index.query(namespace, text, top_k=top_k, section=section)


def counted_search(services: Services) -> tuple[SearchService, CountedQueries]:
    index = CountedQueries(services.storage.index)
    search = SearchService(
        twin_id=services.settings.twin_id, index=index, profiles=services.storage.profiles, telemetry=services.telemetry
    )
    return search, index


def languages(found: Sequence[ScoredChunk]) -> str:
    return next(hit.chunk.text for hit in found if hit.chunk.title == "Programming languages")


def test_a_search_asked_again_is_answered_without_asking_the_index_again(services: Services) -> None:
    search, index = counted_search(services)
    first = search.find("Which languages do you know?")
    asked = index.queries

    again = search.find("  Which   languages do you know?")

    assert asked > 0
    assert index.queries == asked
    assert again == first
    assert [source.id for source in first.sources] == [hit.chunk.id for hit in first.hits]


def test_another_number_of_results_or_another_section_is_searched_on_its_own(services: Services) -> None:
    search, index = counted_search(services)
    search.find("Python")
    asked = index.queries

    fewer = search.find("Python", top_k=1)
    after_fewer = index.queries
    skills = search.find("Python", section="skills")

    assert asked < after_fewer < index.queries
    assert len(fewer.hits) == 1
    assert skills.hits
    assert all(hit.chunk.type is SectionType.SKILLS for hit in skills.hits)


def test_a_new_profile_version_is_searched_anew(services: Services) -> None:
    assert "a little Rust" in languages(services.search.search("Which languages do you know?"))

    services.ingest.ingest(HASKELL)

    found = services.search.find("Which languages do you know?")
    assert "a little Haskell" in languages(found.hits)
    assert all("Rust" not in source.snippet for source in found.sources)


def test_an_answer_approved_after_a_search_is_found_by_the_same_search(services: Services) -> None:
    asked = "What is your notice period?"
    assert all(hit.chunk.type is not SectionType.FAQ for hit in services.search.search(asked))

    services.answers.add(asked, "Four weeks after an offer.", actor="test")

    assert services.search.search(asked)[0].chunk.type is SectionType.FAQ


def test_a_version_another_process_publishes_is_searched_anew(tmp_path: Path) -> None:
    serving, ingesting = (build_services(Settings(state_dir=tmp_path)) for _ in range(2))
    serving.ingest.ingest(MARKDOWN_PROFILE)
    assert "a little Rust" in languages(serving.search.search("Which languages do you know?"))

    ingesting.ingest.ingest(HASKELL)

    assert "a little Haskell" in languages(serving.search.search("Which languages do you know?"))


def test_recent_forgets_the_key_used_least_recently_first() -> None:
    recent: Recent[str, int] = Recent(max_entries=2)
    recent.put("a", 1)
    recent.put("b", 2)
    assert recent.get("a") == 1

    recent.put("c", 3)

    assert (recent.get("a"), recent.get("b"), recent.get("c")) == (1, None, 3)


def test_the_job_before_a_named_one_is_found_though_it_shares_no_word_with_the_question(tmp_path: Path) -> None:
    services = build_services(Settings(state_dir=tmp_path))
    jobs = [
        ("harbourmark", "Analyst at Harbourmark", "Since 2022 I have been Analyst at Harbourmark.", "2022-01", None),
        ("tallis", "SOC Analyst at Tallis", "I triaged alerts for 40 clients.", "2019-06", "2021-12"),
    ]
    chunks = [
        {"id": key, "title": title, "type": "experience", "content": text, "metadata": {"start_date": start}}
        | ({"metadata": {"start_date": start, "end_date": end}} if end else {})
        for key, title, text, start, end in jobs
    ]
    awards = [
        {"id": f"award{n}", "title": "Awards", "type": "award", "content": f"At Harbourmark I won {n}."}
        for n in range(20)
    ]
    services.ingest.ingest(json.dumps({"metadata": {"name": "Rhys"}, "content_chunks": chunks + awards}))

    found = services.search.search("What did you do before Harbourmark?", top_k=3)

    assert found[0].chunk.title == "SOC Analyst at Tallis"
