"""LinkedIn's data export ("Get a copy of your data"): the ZIP, or its unzipped folder packed again.

Only the profile files below are read, by name; everything else in the export (messages, connections,
e-mail addresses, phone numbers, invitations, ad targeting...) is never opened. In Profile.csv only the
name, headline, summary, industry, place and websites are used: not the birth date, address or zip code.
The rows become a JSON Resume document, read by the JSON Resume loader like any other.
"""

import csv
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from twin.domain.profile import Profile, ProfileFormat
from twin.errors import ProfileFormatError
from twin.profiles import json_resume
from twin.profiles.archive import open_archive, read_member
from twin.profiles.dates import find_dates
from twin.profiles.json_values import JsonObject, JsonValue

type Row = dict[str, str]

_WEBSITE = re.compile(r"https?://[^\s,\]]+")
_PROFICIENCY = re.compile(r"[_\s]+")


def is_export(names: list[str]) -> bool:
    return any(_profile_file(name) is not None for name in names)


def pack_folder(folder: Path) -> bytes:
    """The profile files of an unzipped export as a ZIP, read from disk one by one; nothing else is opened."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            if path.is_file() and path.name.casefold() in _BY_NAME:
                archive.writestr(path.name, path.read_bytes())
    return buffer.getvalue()


def profile_files_only(document: bytes) -> bytes:
    """The export reduced to the profile files `load` reads (what a backup keeps of it): it loads the same."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as packed:
        for name, data in _members(document).items():
            packed.writestr(name, data)
    return buffer.getvalue()


def load(document: bytes) -> Profile:
    tables = _tables(document)
    if not tables:
        raise ProfileFormatError("ZIP", f"a LinkedIn data export with at least one of {', '.join(PROFILE_FILES)}")
    resume: JsonObject = {}
    for name, (key, build) in _READERS.items():
        rows = tables.get(name, [])
        if rows and (value := build(rows)):
            resume[key] = value
    profile = json_resume.load(resume)
    return replace(profile, source_format=ProfileFormat.LINKEDIN_EXPORT)


def _profile_file(member: str) -> str | None:
    """The profile file a member is, at the archive's top or in one folder ("Basic_LinkedInDataExport/")."""
    parts = member.replace("\\", "/").strip("/").split("/")
    return _BY_NAME.get(parts[-1].casefold()) if len(parts) <= 2 else None


def _tables(document: bytes) -> dict[str, list[Row]]:
    return {name: _rows(name, data) for name, data in _members(document).items()}


def _members(document: bytes) -> dict[str, bytes]:
    """Each profile file of the export, the one nearest the archive's top where there are several."""
    archive = open_archive(document, "ZIP")
    members: dict[str, bytes] = {}
    for member in sorted(archive.infolist(), key=lambda member: member.filename.count("/")):
        name = _profile_file(member.filename)
        if name is not None and name not in members and not member.is_dir():
            members[name] = read_member(archive, member, "ZIP")
    return members


def _rows(name: str, data: bytes) -> list[Row]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ProfileFormatError(f"{name}, byte {error.start}", "UTF-8 text") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        records = list(reader)
    except csv.Error as error:
        raise ProfileFormatError(f"{name}, line {reader.line_num}", f"CSV ({error})") from None
    if not records:
        return []
    header = [" ".join(column.split()).casefold() for column in records[0]]
    return [
        {column: value.strip() for column, value in zip(header, record, strict=False) if value.strip()}
        for record in records[1:]
        if any(value.strip() for value in record)
    ]


def _date(value: str | None) -> str:
    """LinkedIn's own "Mar 2021", kept as written (it reads better than 2021-03) when it holds a date."""
    found = find_dates(value or "")
    return value or "" if found and found[0] != "present" else ""


def _dated(item: dict[str, JsonValue], start: str | None, end: str | None) -> dict[str, JsonValue]:
    dates = {"startDate": _date(start), "endDate": _date(end)}
    return {**item, **{key: value for key, value in dates.items() if value}}


def _present(item: dict[str, JsonValue]) -> dict[str, JsonValue]:
    return {key: value for key, value in item.items() if value}


def _basics(rows: list[Row]) -> JsonValue:
    row = rows[0]
    name = " ".join(part for part in (row.get("first name"), row.get("last name")) if part)
    headline = row.get("headline", "")
    industry = row.get("industry", "")
    return _present(
        {
            "name": name,
            "label": headline,
            "summary": row.get("summary", ""),
            "location": row.get("geo location", ""),
            "profiles": [{"url": url} for url in _WEBSITE.findall(row.get("websites", ""))],
            "industry": industry if industry and industry not in headline else "",
        }
    )


