import pytest

from twin.domain.text import sentences, stem, terms


@pytest.mark.parametrize(
    "family",
    [
        ("mentor", "mentored", "mentoring", "mentors"),
        ("manage", "managed", "manager", "managing", "management"),
        ("weakness", "weaknesses"),
        ("technology", "technologies"),
        ("language", "languages"),
        ("plan", "planned"),
    ],
)
def test_the_forms_of_a_word_share_one_stem(family: tuple[str, ...]) -> None:
    assert len({stem(word) for word in family}) == 1


def test_irregular_past_tenses_meet_their_present() -> None:
    assert stem("led") == stem("lead")
    assert stem("built") == stem("build")


def test_query_terms_drop_filler_and_keep_technology_names_whole() -> None:
    assert terms("What have you done with C++ and Node.js?") == ["c++", "node.js"]
    assert terms("Have you worked on an M&A deal or in R&D?") == ["worked", "m&a", "deal", "r&d"]
    assert terms("Have you used R or C for anything real?") == ["used", "r", "c", "anything", "real"]


def test_markdown_bullets_and_sentence_ends_both_split_a_passage() -> None:
    passage = "I lead the team. We ship weekly.\n- Built the billing API\n* Cut costs by 38%"

    assert sentences(passage) == ("I lead the team.", "We ship weekly.", "Built the billing API", "Cut costs by 38%")


def test_a_decimal_or_an_abbreviation_does_not_end_a_sentence() -> None:
    assert sentences("I moved to Python 3.12 in 2024. e.g. the loader.") == (
        "I moved to Python 3.12 in 2024. e.g. the loader.",
    )


def test_a_line_that_introduces_a_list_joins_its_first_item() -> None:
    assert sentences("My certifications:\nAWS Certified Developer (2023).\nCKA (2024).") == (
        "My certifications: AWS Certified Developer (2023).",
        "CKA (2024).",
    )


def test_a_one_word_sentence_runs_into_the_sentence_before_it_so_it_is_never_left_alone() -> None:
    assert sentences("Cert III in Commercial Cookery, 2014. Food Safety Supervisor certificate. RSA.\nHi. I cook.") == (
        "Cert III in Commercial Cookery, 2014.",
        "Food Safety Supervisor certificate. RSA.",
        "Hi. I cook.",
    )


def test_a_capital_letter_and_a_full_stop_is_an_initial_not_a_sentence_end() -> None:
    assert sentences("Supervisor: Dr K. Hollis. I sampled 14 sites.") == (
        "Supervisor: Dr K. Hollis.",
        "I sampled 14 sites.",
    )
