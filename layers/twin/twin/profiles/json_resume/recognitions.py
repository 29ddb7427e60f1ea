"""JSON Resume's awards, certificates and publications: each a dated recognition, introduced by its own sentence."""

from collections.abc import Callable

from twin.domain.profile import Section, SectionType
from twin.profiles.dates import parse_date
from twin.profiles.fields import Fields, Names
from twin.profiles.json_values import JsonValue, entries
from twin.profiles.phrasing import join_sentences, sentence, short_title
from twin.profiles.rendering import render


def awards(value: JsonValue, path: str) -> list[Section]:
    return [
        _dated(item, item_path, SectionType.AWARD, ("title", "name"), (_award_sentence, _AWARD_FIELDS))
        for item_path, item in entries(value, path)
    ]


def certificates(value: JsonValue, path: str) -> list[Section]:
    return [
        _dated(
            item, item_path, SectionType.CERTIFICATION, ("name", "title"), (_certificate_sentence, _CERTIFICATE_FIELDS)
        )
        for item_path, item in entries(value, path)
    ]


def publications(value: JsonValue, path: str) -> list[Section]:
    return [
        _dated(
            item, item_path, SectionType.PUBLICATION, ("name", "title"), (_publication_sentence, _PUBLICATION_FIELDS)
        )
        for item_path, item in entries(value, path)
    ]


# The fields each sentence below reads, for `_dated` to declare.
_AWARD_FIELDS: tuple[Names, ...] = (("awarder", "issuer"), ("date",))
_CERTIFICATE_FIELDS: tuple[Names, ...] = (("issuer", "authority"), ("date",))
_PUBLICATION_FIELDS: tuple[Names, ...] = (("publisher",), ("release_date", "date"))


def _award_sentence(title: str, fields: Fields) -> str:
    awarder, date = fields.text("awarder", "issuer"), fields.text("date")
    return f"I received {title or 'an award'}" + (f" from {awarder}" if awarder else "") + _when(date)


def _certificate_sentence(name: str, fields: Fields) -> str:
    issuer, date = fields.text("issuer", "authority"), fields.text("date")
    earned = f"I earned the {name} certification" if name else "I earned a certification"
    return earned + (f", issued by {issuer}" if issuer else "") + _when(date)


def _publication_sentence(name: str, fields: Fields) -> str:
    publisher, date = fields.text("publisher"), fields.text("release_date", "date")
    return f"I published {name or 'a piece'}" + (f" in {publisher}" if publisher else "") + _when(date)


def _when(date: str) -> str:
    return f" ({date})" if date else ""


def _dated(
    item: JsonValue,
    path: str,
    section_type: SectionType,
    name_keys: tuple[str, ...],
    introduce: tuple[Callable[[str, Fields], str], tuple[Names, ...]],
) -> Section:
    """An award, certificate or publication: `introduce` writes its first sentence from the fields it names."""
    if not isinstance(item, dict):
        return Section(path, section_type, short_title(render(item)), sentence(render(item)))
    sentence_of, sentence_fields = introduce
    fields = Fields(item.items(), name_keys, ("url",), *sentence_fields, ("summary",))
    name = fields.text(*name_keys)
    date = parse_date(Fields(item.items()).text("date", "release_date"))
    url = fields.text("url")
    text = join_sentences(
        sentence_of(name, fields), fields.text("summary"), fields.rest_text(), f"Link: {url}" if url else ""
    )
    return Section(path, section_type, name or short_title(text), text, date)
