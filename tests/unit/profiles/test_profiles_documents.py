"""PDF and Word CVs and LinkedIn's data export, read into the same sections as every other format.

The documents are built from the sources beside them (tests/fixtures/profiles/documents/build.py).
"""

import io
import zipfile

import pytest

from tests.unit.profiles.conftest import FIXTURES, ReadFixture
from twin.domain import limits
from twin.domain.profile import Profile, ProfileFormat, Section, SectionType
from twin.errors import ProfileFormatError
from twin.profiles import kept_document, load_profile
from twin.profiles.linkedin import pack_folder

DOCUMENTS = FIXTURES / "documents"
# What the export's other files and Profile.csv's private columns hold: none of it may reach a section.
PRIVATE_VALUES = (
    "PRIVATEMESSAGE",
    "Zephyr",
    "Privateconnection",
    "Secretco",
    "private.inbox",
    "9999 0000",
    "Adtargetingco",
    "Luxurywatchinterest",
    "1988",
    "Harbour Road",
    "999077",
    "Wong",
    "ABC-123",
    "hidden by its recipient",
)


def document(name: str) -> bytes:
    return (DOCUMENTS / name).read_bytes()


def all_text(profile: Profile) -> str:
    return "\n".join(f"{section.title}\n{section.text}" for section in profile.sections)


def section_with(profile: Profile, words: str) -> Section:
    return next(section for section in profile.sections if words in section.text)


def test_a_two_column_pdf_keeps_the_sidebar_apart_from_the_main_column() -> None:
    profile = load_profile(document("two_column_cv.pdf"))

    skills = next(section for section in profile.sections if section.type is SectionType.SKILLS)
    job = section_with(profile, "Corrib Therapeutics")
    assert profile.source_format is ProfileFormat.PDF
    assert (profile.name, profile.headline) == ("Siobhán Ní Bhriain", "Lead Biostatistician")
    assert "Bayesian adaptive designs." in skills.text, "a wrapped sidebar line is joined again"
    assert "Clinical trial design." in skills.text
    assert "oncology" not in skills.text
    assert "French" not in job.text
    assert (job.title, job.start, job.end) == ("Lead Biostatistician at Corrib Therapeutics", "2020-01", "present")


def test_a_two_page_pdf_loses_its_page_numbers_and_running_header_and_keeps_every_section() -> None:
    profile = load_profile(document("two_page_cv.pdf"))

    text = all_text(profile)
    assert profile.name == "Zoë Łukasiewicz-Ortiz"
    assert "Page 1 of 2" not in text
    assert "Curriculum Vitae" not in text
    types = {section.type for section in profile.sections}
    assert {SectionType.EXPERIENCE, SectionType.EDUCATION, SectionType.CERTIFICATION, SectionType.LANGUAGE} <= types
    assert "Polish (native)" in section_with(profile, "Polish").text


def test_pdf_ligatures_hyphenated_line_breaks_and_bullets_become_plain_sentences() -> None:
    profile = load_profile(document("two_page_cv.pdf"))

    text = all_text(profile)
    assert "efficient runbooks, first-class observability" in text
    assert "Certified Kubernetes Administrator" in text
    assert "the incident flow the whole company" in text
    assert "zero customer-facing downtime during the move." in text
    assert not any(mark in text for mark in "•▪◦ﬁﬂ")
    job = section_with(profile, "Vistula Payments")
    assert job.text.startswith("I work as Principal SRE at Vistula Payments (Mar 2021 – Present).")
    assert (job.start, job.end) == ("2021-03", "present")
    assert "Looked after 400 Linux servers across two data centres." in section_with(profile, "Wawel").text


def test_a_linkedin_save_to_pdf_profile_reads_its_positions_with_company_and_dates() -> None:
    profile = load_profile(document("linkedin_profile.pdf"))

    job = section_with(profile, "Nordkap Foods (")
    assert profile.name == "Tomás Andersson"
    assert job.title == "Head of Supply Chain Planning at Nordkap Foods"
    assert (job.start, job.end) == ("2020-01", "present")
    assert "4 years 11 months" not in job.text
    assert "2,300 products across 14 plants" in job.text
    assert "SAP APO." in next(section for section in profile.sections if section.type is SectionType.SKILLS).text
    assert "Chalmers University of Technology" in section_with(profile, "Chalmers").title


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("encrypted.pdf", "without a password"),
        ("scanned_cv.pdf", "no OCR"),
    ],
)
def test_a_pdf_that_cannot_be_read_says_why(name: str, expected: str) -> None:
    with pytest.raises(ProfileFormatError) as raised:
        load_profile(document(name))

    assert expected in raised.value.message


def test_a_damaged_pdf_is_a_format_error() -> None:
    with pytest.raises(ProfileFormatError, match="not damaged"):
        load_profile(document("two_column_cv.pdf")[:2000])


@pytest.mark.parametrize("magic", [b"%PDF-1.7\n", b"PK\x03\x04"])
def test_a_document_over_the_size_limit_is_refused_before_it_is_parsed(magic: bytes) -> None:
    oversized = magic + b"0" * limits.MAX_DOCUMENT_BYTES

    with pytest.raises(ProfileFormatError) as raised:
        load_profile(oversized)

    assert raised.value.location == f"byte {limits.MAX_DOCUMENT_BYTES + 1}"


