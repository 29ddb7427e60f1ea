"""The embedded `ChatModel`: answers with the profile's own sentences, so it needs no model at all.

It quotes the best passage, trimmed to the sentences that share words with the question (the first
sentence always stays, since it carries the passage's context), adds the second passage's sentence
that shares most subject words with the question when that passage ranks close (a word such as
"time" or "skills", which only names a kind of section, does not count), and names what it quoted.
"""

import re
from typing import Final

from twin.adapters.lexical import SECTION_WORDS, terms
from twin.domain.answers import Reply, snippet
from twin.domain.chunks import ScoredChunk
from twin.domain.prompt import Prompt

MODEL_NAME: Final = "extractive"
MAX_ANSWER_CHARS: Final = 700
# A second passage joins the answer only when it ranks nearly as well as the first.
_SECOND_PASSAGE_RATIO: Final = 0.85
_SENTENCE_END: Final = re.compile(r"(?<=[.!?])\s+|\n+")

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
        body = " ".join(_relevant_sentences(best, question_words))
        second = next((hit for hit in rest if hit.chunk.title != best.chunk.title), None)
        if second is not None and second.score >= best.score * _SECOND_PASSAGE_RATIO:
            extra = _most_relevant_sentence(second, question_words - SECTION_WORDS)
            if extra and extra not in body and len(body) + 1 + len(extra) <= MAX_ANSWER_CHARS:
                body = f"{body} {extra}"
                quoted.append(second)
        titles = "; ".join(f"“{hit.chunk.title}”" for hit in quoted)
        label = "Source" if len(quoted) == 1 else "Sources"
        return Reply(text=f"{body}\n\n{label}: {titles}", model=MODEL_NAME)


def _sentences(hit: ScoredChunk) -> list[str]:
    return [sentence.strip() for sentence in _SENTENCE_END.split(hit.chunk.text) if sentence.strip()]


def _overlap(sentence: str, question_words: set[str]) -> int:
    return len(question_words & set(terms(sentence)))


def _most_relevant_sentence(hit: ScoredChunk, question_words: set[str]) -> str | None:
    """The sentence sharing most words with the question; None when none shares any."""
    best = max(_sentences(hit), key=lambda sentence: _overlap(sentence, question_words), default=None)
    return best if best is not None and _overlap(best, question_words) > 0 else None


def _relevant_sentences(hit: ScoredChunk, question_words: set[str]) -> list[str]:
    """The passage whole when short; else its first sentence and the most relevant others, in order."""
    sentences = _sentences(hit)
    if len(hit.chunk.text) <= MAX_ANSWER_CHARS:
        return sentences
    overlap = [_overlap(sentence, question_words) for sentence in sentences]
    ranked = sorted(range(1, len(sentences)), key=lambda index: -overlap[index])
    sentences[0] = snippet(sentences[0], MAX_ANSWER_CHARS)
    chosen = {0}
    used = len(sentences[0])
    for index in ranked:
        if used + 1 + len(sentences[index]) > MAX_ANSWER_CHARS:
            continue
        chosen.add(index)
        used += 1 + len(sentences[index])
    return [sentences[index] for index in sorted(chosen)]
