from collections.abc import Callable

import pytest

from twin.domain.profile import Profile, ProfileFormat, Section, SectionType
from twin.errors import ProfileFormatError
from twin.profiles import load_profile

ReadFixture = Callable[[str], bytes]


def _by_path(profile: Profile) -> dict[str, Section]:
    return {section.path: section for section in profile.sections}


def _load(read_fixture: ReadFixture) -> Profile:
    return load_profile(read_fixture("profile.md"))


def test_markdown_headings_become_sections_with_heading_trails(read_fixture: ReadFixture) -> None:
    profile = _load(read_fixture)

    assert profile.source_format is ProfileFormat.MARKDOWN
    assert [(section.path, section.type) for section in profile.sections] == [
        ("Morgan Ellery", SectionType.SUMMARY),
        (
            "Experience > Senior Platform Engineer, Harakeke Cloud (Jun 2022 – present)",
            SectionType.EXPERIENCE,
        ),
        ("Experience > Site Reliability Engineer — Kiwi Freight", SectionType.EXPERIENCE),
        ("Skills", SectionType.SKILLS),
        ("Projects > kubectl-budget", SectionType.PROJECT),
        ("Education", SectionType.EDUCATION),
        ("Contact", SectionType.CONTACT),
    ]


def test_front_matter_and_the_first_h1_give_name_headline_and_summary(read_fixture: ReadFixture) -> None:
    profile = _load(read_fixture)

    assert profile.name == "Morgan Ellery"
    assert profile.headline == "Platform Engineer · Wellington, New Zealand"
    assert profile.summary.startswith("I run Kubernetes platforms for teams")


def test_emphasis_and_links_become_readable_text_with_urls_kept(read_fixture: ReadFixture) -> None:
    sections = _by_path(_load(read_fixture))

    summary = sections["Morgan Ellery"].text
    assert "I run Kubernetes platforms" in summary
    assert "Kiwi Freight (https://kiwifreight.example.nz) and Aotearoa Bank." in summary
    assert "**" not in summary
    assert "_Aotearoa" not in summary
    assert "Email: morgan@example.nz" in sections["Contact"].text


def test_a_fenced_code_block_is_kept_and_its_hash_lines_are_not_headings(read_fixture: ReadFixture) -> None:
    project = _by_path(_load(read_fixture))["Projects > kubectl-budget"]

    assert project.text.endswith("# install\nkubectl krew install budget")
    assert "A kubectl plugin that shows the cost of each namespace." in project.text


def test_sections_carry_their_heading_trail_dates_and_tags(read_fixture: ReadFixture) -> None:
    sections = _by_path(_load(read_fixture))

    harakeke = sections["Experience > Senior Platform Engineer, Harakeke Cloud (Jun 2022 – present)"]
    assert harakeke.text.startswith("I work as Senior Platform Engineer at Harakeke Cloud (Jun 2022 – present).")
    assert (harakeke.start, harakeke.end) == ("2022-06", "present")
    assert harakeke.tags == ("kubernetes", "terraform", "go", "argocd")
    kiwi = sections["Experience > Site Reliability Engineer — Kiwi Freight"]
    assert (kiwi.start, kiwi.end) == ("2019-03", "2022-05")
    assert sections["Skills"].tags == (
        "go",
        "python",
        "bash",
        "kubernetes",
        "terraform",
        "argocd",
        "prometheus",
    )


def test_text_before_any_heading_is_a_summary_section_and_no_h1_means_no_name() -> None:
    profile = load_profile("Data scientist in Lisbon.\n\n## Skills\n\n- R, Python\n")

    assert profile.name == ""
    assert [(section.path, section.type) for section in profile.sections] == [
        ("(introduction)", SectionType.SUMMARY),
        ("Skills", SectionType.SKILLS),
    ]
    assert profile.summary == "Data scientist in Lisbon."


