"""`twin backup create` and `twin backup restore` as an operator runs them, on the embedded state (SQLite in the state
directory) and on Upstash (the loopback Vector fake, Upstash's REST API over a real redis-server).

One twin per backend is populated through its public surfaces (the CLI, and `twin serve` for an OAuth sign-in) and
backed up once; each test restores that file into a twin of its own.
"""

import json
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from tests.conftest import MARKDOWN_PROFILE
from tests.fakes.fixtures import CREDENTIALS_DATABASE
from tests.fakes.redis_shim import RedisServer, RedisShim
from tests.fakes.upstash_vector import FakeUpstashVector
from tests.functional.conftest import (
    CREDENTIAL_KEYS,
    TWIN,
    credentials_settings,
    running_twin,
    twin_environment,
    upstash_settings,
)
from tests.functional.test_oauth_refusals import Flow
from twin.composition import Services, build_services
from twin.settings import Settings

BACKENDS = ["embedded", "upstash"]
EXIT_INVALID_BACKUP = 65
EXIT_NEWER_BACKUP = 76
DURABLE_OAUTH = ("client:", "grant:")


@dataclass(frozen=True)
class Place:
    """Where one twin's state lives: its state directory and, on Upstash, the fakes its settings name."""

    state_dir: Path
    settings: dict[str, str] = field(default_factory=dict)

    def cli(self, *arguments: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [str(TWIN), *arguments],
            env=twin_environment(self.state_dir, **self.settings),
            input=stdin,
            capture_output=True,
            timeout=120,
            check=False,
        )

    def services(self) -> Services:
        environment = {"TWIN_STATE_DIR": str(self.state_dir)} | self.settings
        return build_services(Settings.from_environment(environment, env_file=None))


def records(place: Place) -> dict[str, object]:
    """Every record a backup covers, read through the twin's stores; OAuth expiry times to the second."""
    services = place.services()
    document = services.storage.profile_documents.get_document(services.settings.twin_id)
    profile = services.storage.profiles.get(services.settings.twin_id)
    oauth = [
        record for record in services.credentials.oauth_store.export_records() if record.key.startswith(DURABLE_OAUTH)
    ]
    return {
        "api_keys": services.credentials.key_store.export_records(),
        "invites": services.credentials.invite_store.export_records(),
        "oauth": [(record.key, json.loads(record.record), int(record.expires_at)) for record in oauth],
        "approved_answers": services.storage.approved_answers.export_records(),
        "questions": sorted(
            (round(entry.asked_at * 1000), entry.channel, entry.question, entry.answered, entry.sections)
            for entry in services.storage.question_log.export_records()
        ),
        "document": document,
        "version": profile and profile.version,
        "sections": profile and sorted(chunk.id for chunk in services.profile.overview().sections),
    }


def same_records(restored: dict[str, object], original: dict[str, object]) -> bool:
    """Equal, but for an OAuth expiry a second off (Redis keeps lifetimes to the millisecond, backups to the second)."""
    oauth, expected = restored["oauth"], original["oauth"]
    assert isinstance(oauth, list)
    assert isinstance(expected, list)
    near = len(oauth) == len(expected) and all(
        (key, record) == (other_key, other_record) and abs(expires - other_expires) <= 1
        for (key, record, expires), (other_key, other_record, other_expires) in zip(oauth, expected, strict=True)
    )
    return near and {**restored, "oauth": None} == {**original, "oauth": None}


@dataclass(frozen=True)
class Backup:
    backend: str
    file: Path
    records: dict[str, object]
    """Of the twin backed up, read just before."""
    secrets: dict[str, str]
    jwt_secret: str
    """The old twin's HS256 secret: not in a backup (no secret is); an operator keeps it apart."""
    creation: subprocess.CompletedProcess[bytes]

    @property
    def content(self) -> bytes:
        return self.file.read_bytes()


