from dataclasses import replace

from twin.adapters.extractive_model import LIST_WORD_BUDGET, MODEL_NAME, WORD_BUDGET, ExtractiveModel
from twin.domain.answers import Reply
from twin.domain.chunks import ONGOING, Chunk, ScoredChunk
from twin.domain.profile import SectionType
from twin.domain.prompt import ABSTENTION, Prompt


def hit(title: str, text: str, score: float, type_: SectionType = SectionType.ACHIEVEMENT) -> ScoredChunk:
    return ScoredChunk(
        Chunk(id=title[:24].ljust(24, "0"), path=f"$.{title}", type=type_, title=title, text=text), score
    )


def reply(question: str, *passages: ScoredChunk) -> Reply:
    answer = ExtractiveModel().answer(Prompt("Sam", question, passages))
    assert answer.model == MODEL_NAME
    return answer


def test_without_passages_it_says_it_does_not_know() -> None:
    answer = reply("What is your favourite colour?")

    assert answer.text == ABSTENTION
    assert answer.answered is False


def test_the_sentence_that_answers_is_quoted_and_marked_with_its_source_number() -> None:
    passage = hit("Languages", "My programming languages: Go and Python.", 0.6, SectionType.SKILLS)

    answer = reply("Which programming languages do you use?", passage)

    assert answer.answered is True
    assert answer.text == "My programming languages: Go and Python. [1]"


def test_a_long_passage_gives_its_context_and_the_sentence_about_the_question_within_the_budget() -> None:
    filler = " ".join(f"Unrelated detail number {n} about meetings." for n in range(40))
    passage = f"At Acme, as Staff Engineer. {filler} We cut settlement time from 24 hours to 5 minutes."

    text = reply("How did you cut settlement time?", hit("Settlement", passage, 0.7)).text

    assert text.startswith("At Acme, as Staff Engineer.")
    assert "We cut settlement time from 24 hours to 5 minutes." in text
    assert len(text.split()) <= WORD_BUDGET * 1.3


def test_a_list_question_takes_a_fact_from_each_passage() -> None:
    first = hit(
        "Cloud certification", "I hold the AWS Certified Developer certificate (2023).", 0.6, SectionType.CERTIFICATION
    )
    second = hit(
        "Security certification",
        "I earned the CompTIA Security+ certification in 2021.",
        0.5,
        SectionType.CERTIFICATION,
    )

    text = reply("What certifications do you have?", first, second).text

    assert "AWS Certified Developer" in text
    assert "CompTIA Security+" in text
    assert text.index("[1]") < text.index("[2]")


def test_interview_questions_listed_in_the_profile_are_never_the_answer() -> None:
    questions = hit(
        "Interview questions",
        "How would you design a payment ledger? How do you test a streaming pipeline?",
        0.7,
        SectionType.INTERVIEW,
    )
    ledger = hit("Ledger", "I designed the double-entry payment ledger at Acme.", 0.5, SectionType.PROJECT)

    text = reply("How would you design a payment ledger?", questions, ledger).text

    assert "?" not in text
    assert "I designed the double-entry payment ledger at Acme." in text


def test_a_verb_first_bullet_reads_in_the_first_person() -> None:
    job = hit(
        "Engineer at Acme", "- Built the billing API in Go\n- Cut p99 latency by 40%", 0.6, SectionType.EXPERIENCE
    )

    text = reply("What did you build in Go?", job).text

    assert "I built the billing API in Go." in text


def test_a_question_about_something_the_profile_never_mentions_is_not_answered() -> None:
    kafka = hit("Kafka at Acme", "At Acme, as Staff Engineer. I moved settlement onto Kafka.", 0.6)

    answer = reply("Have you worked with Kubernetes?", kafka)

    assert answer.answered is False
    assert answer.text == ABSTENTION


def test_a_question_about_goals_is_not_answered_from_a_past_job() -> None:
    job = hit("Engineer at Acme", "I worked as Engineer at Acme (2019 - 2022). I led the payments team.", 0.6)

    assert reply("What role are you looking for next?", job).answered is False


def test_a_long_term_fellowship_is_no_long_term_goal() -> None:
    award = hit("EMBO Fellowship", "I received the EMBO Long-Term Fellowship in 2018.", 0.6, SectionType.AWARD)
    goal = hit("Next", "My long-term goal is to lead a discovery team.", 0.6, SectionType.OTHER)

    assert reply("Where do you see yourself in five years?", award).answered is False
    assert reply("Where do you see yourself in five years?", goal).answered is True


