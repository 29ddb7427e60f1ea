"""Search: the profile passages that best match a query, optionally within one kind of section."""

from twin.domain import limits
from twin.domain.chunks import ScoredChunk
from twin.ports import VectorIndex
from twin.services import validation


class SearchService:
    def __init__(self, *, twin_id: str, index: VectorIndex) -> None:
        self._twin_id = twin_id
        self._index = index

    def search(self, query: str, *, top_k: int = limits.DEFAULT_TOP_K, section: str | None = None) -> list[ScoredChunk]:
        return self._index.query(
            self._twin_id,
            validation.query_text(query),
            top_k=validation.top_k(top_k),
            section=validation.section_type(section),
        )
