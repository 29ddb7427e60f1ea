"""Querying the index on behalf of a request: an index that cannot answer is `retrieval_unavailable`."""

from twin.domain.chunks import ScoredChunk
from twin.domain.profile import SectionType
from twin.errors import BackendUnavailableError, RetrievalUnavailableError
from twin.ports import Telemetry, VectorIndex

DEFAULT_RETRY_AFTER_SECONDS = 5


def retrieve(
    index: VectorIndex,
    telemetry: Telemetry,
    namespace: str,
    text: str,
    *,
    top_k: int,
    section: SectionType | None = None,
) -> list[ScoredChunk]:
    try:
        with telemetry.timed("Retrieval"):
            return index.query(namespace, text, top_k=top_k, section=section)
    except BackendUnavailableError as error:
        telemetry.count("RetrievalUnavailable")
        raise RetrievalUnavailableError(error.retry_after_seconds or DEFAULT_RETRY_AFTER_SECONDS) from error