def test_sentences_that_repeat_each_other_are_quoted_once() -> None:
    about = hit("About me", "I am a data engineer with 9 years of experience.", 0.6, SectionType.SUMMARY)
    pitch = hit("Pitch", "I am a data engineer with 9 years of experience in retail.", 0.55, SectionType.SUMMARY)

    text = reply("How many years of experience do you have?", about, pitch).text

    assert text.count("9 years") == 1


def test_a_list_answer_opens_with_the_best_sentence_of_a_long_passage_ranked_first() -> None:
    vision = hit(
        "Fruta Feia vision",
        "Project: Fruta Feia vision. An image classifier that spots bruised fruit on the warehouse intake line, "
        "trained in PyTorch on 20,000 photos and served with FastAPI on an edge box next to the conveyor. It "
        "reached 91% accuracy and cut manual quality checks at intake by half, and the operations team now "
        "relies on it every morning.",
        0.7,
        SectionType.PROJECT,
    )
    package = hit("tsfeatures-pt", "A small open-source forecasting package built on pandas.", 0.5, SectionType.PROJECT)

    text = reply("Which ML frameworks have you used?", vision, package).text

    assert "PyTorch" in text
    assert "pandas" in text


def test_a_list_answer_stays_within_its_budget() -> None:
    passages = [
        hit(f"Skill {n}", f"My skill number {n} is {'very ' * 20}useful tooling.", 0.6 - n / 100, SectionType.SKILLS)
        for n in range(5)
    ]

    text = reply("What are your skills?", *passages).text

    assert len(text.split()) <= LIST_WORD_BUDGET * 1.3


def test_asked_for_questions_of_its_own_it_quotes_the_ones_the_person_would_ask() -> None:
    to_ask = hit(
        "Questions to ask", "How is on-call load measured? Who owns data contracts?", 0.6, SectionType.INTERVIEW
    )

    text = reply("Do you have any questions for us?", to_ask).text

    assert "How is on-call load measured? Who owns data contracts?" in text


def test_a_place_written_after_a_cv_header_separator_answers_where_the_person_is_based() -> None:
    header = hit("Profile", "I am Hana Sato, Learning Designer · Leeds, West Yorkshire.", 0.4, SectionType.SUMMARY)

    answer = reply("Where are you located?", header)

    assert answer.answered is True
    assert "Leeds, West Yorkshire" in answer.text


def test_a_passage_that_shares_nothing_with_the_question_is_not_quoted_beside_the_one_that_answers() -> None:
    skills = hit("Key skills", "My key skills: Storyline 360 | Rise 360 | Camtasia | Moodle.", 0.45, SectionType.SKILLS)
    awards = hit("Awards", 'Learning Awards 2023 - Silver, "Best use of simulations".', 0.21, SectionType.AWARD)

    text = reply("What tools do you use day to day?", skills, awards).text

    assert "Camtasia" in text
    assert "Silver" not in text


def test_where_the_person_is_based_is_not_answered_with_their_base_salary() -> None:
    preferences = hit(
        "Compensation and location",
        "My salary expectation is AUD 185,000 base plus superannuation. I am based in Melbourne, Victoria.",
        0.5,
        SectionType.COMPENSATION,
    )

    text = reply("Where are you based?", preferences).text

    assert "Melbourne" in text
    assert "salary" not in text


def test_a_profile_on_one_cloud_does_not_answer_for_another() -> None:
    cloud = hit("Cloud", "My cloud: AWS (S3, Glue, Lambda, MSK).", 0.6, SectionType.SKILLS)

    assert reply("Do you have experience with Azure?", cloud).answered is False
    assert reply("Do you have experience with AWS?", cloud).answered is True


