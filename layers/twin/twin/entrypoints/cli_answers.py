"""`twin answers`: the owner's approved answers, which become part of the profile and answer their question."""

import argparse
import json
from typing import Any

from twin.composition import build_services
from twin.entrypoints.answer_schemas import ApprovedAnswerBody
from twin.services.answers import Published
from twin.settings import Settings

_ACTOR = "cli"
_SHOWN_CHARS = 60


def add_answer_commands(commands: "argparse._SubParsersAction[Any]") -> None:
    answers = commands.add_parser("answers", help="approved answers: what the twin says to a question, in your words")
    actions = answers.add_subparsers(required=True)
    add = actions.add_parser("add", help="approve an answer to a question (it publishes a new profile version)")
    add.add_argument("question", help="the question, as visitors ask it; questions that mean the same match too")
    add.add_argument("answer", help="the answer, in the first person")
    add.set_defaults(run=_add)
    listing = actions.add_parser("list", help="list the approved answers")
    listing.add_argument("--json", action="store_true", help="print them as JSON")
    listing.set_defaults(run=_list)
    remove = actions.add_parser("remove", help="withdraw an approved answer by its id")
    remove.add_argument("answer_id")
    remove.set_defaults(run=_remove)


def _add(arguments: argparse.Namespace, settings: Settings) -> int:
    published = build_services(settings).answers.add(arguments.question, arguments.answer, actor=_ACTOR)
    print(f"Approved {published.answer.id}; {_where(published)}")
    return 0


def _list(arguments: argparse.Namespace, settings: Settings) -> int:
    answers = build_services(settings).answers.list()
    if arguments.json:
        print(json.dumps([ApprovedAnswerBody.of(answer).model_dump() for answer in answers], indent=2))
        return 0
    for answer in answers:
        print(f"{answer.id}  {answer.created_at}  {_short(answer.question)}  →  {_short(answer.answer)}")
    return 0


def _remove(arguments: argparse.Namespace, settings: Settings) -> int:
    published = build_services(settings).answers.remove(arguments.answer_id, actor=_ACTOR)
    print(f"Removed {published.answer.id}; {_where(published)}")
    return 0


def _where(published: Published) -> str:
    if published.version is None:
        return "no profile is ingested yet: the first ingest publishes it."
    return f"the profile is at version {published.version}."


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _SHOWN_CHARS else f"{flat[: _SHOWN_CHARS - 1]}…"