def populate(place: Place) -> dict[str, str]:
    """A twin with a profile, two API keys (one revoked), two invites, an OAuth client signed in with one of them and
    two questions in its log (one answered) and an approved answer; the secrets each was given."""
    (place.state_dir / "cv.md").write_text(MARKDOWN_PROFILE)
    assert place.cli("ingest", str(place.state_dir / "cv.md")).returncode == 0
    secrets = {}
    for name in ("kept_key", "revoked_key"):
        created = place.cli("keys", "create", "--client", name).stdout.decode()
        secrets[name], secrets[f"{name}_id"] = created.split()[-1], created.split()[1]
    assert place.cli("keys", "revoke", secrets["revoked_key_id"]).returncode == 0
    approved = place.cli("answers", "add", "What is your notice period?", "Four weeks.")
    assert approved.returncode == 0, approved.stderr
    for name, uses in (("used_invite", "3"), ("spare_invite", "1")):
        secrets[name] = json.loads(place.cli("invites", "create", "--name", name, "--uses", uses, "--json").stdout)[
            "code"
        ]
    limits = {f"TWIN_RATE_LIMIT_{tier}": "100000" for tier in ("FREE", "PRO", "PARTNER", "PUBLIC")}
    with running_twin(place.state_dir, **place.settings, **limits) as server:
        for question in ("Where did you study?", "Have you worked with Kubernetes?"):
            assert server.http().post("/v1/ask", json={"question": question}).status_code == 200
        flow = Flow.registered(server)
        tokens = flow.exchange(flow.code(secrets["used_invite"])).json()
        assert flow.client_secret is not None
        secrets |= {
            "client_id": flow.client_id,
            "client_secret": flow.client_secret,
            "access_token": tokens["access_token"],
            "refresh_token": tokens["refresh_token"],
            "development_token": server.token,
        }
    return secrets


@pytest.fixture(scope="module", params=BACKENDS)
def backup(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, redis_server: RedisServer
) -> Backup:
    """A populated twin of the backend, backed up with `twin backup create`, then wiped."""
    state_dir = tmp_path_factory.mktemp(f"backed-up-{request.param}")
    file = tmp_path_factory.mktemp("backups") / "twin-backup.json"
    vector = FakeUpstashVector()
    redis_server.client.flushall()
    try:
        with RedisShim(redis_server.port) as redis:
            place = Place(state_dir, upstash_settings(vector, redis) if request.param == "upstash" else {})
            secrets = populate(place)
            original = records(place)
            creation = place.cli("backup", "create", str(file))
            assert creation.returncode == 0, creation.stderr
    finally:
        vector.stop()
        redis_server.client.flushall()
    jwt_secret = (state_dir / "jwt-secret").read_text()
    shutil.rmtree(state_dir)
    return Backup(request.param, file, original, secrets, jwt_secret, creation)


@pytest.fixture
def fresh(backup: Backup, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Place]:
    """An empty twin of the backup's backend."""
    if backup.backend == "embedded":
        yield Place(tmp_path / "state")
        return
    shim: RedisShim = request.getfixturevalue("redis_shim")
    vector: FakeUpstashVector = request.getfixturevalue("fake_vector")
    yield Place(tmp_path / "state", upstash_settings(vector, shim))


def restored(place: Place, backup: Backup) -> Place:
    result = place.cli("backup", "restore", str(backup.file))
    assert result.returncode == 0, result.stderr
    return place


def test_a_backup_restored_into_a_fresh_twin_holds_every_record_of_the_twin_backed_up(
    backup: Backup, fresh: Place
) -> None:
    before = records(fresh)

    result = fresh.cli("backup", "restore", str(backup.file))

    assert result.returncode == 0, result.stderr
    assert before["api_keys"] == before["invites"] == before["oauth"] == before["questions"] == []
    assert before["approved_answers"] == []
    assert before["document"] is None
    after = records(fresh)
    questions = after["questions"]
    assert isinstance(questions, list)
    assert [answered for _, _, _, answered, _ in questions] == [True, False]
    assert same_records(after, backup.records), (after, backup.records)
    oauth = after["oauth"]
    assert isinstance(oauth, list)
    assert [key.split(":")[0] for key, _, _ in oauth] == ["client", "grant"]
    assert b"profile    1 written" in result.stdout
    assert f"version {backup.records['version']}".encode() in result.stdout


