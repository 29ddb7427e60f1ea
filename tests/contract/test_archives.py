"""What `twin backup` needs of each durable store, embedded (SQLite) and on Upstash Redis (the real SDK, the REST
shim, a real redis-server): every record exported, and records imported as given, replacing those of the same id."""

import time
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from tests.fakes.redis_shim import RedisShim
from twin.adapters.sqlite_index import SqliteIndex
from twin.adapters.sqlite_key_store import SqliteKeyStore
from twin.adapters.sqlite_oauth_stores import SqliteInviteStore, SqliteOAuthDatabase, SqliteOAuthStore
from twin.adapters.upstash_redis_credentials import RedisInviteStore, RedisKeyStore, RedisOAuthStore
from twin.adapters.upstash_redis_stores import RedisProfileDocuments, key_prefix, redis_client
from twin.domain.profile import ProfileDocument
from twin.ports import ExpiringRecord, InviteStore, KeyStore, OAuthStore, ProfileDocuments
from twin.security.api_keys import ApiKeyRecord
from twin.security.identity import Scope
from twin.security.invites import InviteRecord


@dataclass(frozen=True)
class Stores:
    keys: KeyStore
    invites: InviteStore
    oauth: OAuthStore
    documents: ProfileDocuments


@pytest.fixture(params=["sqlite", "redis"])
def stores(request: pytest.FixtureRequest, tmp_path: Path) -> Stores:
    if request.param == "sqlite":
        database = SqliteOAuthDatabase(str(tmp_path / "oauth.db"))
        return Stores(
            SqliteKeyStore(str(tmp_path / "keys.db")),
            SqliteInviteStore(database),
            SqliteOAuthStore(database),
            SqliteIndex(str(tmp_path / "index.db")),
        )
    shim: RedisShim = request.getfixturevalue("redis_shim")
    client = redis_client(shim.url, shim.token, timeout_seconds=10)
    prefix = key_prefix("test")
    return Stores(
        RedisKeyStore(client, prefix),
        RedisInviteStore(client, prefix),
        RedisOAuthStore(client, prefix),
        RedisProfileDocuments(client, key_prefix("test", "alice")),
    )


def key(number: int, revoked_at: str | None = None) -> ApiKeyRecord:
    key_hash = f"{number:x}".ljust(64, "0")
    return ApiKeyRecord(
        key_id=f"key_{key_hash[:12]}",
        key_hash=key_hash,
        client_id=f"client {number}",
        tier="pro",
        scopes=frozenset({Scope.READ}),
        created_at=f"2026-01-0{number}T00:00:00+00:00",
        revoked_at=revoked_at,
    )


def invite(number: int, uses: int = 0) -> InviteRecord:
    code_hash = f"{number:x}".ljust(64, "f")
    return InviteRecord(
        invite_id=f"inv_{code_hash[:12]}",
        code_hash=code_hash,
        name=f"Guest {number}",
        scopes=frozenset({Scope.READ, Scope.ASK}),
        created_at=f"2026-01-0{number}T00:00:00+00:00",
        max_uses=5,
        uses=uses,
    )


def test_api_keys_are_exported_all_and_imported_over_the_records_of_the_same_key(stores: Stores) -> None:
    stores.keys.add(key(1))

    stores.keys.import_records([key(1, revoked_at="2026-02-01T00:00:00+00:00"), key(2)])
    stores.keys.import_records([])

    assert stores.keys.export_records() == [key(1, revoked_at="2026-02-01T00:00:00+00:00"), key(2)]
    assert stores.keys.find(key(2).key_hash) == key(2)
    assert not stores.keys.revoke(key(1).key_id, "2026-03-01T00:00:00+00:00")


def test_invites_are_exported_all_and_imported_over_the_records_of_the_same_id(stores: Stores) -> None:
    stores.invites.add(invite(1))

    stores.invites.import_records([invite(1, uses=3), invite(2)])

    assert stores.invites.export_records() == [invite(1, uses=3), invite(2)]
    assert stores.invites.find(invite(2).code_hash) == invite(2), "found by the hash of its code"
    assert stores.invites.use(invite(1).invite_id, "2026-02-01T00:00:00+00:00")
    assert stores.invites.use(invite(1).invite_id, "2026-02-02T00:00:00+00:00")
    assert not stores.invites.use(invite(1).invite_id, "2026-02-03T00:00:00+00:00"), "5 uses, 3 spent before"


def test_oauth_records_are_exported_with_their_expiry_and_imported_for_what_is_left_of_it(stores: Stores) -> None:
    stores.oauth.put("client:a", '{"client_id": "a"}', 3600)
    now = time.time()
    later = ExpiringRecord(key="grant:b", record='{"grant": "b"}', expires_at=now + 7200)
    gone = ExpiringRecord(key="grant:c", record='{"grant": "c"}', expires_at=now - 1)

    [client] = stores.oauth.export_records()
    stores.oauth.import_records([later, gone, replace(client, record='{"client_id": "a2"}')])

    assert client.key == "client:a"
    assert abs(client.expires_at - (now + 3600)) < 5
    exported = stores.oauth.export_records()
    assert [(record.key, record.record) for record in exported] == [
        ("client:a", '{"client_id": "a2"}'),
        ("grant:b", '{"grant": "b"}'),
    ]
    assert abs(exported[1].expires_at - later.expires_at) < 2
    assert stores.oauth.get("grant:b") == '{"grant": "b"}'
    assert stores.oauth.get("grant:c") is None, "expired before it was imported"


def test_the_profile_document_kept_is_the_last_put_and_only_for_its_twin(stores: Stores) -> None:
    assert stores.documents.get_document("alice") is None

    stores.documents.put_document("alice", ProfileDocument(version=1, content=b"# Alice\x00\xff"))
    stores.documents.put_document("alice", ProfileDocument(version=2, content=b"%PDF-1.7 \x00\x01"))

    assert stores.documents.get_document("alice") == ProfileDocument(version=2, content=b"%PDF-1.7 \x00\x01")
    assert stores.documents.get_document("bob") is None
