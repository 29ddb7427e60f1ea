"""Reading the profile: its card and section list, and any one section in full."""

import re
from dataclasses import dataclass

from twin.domain import limits
from twin.domain.chunks import Chunk
from twin.domain.profile import IndexedProfile, SectionType
from twin.errors import ProfileNotIngestedError, SectionNotFoundError
from twin.ports import ProfileStore, VectorIndex

_SECTION_ID = re.compile(limits.SECTION_ID_PATTERN)
_SECTION_ORDER = {section: position for position, section in enumerate(SectionType)}


@dataclass(frozen=True, slots=True)
class ProfileOverview:
    profile: IndexedProfile
    sections: tuple[Chunk, ...]


class ProfileService:
    """Every read goes through the profile record to the namespace of the version it names.

    A version's sections never change (a new version gets a namespace of its own), so the overview of the
    version the record names is read and put in order once, and then again only for another version.
    """

    def __init__(self, *, twin_id: str, index: VectorIndex, profiles: ProfileStore) -> None:
        self._twin_id = twin_id
        self._index = index
        self._profiles = profiles
        self._overview: ProfileOverview | None = None

    def find(self) -> IndexedProfile | None:
        return self._profiles.get(self._twin_id)

    def current(self) -> IndexedProfile:
        profile = self.find()
        if profile is None:
            raise ProfileNotIngestedError(self._twin_id)
        return profile

    def overview(self) -> ProfileOverview:
        profile = self.current()
        known = self._overview
        if known is None or known.profile != profile:
            chunks = self._index.fetch(profile.namespace, self._index.list_ids(profile.namespace))
            known = self._overview = ProfileOverview(profile=profile, sections=_reading_order(chunks))
        return known

    def section(self, section_id: str) -> Chunk:
        if _SECTION_ID.fullmatch(section_id):
            found = self._index.fetch(self.current().namespace, [section_id])
            if found:
                return found[0]
        raise SectionNotFoundError


def _reading_order(chunks: list[Chunk]) -> tuple[Chunk, ...]:
    """Grouped by kind, the most recent first within a kind, then by place in the document.

    Sorts are stable, so each pass keeps the order of the one before where its keys tie.
    """
    by_place = sorted(chunks, key=_natural_path)
    by_recency = sorted(by_place, key=lambda chunk: chunk.start or "", reverse=True)
    return tuple(sorted(by_recency, key=lambda chunk: _SECTION_ORDER[chunk.type]))


def _natural_path(chunk: Chunk) -> list[int | str]:
    """`$.experience[10]` after `$.experience[9]`, not after `$.experience[1]`."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", chunk.path)]
