"""Markdown read as CommonMark (with tables) reads it: block structure from the parser, not line by line."""

import pytest

from twin.domain.profile import Profile, Section, SectionType
from twin.profiles import load_profile


def _by_title(profile: Profile) -> dict[str, Section]:
    return {section.title: section for section in profile.sections}


def _all_text(profile: Profile) -> str:
    return "\n".join(section.text for section in profile.sections)


def test_a_skills_matrix_without_outer_pipes_is_read_row_by_row() -> None:
    cv = "# Noor\n\n## Skills\n\nSkill | Years | Level\n:--- | :---: | ---:\nGo | 6 | Expert\nKafka | 4 | Advanced\n"

    skills = _by_title(load_profile(cv))["Skills"]

    assert skills.text == "My skills:\nSkill | Years | Level.\nGo | 6 | Expert.\nKafka | 4 | Advanced."


def test_a_commented_out_section_is_left_out_with_everything_in_it() -> None:
    cv = "# Noor\n\n## Skills\n\n- Go\n\n<!--\n## Old job\n\nCashier at Quikmart\n-->\n\n## Education\n\nBSc, Leeds\n"

    profile = load_profile(cv)

    assert [section.title for section in profile.sections] == ["About me", "Skills", "Education"]
    assert "Quikmart" not in _all_text(profile)
    assert "<!--" not in _all_text(profile)


def test_a_one_line_html_comment_is_left_out_and_html_tags_leave_their_text() -> None:
    cv = '# Noor\n\n<p align="center">Platform engineer</p>\n\n## Skills\n\n<!-- add Rust -->\n- Go\n'

    profile = load_profile(cv)

    assert profile.headline == "Platform engineer"
    assert _by_title(profile)["Skills"].text == "My skills:\nGo."


def test_reference_links_keep_the_url_of_their_definition() -> None:
    cv = "# Noor\n\n## Projects\n\n- [evalkit][repo], a library for evals\n\n[repo]: https://github.com/noor/evalkit\n"

    projects = _by_title(load_profile(cv))["Projects"]

    assert projects.text == "My projects:\nevalkit (https://github.com/noor/evalkit), a library for evals."


def test_a_lazy_continuation_line_stays_in_its_list_item() -> None:
    cv = "# Noor\n\n## Experience\n\n- Built the refunds service\nused by 3 teams\n- Owned on-call\n"

    experience = _by_title(load_profile(cv))["Experience"]

    assert experience.text == "My experience:\nBuilt the refunds service used by 3 teams.\nOwned on-call."


def test_emphasis_over_two_lines_of_a_paragraph_reads_without_its_asterisks() -> None:
    cv = "# Noor\n\n## Summary\n\nI led **the move of 40 services\nto Kubernetes** in six months.\n"

    summary = _by_title(load_profile(cv))["Summary"]

    assert "I led the move of 40 services to Kubernetes in six months." in summary.text
    assert "*" not in summary.text


def test_a_backslash_at_the_end_of_a_line_is_a_line_break_not_text() -> None:
    cv = "# Noor\n\n## Summary\n\nI build agents.\\\nI measure them.\n"

    summary = _by_title(load_profile(cv))["Summary"]

    assert "\\" not in summary.text
    assert "I build agents. I measure them." in summary.text


def test_a_heading_inside_a_quote_is_quoted_text_not_a_section() -> None:
    cv = "# Noor\n\n## Recommendations\n\n> ### From my manager\n> Noor ships.\n"

    profile = load_profile(cv)

    assert [section.title for section in profile.sections] == ["About me", "Recommendations"]
    assert "#" not in _all_text(profile)
    assert "From my manager" in _by_title(profile)["Recommendations"].text


def test_list_markers_never_reach_the_contact_or_the_about_me_text() -> None:
    cv = "# Noor\n\n- noor@example.com\n- github.com/noor-example\n\n## Skills\n\n- Go\n"

    profile = load_profile(cv)

    assert _by_title(profile)["Contact"].text == "How to reach me: noor@example.com; github.com/noor-example."
    assert " - " not in _all_text(profile)


@pytest.mark.parametrize("markers", [("-", "  -"), ("*", "  +"), ("1.", "   -"), ("1)", "   1)")])
def test_items_of_every_list_marker_and_their_nested_items_are_lines_of_their_own(markers: tuple[str, str]) -> None:
    outer, inner = markers
    items = f"{outer} Led the ledger rewrite\n{inner} Moved 40M accounts\n{outer} Mentored 4 engineers\n"
    cv = f"# Noor\n\n## Experience\n\n{items}"

    experience = _by_title(load_profile(cv))["Experience"]

    assert experience.text == "My experience:\nLed the ledger rewrite.\nMoved 40M accounts.\nMentored 4 engineers."


def test_lines_indented_by_four_spaces_are_text_for_a_cv_indents_for_layout() -> None:
    cv = "# Noor\n\n## EXPERIENCE\n\n    Engineer, Acme\n    2020 – 2022\n\n    - Built the platform\n"

    job = load_profile(cv).sections[-1]

    assert (job.type, job.title, job.start, job.end) == (SectionType.EXPERIENCE, "Engineer at Acme", "2020", "2022")
    assert job.text == "I worked as Engineer at Acme (2020 – 2022).\nBuilt the platform."
