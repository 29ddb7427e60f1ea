"""Publishing a profile version on Upstash: its chunks in a Vector namespace of its own, then its record in Redis."""

import logging
from collections.abc import Sequence

from twin.adapters.upstash_redis_stores import RedisProfileStore
from twin.adapters.upstash_vector_index import UpstashVectorIndex
from twin.domain.chunks import Chunk
from twin.domain.profile import IndexedProfile, namespace_version
from twin.errors import BackendUnavailableError, ConcurrentIngestError

_log = logging.getLogger("twin.ingest")


class UpstashPublisher:
    """Writes the chunks beside the namespace readers use, then switches the record to the new namespace, but
    only if it still names the version replaced: of two ingests at once, one publishes and the other is told.

    Readers find the namespace through the record, so they see one version whole, and a process killed
    midway leaves at most a namespace no record names, which a later ingest deletes.
    """

    def __init__(self, index: UpstashVectorIndex, records: RedisProfileStore) -> None:
        self._index = index
        self._records = records

    def publish(self, profile: IndexedProfile, chunks: Sequence[Chunk], *, replacing: IndexedProfile | None) -> None:
        self._index.upsert(profile.namespace, chunks)
        if not self._records.switch(profile, replacing=replacing):
            raise ConcurrentIngestError(profile.twin_id)
        self._delete_unreachable(profile, replacing)

    def _delete_unreachable(self, current: IndexedProfile, replaced: IndexedProfile | None) -> None:
        """The twin's namespaces up to the current version, but the current one and the one it replaced, which
        a reader that read the record a moment ago may still be querying. Later versions are other ingests'
        work in progress; a namespace from before versions had their own is left to its owner to delete."""
        kept = {current.namespace, replaced.namespace if replaced is not None else current.namespace}
        try:
            for namespace in self._index.namespaces():
                version = namespace_version(namespace, sibling=current.namespace)
                if namespace not in kept and version is not None and version <= current.version:
                    self._index.delete_namespace(namespace)
        except BackendUnavailableError as error:
            # The version is published: what is left behind, the next ingest deletes.
            _log.warning("ingest: old namespaces left for the next ingest (%s: %s)", error.service, error.reason)
