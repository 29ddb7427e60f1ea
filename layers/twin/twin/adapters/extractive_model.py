"""The embedded `ChatModel`: answers with the profile's own sentences, so it needs no model at all.

It quotes the best passage, trimmed to the sentences that share words with the question (the first
sentence always stays, since it carries the passage's context), adds the best sentence of a second
passage when that one ranks close, and names the passages it quoted.
"""

import re
from typing import Final

from twin.adapters.lexical import terms
from twin.domain.answers import Reply, snippet
from twin.domain.chunks import ScoredChunk
from twin.domain.prompt import Prompt

MODEL_NAME: Final = "extractive"
MAX_ANSWER_CHARS: Final = 700
# A second passage joins the answer only when it ranks nearly as well as the first.
_SECOND_PASSAGE_RATIO: Final = 0.85
_SENTENCE_END: Final = re.compile(r"(?<=[.!?;])\s+|\n+")

NO_ANSWER: Final = (
    "I don't know that from my profile. You can ask me about my experience, skills, projects, "
    "education or career goals."
)


class ExtractiveModel:
    def answer(self, prompt: Prompt) -> Reply:
        if not prompt.passages:
            return Reply(text=NO_ANSWER, model=MODEL_NAME)
        question_words = set(terms(prompt.question))
        best, *rest = prompt.passages
        quoted = [best]
        body = " ".join(_relevant_sentences(best, question_words, MAX_ANSWER_CHARS))
        second = next((hit for hit in rest if hit.chunk.title != best.chunk.title), None)
        if second is not None and second.score >= best.score * _SECOND_PASSAGE_RATIO:
            extra = _relevant_sentences(second, question_words, MAX_ANSWER_CHARS - len(body))[:1]
            if extra:
                body = f"{body} {extra[0]}"
                quoted.append(second)
        titles = "; ".join(f"“{hit.chunk.title}”" for hit in quoted)
        label = "Source" if len(quoted) == 1 else "Sources"
        return Reply(text=f"{body}\n\n{label}: {titles}", model=MODEL_NAME)


def _relevant_sentences(hit: ScoredChunk, question_words: set[str], budget: int) -> list[str]:
    sentences = [sentence.strip() for sentence in _SENTENCE_END.split(hit.chunk.text) if sentence.strip()]
    if not sentences or budget <= 0:
        return []
    if len(hit.chunk.text) <= budget:
        return sentences
    overlap = [len(question_words & set(terms(sentence))) for sentence in sentences]
    ranked = sorted(range(1, len(sentences)), key=lambda index: -overlap[index])
    sentences[0] = snippet(sentences[0], budget)
    chosen = {0}
    used = len(sentences[0])
    for index in ranked:
        if used + 1 + len(sentences[index]) > budget:
            continue
        chosen.add(index)
        used += 1 + len(sentences[index])
    return [sentences[index] for index in sorted(chosen)]
