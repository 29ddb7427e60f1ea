"""Search: the profile passages that best match a query, optionally within one kind of section."""

from dataclasses import dataclass
from typing import Final

from twin.domain import limits
from twin.domain.answers import Source
from twin.domain.chunks import ScoredChunk
from twin.domain.profile import SectionType
from twin.domain.questions import understand
from twin.ports import ProfileStore, Telemetry, VectorIndex
from twin.services import validation
from twin.services.profile import ProfileService
from twin.services.recent import Recent
from twin.services.retrieval import retrieve

# Searches remembered, with their results: a chat page's suggested questions and an editor's repeated tool calls
# come back request after request.
REMEMBERED_SEARCHES: Final = 1_024


@dataclass(frozen=True, slots=True)
class Found:
    hits: tuple[ScoredChunk, ...]
    """Best first."""
    sources: tuple[Source, ...]
    """The same passages, each with the window of its text that best matches the query."""


class SearchService:
    """A version's chunks never change (a new version gets a namespace of its own), so a search is remembered by
    the namespace it ran in: a new version's searches run again, an old version's are never served."""

    def __init__(self, *, twin_id: str, index: VectorIndex, profiles: ProfileStore, telemetry: Telemetry) -> None:
        self._index = index
        self._profile = ProfileService(twin_id=twin_id, index=index, profiles=profiles)
        self._telemetry = telemetry
        self._recent: Recent[tuple[str, str, int, SectionType | None], Found] = Recent(REMEMBERED_SEARCHES)

    def search(self, query: str, *, top_k: int = limits.DEFAULT_TOP_K, section: str | None = None) -> list[ScoredChunk]:
        return list(self.find(query, top_k=top_k, section=section).hits)

    def find(self, query: str, *, top_k: int = limits.DEFAULT_TOP_K, section: str | None = None) -> Found:
        """The passages, and what to show of each."""
        text, k, kind = validation.query_text(query), validation.top_k(top_k), validation.section_type(section)
        namespace = self._profile.current().namespace
        # A query is understood with its whitespace collapsed: queries that differ only there find the same.
        key = (namespace, " ".join(text.split()), k, kind)
        found = self._recent.get(key)
        if found is None:
            question = understand(text)
            hits = tuple(retrieve(self._index, self._telemetry, namespace, question, top_k=k, section=kind))
            found = Found(hits, tuple(Source.of(hit, question) for hit in hits))
            self._recent.put(key, found)
        return found
