"""The cloud `VectorIndex`: Upstash Vector, which embeds the text itself (an index with an embedding model).

Each profile version is one namespace (`twin.domain.profile.version_namespace`). A vector's `data` is the
chunk's title and text (what the model embeds and what comes back), its metadata the rest of the `Chunk`,
so fetches and queries need no second read.
"""

import math
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import cached_property, partial
from typing import Any, NoReturn
from urllib.parse import quote

import httpx
from upstash_vector import Index
from upstash_vector.errors import UpstashError
from upstash_vector.types import Data, QueryMode

from twin.domain.chunks import Chunk, ScoredChunk
from twin.domain.profile import SectionType
from twin.errors import BackendUnavailableError

SERVICE = "upstash-vector"
# Upstash recommends batches of up to 1000 vectors per upsert (https://upstash.com/docs/vector/overall/pricing,
# "Limits"); 100 stays well below it, and 100 chunks of at most 1,200 characters make a small request.
BATCH_SIZE = 100
# Ids per range page: a page holds only ids, so it is small; the server may return fewer, and the cursor decides.
RANGE_PAGE_SIZE = 1000
DEFAULT_RETRY_AFTER_SECONDS = 5
_TITLE_SEPARATOR = "\n\n"
_QUERY_MODES = {"dense": QueryMode.DENSE, "sparse": QueryMode.SPARSE, "hybrid": QueryMode.HYBRID}


class _HttpStatusError(Exception):
    """An HTTP error status, raised from the response hook so its status and headers are not lost."""

    def __init__(self, status: int, retry_after: str | None) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status
        self.retry_after = retry_after


def _raise_for_status(response: httpx.Response) -> None:
    # The SDK reads any body as JSON and keeps only its "error" text; the status and Retry-After are here.
    if response.status_code >= 400:
        raise _HttpStatusError(response.status_code, response.headers.get("retry-after"))


class UpstashVectorIndex:
    def __init__(self, url: str, token: str, *, timeout_seconds: float, query_mode: str | None = None) -> None:
        if query_mode is not None and query_mode not in _QUERY_MODES:
            raise ValueError(f"query_mode must be one of {', '.join(_QUERY_MODES)}")
        self._timeout = timeout_seconds
        self._query_mode = _QUERY_MODES[query_mode] if query_mode is not None else None
        self._url = url.rstrip("/")
        self._token = token
        # httpx timeouts bound each phase (connect, every read); the future bounds the request as a whole.
        self._calls = ThreadPoolExecutor(max_workers=4, thread_name_prefix="upstash-vector")

    @cached_property
    def _index(self) -> Index:
        """Made on the first call: a cold start that answers from the cache never pays for its TLS set-up."""
        # One attempt per call: retrying is the caller's decision, and the SDK would sleep between tries.
        index = Index(url=self._url, token=self._token, retries=0, allow_telemetry=False)
        # The SDK takes no timeout (its httpx client waits 600 s): its client is the one handle to set ours on.
        client: httpx.Client = index._client
        client.timeout = httpx.Timeout(self._timeout)
        client.event_hooks = {"request": [], "response": [_raise_for_status]}
        return index

    def upsert(self, namespace: str, chunks: Sequence[Chunk]) -> None:
        for batch in _batches(chunks):
            vectors = [Data(id=chunk.id, data=_data(chunk), metadata=_metadata(chunk)) for chunk in batch]
            self._call(partial(self._index.upsert, vectors, namespace=_path(namespace)))

    def namespaces(self) -> list[str]:
        return self._call(lambda: [_string(namespace) for namespace in self._index.list_namespaces()])

    def delete_namespace(self, namespace: str) -> None:
        self._call(partial(self._index.delete_namespace, _path(namespace)))

    def list_ids(self, namespace: str) -> list[str]:
        page_of = partial(self._index.range, limit=RANGE_PAGE_SIZE, namespace=_path(namespace))
        ids: list[str] = []
        cursor = ""
        while True:
            page = self._call(partial(page_of, cursor=cursor))
            ids.extend(vector.id for vector in page.vectors)
            if not page.next_cursor:
                return ids
            if page.next_cursor == cursor:
                _unavailable("malformed response: the range cursor did not move")
            cursor = page.next_cursor

    def fetch(self, namespace: str, ids: Sequence[str]) -> list[Chunk]:
        fetch = partial(self._index.fetch, include_metadata=True, include_data=True, namespace=_path(namespace))
        chunks: list[Chunk] = []
        for batch in _batches(list(dict.fromkeys(ids))):
            found = self._call(partial(fetch, list(batch)))
            chunks.extend(_chunk(hit.id, hit.metadata, hit.data) for hit in found if hit is not None)
        return chunks

    def query(self, namespace: str, text: str, *, top_k: int, section: SectionType | None = None) -> list[ScoredChunk]:
        if top_k <= 0 or not text.strip():
            return []
        query = partial(
            self._index.query,
            data=text,
            top_k=top_k,
            include_metadata=True,
            include_data=True,
            filter=section_filter(section) if section is not None else "",
            query_mode=self._query_mode,
            namespace=_path(namespace),
        )
        return [ScoredChunk(_chunk(hit.id, hit.metadata, hit.data), _score(hit.score)) for hit in self._call(query)]

    def _call[T](self, request: Callable[[], T]) -> T:
        """One request to Upstash, within the timeout; every way it can fail becomes BackendUnavailableError."""
        try:
            return self._calls.submit(request).result(timeout=self._timeout)
        except (TimeoutError, httpx.TimeoutException):
            _unavailable(f"timed out after {self._timeout:g} s")
        except _HttpStatusError as error:
            _unavailable(f"HTTP {error.status}", _retry_after(error.retry_after))
        except httpx.HTTPError as error:
            _unavailable(f"request failed ({type(error).__name__})")
        except UpstashError:
            _unavailable("the service answered with an error")
        except (ValueError, KeyError, TypeError, AttributeError):
            _unavailable("malformed response")