def test_why_hire_opens_with_the_summary_and_leaves_room_for_a_measured_result() -> None:
    summary = hit(
        "About me",
        "I'm an operations manager with 14 years in warehousing and logistics. I started on the night shift and "
        "worked my way up through team leader, shift manager and operations manager. Today I run a large "
        "fulfilment site for a third-party logistics provider. People first, numbers always: I care about safety, "
        "staff turnover and cost per unit, in that order. I like walking the floor on every shift, talking to the "
        "pickers and packers about what slows them down, and fixing it the same week. I have worked with unions, "
        "agencies and client account teams, and I chair the daily operations call.",
        0.6,
        SectionType.SUMMARY,
    )
    turnover = hit("Staff turnover", "Annual staff turnover fell from 58% to 31% within two years.", 0.3)

    text = reply("Why should we hire you?", summary, turnover).text

    assert text.startswith("I'm an operations manager with 14 years")
    assert "fell from 58% to 31%" in text
    assert len(text.split()) <= WORD_BUDGET * 1.3


def test_why_hire_quotes_a_measured_result_from_a_passage_ranked_well_below_the_summary() -> None:
    summary = hit(
        "Professional summary", "Engagement manager with 7 years in strategy consulting.", 0.8, SectionType.SUMMARY
    )
    history = hit(
        "Career history",
        "Led a branch-network review for a retail bank: 87 branches consolidated, £48m a year saved.",
        0.3,
        SectionType.EXPERIENCE,
    )

    assert "£48m a year saved" in reply("What makes you stand out from other consultants?", summary, history).text


def test_a_sentence_that_refers_back_is_quoted_with_the_sentence_it_refers_to() -> None:
    passage = hit(
        "Senior Researcher at Tramonta",
        "Only researcher for 4 squads. The growth lead wanted to ship a loyalty programme without research. "
        "I disagreed, but proposed a one-week concept test alongside the build. Mentor 2 junior researchers.",
        0.6,
        SectionType.EXPERIENCE,
    )

    text = reply("Tell me about a time you disagreed with a colleague.", passage).text

    assert "The growth lead wanted to ship a loyalty programme without research. I disagreed" in text


def test_a_job_passage_that_never_names_the_job_is_quoted_under_its_title() -> None:
    job = hit(
        "Site Operations Manager, Halvard Logistics",
        "Since May 2020. I run a 420,000 sq ft fulfilment site with about 380 permanent staff.",
        0.6,
        SectionType.EXPERIENCE,
    )

    text = reply("What do you do at Halvard?", job).text

    assert text.startswith("Site Operations Manager, Halvard Logistics.")
    assert "380 permanent staff" in text


def test_a_part_of_a_long_job_is_quoted_under_the_jobs_title_never_its_part_mark() -> None:
    first = hit(
        "SRE at Tessellate (1/2)",
        "I work as SRE at Tessellate (06/2019 – Present). I led the migration of 140 services to EKS.",
        0.6,
        SectionType.EXPERIENCE,
    )
    second = hit(
        "SRE at Tessellate (2/2)", "I cut mean time to recovery from 47 to 18 minutes.", 0.6, SectionType.EXPERIENCE
    )

    assert reply("What did you do at Tessellate?", first).text.startswith("I work as SRE at Tessellate")
    assert reply("How did you cut mean time to recovery?", second).text.startswith("SRE at Tessellate. I cut")


def test_a_name_that_is_an_everyday_word_is_mentioned_only_as_the_question_spells_it() -> None:
    weakness = hit("Weakness", "I go down rabbit holes during investigations.", 0.6, SectionType.INTERVIEW)
    languages = hit("Languages", "My programming languages: Go and Python.", 0.6, SectionType.SKILLS)

    assert reply("Have you used Go?", weakness).answered is False
    assert reply("Have you used Go?", languages).answered is True


def test_a_school_subject_is_a_named_thing_so_teaching_another_does_not_answer_for_it() -> None:
    teaching = hit("Teacher at Te Awa High", "I taught mathematics to Years 9 to 13.", 0.6, SectionType.EXPERIENCE)

    assert reply("Have you taught physics or chemistry?", teaching).answered is False
    assert reply("Have you taught maths?", teaching).answered is True


def test_help_centre_articles_are_no_published_papers() -> None:
    articles = hit("Onboarding Specialist", "I wrote the help-centre articles for the setup wizard.", 0.6)
    journal = hit(
        "Publications",
        "Gear-lash compensation on high-mix lines, Journal of Manufacturing Systems, 2021.",
        0.6,
        SectionType.PUBLICATION,
    )

    assert reply("Have you published any papers?", articles).answered is False
    assert reply("Have you published any papers?", journal).answered is True


