import pytest

from twin.domain.profile import SectionType
from twin.domain.questions import understand


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("What do you do?", "current_role"),
        ("What is your current role?", "current_role"),
        ("Where are you working at the moment?", "current_role"),
        ("Tell me about yourself.", "about_me"),
        ("Give me a quick intro.", "about_me"),
        ("Why should we hire you?", "why_hire"),
        ("How many years of experience do you have?", "years_experience"),
        ("Which web frameworks have you used?", "frameworks"),
        ("What did you build in Java?", "project_with_x"),
        ("Have you mentored anyone?", "leadership"),
        ("Tell me about a disagreement with a colleague.", "teamwork_conflict"),
        ("Tell me about a project that failed.", "failure"),
        ("Where did you study?", "education"),
        ("What certifications do you hold?", "certifications"),
        ("What are your short- and long-term goals?", "goals"),
        ("What role are you looking for next?", "goals"),
        ("What's your notice period?", "availability"),
        ("Are you open to relocation?", "relocation"),
        ("Where are you based?", "location"),
        ("Do you need visa sponsorship?", "work_authorisation"),
        ("Are you open to remote work?", "work_arrangement"),
        ("What are your salary expectations?", "salary"),
        ("How can I reach you?", "contact"),
        ("What is your greatest weakness?", "weakness"),
        ("What do you do outside work?", "interests"),
        ("Do you have any questions for us?", "questions_for_us"),
        ("Which software are you fluent in?", "tools"),
        ("Are you fluent in Spanish?", "spoken_languages"),
        ("What's your management style?", "leadership"),
        ("What would you like to be doing in five years?", "goals"),
        ("What's been your biggest challenge?", "achievement"),
        ("How do you deal with difficult stakeholders?", "teamwork_conflict"),
        ("What do you enjoy about your work?", "motivation"),
        ("What motivates you?", "motivation"),
        ("Can you work weekends?", "work_arrangement"),
        ("What do you do at the weekend?", "interests"),
        ("Are you open to contract work?", "employment_type"),
        ("Do you want a full-time role?", "employment_type"),
        ("What makes you a strong instructional designer?", "why_hire"),
        ("What's your next career step?", "goals"),
        ("Have you hired and developed reps?", "leadership"),
        ("Tell me about your biggest deal.", "achievement"),
        ("What's the largest transaction you've been involved in?", "achievement"),
        ("Tell me about a difficult customer and how you handled it.", "difficult_customer"),
        ("What do you use for profiling?", "tools"),
        ("Which student management system do you use?", "tools"),
        ("Why did you leave Thistledown?", "leaving"),
        ("Tell me about a time you broke production.", "failure"),
        ("What are you on at the moment?", "salary"),
        ("Have you ever been self-employed?", "self_employment"),
        ("What would you want to be paid?", "salary"),
        ("Whereabouts are you based?", "location"),
        ("Why would a founder want you as their CTO?", "why_hire"),
        ("Walk me through your career", "career_history"),
        ("Where have you worked?", "career_history"),
        ("Have you ever had to win over someone who disagreed with you?", "teamwork_conflict"),
        ("Did you ever win anything at university?", "awards"),
        ("What are you strongest at technically?", "why_hire"),
        ("Which industries would you like to work in?", "goals"),
        ("How much money did your forecast save?", "achievement"),
        ("What's the most impressive thing you've done so far?", "achievement"),
        ("Give me a result you're proud of, with numbers", "achievement"),
        ("What's the biggest process improvement you've driven?", "achievement"),
        ("How many people do you manage on site?", "leadership"),
        ("Who can vouch for your work?", "references"),
        ("Are you comfortable presenting to executives?", "talks"),
        ("Have you had to handle an awkward situation with someone at work?", "teamwork_conflict"),
        ("Have you had to win round someone who didn't trust your data?", "teamwork_conflict"),
        ("Have you ever saved an account that was about to churn?", "difficult_customer"),
        ("Tell me about a time you saved a client money.", "achievement"),
        ("What salary are you looking for?", "salary"),
        ("Where do you want to be in your career?", "goals"),
        ("Why would a health-tech startup hire a nurse for a product role?", "why_hire"),
    ],
)
def test_what_recruiters_ask_is_read_as_the_intent_it_means(question: str, intent: str) -> None:
    understood = understand(question)

    assert understood.intent is not None
    assert understood.intent.name == intent


def test_a_current_role_question_routes_to_experience_and_means_the_job_that_runs_to_now() -> None:
    understood = understand("What is your current role?")

    assert understood.current
    assert understood.section_weight(SectionType.EXPERIENCE) == 1.0


@pytest.mark.parametrize(
    "question",
    ["What did you do before your current role?", "What was your previous job?", "Where did you work previously?"],
)
def test_a_question_about_the_job_before_the_current_one_is_not_about_now(question: str) -> None:
    understood = understand(question)

    assert understood.previous is True
    assert understood.current is False


