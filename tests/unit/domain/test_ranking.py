from dataclasses import replace

from twin.domain.answers import SNIPPET_CHARS, best_window
from twin.domain.chunks import ONGOING, Chunk, ScoredChunk
from twin.domain.profile import SectionType
from twin.domain.questions import understand
from twin.domain.ranking import rerank


def hit(title: str, text: str, score: float, type_: SectionType, end: str | None = None) -> ScoredChunk:
    return ScoredChunk(Chunk(id=title, path=f"$.{title}", type=type_, title=title, text=text, end=end), score)


def dated_job(title: str, score: float, start: str, end: str) -> ScoredChunk:
    chunk = Chunk(id=title, path=f"$.{title}", type=SectionType.EXPERIENCE, title=title, text=f"I was {title}.")
    return ScoredChunk(replace(chunk, start=start, end=end), score)


def test_the_job_whose_dates_run_to_now_answers_a_question_about_the_current_role() -> None:
    conferences = hit("Conferences", "Current 2023 (Kafka Summit), as attendee.", 0.9, SectionType.DEVELOPMENT)
    old_job = hit("Engineer at Tidewater", "I worked as Engineer at Tidewater.", 0.5, SectionType.EXPERIENCE, "2018-01")
    job = hit("Lead at Northwind", "I work as Lead Engineer at Northwind.", 0.4, SectionType.EXPERIENCE, ONGOING)

    ranked = rerank(understand("What is your current role?"), [conferences, old_job, job])

    assert ranked[0].chunk.title == "Lead at Northwind"


def test_a_list_of_interview_questions_ranks_below_the_facts() -> None:
    questions = hit(
        "Interview questions", "How would you design a ledger? How do you test pipelines?", 0.9, SectionType.INTERVIEW
    )
    project = hit("Ledger", "I designed the payment ledger at Acme.", 0.5, SectionType.PROJECT)

    ranked = rerank(understand("How would you design a ledger?"), [questions, project])

    assert ranked[0].chunk.title == "Ledger"


def test_a_project_built_with_the_named_technology_outranks_the_skills_list() -> None:
    skills = hit("Skills", "My languages: Java, Go, Python.", 0.9, SectionType.SKILLS)
    project = hit(
        "Billing", "Project: Billing. I built the billing service in Java and Spring.", 0.6, SectionType.PROJECT
    )

    ranked = rerank(understand("What did you build in Java?"), [skills, project])

    assert ranked[0].chunk.title == "Billing"


def test_scores_stay_in_the_unit_interval_and_in_order() -> None:
    hits = [hit(f"Part {n}", f"Text {n} about Kafka.", 1.0 - n / 10, SectionType.SKILLS) for n in range(5)]

    scores = [scored.score for scored in rerank(understand("Kafka?"), hits)]

    assert all(0 <= score < 1 for score in scores)
    assert scores == sorted(scores, reverse=True)


def test_a_snippet_is_the_window_that_answers_and_starts_at_a_sentence() -> None:
    filler = " ".join(f"I ran meeting number {n} for the guild." for n in range(16))
    text = f"{filler} My notice period is 4 weeks. {filler}"

    window = best_window(text, understand("When could you start?"))

    assert "My notice period is 4 weeks." in window
    assert window.startswith("…I ran meeting") or window.startswith("…My notice")
    assert len(window) <= SNIPPET_CHARS + 2  # the ellipses that mark text left out before and after


def test_a_snippet_counts_each_question_word_once_so_the_result_beats_repeats_of_the_topic() -> None:
    repeats = " ".join(f"Company budget talk, part {n}." for n in ("one", "two", "three", "four", "five", "six"))
    filler = " ".join("The team met on Fridays to plan the week ahead." for _ in range(7))
    text = f"{repeats} {filler} The result: I saved 40% of our cloud spend."

    window = best_window(text, understand("Have you ever saved a company money?"))

    assert "I saved 40% of our cloud spend." in window


def test_the_room_a_snippet_has_left_after_its_last_whole_sentence_shows_the_next_ones_opening_words() -> None:
    record = "Across the corridor project we worked 410,000 hours with zero lost-time incidents on site."
    long = " ".join(["I backed our inspectors' stop-work authority on every job, and"] * 5) + " it paid off."
    text = f"{record} {long}"

    window = best_window(text, understand("What is your safety record like on site?"))

    assert window.startswith(record)
    assert window.endswith("…")
    assert "I backed our inspectors' stop-work authority" in window
    assert len(window) <= SNIPPET_CHARS + 1