def test_a_language_named_by_one_letter_is_mentioned_only_as_that_capital_letter() -> None:
    script = hit("Dissertation", "I wrote an R script to flag outliers in river sensor data.", 0.6, SectionType.PROJECT)
    lab = hit("Lab work", "Ran R&D trials on soil samples.", 0.6, SectionType.PROJECT)

    assert "R script" in reply("Have you used R for anything real?", script).text
    assert reply("Have you used R for anything real?", lab).answered is False


def test_a_question_about_a_protected_characteristic_is_not_answered_whatever_the_passages_say() -> None:
    deal = hit("How I work", "The deal signed on its original date.", 0.6, SectionType.OTHER)

    assert reply("What's your date of birth?", deal).answered is False
    assert reply("How old are you?", deal).answered is False
    assert reply("Are you married?", deal).answered is False


def test_security_clearance_is_a_named_thing_that_security_work_does_not_answer_for() -> None:
    analyst = hit("Summary", "I'm a detection and response analyst with 8 years in security.", 0.6, SectionType.SUMMARY)
    cleared = hit("Clearance", "I hold active UK Security Check (SC) clearance.", 0.6, SectionType.OTHER)

    assert reply("Do you have security clearance?", analyst).answered is False
    assert "SC" in reply("Do you have security clearance?", cleared).text


def test_a_compound_in_the_thesaurus_is_found_as_written_not_by_one_of_its_words() -> None:
    picked_up = hit("Barista", "I picked up the rota and the stock orders within a month.", 0.6, SectionType.EXPERIENCE)
    start_up = hit("Researcher at Pagaro", "First researcher in a 60-person start-up.", 0.6, SectionType.EXPERIENCE)

    assert reply("Have you worked at a startup?", picked_up).answered is False
    assert reply("Have you worked at a startup?", start_up).answered is True


def test_a_place_someone_wont_move_to_is_no_award_won() -> None:
    stance = hit("Location", "I won't relocate to London, but I'll travel to sites.", 0.6, SectionType.COMPENSATION)

    assert reply("Have you won any awards?", stance).answered is False


def test_running_a_department_or_loving_the_work_is_no_hobby() -> None:
    job = hit(
        "Head of Mathematics",
        "I run the maths department and I love the moment a class gets it.",
        0.6,
        SectionType.EXPERIENCE,
    )
    pastimes = hit("Outside school", "Outside school I paddle waka ama with a club.", 0.6, SectionType.OTHER)

    assert reply("What are your hobbies?", job).answered is False
    assert reply("What are your hobbies?", pastimes).answered is True


def test_self_employment_is_answered_only_by_working_for_oneself_not_by_a_contract_or_any_job() -> None:
    contract = hit("Learning Designer (contract)", "I worked as Learning Designer (contract) at Brightwell.", 0.6)
    first_erg = hit("HR Partner", "I set up the company's first employee resource group programme.", 0.6)
    sparky = hit("Electrician", "I was self-employed as a sole trader electrician from 2014 to 2019.", 0.6)

    assert reply("Have you ever been self-employed?", contract).answered is False
    assert reply("Have you ever been self-employed?", first_erg).answered is False
    assert "sole trader" in reply("Have you ever been self-employed?", sparky).text


def test_a_sector_is_a_named_thing_that_work_in_another_does_not_answer_for() -> None:
    competencies = hit("Core competencies", "Concept and detailed design | Passivhaus design.", 0.6, SectionType.SKILLS)
    score = hit("CSM at Brightpath", "I built a health-score dashboard in Gainsight.", 0.6, SectionType.EXPERIENCE)
    ward = hit("Nurse Manager at St Finbarr's", "I ran a 28-bed ward at St Finbarr's General Hospital.", 0.6)

    assert reply("Have you designed a hospital?", competencies).answered is False
    assert reply("Have you worked in healthcare?", score).answered is False
    assert reply("Have you worked in healthcare?", ward).answered is True


def test_the_word_that_qualifies_a_qualification_must_be_found_for_it_to_be_answered() -> None:
    cookery = hit(
        "Education", "Cert III in Commercial Cookery, William Angliss Institute, 2014.", 0.6, SectionType.EDUCATION
    )
    first_aid = hit("Certifications", "I hold current Standard First Aid.", 0.6, SectionType.CERTIFICATION)
    safety = hit("Certifications", "NEBOSH General Certificate, 2019.", 0.6, SectionType.CERTIFICATION)

    assert reply("Do you have a culinary degree from a university?", cookery).answered is False
    assert reply("What qualifications do you have?", cookery).answered is True
    assert reply("Do you have a first aid certificate?", safety).answered is False
    assert "First Aid" in reply("Do you have a first aid certificate?", first_aid).text