def test_the_restored_twin_lets_in_the_old_ones_credentials_but_the_revoked_key(backup: Backup, fresh: Place) -> None:
    restored(fresh, backup)
    fresh.state_dir.mkdir(exist_ok=True)
    (fresh.state_dir / "jwt-secret").write_text(backup.jwt_secret)  # kept apart from the backup, as an operator does
    secrets = backup.secrets

    with running_twin(fresh.state_dir, **fresh.settings) as server:
        with server.http(secrets["kept_key"]) as client:
            search = client.post("/v1/search", json={"query": "kafka", "top_k": 1})
        with server.http(secrets["revoked_key"]) as client:
            refused = client.get("/v1/profile")
        refreshed = httpx.post(
            f"{server.base_url}/token",
            data={
                "grant_type": "refresh_token",
                "refresh_token": secrets["refresh_token"],
                "client_id": secrets["client_id"],
                "client_secret": secrets["client_secret"],
                "resource": server.mcp_url,
            },
            timeout=20,
        )
        for question in ("Where did you study?", "Have you worked with Kubernetes?"):
            assert server.http().post("/v1/ask", json={"question": question}).status_code == 200
        flow = Flow.registered(server)
        spare = flow.exchange(flow.code(secrets["spare_invite"]))

    assert search.status_code == 200, search.text
    assert search.json()["results"][0]["title"] == "Staff Engineer at Acme Payments", "the index was rebuilt"
    assert refused.status_code == 401
    assert refreshed.status_code == 200, refreshed.text
    assert refreshed.json()["refresh_token"] != secrets["refresh_token"]
    assert spare.status_code == 200, spare.text


def test_restoring_the_same_backup_twice_is_restoring_it_once(backup: Backup, fresh: Place) -> None:
    restored(fresh, backup)

    again = fresh.cli("backup", "restore", str(backup.file))

    assert again.returncode == 0, again.stderr
    assert same_records(records(fresh), backup.records)
    lines = again.stdout.decode().splitlines()[1:]
    assert len(lines) == 6
    assert all(" 0 written" in line for line in lines), lines


def test_a_restore_onto_a_twin_in_use_keeps_what_happened_since_and_never_revives_a_revoked_key(
    backup: Backup, fresh: Place
) -> None:
    restored(fresh, backup)
    kept_key_id = backup.secrets["kept_key_id"]
    assert fresh.cli("keys", "revoke", kept_key_id).returncode == 0
    assert fresh.cli("keys", "create", "--client", "newcomer").returncode == 0
    since = records(fresh)

    again = fresh.cli("backup", "restore", str(backup.file))

    assert again.returncode == 0, again.stderr
    keys = {record.client_id: record for record in fresh.services().credentials.key_store.export_records()}
    assert set(keys) == {"kept_key", "revoked_key", "newcomer"}
    assert keys["kept_key"].revoked_at is not None, "a revocation made after the backup stays"
    assert same_records(records(fresh), since)


def test_a_backup_from_a_newer_twin_is_refused_and_changes_nothing(backup: Backup, fresh: Place) -> None:
    restored(fresh, backup)
    before = records(fresh)
    newer = json.loads(backup.content) | {"version": 2}
    newer["parts"]["api_keys"] = []

    refused = fresh.cli("backup", "restore", "-", stdin=json.dumps(newer).encode())
    unknown_part = fresh.cli(
        "backup", "restore", "-", stdin=json.dumps({**newer, "version": 1, "parts": {"x": []}}).encode()
    )

    assert refused.returncode == unknown_part.returncode == EXIT_NEWER_BACKUP
    assert b"made by a newer twin (format version 2)" in refused.stderr
    assert b"made by a newer twin (part 'x')" in unknown_part.stderr
    assert same_records(records(fresh), before)


