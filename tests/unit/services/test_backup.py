"""The backup service in-process, on the embedded stores: what a restore writes when the state already has a record,
and what it refuses before writing anything."""

import json

import pytest

from tests.conftest import MARKDOWN_PROFILE
from twin.composition import Services, build_services
from twin.errors import BackupFormatError, BackupVersionError
from twin.settings import Settings


def backup_of(services: Services) -> dict[str, object]:
    document: dict[str, object] = json.loads(services.backup.create(actor="test").content)
    return document


def restore(services: Services, document: dict[str, object]) -> dict[str, tuple[int, int]]:
    report = services.backup.restore(json.dumps(document).encode(), actor="test")
    return {part.part: (part.written, part.kept) for part in report.parts}


def fresh(settings: Settings, name: str) -> Services:
    return build_services(settings.with_changes(state_dir=settings.state_dir / name))


def test_a_profile_restores_as_the_version_it_was_backed_up_at(services: Services, settings: Settings) -> None:
    services.ingest.ingest(MARKDOWN_PROFILE.replace("a little Rust", "Haskell"))
    services.ingest.ingest(MARKDOWN_PROFILE.replace("a little Rust", "OCaml"))
    target = fresh(settings, "restored")

    restore(target, backup_of(services))

    profile = target.profile.find()
    assert profile is not None
    assert profile.version == 3
    assert target.search.search("ocaml", top_k=1)[0].chunk.title == "Programming languages"


def test_a_restored_invite_never_gets_back_uses_spent_since_the_backup(services: Services) -> None:
    code, record = services.invites.create(name="Ada", scopes=["twin:read"], max_uses=3, actor="test")
    document = backup_of(services)
    services.invites.redeem(code, frozenset({"twin:read"}), client="editor")
    services.invites.redeem(code, frozenset({"twin:read"}), client="editor")
    used = services.credentials.invite_store.get(record.invite_id)

    written = restore(services, document)

    assert written["invites"] == (0, 1)
    assert services.credentials.invite_store.get(record.invite_id) == used
    assert used is not None
    assert used.uses == 2


def test_an_oauth_record_the_state_has_is_kept_and_one_expired_since_the_backup_is_not_written(
    services: Services,
) -> None:
    services.credentials.oauth_store.put("grant:rotated", '{"secret_hash": "new"}', 3600)
    document = backup_of(services)
    parts = document["parts"]
    assert isinstance(parts, dict)
    expired = {"key": "grant:expired", "record": {"secret_hash": "x"}, "expires_at": "2020-01-01T00:00:00+00:00"}
    parts["oauth"] = [{**parts["oauth"][0], "record": {"secret_hash": "old"}}, expired]

    written = restore(services, document)

    assert written["oauth"] == (0, 2)
    assert services.credentials.oauth_store.get("grant:rotated") == '{"secret_hash": "new"}'
    assert services.credentials.oauth_store.get("grant:expired") is None


def test_pending_consents_and_codes_are_not_backed_up(services: Services) -> None:
    for key in ("consent:request", "code:digest", "document:digest", "client:registered"):
        services.credentials.oauth_store.put(key, "{}", 600)

    parts = backup_of(services)["parts"]

    assert isinstance(parts, dict)
    assert [record["key"] for record in parts["oauth"]] == ["client:registered"]
    stored = services.credentials.oauth_store.export_records()
    assert [record.key for record in stored] == [
        "client:registered",
        "code:digest",
        "consent:request",
        "document:digest",
    ]


def test_a_file_without_a_part_restores_the_others_and_leaves_that_store_alone(
    services: Services, settings: Settings
) -> None:
    services.keys.create(client_id="acme", tier="free", scopes=["twin:read"], actor="test")
    document = backup_of(services)
    parts = document["parts"]
    assert isinstance(parts, dict)
    del parts["profile"]
    target = fresh(settings, "restored")

    written = restore(target, document)

    assert set(written) == {"api_keys", "invites", "oauth", "questions", "approved_answers"}
    assert [record.client_id for record in target.keys.list()] == ["acme"]
    assert target.profile.find() is None


def test_a_twin_never_ingested_is_backed_up_without_a_profile_and_restored_so(
    empty_services: Services, settings: Settings
) -> None:
    document = backup_of(empty_services)
    target = fresh(settings, "restored")

    report = target.backup.restore(json.dumps(document).encode(), actor="test")

    assert document["parts"] == {
        "api_keys": [],
        "invites": [],
        "oauth": [],
        "questions": [],
        "approved_answers": [],
        "profile": None,
    }
    assert report.parts[-1].note == "the backup holds no profile document"
    assert target.profile.find() is None


@pytest.mark.parametrize(
    ("change", "location"),
    [
        ({"version": 0}, "$.version"),
        ({"version": "1"}, "$.version"),
        ({"version": True}, "$.version"),
        ({"format": "something-else"}, "$.format"),
        ({"created_at": ""}, "$.created_at"),
        ({"created_at": "yesterday"}, "$.created_at"),
        ({"twin_id": "default\x1b[2J"}, "$.twin_id"),
        ({"parts": []}, "$.parts"),
        ({"parts": {"api_keys": {}}}, "$.parts.api_keys"),
        ({"parts": {"api_keys": ["key"]}}, "$.parts.api_keys[0]"),
        ({"parts": {"invites": [{"invite_id": "inv_1", "code_hash": "a" * 64}]}}, "$.parts.invites[0].invite_id"),
        (
            {"parts": {"oauth": [{"key": "consent:x", "record": {}, "expires_at": "2030-01-01T00:00:00Z"}]}},
            "$.parts.oauth[0].key",
        ),
        (
            {"parts": {"profile": {"version": 1, "sha256": "a" * 64, "content_base64": "not base64!"}}},
            "$.parts.profile.content_base64",
        ),
    ],
)
def test_a_file_that_does_not_read_is_refused_naming_where(
    services: Services, change: dict[str, object], location: str
) -> None:
    document = backup_of(services) | change

    with pytest.raises(BackupFormatError) as refused:
        restore(services, document)

    assert refused.value.location == location


def test_a_part_this_twin_does_not_know_is_refused_as_from_a_newer_twin(services: Services) -> None:
    document = backup_of(services)
    parts = document["parts"]
    assert isinstance(parts, dict)

    with pytest.raises(BackupVersionError, match="part 'favourites'"):
        restore(services, document | {"parts": parts | {"favourites": []}})
    with pytest.raises(BackupVersionError, match="a part\\)"):
        restore(services, document | {"parts": parts | {"Not A Name": []}})