def test_heading_types_come_from_their_own_words_or_their_ancestors() -> None:
    document = "\n".join(
        [
            "# Kai",
            "## Work History",
            "### Technology Lead, Contoso",
            "Led things.",
            "### Key achievements",
            "Won things.",
            "## Languages",
            "Finnish, English",
            "## Salary and location",
            "Remote.",
            "## Favourite films",
            "Many.",
        ]
    )

    types = {section.path: section.type for section in load_profile(document).sections}

    assert types == {
        "Kai": SectionType.SUMMARY,
        "Work History > Technology Lead, Contoso": SectionType.EXPERIENCE,
        "Work History > Key achievements": SectionType.ACHIEVEMENT,
        "Languages": SectionType.LANGUAGE,
        "Salary and location": SectionType.COMPENSATION,
        "Favourite films": SectionType.OTHER,
    }


def test_setext_headings_and_closing_hashes_are_headings() -> None:
    document = "Robin Park\n==========\n\nAnalyst.\n\nEducation\n---------\n\nBA, 2015\n\n## Skills ##\n\nExcel\n"

    profile = load_profile(document)

    assert profile.name == "Robin Park"
    assert [section.path for section in profile.sections] == ["Robin Park", "Education", "Skills"]


def test_a_leading_thematic_break_is_not_taken_for_front_matter() -> None:
    profile = load_profile("---\nI build things.\n---\n\n# Lee\n\nHello.\n")

    assert profile.sections[0].path == "(introduction)"
    assert profile.sections[0].text == "I build things."


def test_list_items_tables_and_quotes_are_kept_as_lines() -> None:
    document = (
        "## Skills\n\n* Go\n  (since 2015)\n1. SQL\n\n| Tool | Years |\n|---|---|\n| Vim | 10 |\n\n> Quoted *praise*\n"
    )

    skills = load_profile(document).sections[0]

    assert skills.text == "My skills:\nGo (since 2015).\nSQL.\nTool | Years.\nVim | 10.\nQuoted praise."


def test_duplicate_heading_trails_get_distinct_paths() -> None:
    profile = load_profile("## Notes\n\nOne.\n\n## Notes\n\nTwo.\n")

    assert [section.path for section in profile.sections] == ["Notes", "Notes~2"]


@pytest.mark.parametrize(
    "document",
    ["---\nname: Empty\n---\n", "# Just A Name\n", "#\n##\n", "***\n\n---\n", "```\n```\n"],
)
def test_markdown_without_any_body_text_is_an_error_at_line_1(document: str) -> None:
    with pytest.raises(ProfileFormatError) as raised:
        load_profile(document)

    assert raised.value.location == "line 1"


def test_editing_one_markdown_section_leaves_the_others_unchanged(read_fixture: ReadFixture) -> None:
    text = read_fixture("profile.md").decode()
    before = _by_path(load_profile(text))

    after = _by_path(load_profile(text.replace("BSc Computer Science", "BSc (Hons) Computer Science")))

    assert set(before) == set(after)
    assert [path for path in before if before[path] != after[path]] == ["Education"]


def test_front_matter_is_read_as_yaml_with_folded_and_quoted_values() -> None:
    document = (
        "---\nname: \"Ana Lima\"\ntitle: >\n  Staff Engineer\nlocation: 'Porto: Portugal'\n---\n\n## Skills\n- Go\n"
    )

    profile = load_profile(document)

    assert (profile.name, profile.headline) == ("Ana Lima", "Staff Engineer · Porto: Portugal")


def test_inline_markdown_is_read_as_commonmark_entities_nested_brackets_and_all() -> None:
    document = "# Ana Lima\n\n## Talks\n- [Scaling R&amp;D [slides]](https://talks.example/rd) at *GopherCon*\n"

    text = next(section for section in load_profile(document).sections if section.title == "Talks").text

    assert "Scaling R&D [slides] (https://talks.example/rd) at GopherCon." in text


