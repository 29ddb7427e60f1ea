"""A Markdown CV pasted from a PDF: capitals for headings, "•" bullets, lines broken where the page ran out."""

from twin.domain.profile import Profile, Section, SectionType
from twin.profiles import load_profile

_FROM_PDF = """KATARZYNA WRÓBEL
Senior Site Reliability Engineer
Dublin, Ireland | kasia@example.com | +353 87 555 0193

PROFILE
I like boring, observable infra-
structure and honest SLOs.

PROFESSIONAL EXPERIENCE

Senior Site Reliability Engineer 06/2019 – Present
Tessellate Payments, Dublin
• Cut mean time to recovery from 47 minutes to 18 by rebuilding alerting on Prometheus,
Grafana and Thanos.
• In 2021 I pushed an untested Istio change that took the payments API down for 23
minutes. I ran the postmortem myself.
• Run the incident commander rotation.

Page 1 of 2

KATARZYNA WRÓBEL – CV

DevOps Engineer 09/2016 – 05/2019
Ardent Telecom, Cork
• Moved 200+ build pipelines from Jenkins to GitLab CI.

TECHNICAL SKILLS
Cloud & platform: AWS, Kubernetes, Helm
Languages: Go, Python, Bash

EDUCATION
BSc Computer Science, University of Galway, 2009 – 2013

OPEN SOURCE
• Maintainer of kube-cost-labeler, a small Go controller
"""


def _sections() -> dict[str, Section]:
    return {section.title: section for section in _profile().sections}


def _profile() -> Profile:
    return load_profile(_FROM_PDF)


def test_a_name_in_capitals_of_any_alphabet_is_the_name_and_the_line_under_it_the_headline() -> None:
    profile = _profile()

    assert (profile.name, profile.headline) == ("Katarzyna Wróbel", "Senior Site Reliability Engineer")
    assert _sections()["Profile"].text.startswith(
        "I am Katarzyna Wróbel, Senior Site Reliability Engineer, based in Dublin"
    )


def test_each_job_line_above_its_company_line_is_an_experience_entry_with_title_company_and_dates() -> None:
    sections = _sections()

    current = sections["Senior Site Reliability Engineer at Tessellate Payments, Dublin"]
    before = sections["DevOps Engineer at Ardent Telecom, Cork"]
    assert (current.type, current.start, current.end) == (SectionType.EXPERIENCE, "2019-06", "present")
    assert (before.type, before.start, before.end) == (SectionType.EXPERIENCE, "2016-09", "2019-05")
    assert current.text.startswith("I work as Senior Site Reliability Engineer at Tessellate Payments, Dublin")
    assert "GitLab CI" in before.text
    assert "GitLab CI" not in current.text


def test_page_numbers_and_the_name_repeated_at_the_top_of_a_page_are_dropped() -> None:
    text = "\n".join(section.text for section in _profile().sections)

    assert "Page 1 of 2" not in text
    assert "– CV" not in text


def test_a_bullet_wrapped_onto_the_next_line_is_one_item_and_a_new_bullet_starts_another() -> None:
    text = "\n".join(section.text for section in _profile().sections)

    assert "rebuilding alerting on Prometheus, Grafana and Thanos." in text
    assert "down for 23 minutes. I ran the postmortem myself." in text
    assert "\nRun the incident commander rotation." in text


def test_a_word_hyphenated_at_a_line_break_is_whole_again() -> None:
    assert "observable infrastructure and honest SLOs" in _sections()["Profile"].text


def test_labelled_lines_of_a_paragraph_stay_lines_of_their_own() -> None:
    lines = _sections()["Technical skills"].text.splitlines()

    assert "Cloud & platform: AWS, Kubernetes, Helm." in lines
    assert "Languages: Go, Python, Bash." in lines


def test_an_open_source_heading_in_capitals_is_a_projects_section_not_part_of_the_one_above() -> None:
    sections = _sections()

    assert sections["Open source"].type is SectionType.PROJECT
    assert "kube-cost-labeler" in sections["Open source"].text
    assert "kube-cost-labeler" not in sections["Education"].text
