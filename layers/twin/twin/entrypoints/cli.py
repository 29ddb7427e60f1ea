"""The `twin` command: serve the whole product locally, ingest a profile, ask, search, list sections, see what
was asked."""

import argparse
import gc
import json
import logging
import os
import socket
import sys
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

from twin.composition import Services, build_services, seed_if_empty
from twin.domain import limits
from twin.domain.profile import SectionType
from twin.entrypoints import cli_backup, cli_questions
from twin.entrypoints.cli_answers import add_answer_commands
from twin.entrypoints.schemas import AskResponse, IngestResponse, ProfileResponse, SearchResponse
from twin.errors import (
    BackupFormatError,
    BackupVersionError,
    ConcurrentIngestError,
    InvalidRequestError,
    TwinError,
)
from twin.parameters import local_jwt_secret
from twin.security.audit import AUDIT_LOGGER
from twin.security.identity import Principal, PrincipalKind, Scope
from twin.security.invites import OAUTH_SCOPES, InviteRecord, parse_duration
from twin.security.policy import Resources
from twin.settings import TIERS, Secret, Settings

SCOPES = [scope.value for scope in Scope]
OAUTH_SCOPE_NAMES = [scope.value for scope in OAUTH_SCOPES]
CLI_USER = Principal(PrincipalKind.LOCAL, "cli")
EXIT_FAILED = 2
EXIT_TRY_AGAIN = 75
"""sysexits' EX_TEMPFAIL: another ingest ran at the same time; the same command may well succeed."""
EXIT_INVALID_BACKUP = 65
"""sysexits' EX_DATAERR: `twin backup restore` was given a file that is not a backup it can read; nothing changed."""
EXIT_NEWER_BACKUP = 76
"""sysexits' EX_PROTOCOL: the backup file was made by a newer twin; nothing changed. Upgrade, then restore."""
_EXIT_CODES: dict[type[TwinError], int] = {
    ConcurrentIngestError: EXIT_TRY_AGAIN,
    BackupFormatError: EXIT_INVALID_BACKUP,
    BackupVersionError: EXIT_NEWER_BACKUP,
}