def test_a_short_plain_line_naming_a_section_above_a_list_starts_that_section() -> None:
    document = (
        "# Hannah Schofield\n\nLearning designer.\n\nAWARDS\nLearning Technologies Awards 2023 – Silver\n\n"
        'Talks & writing\n- "From lesson plans to learning journeys" – Learning Technologies Summer Forum, 2024\n'
    )

    sections = {section.title: section for section in load_profile(document).sections}

    assert sections["Talks & writing"].type is SectionType.PUBLICATION
    assert "Summer Forum" in sections["Talks & writing"].text
    assert "Summer Forum" not in sections["Awards"].text


def test_a_toolbox_or_toolkit_heading_is_a_skills_section() -> None:
    document = "# Inês Carvalho\n\nUX researcher.\n\n## Toolbox\n\nResearch tools: Dovetail\n\n## My toolkit\n\nFigma\n"

    types = {section.title: section.type for section in load_profile(document).sections}

    assert types["Toolbox"] is SectionType.SKILLS
    assert types["My toolkit"] is SectionType.SKILLS


def test_a_pasted_cv_opening_with_a_bold_name_is_that_persons_and_the_town_on_its_contact_line_is_theirs() -> None:
    document = (
        "**PRIYA NAIR**\nCustomer Success Manager\nBristol | priya.nair@example.com | 07700 900 561\n\n"
        "**Summary**\nCustomer success manager with 6 years in SaaS.\n"
    )

    profile = load_profile(document)

    assert (profile.name, profile.headline) == ("Priya Nair", "Customer Success Manager")
    assert "I am Priya Nair, Customer Success Manager, based in Bristol." in profile.sections[1].text


def test_a_cv_that_opens_with_a_plain_sentence_has_no_name() -> None:
    assert load_profile("Data scientist in Lisbon.\n\n## Skills\n\n- R, Python\n").name == ""


def test_a_place_marked_on_the_contact_line_is_where_the_person_is_and_a_portfolio_address_is_not() -> None:
    marked = load_profile(
        "# Noor Haddad\n\n📍 Manchester, UK · AI Engineer · +44 7700 900123\n\nI ship LLM features.\n"
    )
    unmarked = load_profile(
        "# Hannah Schofield\n\nLearning Designer\nhannah@example.co.uk · Portfolio: hannah.example.co.uk\n\nI design.\n"
    )

    assert "based in Manchester, UK." in marked.sections[0].text
    assert "based in" not in unmarked.sections[0].text


@pytest.mark.parametrize("heading", ["Hello 👋", "Hi!", "Hey there", "Welcome", "Who I am", "Intro"])
def test_a_greeting_heading_is_the_introduction(heading: str) -> None:
    document = f"# Aoife Byrne\n\n## {heading}\n\nI'm a gameplay programmer.\n\n## Education\n\nBSc, Abertay, 2018\n"

    types = {section.title: section.type for section in load_profile(document).sections}

    assert types[heading] is SectionType.SUMMARY


def test_things_one_is_proud_of_are_achievements_and_what_one_is_after_is_goals() -> None:
    document = "# Aoife Byrne\n\nProgrammer.\n\n## Things I'm proud of\n\n- A game.\n\n## What I'm after\n\nLead.\n"

    types = {section.title: section.type for section in load_profile(document).sections}

    assert types["Things I'm proud of"] is SectionType.ACHIEVEMENT
    assert types["What I'm after"] is SectionType.GOALS


def test_a_headline_running_on_into_the_contact_details_is_the_headline_and_only_the_details_are_contact() -> None:
    profile = load_profile(
        "# Dmitri Voss\nQA Engineer — Glasgow (remote OK) — dmitri@example.com — github.com/dov\n\nI test things.\n"
    )

    contact = next(section for section in profile.sections if section.type is SectionType.CONTACT)
    assert profile.headline == "QA Engineer · Glasgow (remote OK)"
    assert contact.text == "How to reach me: dmitri@example.com · github.com/dov."
    assert profile.summary == "I test things."
