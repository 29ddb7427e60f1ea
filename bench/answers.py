"""Answer-quality benchmark: labelled recruiter questions over profiles in all four formats.

Two splits, each a folder under bench/eval/: `tune` (the bundled sample and the profiles the answerer is
tuned on) and `heldout` (profiles nobody looks at while tuning). Each folder holds the profile files
and `questions*.json`: `{"profile", "question", "answerable", "facts": [regex…], "category"}`.

Per split it prints:
- answer facts: the share of each answerable question's fact regexes its answer matches (an answer that
  abstains matches none), averaged over questions;
- abstention precision and recall: of the answers that said "I don't know", the share that should have;
  of the questions the profile cannot answer, the share that got "I don't know";
- retrieval recall@1 and @5: the share of facts found in the top 1 / top 5 passages, on their full text
  and on their snippets (what search results and answer sources show);
- the median length of the answers to answerable questions, in words (facts found say nothing of padding);
- ask latency on a cache miss (warm process), p50 and p99.

    scripts/dev bench [--split tune|heldout] [--by-category] [--show-misses] [--repeat N]
"""

import argparse
import json
import re
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from twin.composition import Services, build_services
from twin.domain.answers import Source
from twin.domain.questions import understand
from twin.profiles import sample_profile
from twin.settings import MEMORY, Settings

EVAL = Path(__file__).with_name("eval")
SPLITS = ("tune", "heldout")
SAMPLE = "sample"


@dataclass(frozen=True)
class LabelledQuestion:
    profile: str
    question: str
    answerable: bool
    facts: tuple[re.Pattern[str], ...]
    category: str

    def share_stated(self, text: str) -> float:
        return sum(bool(fact.search(text)) for fact in self.facts) / len(self.facts) if self.facts else 0.0


@dataclass(frozen=True)
class SplitReport:
    split: str
    questions: int
    profiles: int
    answer_facts: float
    abstention_precision: float
    abstention_recall: float
    recall_at_1: float
    recall_at_5: float
    snippet_recall_at_1: float
    snippet_recall_at_5: float
    median_answer_words: float
    ask_p50_ms: float
    ask_p99_ms: float
    misses: tuple[str, ...]
    by_category: dict[str, tuple[int, float]]
    """Per category: how many answerable questions, and their mean answer facts."""


def labelled_questions(split: str) -> list[LabelledQuestion]:
    found = []
    for path in sorted((EVAL / split).glob("questions*.json")) + sorted((EVAL / split).glob(f"{SAMPLE}.json")):
        for item in json.loads(path.read_text()):
            found.append(
                LabelledQuestion(
                    profile=item["profile"],
                    question=item["question"],
                    answerable=item["answerable"],
                    facts=tuple(re.compile(fact, re.IGNORECASE) for fact in item["facts"]),
                    category=item.get("category", "other"),
                )
            )
    return found


def profile_document(split: str, profile: str) -> bytes:
    return sample_profile() if profile == SAMPLE else (EVAL / split / profile).read_bytes()


def profile_services(document: bytes) -> Services:
    """One profile in an in-memory index; answers are never cached, so `ask` always does the work."""
    services = build_services(Settings(index_path=MEMORY, cache_ttl_seconds=0))
    services.ingest.ingest(document)
    return services


def sample_services() -> Services:
    return profile_services(sample_profile())