def malformed(content: bytes, variant: str) -> bytes:
    document = json.loads(content)
    match variant:
        case "truncated":
            return content[: len(content) // 2]
        case "not_a_backup":
            return json.dumps({"parts": document["parts"]}).encode()
        case "plain_key_for_a_hash":
            document["parts"]["api_keys"][0]["key_hash"] = "twk_" + "a" * 43
        case "damaged_document":  # the last part: every part before it reads, and none may be written
            document["parts"]["profile"]["content_base64"] = document["parts"]["profile"]["content_base64"][4:]
        case "profile_that_does_not_ingest":
            document["parts"]["profile"]["content_base64"] = "e30="  # {}, with its true digest
            document["parts"]["profile"]["sha256"] = "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
        case "duplicate_invite":
            document["parts"]["invites"].append(document["parts"]["invites"][0])
    return json.dumps(document).encode()


@pytest.mark.parametrize(
    "variant",
    [
        "truncated",
        "not_a_backup",
        "plain_key_for_a_hash",
        "damaged_document",
        "profile_that_does_not_ingest",
        "duplicate_invite",
    ],
)
def test_a_malformed_backup_is_refused_whole_before_anything_is_written(
    backup: Backup, fresh: Place, variant: str
) -> None:
    refused = fresh.cli("backup", "restore", "-", stdin=malformed(backup.content, variant))

    assert refused.returncode == EXIT_INVALID_BACKUP, refused.stderr
    assert refused.stderr.startswith(b"twin: $")
    assert refused.stderr.rstrip().endswith(b"nothing was restored")
    assert len(refused.stderr.splitlines()) == 1, "one line, no traceback"
    after = records(fresh)
    assert after["api_keys"] == after["invites"] == after["oauth"] == []
    assert after["document"] is None


def test_a_backup_holds_no_key_invite_code_token_or_client_secret(backup: Backup) -> None:
    content = backup.content
    said = backup.creation.stdout + backup.creation.stderr

    secrets = {name: secret for name, secret in backup.secrets.items() if not name.endswith("_id")}
    grant_id, _, refresh_secret = secrets["refresh_token"].partition(".")
    unprefixed = {name: secret[4:] for name, secret in secrets.items() if secret.startswith(("twk_", "twi_"))}
    searched = secrets | unprefixed | {"jwt_secret": backup.jwt_secret.strip(), "refresh_secret": refresh_secret}
    for name, secret in searched.items():
        assert secret.encode() not in content + said, f"the {name} is in the backup"
    assert f"grant:{grant_id}".encode() in content, "the grant is, by its id"
    assert backup.file.stat().st_mode & 0o077 == 0, "the file is private to its owner"
    assert b"api_keys 2, invites 2, oauth 2, questions 2, approved_answers 1, profile 1" in backup.creation.stderr


@pytest.mark.parametrize("backup", ["upstash"], indirect=True)
def test_a_backup_of_one_redis_database_restored_with_a_credentials_database_puts_the_credentials_there_alone(
    backup: Backup,
    redis_server: RedisServer,
    redis_shim: RedisShim,
    credentials_shim: RedisShim,
    fake_vector: FakeUpstashVector,
    tmp_path: Path,
) -> None:
    """How a twin moves its credential records into a database of their own; a backup of it holds them all again."""
    settings = upstash_settings(fake_vector, redis_shim) | credentials_settings(credentials_shim)
    split = Place(tmp_path / "state", settings)
    again = tmp_path / "again.json"

    restored(split, backup)
    created = split.cli("backup", "create", str(again))

    assert same_records(records(split), backup.records)
    main, credentials = redis_server.key_names(), redis_server.key_names(CREDENTIALS_DATABASE)
    assert not any(name.startswith(CREDENTIAL_KEYS) for name in main), main
    assert credentials
    assert all(name.startswith(CREDENTIAL_KEYS) for name in credentials), credentials
    assert created.returncode == 0, created.stderr
    parts, original = json.loads(again.read_text())["parts"], json.loads(backup.content)["parts"]
    assert {name: parts[name] for name in ("api_keys", "invites")} == {
        name: original[name] for name in ("api_keys", "invites")
    }
    assert [record["key"] for record in parts["oauth"]] == [record["key"] for record in original["oauth"]]
