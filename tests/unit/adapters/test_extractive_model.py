from twin.adapters.extractive_model import MAX_ANSWER_CHARS, MODEL_NAME, NO_ANSWER, ExtractiveModel
from twin.domain.chunks import Chunk, ScoredChunk
from twin.domain.profile import SectionType
from twin.domain.prompt import Prompt


def hit(title: str, text: str, score: float, type_: SectionType = SectionType.ACHIEVEMENT) -> ScoredChunk:
    return ScoredChunk(
        Chunk(id=title[:24].ljust(24, "0"), path=f"$.{title}", type=type_, title=title, text=text), score
    )


def answer(question: str, *passages: ScoredChunk) -> str:
    reply = ExtractiveModel().answer(Prompt("Sam", question, passages))
    assert reply.model == MODEL_NAME
    return reply.text


def test_without_passages_it_says_it_does_not_know() -> None:
    assert answer("What is your favourite colour?") == NO_ANSWER


def test_a_short_passage_is_quoted_whole_and_named() -> None:
    text = answer("Which languages?", hit("Languages", "My languages: Go and Python.", 0.6, SectionType.SKILLS))

    assert text == "My languages: Go and Python.\n\nSource: “Languages”"


def test_a_long_passage_keeps_its_context_and_the_sentences_about_the_question() -> None:
    filler = " ".join(f"Unrelated detail number {n} about meetings." for n in range(40))
    passage = f"At Acme, as Staff Engineer. {filler} We cut settlement time from 24 hours to 5 minutes."

    text = answer("How did you cut settlement time?", hit("Settlement", passage, 0.7)).split("\n\n")[0]

    assert text.startswith("At Acme, as Staff Engineer.")
    assert text.endswith("We cut settlement time from 24 hours to 5 minutes.")
    assert len(text) <= MAX_ANSWER_CHARS


def test_a_close_second_passage_adds_its_sentence_on_the_subject() -> None:
    first = hit("Kafka at Acme", "At Acme, as Staff Engineer. I moved settlement onto Kafka.", 0.60)
    second = hit("Kafka at Tidewater", "At Tidewater, as Engineer. I ran the Kafka upgrade to 3.0.", 0.55)

    text = answer("Have you used Kafka?", first, second)

    assert "I ran the Kafka upgrade to 3.0." in text
    assert "At Tidewater, as Engineer." not in text
    assert text.endswith("Sources: “Kafka at Acme”; “Kafka at Tidewater”")


def test_a_second_passage_that_ranks_far_behind_is_left_out() -> None:
    first = hit("Kafka at Acme", "I moved settlement onto Kafka.", 0.60)
    second = hit("Kafka at Tidewater", "I ran the Kafka upgrade.", 0.20)

    assert "Tidewater" not in answer("Have you used Kafka?", first, second)


def test_a_second_passage_sharing_only_a_word_that_names_a_section_is_left_out() -> None:
    first = hit("Costs", "Result: cut pipeline costs by 38%.", 0.60)
    second = hit("Latency", "Task: deliver real time tracking.", 0.58)

    assert "tracking" not in answer("Tell me about a time you cut costs", first, second)
