"""The `twin` command: serve the whole product locally, ingest a profile, ask, search, list sections."""

import argparse
import socket
import sys
from collections.abc import Sequence
from pathlib import Path

from twin.composition import Services, build_services, seed_if_empty
from twin.domain import limits
from twin.domain.profile import SectionType
from twin.entrypoints.schemas import AskResponse, IngestResponse, ProfileResponse, SearchResponse
from twin.errors import InvalidRequestError, TwinError
from twin.settings import Settings


def main(argv: Sequence[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    try:
        settings = Settings()
        return int(arguments.run(arguments, settings))
    except TwinError as error:
        print(f"twin: {error.message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="twin", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    serve = commands.add_parser(
        "serve", help="run the REST API, the MCP endpoint and the docs on this machine"
    )
    serve.add_argument("--host", help="address to bind (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to bind (default: 8000; 0 picks a free one)")
    serve.set_defaults(run=_serve)

    ingest = commands.add_parser("ingest", help="load a profile file into the index (- reads stdin)")
    ingest.add_argument(
        "path", help="workshop digitaltwin.json, content_chunks JSON, JSON Resume or Markdown"
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
    return parser


def _ready_services(settings: Settings) -> Services:
    services = build_services(settings)
    report = seed_if_empty(services)
    if report is not None:
        source = settings.profile_path or "the bundled sample profile"
        print(f"twin: the index was empty; ingested {source} ({report.added} sections)", file=sys.stderr)
    return services


def _serve(arguments: argparse.Namespace, settings: Settings) -> int:
    # Only `serve` needs the web server stack; the other commands start faster without it.
    import uvicorn

    from twin.entrypoints.local_server import banner, create_local_app

    overrides = {"host": arguments.host, "port": arguments.port}
    settings = settings.model_copy(
        update={key: value for key, value in overrides.items() if value is not None}
    )
    services = _ready_services(settings)
    family = socket.AF_INET6 if ":" in settings.host else socket.AF_INET
    listener = socket.create_server((settings.host, settings.port), family=family)
    port = listener.getsockname()[1]
    host = f"[{settings.host}]" if family == socket.AF_INET6 else settings.host
    print(banner(f"http://{host}:{port}"), flush=True)
    app = create_local_app(services)
    uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[listener])
    return 0


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
    answer = services.ask.ask(arguments.question, session_id=arguments.session_id, top_k=arguments.top_k)
    if arguments.json:
        print(AskResponse.of(answer).model_dump_json(indent=2))
        return 0
    print(answer.text)
    return 0


def _search(arguments: argparse.Namespace, settings: Settings) -> int:
    services = _ready_services(settings)
    hits = services.search.search(arguments.query, top_k=arguments.top_k, section=arguments.section)
    if arguments.json:
        print(SearchResponse.of(hits).model_dump_json(indent=2))
        return 0
    for hit in hits:
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
        return path.read_bytes()
    except OSError as error:
        raise InvalidRequestError(f"cannot read {path}: {error.strerror}") from None


if __name__ == "__main__":
    sys.exit(main())