def main(argv: Sequence[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    try:
        settings = Settings.from_environment()
        return int(arguments.run(arguments, settings))
    except TwinError as error:
        print(f"twin: {error.message}", file=sys.stderr)
        return _EXIT_CODES.get(type(error), EXIT_FAILED)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader left (`twin sections | head`): stop quietly, as a process killed by SIGPIPE would, and point
        # stdout at /dev/null so the interpreter's final flush does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="twin", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="run the REST API, the MCP endpoint and the docs on this machine")
    serve.add_argument("--host", help="address to bind (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to bind (default: 8000; 0 picks a free one)")
    serve.set_defaults(run=_serve)

    ingest = commands.add_parser("ingest", help="load a profile file into the index (- reads stdin)")
    ingest.add_argument(
        "path",
        help="workshop digitaltwin.json, content_chunks JSON, JSON Resume, Markdown, a PDF or Word CV, "
        "or LinkedIn's data export (the ZIP or its unzipped folder)",
    )
    ingest.add_argument("--json", action="store_true", help="print the report as JSON")
    ingest.set_defaults(run=_ingest)

    ask = commands.add_parser("ask", help="ask the twin a question")
    ask.add_argument("question")
    ask.add_argument("--session-id", help="continue a conversation")
    ask.add_argument("--top-k", type=int, default=limits.DEFAULT_TOP_K)
    ask.add_argument("--json", action="store_true", help="print the full response as JSON")
    ask.set_defaults(run=_ask)

    search = commands.add_parser("search", help="search the profile")
    search.add_argument("query")
    search.add_argument("--top-k", type=int, default=limits.DEFAULT_TOP_K)
    search.add_argument("--section", choices=[section.value for section in SectionType])
    search.add_argument("--json", action="store_true", help="print the results as JSON")
    search.set_defaults(run=_search)

    sections = commands.add_parser("sections", help="list the profile's sections")
    sections.add_argument("--json", action="store_true", help="print the profile overview as JSON")
    sections.set_defaults(run=_sections)

    token = commands.add_parser("token", help="bearer tokens (HS256 set-ups)").add_subparsers(required=True)
    issue = token.add_parser("issue", help="issue a signed bearer token")
    issue.add_argument("--sub", required=True, help="who the token is for")
    issue.add_argument("--scope", nargs="+", default=[Scope.READ.value, Scope.ASK.value], choices=SCOPES)
    issue.add_argument("--ttl", type=int, default=3600, help="lifetime in seconds (default: 3600)")
    issue.add_argument("--tier", default="free", choices=TIERS)
    issue.set_defaults(run=_issue_token)

    keys = commands.add_parser("keys", help="API keys for third parties").add_subparsers(required=True)
    create = keys.add_parser("create", help="create an API key (it is shown once)")
    create.add_argument("--client", required=True, help="who the key is for")
    create.add_argument("--tier", default="free", choices=TIERS)
    create.add_argument("--scope", nargs="+", default=[Scope.READ.value, Scope.ASK.value], choices=SCOPES)
    create.set_defaults(run=_create_key)
    keys.add_parser("list", help="list API keys (never the keys themselves)").set_defaults(run=_list_keys)
    revoke = keys.add_parser("revoke", help="revoke an API key by its id")
    revoke.add_argument("key_id")
    revoke.set_defaults(run=_revoke_key)

    invites = commands.add_parser("invites", help="invite codes that let people in through OAuth")
    invite_commands = invites.add_subparsers(required=True)
    invite = invite_commands.add_parser("create", help="create an invite (its code is shown once)")
    invite.add_argument("--name", required=True, help="who the invite is for")
    invite.add_argument("--scope", nargs="+", default=OAUTH_SCOPE_NAMES, choices=OAUTH_SCOPE_NAMES)
    invite.add_argument("--expires", type=_duration, help="until when the code can be redeemed: 30m, 12h, 7d, 2w")
    invite.add_argument("--uses", type=int, help="how many times the code can be redeemed (default: no limit)")
    invite.add_argument("--json", action="store_true", help="print the invite and its code as JSON")
    invite.set_defaults(run=_create_invite)
    listing = invite_commands.add_parser("list", help="list invites (never their codes)")
    listing.add_argument("--json", action="store_true", help="print the invites as JSON")
    listing.set_defaults(run=_list_invites)
    withdraw = invite_commands.add_parser("revoke", help="revoke an invite and every token issued through it")
    withdraw.add_argument("invite_id")
    withdraw.set_defaults(run=_revoke_invite)
    cli_questions.add_commands(commands)
    cli_backup.add_commands(commands)
    add_answer_commands(commands)
    return parser


def _duration(text: str) -> timedelta:
    try:
        return parse_duration(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _ready_services(settings: Settings) -> Services:
    services = build_services(settings)
    report = seed_if_empty(services)
    if report is not None:
        source = settings.profile_path or "the bundled sample profile"
        print(f"twin: the index was empty; ingested {source} ({report.added} sections)", file=sys.stderr)
    return services


def _serve(arguments: argparse.Namespace, settings: Settings) -> int:
    # Only `serve` needs the web server stack; the other commands start faster without it.
    from twin.entrypoints.local_server import banner, create_local_app, listen, local_server, oauth_reachable

    overrides = {"host": arguments.host, "port": arguments.port}
    settings = settings.with_changes(**{key: value for key, value in overrides.items() if value is not None})
    settings = _with_jwt_secret(settings)
    if settings.public_chat is None:  # on by default here: the chat is what a visitor of this machine sees
        settings = settings.with_changes(public_chat=True)
    if settings.oauth is None:  # on by default here, wherever clients can reach this address as an OAuth issuer
        settings = settings.with_changes(oauth=oauth_reachable(settings))
    services = _ready_services(settings)
    try:
        listener = listen(settings.host, settings.port)
    except OSError as error:  # the port is taken, the address is not this machine's...
        raise InvalidRequestError(f"cannot listen on {settings.host}:{settings.port}: {error.strerror}") from None
    port = listener.getsockname()[1]
    host = f"[{settings.host}]" if listener.family == socket.AF_INET6 else settings.host
    resources = Resources(api_url=settings.public_url or f"http://{host}:{port}")
    token = _token(services, resources, subject="local-developer", scopes=SCOPES, ttl=12 * 3600, tier="partner")
    _log_audit_lines_to_stderr()
    print(
        banner(
            resources,
            token,
            public_chat=settings.public_chat is True,
            public_mcp=settings.serves_public_mcp(),
            oauth=settings.oauth is True,
        ),
        flush=True,
    )
    app = create_local_app(services, services.authenticator, resources)
    # What the start made (about 110,000 objects) lives as long as the server: frozen, no full collection
    # walks it again, which would stall every request in flight for tens of milliseconds.
    gc.freeze()
    local_server(app, trusted_proxies=settings.trusted_proxies).run(sockets=[listener])
    return 0


def _issue_token(arguments: argparse.Namespace, settings: Settings) -> int:
    settings = _with_jwt_secret(settings)
    resources = Resources(api_url=settings.public_url or f"http://{settings.host}:{settings.port}")
    services = build_services(settings)
    print(_token(services, resources, arguments.sub, arguments.scope, arguments.ttl, arguments.tier))
    return 0


def _token(services: Services, resources: Resources, subject: str, scopes: list[str], ttl: int, tier: str) -> str:
    issuer = services.token_issuer
    return issuer.issue(subject=subject, audiences=resources.audiences, scopes=scopes, ttl_seconds=ttl, tier=tier)


def _with_jwt_secret(settings: Settings) -> Settings:
    """Locally, with neither a secret nor a JWKS configured, the state directory keeps one."""
    if settings.jwt_secret or settings.jwt_secret_parameter or settings.jwks_url:
        return settings
    return settings.with_changes(jwt_secret=Secret(local_jwt_secret(settings.state_dir)))


def _create_key(arguments: argparse.Namespace, settings: Settings) -> int:
    key, record = build_services(settings).keys.create(
        client_id=arguments.client, tier=arguments.tier, scopes=arguments.scope, actor="cli"
    )
    print(f"Created {record.key_id} for {record.client_id} ({record.tier}; {' '.join(sorted(record.scopes))}).")
    print("The key is shown only now; store it somewhere safe:")
    print(key)
    return 0


def _list_keys(arguments: argparse.Namespace, settings: Settings) -> int:
    for record in build_services(settings).keys.list():
        status = f"revoked {record.revoked_at}" if record.revoked_at else "active"
        scopes = " ".join(sorted(record.scopes))
        print(f"{record.key_id}  {record.client_id}  {record.tier}  {scopes}  created {record.created_at}  {status}")
    return 0


def _revoke_key(arguments: argparse.Namespace, settings: Settings) -> int:
    if not build_services(settings).keys.revoke(arguments.key_id, actor="cli"):
        raise InvalidRequestError(f"no active key has the id {arguments.key_id!r}")
    print(f"Revoked {arguments.key_id}; callers using it are refused within the authorizer cache time.")
    return 0


def _create_invite(arguments: argparse.Namespace, settings: Settings) -> int:
    code, record = build_services(settings).invites.create(
        name=arguments.name, scopes=arguments.scope, expires_in=arguments.expires, max_uses=arguments.uses, actor="cli"
    )
    if arguments.json:
        print(json.dumps(_invite_json(record) | {"code": code}, indent=2))
        return 0
    print(f"Created {record.invite_id} for {record.name} ({' '.join(sorted(record.scopes))}).")
    print("Give the code to them; it is shown only now:")
    print(code)
    return 0


def _list_invites(arguments: argparse.Namespace, settings: Settings) -> int:
    records = build_services(settings).invites.list()
    if arguments.json:
        print(json.dumps([_invite_json(record) for record in records], indent=2))
        return 0
    for record in records:
        status = f"revoked {record.revoked_at}" if record.revoked_at else "active"
        uses = f"{record.uses}/{record.max_uses}" if record.max_uses is not None else str(record.uses)
        print(
            f"{record.invite_id}  {record.name}  {' '.join(sorted(record.scopes))}  created {record.created_at}"
            f"  expires {record.expires_at or 'never'}  uses {uses}  last used {record.last_used_at or 'never'}"
            f"  {status}"
        )
    return 0


def _invite_json(record: InviteRecord) -> dict[str, object]:
    return {
        "id": record.invite_id,
        "name": record.name,
        "scopes": sorted(record.scopes),
        "created_at": record.created_at,
        "expires_at": record.expires_at,
        "uses": record.uses,
        "max_uses": record.max_uses,
        "last_used_at": record.last_used_at,
        "revoked_at": record.revoked_at,
    }


def _revoke_invite(arguments: argparse.Namespace, settings: Settings) -> int:
    if not build_services(settings).invites.revoke(arguments.invite_id, actor="cli"):
        raise InvalidRequestError(f"no active invite has the id {arguments.invite_id!r}")
    print(f"Revoked {arguments.invite_id}; its refresh tokens stop now, its access tokens at their next check.")
    return 0


def _log_audit_lines_to_stderr() -> None:
    # On the root logger: a library that sets logging up when nobody has (the MCP SDK does, as its server is
    # built) then finds it done, and adds no second handler that would print every line twice.
    logging.basicConfig(stream=sys.stderr, format="%(message)s", level=logging.WARNING)
    logging.getLogger(AUDIT_LOGGER).setLevel(logging.INFO)


def _ingest(arguments: argparse.Namespace, settings: Settings) -> int:
    document = sys.stdin.buffer.read() if arguments.path == "-" else _read(Path(arguments.path))
    report = build_services(settings).ingest.ingest(document)
    if arguments.json:
        print(IngestResponse.of(report).model_dump_json(indent=2))
        return 0
    kind = report.source_format.value
    print(f"Ingested a {kind} profile; twin {report.twin_id} is at version {report.version}")
    print(f"  added     {report.added}")
    print(f"  updated   {report.updated}")
    print(f"  removed   {report.removed}")
    print(f"  unchanged {report.unchanged}")
    return 0


def _ask(arguments: argparse.Namespace, settings: Settings) -> int:
    services = _ready_services(settings)
    answer = services.ask.ask(
        arguments.question, session_id=arguments.session_id, top_k=arguments.top_k, owner=CLI_USER
    )
    if arguments.json:
        print(AskResponse.of(answer).model_dump_json(indent=2))
        return 0
    print(answer.text)
    if answer.sources:
        print()
    for number, source in enumerate(answer.sources, start=1):
        print(f"[{number}] {source.title} ({source.section.value})")
    return 0


def _search(arguments: argparse.Namespace, settings: Settings) -> int:
    services = _ready_services(settings)
    found = services.search.find(arguments.query, top_k=arguments.top_k, section=arguments.section)
    if arguments.json:
        print(SearchResponse.of(found).model_dump_json(indent=2))
        return 0
    for hit in found.hits:
        print(f"{hit.score:.3f}  {hit.chunk.id}  [{hit.chunk.type.value}] {hit.chunk.title}")
    return 0


def _sections(arguments: argparse.Namespace, settings: Settings) -> int:
    overview = _ready_services(settings).profile.overview()
    if arguments.json:
        print(ProfileResponse.of(overview).model_dump_json(indent=2))
        return 0
    card = overview.profile
    print(f"{card.name or 'Profile'} — {card.headline} (version {card.version})")
    for chunk in overview.sections:
        print(f"{chunk.id}  [{chunk.type.value}] {chunk.title}")
    return 0


def _read(path: Path) -> bytes:
    try:
        if path.is_dir():
            from twin.profiles.linkedin import pack_folder

            return pack_folder(path)
        return path.read_bytes()
    except OSError as error:
        raise InvalidRequestError(f"cannot read {path}: {error.strerror}") from None


if __name__ == "__main__":
    sys.exit(main())
