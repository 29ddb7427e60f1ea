import random
from datetime import date

from twin.domain.chunks import Chunk
from twin.domain.insights import TOP_QUESTIONS, group_questions, summarize, window_start
from twin.domain.profile import SectionType
from twin.domain.question_log import Channel, LoggedQuestion

DAY = 86_400.0
NOW = 1_795_682_130.0  # 2026-11-26 05:55:30 UTC
ACME = Chunk(id="a" * 24, path="$.work[0]", type=SectionType.EXPERIENCE, title="Acme", text="I lead payments.")
SKILLS = Chunk(id="b" * 24, path="$.skills", type=SectionType.SKILLS, title="Skills", text="Go and Python.")
GOALS = Chunk(id="c" * 24, path="$.goals", type=SectionType.GOALS, title="Goals", text="Lead an organisation.")


def entry(
    question: str,
    *,
    days_ago: float = 0,
    channel: Channel = Channel.REST,
    answered: bool = True,
    sections: tuple[str, ...] = (),
) -> LoggedQuestion:
    return LoggedQuestion(question, NOW - days_ago * DAY, channel, answered, sections)


def counted(counts: dict[str, int]) -> list[tuple[str, int]]:
    return [(group.question, group.count) for group in group_questions(counts)]


def test_wordings_that_differ_in_case_punctuation_or_spacing_are_one_question_named_by_the_most_asked() -> None:
    counts = {"Where do you work now?": 2, "where do you work now": 3, "WHERE  do you work, now?!": 1}

    assert counted(counts) == [("where do you work now", 6)]


def test_near_duplicate_wordings_are_counted_together() -> None:
    counts = {
        "Which programming languages do you know?": 3,
        "What programming languages do you know?": 1,
        "Which programming languages, please, do you know?": 1,
    }

    assert counted(counts) == [("Which programming languages do you know?", 5)]


def test_questions_a_word_apart_stay_apart_and_one_that_adds_a_word_to_another_joins_it() -> None:
    counts = {
        "Have you used AWS Lambda in production?": 2,
        "Have you used AWS S3 in production?": 1,
        "Have you used AWS Lambda for streaming in production?": 1,
    }

    assert counted(counts) == [
        ("Have you used AWS Lambda in production?", 3),
        ("Have you used AWS S3 in production?", 1),
    ]


def test_a_wording_joins_the_group_it_is_closest_to() -> None:
    counts = {"Tell me about Kafka and Go": 3, "Tell me about Kafka and Python": 2, "Tell me about Python and Kafka": 1}

    assert counted(counts) == [("Tell me about Kafka and Go", 3), ("Tell me about Kafka and Python", 3)]


def test_languages_whose_names_differ_only_in_punctuation_stay_apart() -> None:
    assert len(group_questions({"Do you know C++?": 1, "Do you know C#?": 1})) == 2


def test_grouping_does_not_depend_on_the_order_questions_come_in() -> None:
    counts = {
        f"{verb} programming languages do you {tail}": n
        for n, (verb, tail) in enumerate(
            [("Which", "know"), ("What", "know"), ("Which", "use"), ("What", "use at work"), ("Who", "like")], start=1
        )
    } | {"Where do you work now?": 4, "Where are you based?": 4}
    shuffled = list(counts.items())
    random.Random(7).shuffle(shuffled)

    assert group_questions(dict(shuffled)) == group_questions(counts)


def test_ties_are_ordered_by_wording() -> None:
    assert counted({"Where are you based?": 2, "Are you open to relocation?": 2}) == [
        ("Are you open to relocation?", 2),
        ("Where are you based?", 2),
    ]


def test_insights_total_each_day_of_the_window_by_channel_and_answered_oldest_first_empty_days_included() -> None:
    entries = [
        entry("Where do you work?", days_ago=0, channel=Channel.PUBLIC_CHAT),
        entry("Where do you work?", days_ago=0, channel=Channel.PUBLIC_MCP, answered=False),
        entry("What do you do?", days_ago=2, channel=Channel.MCP),
        entry("Too old", days_ago=7),
    ]

    insights = summarize(entries, (), now=NOW, days=3)

    assert insights.first_day == date(2026, 11, 24)
    assert [(day.day.isoformat(), day.total, day.answered) for day in insights.by_day] == [
        ("2026-11-24", 1, 1),
        ("2026-11-25", 0, 0),
        ("2026-11-26", 2, 1),
    ]
    assert insights.by_day[2].by_channel == {Channel.PUBLIC_CHAT: 1, Channel.PUBLIC_MCP: 1}
    assert insights.by_channel == {Channel.PUBLIC_CHAT: 1, Channel.PUBLIC_MCP: 1, Channel.REST: 0, Channel.MCP: 1}
    assert (insights.total, insights.answered) == (3, 2)


def test_the_window_starts_at_midnight_utc_of_its_first_day() -> None:
    assert window_start(NOW, 1) == 1_795_651_200.0  # 2026-11-26 00:00:00 UTC
    assert window_start(NOW, 3) == 1_795_651_200.0 - 2 * DAY


def test_the_unanswered_questions_are_listed_with_how_often_each_was_asked() -> None:
    entries = [
        entry("What is your salary expectation?", answered=False),
        entry("what is your salary expectation", answered=False),
        entry("Do you have a driving licence?", answered=False),
        entry("Where do you work?", sections=(ACME.id,)),
    ]

    insights = summarize(entries, (), now=NOW, days=30)

    assert [(each.question, each.count) for each in insights.unanswered] == [
        ("What is your salary expectation?", 2),
        ("Do you have a driving licence?", 1),
    ]
    assert insights.answered == 1
    assert insights.top_questions[0].count == 2


def test_the_most_asked_questions_are_capped() -> None:
    entries = [entry(f"Question number {number} about topic {number}") for number in range(TOP_QUESTIONS + 5)]

    assert len(summarize(entries, (), now=NOW, days=1).top_questions) == TOP_QUESTIONS


def test_sections_are_counted_once_per_answer_most_cited_first_and_the_rest_listed_as_never_cited() -> None:
    entries = [
        entry("Where do you work?", sections=(ACME.id, ACME.id, SKILLS.id)),
        entry("What do you use?", sections=(SKILLS.id,)),
        entry("An old version's section", sections=("f" * 24,)),
    ]

    insights = summarize(entries, (ACME, SKILLS, GOALS), now=NOW, days=1)

    assert [(use.section.id, use.count) for use in insights.sections_cited] == [(SKILLS.id, 2), (ACME.id, 1)]
    assert insights.sections_never_cited == (GOALS,)
