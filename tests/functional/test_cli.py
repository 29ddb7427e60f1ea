"""The `twin` command as a user runs it, against a state directory of its own."""

import json
import os
import sqlite3
import stat
import subprocess
from pathlib import Path

import pytest

from tests.conftest import MARKDOWN_PROFILE
from tests.functional.conftest import TWIN, RunningServer, running_twin, twin_environment


def twin(state_dir: Path, *arguments: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(TWIN), *arguments],
        env=twin_environment(state_dir),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture
def profile_file(tmp_path: Path) -> Path:
    path = tmp_path / "cv.md"
    path.write_text(MARKDOWN_PROFILE)
    return path


def test_ingest_prints_the_counts_and_a_second_run_changes_nothing(tmp_path: Path, profile_file: Path) -> None:
    first = twin(tmp_path, "ingest", str(profile_file))
    second = twin(tmp_path, "ingest", str(profile_file), "--json")

    assert first.returncode == 0, first.stderr
    assert "markdown profile" in first.stdout
    assert "unchanged 0" in first.stdout
    report = json.loads(second.stdout)
    assert (report["added"], report["updated"], report["removed"], report["version"]) == (0, 0, 0, 1)


def test_ask_search_and_sections_use_the_ingested_profile(tmp_path: Path, profile_file: Path) -> None:
    twin(tmp_path, "ingest", str(profile_file))

    answer = twin(tmp_path, "ask", "Which programming languages do you know?")
    search = json.loads(twin(tmp_path, "search", "kafka", "--top-k", "1", "--json").stdout)
    sections = twin(tmp_path, "sections")

    assert "Go, Python, SQL" in answer.stdout
    assert "[1] Programming languages (skills)" in answer.stdout, "the numbers in the answer name its sources"
    assert search["results"][0]["title"] == "Staff Engineer at Acme Payments"
    assert sections.stdout.startswith("Sam Rivera")


def test_ask_on_an_empty_index_ingests_the_sample_first(tmp_path: Path) -> None:
    result = twin(tmp_path, "ask", "What is your current role?", "--json")

    assert result.returncode == 0, result.stderr
    assert "ingested the bundled sample profile" in result.stderr
    assert json.loads(result.stdout)["sources"]
    assert isinstance(json.loads(result.stdout)["answered"], bool)


def test_ask_json_says_a_question_the_profile_answers_was_answered(tmp_path: Path) -> None:
    result = twin(tmp_path, "ask", "What programming languages are you most comfortable with?", "--json")

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["answered"] is True


DOCUMENTS = Path(__file__).parents[1] / "fixtures" / "profiles" / "documents"


@pytest.mark.parametrize(
    ("document", "kind", "question", "fact"),
    [
        ("two_column_cv.pdf", "pdf", "Where do you work now?", "Corrib Therapeutics"),
        ("two_page_cv.pdf", "pdf", "Which certifications do you hold?", "Certified Kubernetes Administrator"),
        ("linkedin_profile.pdf", "pdf", "What is your current role?", "Head of Supply Chain Planning"),
        ("cv.docx", "docx", "Which tools do you use for prototyping?", "Figma"),
        ("linkedin_export.zip", "linkedin_export", "Where did you study?", "The University of Hong Kong"),
        ("linkedin_export", "linkedin_export", "Which languages do you speak?", "Cantonese"),
    ],
)
def test_each_document_format_answers_questions_with_the_facts_of_its_document(
    tmp_path: Path, document: str, kind: str, question: str, fact: str
) -> None:
    ingested = twin(tmp_path, "ingest", str(DOCUMENTS / document), "--json")
    answer = twin(tmp_path, "ask", question)

    assert ingested.returncode == 0, ingested.stderr
    assert json.loads(ingested.stdout)["source_format"] == kind
    assert fact in answer.stdout


def test_sections_lists_what_was_found_in_a_pdf(tmp_path: Path) -> None:
    twin(tmp_path, "ingest", str(DOCUMENTS / "two_page_cv.pdf"))

    listed = twin(tmp_path, "sections").stdout

    assert listed.startswith("Zoë Łukasiewicz-Ortiz — Principal Site Reliability Engineer")
    assert "[experience] Principal SRE at Vistula Payments" in listed
    assert "[certification] Certifications" in listed


def test_an_encrypted_pdf_is_one_clear_line(tmp_path: Path) -> None:
    result = twin(tmp_path, "ingest", str(DOCUMENTS / "encrypted.pdf"))

    assert result.returncode == 2
    assert result.stderr.startswith("twin: PDF: expected a PDF without a password")


def test_ingest_reads_standard_input(tmp_path: Path) -> None:
    result = twin(tmp_path, "ingest", "-", stdin=MARKDOWN_PROFILE)

    assert result.returncode == 0, result.stderr