def test_a_drivers_licence_is_a_named_thing_so_other_certificates_do_not_answer_for_it() -> None:
    certificates = hit("Certifications", "Project Management Professional (PMP), 2018.", 0.6, SectionType.CERTIFICATION)

    assert reply("Do you have a valid driver's licence?", certificates).answered is False
    assert reply("What certifications do you hold?", certificates).answered is True


def test_a_sum_in_millions_is_a_budget_or_revenue_not_a_salary() -> None:
    job = hit("Customer Success Manager", "Portfolio of 85 accounts, about £2.4m ARR.", 0.6, SectionType.EXPERIENCE)
    asking = hit("Preferences", "I am looking for £55,000 a year.", 0.6, SectionType.OTHER)

    assert reply("What's your current salary?", job).answered is False
    assert reply("What's your current salary?", asking).answered is True


def test_a_sum_saved_or_raised_is_no_salary() -> None:
    job = hit("FP&A Analyst", "The markdown pilot saved £600k in its first season.", 0.6, SectionType.EXPERIENCE)

    assert reply("What's your expected salary?", job).answered is False


def test_a_rota_published_in_advance_is_no_publication() -> None:
    rota = hit("Staff turnover", "I introduced a fixed rota published four weeks ahead.", 0.6, SectionType.ACHIEVEMENT)
    paper = hit("Research", "I published two papers in the Journal of Climate.", 0.6, SectionType.ACHIEVEMENT)

    assert reply("Have you published any papers?", rota).answered is False
    assert reply("Have you published any papers?", paper).answered is True


def test_what_came_before_a_named_job_is_quoted_from_the_job_ranked_first_though_it_never_names_that_one() -> None:
    before = hit("SOC Analyst at Tallis", "I triaged alerts for 40 clients at an MSSP.", 0.5, SectionType.EXPERIENCE)
    award = hit("Awards", "At Harbourmark I was named Security Champion of the Year.", 0.4, SectionType.AWARD)

    text = reply("What did you do before Harbourmark?", before, award).text

    assert "I triaged alerts for 40 clients" in text
    assert "Security Champion" not in text


def test_the_job_before_a_named_one_answers_though_the_named_job_ranks_too_low_to_be_quoted() -> None:
    before = hit("Engineer at Brannock", "I ran the gearbox line's changeovers.", 0.66, SectionType.EXPERIENCE)
    named = hit("Senior Engineer at Kestrel", "I lead e-axle assembly at Kestrel.", 0.23, SectionType.EXPERIENCE)

    answer = reply("What did you work on before Kestrel?", before, named)

    assert answer.answered is True
    assert "gearbox line" in answer.text


def test_what_came_before_a_company_the_profile_never_names_is_not_known() -> None:
    job = hit("Engineer at Brannock", "I ran the gearbox line's changeovers.", 0.66, SectionType.EXPERIENCE)

    assert reply("What did you do before Google?", job).answered is False


def test_music_lessons_are_no_lesson_learned_from_a_failure() -> None:
    charity = hit("Pro bono", "Trustee of a charity that runs free music lessons for 300 children.", 0.6)
    story = hit("Failures and lessons", "Only 2% of customers activated Perks and we sunset it.", 0.6)

    assert reply("Tell me about a deal that went wrong.", charity).answered is False
    assert reply("Tell me about a product that flopped.", story).answered is True


def test_selling_to_b2b_companies_says_nothing_of_the_contracts_they_would_take() -> None:
    goals = hit("Goals", "A Group Product Manager role in B2B SaaS.", 0.6, SectionType.GOALS)
    terms = hit("Terms", "I am open to a B2B contract or a permanent role.", 0.6, SectionType.GOALS)

    assert reply("Are you open to contract roles?", goals).answered is False
    assert reply("Are you open to contract roles?", terms).answered is True


def test_paper_travelers_on_a_shop_floor_say_nothing_of_relocating() -> None:
    job = hit("Engineer at Brannock", "I moved the test stands from paper travelers to barcodes.", 0.6)
    stance = hit("Location", "I'd be happy to relocate within the Midwest.", 0.6, SectionType.COMPENSATION)

    assert reply("Would you relocate to Michigan?", job).answered is False
    assert reply("Would you relocate?", stance).answered is True


