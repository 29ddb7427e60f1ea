"""The invite and OAuth stores, embedded (SQLite) and on Upstash Redis (the real SDK, the REST shim, a real
redis-server): one contract, both adapters."""

import stat
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.fakes.redis_shim import RedisShim
from twin.adapters.sqlite_oauth_stores import SqliteInviteStore, SqliteOAuthDatabase, SqliteOAuthStore
from twin.adapters.upstash_redis_credentials import RedisInviteStore, RedisOAuthStore
from twin.adapters.upstash_redis_stores import key_prefix, redis_client
from twin.ports import InviteStore, OAuthStore
from twin.security.identity import Scope
from twin.security.invites import InviteRecord

ADAPTERS = ["sqlite", "redis"]


@pytest.fixture(params=ADAPTERS)
def stores(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[InviteStore, OAuthStore]:
    if request.param == "sqlite":
        database = SqliteOAuthDatabase(str(tmp_path / "oauth.db"))
        return SqliteInviteStore(database), SqliteOAuthStore(database)
    shim: RedisShim = request.getfixturevalue("redis_shim")
    client = redis_client(shim.url, shim.token, timeout_seconds=10)
    client.flushdb()
    prefix = key_prefix("test")
    return RedisInviteStore(client, prefix), RedisOAuthStore(client, prefix)


@pytest.fixture
def invites(stores: tuple[InviteStore, OAuthStore]) -> InviteStore:
    return stores[0]


@pytest.fixture
def records(stores: tuple[InviteStore, OAuthStore]) -> OAuthStore:
    return stores[1]


def invite(number: int, *, max_uses: int | None = None, created_at: str = "2026-01-01T00:00:00+00:00") -> InviteRecord:
    code_hash = f"{number:x}".ljust(64, "0")
    return InviteRecord(
        invite_id=f"inv_{code_hash[:12]}",
        code_hash=code_hash,
        name=f"Guest «{number}»",
        scopes=frozenset({Scope.READ, Scope.ASK}),
        created_at=created_at,
        max_uses=max_uses,
    )


def test_an_invite_is_found_by_the_hash_of_its_code_and_by_its_id(invites: InviteStore) -> None:
    record = invite(1)
    invites.add(record)

    assert invites.find(record.code_hash) == record
    assert invites.get(record.invite_id) == record
    assert invites.find("f" * 64) is None
    assert invites.get("inv_unknown") is None


def test_invites_are_listed_oldest_first(invites: InviteStore) -> None:
    invites.add(invite(2, created_at="2026-02-01T00:00:00+00:00"))
    invites.add(invite(1, created_at="2026-03-01T00:00:00+00:00"))

    assert [record.invite_id for record in invites.list()] == [invite(2).invite_id, invite(1).invite_id]


def test_each_use_is_counted_until_the_uses_are_spent(invites: InviteStore) -> None:
    record = invite(1, max_uses=2)
    invites.add(record)

    assert invites.use(record.invite_id, "2026-01-02T00:00:00+00:00")
    assert invites.use(record.invite_id, "2026-01-03T00:00:00+00:00")
    assert not invites.use(record.invite_id, "2026-01-04T00:00:00+00:00")
    stored = invites.get(record.invite_id)
    assert stored is not None
    assert (stored.uses, stored.last_used_at) == (2, "2026-01-03T00:00:00+00:00")


def test_of_many_concurrent_uses_only_as_many_as_allowed_succeed(invites: InviteStore) -> None:
    record = invite(1, max_uses=3)
    invites.add(record)

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: invites.use(record.invite_id, "2026-01-02T00:00:00+00:00"), range(12)))

    assert results.count(True) == 3


def test_a_revoked_invite_is_revoked_once_and_can_no_longer_be_used(invites: InviteStore) -> None:
    record = invite(1)
    invites.add(record)

    assert invites.revoke(record.invite_id, "2026-01-05T00:00:00+00:00")
    assert not invites.revoke(record.invite_id, "2026-01-06T00:00:00+00:00")
    assert not invites.revoke("inv_unknown", "2026-01-06T00:00:00+00:00")
    assert not invites.use(record.invite_id, "2026-01-07T00:00:00+00:00")
    stored = invites.get(record.invite_id)
    assert stored is not None
    assert stored.revoked_at == "2026-01-05T00:00:00+00:00"


def test_a_record_is_read_back_until_deleted(records: OAuthStore) -> None:
    records.put("client:abc", '{"name": "Ünïcode client"}', ttl_seconds=60)

    assert records.get("client:abc") == '{"name": "Ünïcode client"}'
    records.delete("client:abc")
    assert records.get("client:abc") is None


def test_a_record_is_taken_once(records: OAuthStore) -> None:
    records.put("code:abc", "{}", ttl_seconds=60)

    with ThreadPoolExecutor(max_workers=8) as pool:
        taken = list(pool.map(lambda _: records.take("code:abc"), range(8)))

    assert taken.count("{}") == 1
    assert records.get("code:abc") is None


def test_a_record_is_gone_once_its_lifetime_is_over(records: OAuthStore) -> None:
    records.put("code:short", "{}", ttl_seconds=1)
    wait_until(lambda: records.get("code:short") is None)

    assert records.take("code:short") is None


def test_the_embedded_store_is_a_file_only_its_owner_can_read(tmp_path: Path) -> None:
    path = tmp_path / "state" / "oauth.db"
    SqliteOAuthStore(SqliteOAuthDatabase(str(path))).put("client:abc", "{}", ttl_seconds=60)

    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def wait_until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 5
    while not condition():
        assert time.monotonic() < deadline
        time.sleep(0.05)