def test_a_question_about_the_time_before_a_named_company_is_about_that_company_not_the_current_job() -> None:
    assert understand("Where did you work before Salesforce?").previous is False


def test_the_subject_of_a_question_is_what_it_names_not_how_it_asks() -> None:
    understood = understand("Have you worked with Kubernetes?")

    assert set(understood.subject) == {"kubernet"}
    assert understood.named == {"kubernet"}


def test_a_run_of_capitalised_words_is_one_name() -> None:
    understood = understand("Have you built apps with React Native?")

    assert understood.named_phrases == ("react native",)


def test_the_thesaurus_widens_the_search_words() -> None:
    assert "aws" in understand("Do you have cloud experience?").search_text.split()
    assert "target" in understand("What's your quota attainment been like?").search_text.split()
    assert "portfolio" in understand("How big is your book of business?").search_text.split()
    assert "cancel" in understand("Have you saved an account that was about to churn?").search_text.split()


def test_a_follow_up_that_refers_back_is_read_with_the_previous_question() -> None:
    assert "acm" in understand("What did you achieve there?", "Tell me about Acme Payments").weights
    assert "acm" not in understand("What did you achieve?", "Tell me about Acme Payments").weights


def test_a_question_about_nothing_known_has_no_intent() -> None:
    assert understand("What's your favourite colour?").intent is None


def test_the_halves_of_a_contraction_are_not_the_subject_of_a_question() -> None:
    understood = understand("What's the biggest win you've had since you're here?")

    assert not {"ve", "re"} & set(understood.subject)


@pytest.mark.parametrize(
    "question",
    ["What's the biggest win you've had in your current job?", "Tell me about a project you are leading now."],
)
def test_a_question_about_work_now_means_the_job_that_runs_to_now_whatever_its_intent(question: str) -> None:
    assert understand(question).current


def test_now_in_a_question_that_jobs_do_not_answer_does_not_mean_the_current_job() -> None:
    assert not understand("What is your current salary?").current


def test_a_compound_word_that_holds_a_result_verb_is_not_a_result() -> None:
    understood = understand("What's your proudest achievement?")

    assert understood.cue_strength("It often missed the 7am finance cut-off.") == 0
    assert understood.cue_strength("Runtime fell from 9 hours to 35 minutes.") == 1
    assert understood.cue_strength("Closed the company's largest deal to date with a logistics firm.") == 1


def test_a_clash_or_a_sceptic_won_over_reads_as_a_conflict_story() -> None:
    understood = understand("Tell me about a conflict at work.")

    assert understood.cue_strength("In 2021 the union rep and I clashed over a new shift pattern.") == 1
    assert understood.cue_strength("She was sceptical at first, and I won her over with a trial.") == 1


def test_a_mistake_is_searched_for_as_a_failure_and_a_disagreement_as_a_clash() -> None:
    assert {"fail", "lesson"} <= set(understand("Tell me about a mistake you made.").weights)
    assert "clash" in understand("Describe a disagreement with your manager.").weights


def test_moving_into_a_new_field_is_not_an_answer_about_relocating() -> None:
    understood = understand("Would you relocate to Chicago?")

    assert understood.cue_strength("I coach people moving into tech sales from retail.") == 0
    assert understood.cue_strength("I'm open to moving to Berlin or Amsterdam.") == 1
    assert understood.cue_strength("Staying in Edinburgh; remote or hybrid only.") == 1


def test_a_list_labelled_as_tools_reads_as_the_answer_to_a_tools_question_and_a_platform_in_prose_does_not() -> None:
    understood = understand("Which software do you use?")

    assert understood.cue_strength("Systems: Manhattan Active WM, SAP EWM, Kronos.") == 1
    assert understood.cue_strength("My research tools skills: Dovetail, Maze.") == 1
    assert understood.cue_strength("I lead marketing for a Series B SaaS platform for fleet teams.") == 0