def test_errors_are_one_clear_line_and_a_nonzero_exit(tmp_path: Path) -> None:
    missing = twin(tmp_path, "ingest", str(tmp_path / "nope.json"))
    malformed = twin(tmp_path, "ingest", "-", stdin='{"experience": [1, 2,]}')
    too_long = twin(tmp_path, "ask", "x" * 2001)

    assert (missing.returncode, malformed.returncode, too_long.returncode) == (2, 2, 2)
    assert missing.stderr.startswith("twin: cannot read")
    assert "line 1, column" in malformed.stderr
    assert "at most 2000 characters" in too_long.stderr
    assert "Traceback" not in missing.stderr + malformed.stderr + too_long.stderr


def test_a_reader_that_stops_early_ends_the_command_quietly(tmp_path: Path) -> None:
    # As `twin sections | head` does: the reading end of stdout closes before the command writes.
    reader, writer = os.pipe()
    os.close(reader)
    try:
        result = subprocess.run(
            [str(TWIN), "sections"], env=twin_environment(tmp_path), stdout=writer, stderr=subprocess.PIPE, timeout=60
        )
    finally:
        os.close(writer)

    assert "Error" not in result.stderr.decode()
    assert result.returncode == 141


def test_the_state_goes_under_xdg_state_home(tmp_path: Path) -> None:
    environment = {key: value for key, value in twin_environment(tmp_path).items() if key != "TWIN_STATE_DIR"}
    result = subprocess.run(
        [str(TWIN), "sections"],
        env=environment | {"XDG_STATE_HOME": str(tmp_path), "HOME": str(tmp_path / "home")},
        capture_output=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert (tmp_path / "twin" / "index.db").is_file()
    assert not (tmp_path / "home").exists()


def test_an_ingest_while_another_process_publishes_exits_75_and_says_to_try_again(
    tmp_path: Path, profile_file: Path
) -> None:
    twin(tmp_path, "ingest", str(profile_file))
    profile_file.write_text(MARKDOWN_PROFILE.replace("Lisbon", "Porto"))
    writer = sqlite3.connect(tmp_path / "index.db", isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # the index file's write lock, as another process publishing holds it

    refused = twin(tmp_path, "ingest", str(profile_file))

    writer.execute("ROLLBACK")
    assert refused.returncode == 75
    assert refused.stderr.startswith("twin: another ingest")
    assert "try again" in refused.stderr


def test_the_state_directory_and_its_files_are_private_to_their_owner(tmp_path: Path, profile_file: Path) -> None:
    state = tmp_path / "state"
    twin(state, "ingest", str(profile_file))
    twin(state, "keys", "create", "--client", "acme")
    twin(state, "token", "issue", "--sub", "me")

    with running_twin(state) as server, server.http() as client:
        client.post("/v1/search", json={"query": "kafka"})
        client.post("/v1/ask", json={"question": "Where do you work now?"})
        modes = {path.name: stat.S_IMODE(path.stat().st_mode) for path in state.iterdir() if path.name != "server.log"}

    assert stat.S_IMODE(state.stat().st_mode) == 0o700
    assert {"index.db", "index.db-wal", "index.db-shm", "keys.db", "jwt-secret", "questions.db"} <= set(modes)
    assert modes == dict.fromkeys(modes, 0o600)


def json_after(text: str, heading: str) -> object:
    after = text.split(heading, 1)[1]
    return json.JSONDecoder().raw_decode(after[after.index("{") :])[0]


def test_serve_prints_the_urls_a_token_and_editor_set_ups_with_oauth_first(server: RunningServer) -> None:
    with_oauth, with_token = server.banner.split("Or with the static token", 1)
    entry = json_after(with_token, "VS Code")
    assert isinstance(entry, dict)

    assert json_after(with_oauth, "VS Code") == {"servers": {"digital-twin": {"type": "http", "url": server.mcp_url}}}
    assert json_after(with_oauth, "Cursor") == {"mcpServers": {"digital-twin": {"url": server.mcp_url}}}
    assert f"Add custom connector → {server.mcp_url}" in with_oauth
    assert f"{server.base_url}/.well-known/oauth-authorization-server" in server.banner
    assert f"{server.base_url}/docs" in server.banner
    assert entry["servers"]["digital-twin"]["url"] == server.mcp_url
    assert entry["servers"]["digital-twin"]["headers"] == {"Authorization": "Bearer ${input:twin-token}"}
    assert entry["inputs"][0]["password"] is True
    assert f"{server.base_url}/embed.js" in server.banner
    assert "Cursor (~/.cursor/mcp.json)" in server.banner
