"""Search: the profile passages that best match a query, optionally within one kind of section."""

from twin.domain import limits
from twin.domain.chunks import ScoredChunk
from twin.domain.questions import understand
from twin.ports import ProfileStore, Telemetry, VectorIndex
from twin.services import validation
from twin.services.profile import ProfileService
from twin.services.retrieval import retrieve


class SearchService:
    def __init__(self, *, twin_id: str, index: VectorIndex, profiles: ProfileStore, telemetry: Telemetry) -> None:
        self._index = index
        self._profile = ProfileService(twin_id=twin_id, index=index, profiles=profiles)
        self._telemetry = telemetry

    def search(self, query: str, *, top_k: int = limits.DEFAULT_TOP_K, section: str | None = None) -> list[ScoredChunk]:
        text, k, kind = validation.query_text(query), validation.top_k(top_k), validation.section_type(section)
        namespace = self._profile.current().namespace
        return retrieve(self._index, self._telemetry, namespace, understand(text), top_k=k, section=kind)
