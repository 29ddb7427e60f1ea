"""Redeeming an invite: the code, its expiry, its uses, its revocation and its scopes decide."""

from datetime import UTC, datetime, timedelta

import pytest

from twin.adapters.sqlite_oauth_stores import SqliteInviteStore, SqliteOAuthDatabase
from twin.errors import InviteRefusedError
from twin.services.invites import InviteService

START = datetime(2026, 1, 1, tzinfo=UTC)
READ_ASK = frozenset({"twin:read", "twin:ask"})


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def invites(clock: Clock) -> InviteService:
    return InviteService(invites=SqliteInviteStore(SqliteOAuthDatabase(":memory:")), clock=clock)


def refusal(invites: InviteService, code: str, scopes: frozenset[str] = READ_ASK) -> str:
    with pytest.raises(InviteRefusedError) as refused:
        invites.redeem(code, scopes, client="client-1")
    assert refused.value.code == "access_denied"
    return refused.value.reason


def test_a_valid_code_redeems_its_invite_and_counts_the_use(invites: InviteService, clock: Clock) -> None:
    code, created = invites.create(name="Ada", scopes=["twin:read", "twin:ask"], actor="test")
    clock.now += timedelta(hours=1)

    redeemed = invites.redeem(f"  {code}\n", frozenset({"twin:read"}), client="client-1")

    assert redeemed.invite_id == created.invite_id
    [listed] = invites.list()
    assert listed.uses == 1
    assert listed.last_used_at == "2026-01-01T01:00:00+00:00"
    assert invites.is_active(created.invite_id)


def test_an_unknown_or_empty_code_is_refused(invites: InviteService) -> None:
    invites.create(name="Ada", scopes=["twin:read"], actor="test")

    assert refusal(invites, "twi_not-a-real-code") == "unknown_code"
    assert refusal(invites, "   ") == "unknown_code"


def test_an_expired_invite_is_refused(invites: InviteService, clock: Clock) -> None:
    code, _ = invites.create(name="Ada", scopes=["twin:read", "twin:ask"], expires_in=timedelta(days=1), actor="t")
    clock.now += timedelta(days=1)

    assert refusal(invites, code) == "expired"


def test_an_invite_is_refused_once_its_uses_are_spent(invites: InviteService) -> None:
    code, _ = invites.create(name="Ada", scopes=["twin:read", "twin:ask"], max_uses=1, actor="test")
    invites.redeem(code, READ_ASK, client="client-1")

    assert refusal(invites, code) == "used_up"


def test_a_revoked_invite_is_refused_and_no_longer_active(invites: InviteService) -> None:
    code, record = invites.create(name="Ada", scopes=["twin:read", "twin:ask"], actor="test")
    assert invites.revoke(record.invite_id, actor="test")

    assert refusal(invites, code) == "revoked"
    assert not invites.is_active(record.invite_id)
    assert not invites.is_active("inv_unknown")


def test_more_scopes_than_the_invite_holds_are_refused_without_spending_a_use(invites: InviteService) -> None:
    code, _ = invites.create(name="Ada", scopes=["twin:read"], max_uses=1, actor="test")

    assert refusal(invites, code, READ_ASK) == "scope_beyond_invite"
    assert invites.redeem(code, frozenset({"twin:read"}), client="client-1").uses == 1
