"""Retrieval benchmark over the bundled sample profile and the labelled questions beside this file.

recall@k: the share of a question's facts found in the text of its top-k passages, averaged over
questions; "facts stated in the answer": the same share in the embedded answerer's answer.
Latency: wall-clock time of `SearchService.search` and of an uncached `AskService.ask`.

    scripts/dev bench [--repeat N]
"""

import argparse
import json
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from twin.composition import Services, build_services
from twin.domain.chunks import ScoredChunk
from twin.profiles import sample_profile
from twin.settings import MEMORY, Settings

QUESTIONS = Path(__file__).with_name("questions.json")
KS = (1, 3, 5)


@dataclass(frozen=True)
class LabelledQuestion:
    question: str
    facts: tuple[str, ...]


def labelled_questions() -> list[LabelledQuestion]:
    return [LabelledQuestion(item["question"], tuple(item["facts"])) for item in json.loads(QUESTIONS.read_text())]


def sample_services() -> Services:
    """The sample profile in an in-memory index; answers are never cached, so `ask` always does the work."""
    settings = Settings(index_path=MEMORY, cache_ttl_seconds=0)
    services = build_services(settings)
    services.ingest.ingest(sample_profile())
    return services


def fact_recall(question: LabelledQuestion, hits: list[ScoredChunk]) -> float:
    text = " ".join(hit.chunk.text for hit in hits).lower()
    return sum(fact.lower() in text for fact in question.facts) / len(question.facts)


def recall_at(services: Services, questions: list[LabelledQuestion], k: int) -> float:
    return statistics.fmean(fact_recall(q, services.search.search(q.question, top_k=k)) for q in questions)


def answer_fact_rate(services: Services, questions: list[LabelledQuestion]) -> float:
    """The share of each question's facts that its answer states, averaged over questions."""
    rates = []
    for question in questions:
        answer = services.ask.ask(question.question).text.lower()
        rates.append(sum(fact.lower() in answer for fact in question.facts) / len(question.facts))
    return statistics.fmean(rates)


def percentiles(samples_ms: list[float]) -> str:
    cuts = statistics.quantiles(samples_ms, n=100, method="inclusive")
    return f"p50 {cuts[49]:.3f} ms · p90 {cuts[89]:.3f} ms · p99 {cuts[98]:.3f} ms"


def timed_ms(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20, help="timed runs per question")
    arguments = parser.parse_args()

    services = sample_services()
    questions = labelled_questions()
    print(f"{len(questions)} labelled questions, sample profile")
    for k in KS:
        print(f"recall@{k}: {recall_at(services, questions, k):.3f}")
    print(f"facts stated in the answer: {answer_fact_rate(services, questions):.3f}")
    misses = [q.question for q in questions if fact_recall(q, services.search.search(q.question, top_k=5)) < 1]
    for question in misses:
        print(f"  not fully found in top 5: {question}")

    texts = [q.question for q in questions] * arguments.repeat
    search_ms = [timed_ms(partial(services.search.search, text, top_k=5)) for text in texts]
    ask_ms = [timed_ms(partial(services.ask.ask, text)) for text in texts]
    print(f"search latency over {len(search_ms)} runs: {percentiles(search_ms)}")
    print(f"ask latency (uncached) over {len(ask_ms)} runs: {percentiles(ask_ms)}")


if __name__ == "__main__":
    main()