@pytest.mark.parametrize(
    ("question", "sentence"),
    [
        ("Have you presented at any events?", "Talks & writing: a session at the Learning Technologies Summer Forum."),
        ("Tell me about a failure.", "My first agent demo fell over live in front of a client."),
        ("Tell me about something you tried that didn't work.", "The flipped classroom that flopped."),
        ("Tell me about a mistake you made.", "In Q3 2022 I put the wrong FX rate tab into the board pack."),
        ("Tell me about a time you broke production.", "I pushed a config change that took the payments API down."),
        ("Describe an experiment that failed.", "A 6-month mouse study had to be thrown out halfway through."),
        ("Tell me about an engagement that went badly.", "I under-scoped the data work on my first engagement."),
        (
            "Tell me about a disagreement between parties on a deal.",
            "The founders and the minority investor fell out over how the escrow should be released.",
        ),
        (
            "Ever had to deal with an unhappy client?",
            "The system sat switched off; the client was not happy.",
        ),
        ("Do you need a visa to work in the UK?", "I have indefinite leave to remain in the UK."),
        ("Do you need sponsorship?", "I'm on a Dutch highly-skilled migrant (kennismigrant) permit."),
        ("When could you start?", "Can start after Easter."),
        ("Would you need visa sponsorship?", "EU Blue Card holder."),
        ("What went wrong on a project?", "The students without internet at home fell further behind."),
        ("What would your manager say you need to work on?", "I'm still learning to delegate the detail."),
        (
            "Tell me about a difficult customer.",
            "A customer threatened to cancel over a payroll bug, so I set up daily calls until it was fixed.",
        ),
        ("Walk me through the biggest deal you've run.", "Advised Castellan Capital on its £310m acquisition."),
        ("What's your biggest sales achievement?", "The largest deal in the region that year, worth $1.4 million."),
    ],
)
def test_the_evidence_an_intent_needs_is_found_in_the_way_profiles_say_it(question: str, sentence: str) -> None:
    assert understand(question).cue_strength(sentence) == 1


def test_a_kind_of_system_is_searched_for_by_the_products_that_are_one() -> None:
    assert "salesforce" in understand("What CRM do you use?").search_text.split()


@pytest.mark.parametrize(
    ("question", "word"),
    [
        ("Have you run a redundancy programme?", "restructuring"),
        ("Which sectors do you know best?", "industries"),
        ("What industries have you sold into?", "sectors"),
        ("What did you work on as a postdoc?", "postdoctoral"),
        ("Which ATS have you used?", "greenhouse"),
        ("What have you done on diversity hiring?", "underrepresented"),
    ],
)
def test_the_thesaurus_finds_what_a_question_asks_for_under_the_words_profiles_use(question: str, word: str) -> None:
    assert word in understand(question).search_text.split()


def test_cross_border_work_is_searched_for_as_work_across_jurisdictions() -> None:
    assert "jurisdictions" in understand("Do you have any cross-border experience?").search_text.split()


def test_regulated_work_is_searched_for_by_the_standards_that_regulate_it() -> None:
    assert "iec 62304" in understand("Have you worked on regulated or safety-critical products?").phrases


def test_what_the_person_wants_reads_as_a_goal_and_what_others_want_does_not() -> None:
    understood = understand("What are you looking for in your next role?")

    assert understood.cue_strength("I'm the person product asks when they want to know what customers think.") == 0
    assert understood.cue_strength("I want to move into a staff engineer role.") == 1
    assert understood.cue_strength("Looking for: a lead researcher role.") == 1


def test_a_failure_is_the_persons_own_not_a_broken_thing_in_the_story() -> None:
    understood = understand("Tell me about a project that failed.")

    assert understood.cue_strength("Readings were loaded by a fragile Perl script that failed every few days.") == 0
    assert understood.cue_strength("My first e-prescribing pilot on the day ward in 2022 failed within weeks.") == 1
    assert understood.cue_strength("The lesson: observe the real workflow first.") == 1


def test_tell_me_about_yourself_searches_for_the_introduction_not_the_elevator_pitch() -> None:
    searched = understand("Tell me about yourself.").search_text.split()

    assert "summary" in searched
    assert "pitch" not in searched


def test_customer_success_is_a_field_not_a_question_about_successes() -> None:
    assert [intent.name for intent in understand("Which customer success tools do you use?").intents] == ["tools"]


def test_doing_something_yourself_is_no_question_about_yourself() -> None:
    described = understand("How would you describe yourself?").intent

    assert understand("Have you run payroll yourself?").intent is None
    assert described is not None
    assert described.name == "about_me"


def test_what_a_person_is_responsible_for_is_searched_for_as_what_they_are_accountable_for() -> None:
    assert "accountable" in understand("How big is the budget you're responsible for?").search_text.split()


def test_a_story_about_an_unhappy_customer_is_no_answer_about_a_disagreement_with_a_colleague() -> None:
    story = "A customer threatened to cancel over a payroll bug, so I set up daily calls until it was fixed."

    assert understand("Tell me about a disagreement with your manager.").cue_strength(story) == 0


def test_winning_someone_over_is_no_prize() -> None:
    understood = understand("Have you ever had to win over someone who disagreed with you?")

    assert "award" not in understood.weights
    assert understood.intents[0].name == "teamwork_conflict"


def test_a_deadline_not_missed_is_no_failure() -> None:
    understood = understand("Tell me about a failure.")

    assert understood.cue_strength("We have not missed the cut-off since March 2022.") == 0
    assert understood.cue_strength("We missed the cut-off twice that winter.") == 1


def test_the_word_before_what_a_qualified_intent_asks_for_qualifies_it() -> None:
    assert understand("Do you have a teaching qualification?").qualifiers == {"teach"}
    assert understand("Where did you go to school?").qualifiers == frozenset()