def test_a_word_cv_reads_headings_by_style_lists_the_skills_table_and_the_page_header() -> None:
    profile = load_profile(document("cv.docx"))

    skills = next(section for section in profile.sections if section.type is SectionType.SKILLS)
    job = section_with(profile, "Kestrel Bank (")
    assert profile.source_format is ProfileFormat.DOCX
    assert (profile.name, profile.headline) == ("Amara Okonkwo-Brandão", "Senior Product Designer")
    assert "amara.okonkwo@example.com" in section_with(profile, "amara.okonkwo").text
    assert "Prototyping | Figma, ProtoPie | Expert." in skills.text
    assert (job.start, job.end) == ("2021-03", "present")
    assert "Redesigned the mortgage application, raising completion from 41% to 67%." in job.text
    assert "Shipped the council-tax self-service portal." in section_with(profile, "Leeds City Council").text


def test_the_linkedin_export_becomes_sections_from_its_profile_files() -> None:
    profile = load_profile(document("linkedin_export.zip"))

    job = section_with(profile, "Lantau Mobility (")
    assert profile.source_format is ProfileFormat.LINKEDIN_EXPORT
    assert (profile.name, profile.headline) == (
        "Mei-Ling Chén",
        "Staff Data Scientist at Lantau Mobility · Hong Kong SAR",
    )
    assert (job.type, job.start, job.end) == (SectionType.EXPERIENCE, "2021-03", "present")
    assert "1.2 million trips a day" in job.text
    text = all_text(profile)
    for fact in ("PhD Statistics", "PySpark", "Cantonese", "Open Transit Forecasts", "Best Applied Paper"):
        assert fact in text
    assert "turned our pricing from guesswork into science" in text


def test_nothing_from_the_exports_private_files_or_private_columns_reaches_a_section() -> None:
    text = all_text(load_profile(document("linkedin_export.zip")))

    assert [value for value in PRIVATE_VALUES if value in text] == []


def test_an_unzipped_export_folder_reads_as_its_zip_does() -> None:
    from_folder = load_profile(pack_folder(DOCUMENTS / "linkedin_export"))

    assert from_folder == load_profile(document("linkedin_export.zip"))


def test_packing_an_export_folder_takes_only_the_profile_files() -> None:
    names = zipfile.ZipFile(io.BytesIO(pack_folder(DOCUMENTS / "linkedin_export"))).namelist()

    assert "Profile.csv" in names
    assert not {"messages.csv", "Connections.csv", "Email Addresses.csv", "PhoneNumbers.csv"} & set(names)


def test_what_is_kept_of_an_export_for_backups_is_its_profile_files_and_loads_the_same() -> None:
    export = document("linkedin_export.zip")

    kept = kept_document(export)

    names = zipfile.ZipFile(io.BytesIO(kept)).namelist()
    assert "Profile.csv" in names
    assert not {"messages.csv", "Connections.csv", "Email Addresses.csv", "PhoneNumbers.csv"} & set(names)
    assert load_profile(kept) == load_profile(export)
    assert kept_document(document("two_page_cv.pdf")) == document("two_page_cv.pdf"), "any other as it came"


def zip_of(files: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


PROFILE_CSV = b"First Name,Last Name,Headline\nAda,Lovelace,Analyst\n"


@pytest.mark.parametrize("name", ["../Profile.csv", "/etc/Profile.csv", "C:/Profile.csv", "a\\..\\..\\Profile.csv"])
def test_an_export_with_a_path_escaping_name_is_refused(name: str) -> None:
    with pytest.raises(ProfileFormatError, match=r"'\.\.'"):
        load_profile(zip_of({"Profile.csv": PROFILE_CSV, name: b"x"}))


def test_an_export_whose_file_expands_like_a_zip_bomb_is_refused() -> None:
    bomb = zip_of({"Profile.csv": PROFILE_CSV, "Positions.csv": b"Title\n" + b" " * 5_000_000})

    with pytest.raises(ProfileFormatError) as raised:
        load_profile(bomb)

    assert raised.value.location == "ZIP file Positions.csv"


def test_an_archive_of_too_many_files_is_refused() -> None:
    crowded = zip_of({"Profile.csv": PROFILE_CSV} | {f"f{number}.csv": b"" for number in range(1_001)})

    with pytest.raises(ProfileFormatError, match="at most 1000 files"):
        load_profile(crowded)


def test_a_zip_that_is_neither_a_word_file_nor_an_export_is_refused() -> None:
    with pytest.raises(ProfileFormatError, match="LinkedIn data export"):
        load_profile(zip_of({"notes.txt": b"hello"}))


def test_the_format_is_told_from_the_content_not_the_file_name(read_fixture: ReadFixture) -> None:
    assert load_profile(document("cv.docx")).source_format is ProfileFormat.DOCX
    assert load_profile(read_fixture("profile.md")).source_format is ProfileFormat.MARKDOWN
    assert load_profile(b"junk before the header\n" + document("two_column_cv.pdf")).name == "Siobhán Ní Bhriain"


def test_a_text_cv_that_mentions_the_pdf_header_is_still_text() -> None:
    profile = load_profile(b"# Ana Lima\n\nI fix %PDF-1.7 files.\n\n## Skills\n- PDF internals\n")

    assert profile.source_format is ProfileFormat.MARKDOWN


def test_an_export_csv_that_is_not_utf8_names_the_file_and_byte() -> None:
    with pytest.raises(ProfileFormatError) as raised:
        load_profile(zip_of({"Profile.csv": b"First Name\n\xff\xfe"}))

    assert raised.value.location == "Profile.csv, byte 11"
