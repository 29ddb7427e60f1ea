"""The block about the person: name, title, place, summary, pitch and contact details."""

from dataclasses import dataclass

from twin.domain.profile import Section, SectionType
from twin.profiles.fields import Every, Fields
from twin.profiles.json_values import JsonValue, child_path
from twin.profiles.keys import match_key
from twin.profiles.names import name_and_links, post_nominals
from twin.profiles.phrasing import join_sentences, sentence
from twin.profiles.rendering import facts, place, render, render_pairs

_NAME = ("full_name", "fullname", "name", "preferred_name")
_FIRST_NAME = ("first_name", "given_name")
_LAST_NAME = ("last_name", "surname", "family_name")
_TITLE = ("title", "job_title", "role", "position", "headline", "current_title", "current_role", "profession")
_LOCATION = ("location", "based_in", "current_location", "city", "residence")
_SUMMARY = (
    "summary",
    "professional_summary",
    "bio",
    "about",
    "about_me",
    "overview",
    "profile",
    "description",
)
_PITCH = ("elevator_pitch", "pitch", "elevator")
_CONTACT = ("contact", "contact_info", "contact_information", "contact_details", "contacts")
_CONTACT_FIELDS = (
    "email",
    "email_address",
    "phone",
    "phone_number",
    "mobile",
    "linkedin",
    "linkedin_url",
    "github",
    "github_url",
    "website",
    "personal_website",
    "portfolio_url",
    "twitter",
    "blog",
)
_PERSONAL_EXTRAS = ("nationality", "citizenship", "visa_status")
# Names of the block about the person; "about", "profile" and "bio" holding text are the summary instead.
PERSONAL_SECTIONS = frozenset(
    match_key(key)
    for key in (
        "personal",
        "personal_info",
        "personal_information",
        "personal_details",
        "about_me",
        "about",
        "profile",
        "basics",
        "me",
        "bio",
    )
)
PERSONAL_FIELDS = frozenset(
    match_key(key)
    for key in (
        *_NAME,
        *_FIRST_NAME,
        *_LAST_NAME,
        *_TITLE,
        *_LOCATION,
        *_SUMMARY,
        *_PITCH,
        *_CONTACT,
        *_CONTACT_FIELDS,
        *_PERSONAL_EXTRAS,
    )
)


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    title: str
    location: str
    summary: str
    credentials: str = ""

    @property
    def headline(self) -> str:
        return " · ".join(part for part in (self.title, self.credentials, self.location) if part)


def personal(pairs: list[tuple[str, JsonValue]], path: str) -> tuple[Person, list[Section]]:
    fields = Fields(
        pairs,
        _NAME,
        _FIRST_NAME,
        _LAST_NAME,
        _TITLE,
        _LOCATION,
        _SUMMARY,
        _PITCH,
        _CONTACT,
        Every(_CONTACT_FIELDS),
    )
    raw_name = fields.value(*_NAME)
    name, links = name_and_links(raw_name)
    name = name or " ".join(part for part in (fields.text(*_FIRST_NAME), fields.text(*_LAST_NAME)) if part)
    title, location = fields.text(*_TITLE), place(fields.value(*_LOCATION))
    person = Person(name, title, location, fields.text(*_SUMMARY), post_nominals(raw_name))
    pitch = fields.entry(*_PITCH)
    contact = _contact(fields, links, path)
    # Other personal details join "About me": on their own they would be a tiny section that
    # outranks the real introduction for "tell me about yourself".
    about = join_sentences(_introduction(person), person.summary, facts(fields.rest()))
    sections = [Section(path, SectionType.SUMMARY, "About me", about)] if about else []
    if pitch:
        text = sentence(f"My elevator pitch: {render(pitch[1])}")
        sections.append(Section(child_path(path, pitch[0]), SectionType.SUMMARY, "Elevator pitch", text))
    return person, [*sections, *contact]


def _introduction(person: Person) -> str:
    if person.name:
        credentials = f" ({person.credentials})" if person.credentials else ""
        title = f", {person.title}" if person.title else ""
        location = f", based in {person.location}" if person.location else ""
        return f"I am {person.name}{credentials}{title}{location}"
    title = f"My title is {person.title}" if person.title else ""
    location = f"I am based in {person.location}" if person.location else ""
    return join_sentences(title, location)


def _contact(fields: Fields, links: str, path: str) -> list[Section]:
    contact = fields.entry(*_CONTACT)
    pairs = [*fields.every(*_CONTACT_FIELDS), *([("links", links)] if links else [])]
    if contact:
        pairs[:0] = list(contact[1].items()) if isinstance(contact[1], dict) else [("", contact[1])]
    text = render_pairs(pairs)
    if not text:
        return []
    contact_path = child_path(path, contact[0] if contact else "contact")
    return [Section(contact_path, SectionType.CONTACT, "Contact", sentence(f"How to reach me — {text}"))]
