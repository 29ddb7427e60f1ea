"""`twin backup create` and `twin backup restore`: what the profile document does not rebuild, in one file."""

import argparse
import sys
from pathlib import Path
from typing import Any

from twin.composition import build_services
from twin.errors import InvalidRequestError
from twin.settings import Settings
from twin.state_files import write_private_file

ACTOR = "cli"


def add_commands(commands: "argparse._SubParsersAction[Any]") -> None:
    backup = commands.add_parser("backup", help="back up what the profile document does not rebuild, and restore it")
    backup_commands = backup.add_subparsers(required=True)
    create = backup_commands.add_parser(
        "create", help="write API keys and invites (hashes only), OAuth clients and grants and the profile document"
    )
    create.add_argument("file", help="the backup file to write, private to you (- writes standard output)")
    create.set_defaults(run=_create)
    restore = backup_commands.add_parser("restore", help="restore a backup onto this twin (twice is the same as once)")
    restore.add_argument("file", help="the backup file (- reads standard input)")
    restore.set_defaults(run=_restore)


def _create(arguments: argparse.Namespace, settings: Settings) -> int:
    backup = build_services(settings).backup.create(actor=ACTOR)
    if arguments.file == "-":
        sys.stdout.buffer.write(backup.content)
    else:
        try:
            write_private_file(Path(arguments.file), backup.content)
        except OSError as error:
            raise InvalidRequestError(f"cannot write {arguments.file}: {error.strerror}") from None
    counts = ", ".join(f"{name} {count}" for name, count in backup.records.items())
    print(f"twin: backed up {counts}", file=sys.stderr)
    return 0


def _restore(arguments: argparse.Namespace, settings: Settings) -> int:
    report = build_services(settings).backup.restore(_content(arguments.file), actor=ACTOR)
    print(f"Restored the backup of twin {report.twin_id} ({report.environment}) made {report.created_at}:")
    for part in report.parts:
        note = f"; {part.note}" if part.note else ""
        print(f"  {part.part:<10} {part.written} written, {part.kept} already there{note}")
    return 0


def _content(file: str) -> bytes:
    if file == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(file).read_bytes()
    except OSError as error:
        raise InvalidRequestError(f"cannot read {file}: {error.strerror}") from None