def evaluate(split: str, *, repeat: int = 5) -> SplitReport:
    questions = labelled_questions(split)
    by_profile: dict[str, list[LabelledQuestion]] = {}
    for question in questions:
        by_profile.setdefault(question.profile, []).append(question)
    facts, full1, full5, snip1, snip5, latencies, lengths = [], [], [], [], [], [], []
    abstained_rightly = abstained = unanswerable = 0
    misses = []
    category_facts: dict[str, list[float]] = {}
    for profile, asked in by_profile.items():
        services = profile_services(profile_document(split, profile))
        for question in asked:
            answer = services.ask.ask(question.question)
            latencies += [_timed_ms(partial(services.ask.ask, question.question)) for _ in range(repeat)]
            unanswerable += not question.answerable
            abstained += not answer.answered
            abstained_rightly += not answer.answered and not question.answerable
            if not question.answerable:
                if answer.answered:
                    misses.append(f"[should abstain] {profile}: {question.question}\n    → {answer.text[:300]}")
                continue
            lengths.append(len(answer.text.split()))
            stated = question.share_stated(answer.text) if answer.answered else 0.0
            facts.append(stated)
            category_facts.setdefault(question.category, []).append(stated)
            if stated < 1:
                misses.append(f"[{stated:.2f}] {profile}: {question.question}\n    → {answer.text[:400]}")
            understood = understand(question.question)
            hits = [Source.of(hit, understood) for hit in services.search.search(question.question, top_k=5)]
            full1.append(question.share_stated(" ".join(_text(services, source) for source in hits[:1])))
            full5.append(question.share_stated(" ".join(_text(services, source) for source in hits)))
            snip1.append(question.share_stated(" ".join(source.snippet for source in hits[:1])))
            snip5.append(question.share_stated(" ".join(source.snippet for source in hits)))
    cuts = statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 else [0.0] * 99
    return SplitReport(
        split=split,
        questions=len(questions),
        profiles=len(by_profile),
        answer_facts=statistics.fmean(facts),
        abstention_precision=abstained_rightly / abstained if abstained else 1.0,
        abstention_recall=abstained_rightly / unanswerable if unanswerable else 1.0,
        recall_at_1=statistics.fmean(full1),
        recall_at_5=statistics.fmean(full5),
        snippet_recall_at_1=statistics.fmean(snip1),
        snippet_recall_at_5=statistics.fmean(snip5),
        median_answer_words=statistics.median(lengths),
        ask_p50_ms=cuts[49],
        ask_p99_ms=cuts[98],
        misses=tuple(misses),
        by_category={name: (len(got), statistics.fmean(got)) for name, got in sorted(category_facts.items())},
    )


def _text(services: Services, source: Source) -> str:
    chunk = services.profile.section(source.id)
    return f"{chunk.title}\n{chunk.text}"


def _timed_ms(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def sample_latency_ms(repeat: int) -> tuple[float, float]:
    """Cache-miss ask p50 and p99 on the bundled sample profile, over the tuning split's sample questions."""
    services = sample_services()
    texts = [q.question for q in labelled_questions("tune") if q.profile == SAMPLE]
    samples = [_timed_ms(partial(services.ask.ask, text)) for _ in range(repeat) for text in texts]
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return cuts[49], cuts[98]


def report_lines(report: SplitReport) -> Iterator[str]:
    yield f"{report.split}: {report.questions} questions over {report.profiles} profiles"
    yield f"  answer facts            {report.answer_facts:.3f}"
    yield f"  abstention precision    {report.abstention_precision:.3f}"
    yield f"  abstention recall       {report.abstention_recall:.3f}"
    yield f"  recall@1 / @5           {report.recall_at_1:.3f} / {report.recall_at_5:.3f}  (full passage text)"
    yield f"  snippet recall@1 / @5   {report.snippet_recall_at_1:.3f} / {report.snippet_recall_at_5:.3f}"
    yield f"  answer length           {report.median_answer_words:.0f} words (median, answerable questions)"
    yield f"  ask, cache miss         p50 {report.ask_p50_ms:.2f} ms · p99 {report.ask_p99_ms:.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=SPLITS, action="append", help="only this split (default: both)")
    parser.add_argument("--show-misses", action="store_true", help="print every answer that missed a fact")
    parser.add_argument("--by-category", action="store_true", help="answer facts per question category")
    parser.add_argument("--repeat", type=int, default=5, help="timed asks per question (0: no timing)")
    arguments = parser.parse_args()
    for split in arguments.split or SPLITS:
        report = evaluate(split, repeat=arguments.repeat)
        print("\n".join(report_lines(report)))
        if arguments.by_category:
            for name, (count, share) in report.by_category.items():
                print(f"    {name:<24} {count:>3}  {share:.2f}")
        if arguments.show_misses:
            print("\n".join(report.misses))
    if arguments.repeat:
        p50, p99 = sample_latency_ms(arguments.repeat * 4)
        print(f"sample profile ask, cache miss: p50 {p50:.2f} ms · p99 {p99:.2f} ms")


if __name__ == "__main__":
    main()