def section_filter(section: SectionType) -> str:
    """`type = '<section>'`. Upstash filter literals have no escapes, so quote with a mark the value lacks."""
    value = section.value
    for mark in ("'", '"'):
        if mark not in value:
            return f"type = {mark}{value}{mark}"
    raise ValueError("a section type cannot contain both kinds of quotes")


def _unavailable(reason: str, retry_after: int = DEFAULT_RETRY_AFTER_SECONDS) -> NoReturn:
    raise BackendUnavailableError(SERVICE, reason, retry_after_seconds=retry_after) from None


def _retry_after(header: str | None) -> int:
    try:
        seconds = float(header or "")
    except ValueError:
        return DEFAULT_RETRY_AFTER_SECONDS
    return max(1, math.ceil(seconds)) if math.isfinite(seconds) else DEFAULT_RETRY_AFTER_SECONDS


def _path(namespace: str) -> str:
    # The SDK appends the namespace to the URL path as it is; quoting keeps any name inside its segment.
    return quote(namespace, safe="")


def _batches[T](items: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), BATCH_SIZE):
        yield items[start : start + BATCH_SIZE]


def _data(chunk: Chunk) -> str:
    return f"{chunk.title}{_TITLE_SEPARATOR}{chunk.text}"


def _metadata(chunk: Chunk) -> dict[str, Any]:
    metadata: dict[str, Any] = {"type": chunk.type.value, "title": chunk.title, "path": chunk.path}
    if chunk.start is not None:
        metadata["start"] = chunk.start
    if chunk.end is not None:
        metadata["end"] = chunk.end
    metadata["tags"] = list(chunk.tags)
    return metadata


def _chunk(id_: str, metadata: dict[str, Any] | None, data: str | None) -> Chunk:
    try:
        return _parsed_chunk(id_, metadata, data)
    except (ValueError, KeyError, TypeError):
        _unavailable("malformed response")


def _parsed_chunk(id_: str, metadata: dict[str, Any] | None, data: str | None) -> Chunk:
    if not isinstance(metadata, dict) or not isinstance(data, str):
        raise ValueError("a vector without metadata or data")
    title = _string(metadata["title"])
    prefix = f"{title}{_TITLE_SEPARATOR}"
    if not data.startswith(prefix):
        raise ValueError("data that does not start with the title")
    tags = metadata.get("tags", [])
    if not isinstance(tags, list):
        raise ValueError("tags that are not a list")
    return Chunk(
        id=_string(id_),
        path=_string(metadata["path"]),
        type=SectionType(metadata["type"]),
        title=title,
        text=data.removeprefix(prefix),
        start=_optional_string(metadata.get("start")),
        end=_optional_string(metadata.get("end")),
        tags=tuple(_string(tag) for tag in tags),
    )


def _score(value: object) -> float:
    if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
        _unavailable("malformed response")
    return float(value)


def _string(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("expected a string")
    return value


def _optional_string(value: object) -> str | None:
    return None if value is None else _string(value)