def _work(rows: list[Row]) -> JsonValue:
    return [
        _dated(
            _present(
                {
                    "name": row.get("company name", ""),
                    "position": row.get("title", ""),
                    "location": row.get("location", ""),
                    "summary": row.get("description", ""),
                }
            ),
            row.get("started on"),
            row.get("finished on"),
        )
        for row in rows
    ]


def _education(rows: list[Row]) -> JsonValue:
    return [
        _dated(
            _present(
                {
                    "institution": row.get("school name", ""),
                    "studyType": row.get("degree name", ""),
                    "summary": row.get("notes", ""),
                    "activities": row.get("activities", ""),
                }
            ),
            row.get("start date"),
            row.get("end date"),
        )
        for row in rows
    ]


def _skills(rows: list[Row]) -> JsonValue:
    names: list[JsonValue] = [row["name"] for row in rows if row.get("name")]
    return [{"name": "professional", "keywords": names}] if names else []


def _certificates(rows: list[Row]) -> JsonValue:
    # The licence number identifies a credential, not a skill: it stays out.
    return [
        _present(
            {
                "name": row.get("name", ""),
                "issuer": row.get("authority", ""),
                "date": _date(row.get("started on")),
                "url": row.get("url", ""),
            }
        )
        for row in rows
    ]


def _languages(rows: list[Row]) -> JsonValue:
    return [
        _present(
            {
                "language": row.get("name", ""),
                "fluency": _PROFICIENCY.sub(" ", row.get("proficiency", "")).strip().lower(),
            }
        )
        for row in rows
    ]


def _projects(rows: list[Row]) -> JsonValue:
    return [
        _dated(
            _present(
                {"name": row.get("title", ""), "description": row.get("description", ""), "url": row.get("url", "")}
            ),
            row.get("started on"),
            row.get("finished on"),
        )
        for row in rows
    ]


def _awards(rows: list[Row]) -> JsonValue:
    return [
        _present(
            {"title": row.get("title", ""), "summary": row.get("description", ""), "date": _date(row.get("issued on"))}
        )
        for row in rows
    ]


def _courses(rows: list[Row]) -> JsonValue:
    return [" ".join(part for part in (row.get("name"), row.get("number")) if part) for row in rows]


def _publications(rows: list[Row]) -> JsonValue:
    return [
        _present(
            {
                "name": row.get("name", ""),
                "publisher": row.get("publisher", ""),
                "releaseDate": _date(row.get("published on")),
                "summary": row.get("description", ""),
                "url": row.get("url", ""),
            }
        )
        for row in rows
    ]


def _volunteer(rows: list[Row]) -> JsonValue:
    return [
        _dated(
            _present(
                {
                    "organization": row.get("company name", ""),
                    "position": row.get("role", ""),
                    "cause": row.get("cause", ""),
                    "summary": row.get("description", ""),
                }
            ),
            row.get("started on"),
            row.get("finished on"),
        )
        for row in rows
    ]


def _references(rows: list[Row]) -> JsonValue:
    """Only recommendations shown on the profile: one its owner hid is not for the twin to quote."""
    return [
        {"name": _recommender(row), "reference": row["text"]}
        for row in rows
        if row.get("text") and row.get("status", "VISIBLE").upper() == "VISIBLE"
    ]


def _recommender(row: Row) -> str:
    name = " ".join(part for part in (row.get("first name"), row.get("last name")) if part)
    role = " at ".join(part for part in (row.get("job title"), row.get("company")) if part)
    return f"{name} ({role})" if name and role else name or role


# Each profile file, the JSON Resume key its rows go under, and how.
_READERS: dict[str, tuple[str, Callable[[list[Row]], JsonValue]]] = {
    "Profile.csv": ("basics", _basics),
    "Positions.csv": ("work", _work),
    "Education.csv": ("education", _education),
    "Skills.csv": ("skills", _skills),
    "Certifications.csv": ("certificates", _certificates),
    "Languages.csv": ("languages", _languages),
    "Projects.csv": ("projects", _projects),
    "Honors.csv": ("awards", _awards),
    "Courses.csv": ("courses", _courses),
    "Publications.csv": ("publications", _publications),
    "Volunteering.csv": ("volunteer", _volunteer),
    "Recommendations_Received.csv": ("references", _references),
}
PROFILE_FILES = tuple(_READERS)
_BY_NAME = {name.casefold(): name for name in PROFILE_FILES}
