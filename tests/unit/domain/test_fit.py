"""The extractive role-fit judge: strengths from what the passages say, evidence quoted verbatim, never invented."""

from twin.domain.chunks import Chunk, ScoredChunk
from twin.domain.fit import FitCase, RequirementFit, Strength, evaluate, judge, quotable_sentences, summarise
from twin.domain.profile import SectionType
from twin.domain.requirements import Importance, Requirement

SKILLS = Chunk(
    "$.skills",
    SectionType.SKILLS,
    "Programming languages",
    "My programming languages: Python (expert, 9 years), SQL (expert, 9 years), Go (2 years).",
    id="a" * 24,
)
JOB = Chunk(
    "$.experience[0]",
    SectionType.EXPERIENCE,
    "Data Engineer at Acme",
    "I work as Data Engineer at Acme.\n- Mentored 3 engineers, two of whom were promoted.\n"
    "- Designed a Kafka and Flink pipeline with exactly-once sinks.",
    id="b" * 24,
)
TOOLS = Chunk("$.tools", SectionType.SKILLS, "Data tools", "My data tools: Snowflake, Airflow and dbt.", id="c" * 24)
PROFILE = tuple(ScoredChunk(chunk, 0.5) for chunk in (SKILLS, JOB, TOOLS))


def judged(requirement: str) -> RequirementFit:
    return judge(FitCase(Requirement(requirement), PROFILE))


def test_a_requirement_the_passages_state_is_strong_with_the_sentence_that_states_it_as_evidence() -> None:
    fit = judged("Design streaming pipelines with Kafka and Flink")

    assert fit.strength is Strength.STRONG
    assert fit.evidence[0].quote == "Designed a Kafka and Flink pipeline with exactly-once sinks."
    assert (fit.evidence[0].source_id, fit.evidence[0].title) == (JOB.id, JOB.title)


def test_what_the_profile_never_mentions_is_none_with_no_evidence_at_all() -> None:
    fit = judged("Experience with Kubernetes in production")

    assert (fit.strength, fit.evidence) == (Strength.NONE, ())


def test_a_named_thing_the_profile_lacks_is_none_however_many_other_words_match() -> None:
    assert judged("Deep learning frameworks such as PyTorch or TensorFlow for data pipelines").strength is Strength.NONE


def test_one_of_several_named_things_is_partial_and_alternatives_need_only_one() -> None:
    assert judged("Experience with Python and Rust").strength is Strength.PARTIAL
    assert judged("Experience with Airflow or another orchestrator").strength is Strength.STRONG
    assert judged("Experience with Snowflake, BigQuery or Redshift").strength is Strength.STRONG


def test_years_asked_for_must_be_stated_and_no_fewer_for_a_strong_match() -> None:
    assert judged("5+ years of Python").strength is Strength.STRONG
    assert judged("10+ years of Python").strength is Strength.PARTIAL
    assert judged("3+ years of Go").strength is Strength.PARTIAL


def test_a_word_the_thesaurus_relates_to_another_is_part_of_it() -> None:
    """Mentoring takes in juniors: "Mentor junior engineers" asks for mentoring engineers."""
    fit = judged("Mentor junior engineers")

    assert fit.strength is Strength.STRONG
    assert fit.evidence[0].quote == "Mentored 3 engineers, two of whom were promoted."


def test_every_quote_is_the_profiles_own_text() -> None:
    report = evaluate([FitCase(Requirement(text), PROFILE) for text in ("Python and SQL", "Kafka", "dbt", "Mentoring")])

    profile_text = " ".join(" ".join(chunk.text.split()) for chunk in (SKILLS, JOB, TOOLS))
    quotes = [evidence.quote for fit in report.requirements for evidence in fit.evidence]
    assert quotes
    assert all(quote in profile_text for quote in quotes)


def test_a_lead_in_joined_to_a_bullet_is_not_quoted_as_if_the_profile_said_it_so() -> None:
    assert quotable_sentences("Certifications:\n- AWS Certified Developer (2024)") == ["AWS Certified Developer (2024)"]


def test_a_requirement_of_filler_words_only_is_none() -> None:
    assert judged("Proven ability and a related field").strength is Strength.NONE


def test_the_summary_counts_strengths_in_the_first_person_and_names_the_required_gaps() -> None:
    fits = [
        RequirementFit(Requirement("Python"), Strength.STRONG, ()),
        RequirementFit(Requirement("Kubernetes"), Strength.NONE, ()),
        RequirementFit(Requirement("Go", Importance.PREFERRED), Strength.NONE, ()),
    ]

    summary = summarise(fits)

    assert summary.startswith("My profile shows strong evidence for 1 of the 3 requirements")
    assert "required ones: Kubernetes." in summary
    assert "Go" not in summary
    assert summarise([]).startswith("I found no requirements")
