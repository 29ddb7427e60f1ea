"""`twin insights` and `twin questions purge`: the question log, for the twin's owner."""

import argparse
from datetime import UTC, datetime
from typing import Any

from twin.composition import build_services
from twin.domain import limits
from twin.domain.insights import Insights, QuestionCount
from twin.entrypoints.insights_schemas import InsightsResponse
from twin.settings import Settings

ACTOR = "cli"


def add_commands(commands: "argparse._SubParsersAction[Any]") -> None:
    insights = commands.add_parser(
        "insights", help="what was asked: per day and channel, the most asked, the unanswered, the sections cited"
    )
    insights.add_argument(
        "--days",
        type=int,
        default=limits.DEFAULT_INSIGHT_DAYS,
        help=f"how many days back, today's included ({limits.MIN_INSIGHT_DAYS}-{limits.MAX_INSIGHT_DAYS}; "
        f"default: {limits.DEFAULT_INSIGHT_DAYS})",
    )
    insights.add_argument("--json", action="store_true", help="print the insights as JSON")
    insights.set_defaults(run=_insights)

    questions = commands.add_parser("questions", help="the question log").add_subparsers(required=True)
    purge = questions.add_parser("purge", help="delete the logged questions: all, or those asked before a date")
    purge.add_argument("--before", type=_moment, help="a date (YYYY-MM-DD, UTC) or an ISO 8601 date and time")
    purge.set_defaults(run=_purge)


def _moment(text: str) -> float:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {text!r} (YYYY-MM-DD)") from None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


def _insights(arguments: argparse.Namespace, settings: Settings) -> int:
    insights = build_services(settings).questions.insights(arguments.days)
    if arguments.json:
        print(InsightsResponse.of(insights).model_dump_json(indent=2))
        return 0
    print("\n".join(_report(insights)))
    return 0


def _report(insights: Insights) -> list[str]:
    channels = "  ".join(f"{channel} {count}" for channel, count in insights.by_channel.items())
    lines = [
        f"{insights.total} questions in {len(insights.by_day)} days since {insights.first_day}, "
        f"{insights.answered} answered",
        f"  {channels}",
        "",
        "Per day:",
    ]
    lines += [f"  {day.day}  {day.total:4}" for day in insights.by_day if day.total]
    lines += ["", "Most asked:", *_counted(insights.top_questions)]
    lines += ["", "Unanswered:", *_counted(insights.unanswered)]
    lines += ["", "Sections cited most:"]
    lines += [f"  {use.count:4}  {use.section.title} ({use.section.type.value})" for use in insights.sections_cited]
    lines += ["", "Sections never cited:"]
    lines += [f"        {chunk.title} ({chunk.type.value})" for chunk in insights.sections_never_cited]
    return lines


def _counted(questions: tuple[QuestionCount, ...]) -> list[str]:
    return [f"  {counted.count:4}  {counted.question}" for counted in questions] or ["        none"]


def _purge(arguments: argparse.Namespace, settings: Settings) -> int:
    before = arguments.before
    deleted = build_services(settings).questions.purge(before=before, actor=ACTOR)
    when = "" if before is None else f" asked before {datetime.fromtimestamp(before, UTC).isoformat()}"
    print(f"Deleted {deleted} logged questions{when}.")
    return 0