def test_the_previous_job_is_answered_from_a_job_that_ended_and_never_from_the_current_one() -> None:
    ended = hit("Engineer at Bluegum", "I built the forecasting pipeline.", 0.6, SectionType.EXPERIENCE)
    current = hit("Lead at Northwind", "I lead the platform squad.", 0.6, SectionType.EXPERIENCE)
    ended = ScoredChunk(replace(ended.chunk, start="2018-02", end="2021-02"), ended.score)
    current = ScoredChunk(replace(current.chunk, start="2021-03", end=ONGOING), current.score)

    assert "forecasting pipeline" in reply("What was your previous job?", ended, current).text
    assert reply("What was your previous job?", current).answered is False


def test_why_a_past_job_ended_is_answered_only_where_the_profile_says_why() -> None:
    silent = hit("Engineer at Thistledown", "I built the combat system for two console titles.", 0.6)
    acquired = hit("Engineer at Thistledown", "I left Thistledown when it was acquired by a bigger studio.", 0.6)

    assert reply("Why did you leave Thistledown?", silent).answered is False
    assert "acquired" in reply("Why did you leave Thistledown?", acquired).text


def test_the_first_job_is_answered_from_the_job_ranked_first_though_it_never_says_it_was_the_first() -> None:
    first = hit("Audit Trainee at Kgosi & Partners", "I audited mining clients.", 0.6, SectionType.EXPERIENCE)
    skills = hit("Skills", "Forecasting, Excel, Python.", 0.6, SectionType.SKILLS)

    assert "audited mining clients" in reply("Where did you start your career?", first, skills).text
    assert reply("Where did you start your career?", skills, first).answered is False


def test_a_how_question_about_a_story_is_answered_with_what_was_done_after_the_problem_it_matched() -> None:
    story = hit(
        "Lead Firmware Engineer at Veldhoven",
        "Infusion pump firmware, team of 5.\n"
        "- Ported the legacy super-loop to Zephyr; defect backlog down 38%.\n"
        "- Disagreed with the QA lead on static-analysis gates; releases were blocked for 3 weeks. "
        'Proposed a baseline and a "no new violations" rule, and we agreed it together.',
        0.6,
        SectionType.EXPERIENCE,
    )

    text = reply("How did you handle the disagreement about static analysis?", story).text

    assert "no new violations" in text


def test_a_job_passage_whose_opening_clause_its_cut_title_was_taken_from_is_not_quoted_under_that_title() -> None:
    opening = "A year of supply teaching across Bristol primary and secondary schools before I found my feet."
    cut = hit("A year of supply teaching across Bristol…", f"{opening} I taught maths.", 0.6, SectionType.EXPERIENCE)

    assert not reply("Tell me about your supply teaching", cut).text.startswith(
        "A year of supply teaching across Bristol…"
    )


def test_a_conflict_story_is_quoted_with_what_was_done_after_the_clash() -> None:
    job = hit(
        "Senior QA Engineer at Calloway",
        "Kept the e2e suite under 12 minutes.\n"
        "- Argued with the payments team lead for weeks about blocking merges on failing tests. "
        "Ran a 4-week trial on one squad with a quarantine lane for flaky tests; escaped defects halved.",
        0.6,
        SectionType.EXPERIENCE,
    )

    assert "quarantine lane" in reply("Have you ever had to push back on a developer?", job).text


def test_a_walk_through_the_career_lists_the_jobs_from_the_latest_whatever_their_rank() -> None:
    def job(title: str, start: str, end: str, score: float) -> ScoredChunk:
        passage = hit(title, f"I worked as {title} ({start} – {end}).", score, SectionType.EXPERIENCE)
        return ScoredChunk(replace(passage.chunk, start=start, end=end), score)

    first = job("SDR at Corvane", "2014-06", "2015-12", 0.7)
    latest = job("Sales Manager at Ledgerline", "2021-02", ONGOING, 0.5)
    middle = job("Account Executive at Corvane", "2016-01", "2019-03", 0.6)

    text = reply("Walk me through your career", first, latest, middle).text

    assert text.index("Sales Manager") < text.index("Account Executive") < text.index("SDR")