def test_a_snippet_joins_a_storys_result_to_its_action_across_the_paragraph_between_them() -> None:
    action = "At Pixelgrove I rebuilt the mobile checkout as a single-page Vue.js flow."
    middle = " ".join(f"We held design review {n} with the client's marketing team." for n in range(1, 6))
    result = "Cart abandonment fell from 71% to 58%."
    text = f"{action} {middle} {result} Afterwards I moved on to the loyalty app."

    window = best_window(text, understand("How did you improve checkout conversion?"))

    assert window.startswith(action)
    assert f"… {result}" in window
    assert len(window) <= SNIPPET_CHARS + 1


def test_a_snippet_keeps_the_passages_opening_line_when_room_is_left_beside_the_sentence_that_answers() -> None:
    opening = "Since January 2022 I have been Senior Security Analyst at Harbourmark Insurance."
    rest = " ".join(f"We rewrote detection rule set {n} in KQL for Sentinel." for n in range(12))
    text = f"{opening} I lead detection engineering in a team of 7. {rest}"

    window = best_window(text, understand("Do you lead a team?"))

    assert window.startswith(f"{opening} I lead detection engineering")


def test_a_short_passage_is_its_own_snippet() -> None:
    assert best_window("I lead the team.", understand("Who do you lead?")) == "I lead the team."


def test_an_achievement_with_a_measured_result_outranks_one_without_for_the_proudest_achievement() -> None:
    dashboards = hit(
        "Dashboards", "At Kodeo, as Junior Developer. Built internal admin dashboards.", 0.45, SectionType.ACHIEVEMENT
    )
    checkout = hit(
        "Checkout",
        "At Pixelgrove, as Frontend Developer. Rebuilt the mobile checkout; cart abandonment fell from 71% to 58%.",
        0.43,
        SectionType.ACHIEVEMENT,
    )

    ranked = rerank(understand("What's the achievement you're proudest of?"), [dashboards, checkout])

    assert ranked[0].chunk.title == "Checkout"


def test_a_failure_story_ranks_below_a_success_for_the_biggest_achievement_however_measured() -> None:
    failure = hit(
        "Field failure",
        "Flash wear from logging every second bricked 2% of units after 14 months; it was my mistake.",
        0.6,
        SectionType.ACHIEVEMENT,
    )
    success = hit(
        "Pipeline rebuild",
        "I rebuilt the pipeline: runtime from 9 hours to 35 minutes, cost down 40%, and we have not missed the "
        "cut-off since.",
        0.4,
        SectionType.ACHIEVEMENT,
    )

    ranked = rerank(understand("What's your biggest achievement?"), [failure, success])

    assert ranked[0].chunk.title == "Pipeline rebuild"
    assert rerank(understand("Tell me about a mistake you made."), [failure, success])[0].chunk.title == "Field failure"


def test_a_story_with_two_results_outranks_one_with_a_single_result_for_the_proudest_achievement() -> None:
    tests = hit(
        "Unit tests",
        "At Kodeo, as Junior Developer. I wrote the team's first unit-test suite, taking coverage from 0% to 55%.",
        0.45,
        SectionType.ACHIEVEMENT,
    )
    migration = hit(
        "Migration",
        "At Brightloom, as Tech Lead. I moved the app to React. Page load dropped from 4.1 s to 1.9 s. "
        "Checkout conversion rose by 12%.",
        0.44,
        SectionType.ACHIEVEMENT,
    )

    ranked = rerank(understand("What's the achievement you're proudest of?"), [tests, migration])

    assert ranked[0].chunk.title == "Migration"


def test_a_story_with_several_results_does_not_push_the_summary_down_for_why_hire() -> None:
    summary = hit(
        "About me", "Operations manager, 14 years in logistics; I run a 380-person site.", 0.5, SectionType.SUMMARY
    )
    story = hit(
        "Peak",
        "We shipped 2.1 million units, up 30%. On-time dispatch rose to 99.6%. Cost per unit fell 11%.",
        0.5,
        SectionType.ACHIEVEMENT,
    )

    ranked = rerank(understand("Why should we hire you?"), [story, summary])

    assert ranked[0].chunk.title == "About me"


def test_the_introduction_that_says_who_the_person_is_outranks_an_elevator_pitch_of_one_result() -> None:
    pitch = hit(
        "Elevator pitch", "My elevator pitch: I rebuilt a pipeline so it runs in 35 minutes.", 0.9, SectionType.SUMMARY
    )
    about = hit("About me", "I'm a data engineer with 4 years in energy, after a PhD.", 0.85, SectionType.SUMMARY)

    ranked = rerank(understand("Tell me about yourself."), [pitch, about])

    assert ranked[0].chunk.title == "About me"


