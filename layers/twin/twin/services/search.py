"""Search: the profile passages that best match a query, optionally within one kind of section."""

from twin.domain import limits
from twin.domain.chunks import ScoredChunk
from twin.domain.questions import understand
from twin.ports import Telemetry, VectorIndex
from twin.services import validation
from twin.services.retrieval import retrieve


class SearchService:
    def __init__(self, *, twin_id: str, index: VectorIndex, telemetry: Telemetry) -> None:
        self._twin_id = twin_id
        self._index = index
        self._telemetry = telemetry

    def search(self, query: str, *, top_k: int = limits.DEFAULT_TOP_K, section: str | None = None) -> list[ScoredChunk]:
        text, k, kind = validation.query_text(query), validation.top_k(top_k), validation.section_type(section)
        return retrieve(self._index, self._telemetry, self._twin_id, understand(text), top_k=k, section=kind)