def test_a_sales_methodology_answers_a_question_about_frameworks() -> None:
    territory = hit("Territory", "My sales territory covered Texas and Oklahoma.", 0.9, SectionType.SKILLS)
    job = hit("Corvane", "I qualified every sales deal with MEDDICC.", 0.9, SectionType.EXPERIENCE)

    ranked = rerank(understand("What sales frameworks do you use?"), [territory, job])

    assert ranked[0].chunk.title == "Corvane"


def test_the_job_that_ended_last_before_the_named_one_began_answers_what_came_before_it() -> None:
    def job(title: str, text: str, score: float, start: str, end: str) -> ScoredChunk:
        chunk = Chunk(id=title, path=f"$.{title}", type=SectionType.EXPERIENCE, title=title, text=text)
        return ScoredChunk(replace(chunk, start=start, end=end), score)

    named = job("Analyst at Harbourmark", "Since 2022 I have been Analyst at Harbourmark.", 0.9, "2022-01", ONGOING)
    award = hit("Awards", "At Harbourmark I was named Security Champion.", 0.8, SectionType.AWARD)
    before = job("SOC Analyst at Tallis", "I triaged alerts for 40 clients.", 0.2, "2019-06", "2021-12")
    first = job("Technician at Coleg", "Helpdesk and desktop support.", 0.2, "2017-09", "2019-05")

    ranked = rerank(understand("What did you do before Harbourmark?"), [named, award, first, before])

    assert ranked[0].chunk.title == "SOC Analyst at Tallis"


def test_the_job_that_ended_last_before_the_current_one_began_answers_a_question_about_the_previous_job() -> None:
    current = dated_job("Lead at Northwind", 0.9, "2021-03", ONGOING)
    previous = dated_job("Engineer at Bluegum", 0.3, "2018-02", "2021-02")
    first = dated_job("Graduate at Tidewater", 0.5, "2016-01", "2018-01")

    for asked in ("What did you do before your current role?", "What was your previous job?"):
        ranked = rerank(understand(asked), [current, first, previous])

        assert ranked[0].chunk.title == "Engineer at Bluegum", asked


def test_the_job_that_began_first_answers_where_the_career_started() -> None:
    current = dated_job("Lead at Northwind", 0.9, "2021-03", ONGOING)
    previous = dated_job("Engineer at Bluegum", 0.3, "2018-02", "2021-02")
    first = dated_job("Graduate at Tidewater", 0.2, "2016-01", "2018-01")

    for asked in ("Where did you start your career?", "What was your first job in tech?"):
        ranked = rerank(understand(asked), [current, first, previous])

        assert ranked[0].chunk.title == "Graduate at Tidewater", asked


def test_a_question_in_the_present_tense_about_whom_you_manage_is_answered_by_the_job_that_runs_to_now() -> None:
    old_job = hit("Shift Manager at Brookfield", "I managed a team of 40.", 0.5, SectionType.EXPERIENCE, "2020-01")
    job = hit("Site Manager at Halvard", "I manage a team of 380 staff.", 0.4, SectionType.EXPERIENCE, ONGOING)

    ranked = rerank(understand("How big a team do you manage?"), [old_job, job])

    assert ranked[0].chunk.title == "Site Manager at Halvard"


def test_why_someone_is_leaving_the_current_job_is_answered_by_their_goals_not_by_that_job() -> None:
    job = hit(
        "Analyst at Harbourline", "I own the group forecast and the board pack.", 0.6, SectionType.EXPERIENCE, ONGOING
    )
    about = hit(
        "About me", "FP&A analyst, 9 years in finance. Next I want an FP&A Manager role.", 0.4, SectionType.SUMMARY
    )

    ranked = rerank(understand("Why are you leaving your current job?"), [job, about])

    assert ranked[0].chunk.title == "About me"


def test_a_failure_story_that_shares_the_word_hire_is_no_reason_to_hire() -> None:
    failure = hit(
        "Hiring mistake",
        "I hired too senior too early; it was my mistake and we lost a year.",
        0.6,
        SectionType.ACHIEVEMENT,
    )
    pitch = hit("Elevator pitch", "I took a team from 3 to 38 engineers and raised €27m.", 0.4, SectionType.SUMMARY)

    ranked = rerank(understand("Why should we hire you over someone with more years?"), [failure, pitch])

    assert ranked[0].chunk.title == "Elevator pitch"
