"""Every hostile credential is refused by the one decision both enforcers share."""

import datetime
import time
from types import SimpleNamespace

import jwt
import pytest

from tests.credentials import API_URL, AUDIENCES, HOSTILE, ISSUER, MCP_URL, SECRET, Hostile, TokenFactory
from twin.adapters import jwt_tokens
from twin.adapters.jwt_tokens import JwtVerifier
from twin.adapters.sqlite_key_store import SqliteKeyStore
from twin.adapters.sqlite_oauth_stores import SqliteInviteStore, SqliteOAuthDatabase
from twin.errors import AuthenticationError
from twin.security.authenticator import Authenticator
from twin.security.identity import AuthMethod, Principal, PrincipalKind, Scope
from twin.services.invites import InviteService
from twin.services.keys import KeyService
from twin.settings import TIERS

TOKENS = TokenFactory()


@pytest.fixture
def keys() -> SqliteKeyStore:
    return SqliteKeyStore(":memory:")


@pytest.fixture
def invites() -> SqliteInviteStore:
    return SqliteInviteStore(SqliteOAuthDatabase(":memory:"))


@pytest.fixture
def authenticator(keys: SqliteKeyStore, invites: SqliteInviteStore) -> Authenticator:
    verifier = JwtVerifier(issuer=ISSUER, secret=SECRET)
    return Authenticator(tokens=verifier, keys=lambda: keys, invites=lambda: invites, tiers=TIERS)


def test_the_corpus_is_large_enough() -> None:
    assert len(HOSTILE) >= 30


@pytest.mark.parametrize("hostile", HOSTILE, ids=lambda hostile: hostile.name)
def test_a_hostile_credential_is_refused_with_its_reason(authenticator: Authenticator, hostile: Hostile) -> None:
    with pytest.raises(AuthenticationError) as refused:
        authenticator.authenticate(hostile.authorization(TOKENS), AUDIENCES)

    assert refused.value.reason == hostile.reason
    assert refused.value.message == "a valid bearer token or API key is required"


def test_a_valid_token_gives_its_subject_scopes_and_tier(authenticator: Authenticator) -> None:
    identity = authenticator.authenticate(f"Bearer {TOKENS.token(scope='twin:read', tier='pro')}", AUDIENCES)

    assert (identity.subject, identity.scopes, identity.tier) == ("user-1", frozenset({Scope.READ}), "pro")
    assert identity.method is AuthMethod.JWT
    assert identity.audiences == AUDIENCES


def test_a_token_and_an_api_key_never_share_a_principal_whatever_the_subject_claims(
    authenticator: Authenticator, keys: SqliteKeyStore
) -> None:
    key, record = KeyService(keys=keys, tiers=TIERS).create(
        client_id="acme", tier="pro", scopes=["twin:read"], actor="t"
    )
    by_key = authenticator.authenticate(f"Bearer {key}", AUDIENCES).principal
    namesakes = [
        authenticator.authenticate(f"Bearer {TOKENS.token(sub=subject, client_id='acme')}", AUDIENCES).principal
        for subject in ("client:acme", "acme", record.key_id, by_key.key)
    ]

    assert by_key.key not in {namesake.key for namesake in namesakes}
    assert {namesake.kind for namesake in namesakes} == {PrincipalKind.JWT}


def test_a_tokens_audiences_are_only_the_resources_of_this_api(authenticator: Authenticator) -> None:
    token = TOKENS.token(aud=[MCP_URL, f"https://other.example {API_URL}", "https://other.example"])

    assert authenticator.authenticate(f"Bearer {token}", AUDIENCES).audiences == {MCP_URL}


def test_the_scheme_is_case_insensitive_as_rfc_7235_says(authenticator: Authenticator) -> None:
    assert authenticator.authenticate(f"bEaReR {TOKENS.token()}", AUDIENCES).subject == "user-1"


def test_scopes_may_come_as_an_scp_list_and_unknown_scopes_grant_nothing(authenticator: Authenticator) -> None:
    token = TOKENS.token(scope=None, scp=["twin:ask", "twin:superuser"])

    assert authenticator.authenticate(f"Bearer {token}", AUDIENCES).scopes == frozenset({Scope.ASK})


def test_an_unknown_tier_claim_falls_back_to_free(authenticator: Authenticator) -> None:
    assert authenticator.authenticate(f"Bearer {TOKENS.token(tier='platinum')}", AUDIENCES).tier == "free"


def test_expiry_within_the_leeway_is_accepted(authenticator: Authenticator) -> None:
    token = TOKENS.token(exp=int(time.time()) - 10)

    assert authenticator.authenticate(f"Bearer {token}", AUDIENCES).subject == "user-1"


def test_tokens_are_refused_when_only_api_keys_are_configured(keys: SqliteKeyStore, invites: SqliteInviteStore) -> None:
    without_tokens = Authenticator(tokens=None, keys=lambda: keys, invites=lambda: invites, tiers=TIERS)

    with pytest.raises(AuthenticationError) as refused:
        without_tokens.authenticate(f"Bearer {TOKENS.token()}", AUDIENCES)

    assert refused.value.reason == "tokens_not_configured"


def test_an_api_key_works_until_it_is_revoked(authenticator: Authenticator, keys: SqliteKeyStore) -> None:
    service = KeyService(keys=keys, tiers=TIERS)
    key, record = service.create(client_id="acme", tier="pro", scopes=["twin:read"], actor="test")

    identity = authenticator.authenticate(f"Bearer {key}", AUDIENCES)
    service.revoke(record.key_id, actor="test")

    assert (identity.client_id, identity.tier, identity.method) == ("acme", "pro", AuthMethod.API_KEY)
    assert identity.principal == Principal(PrincipalKind.API_KEY, record.key_id)
    with pytest.raises(AuthenticationError) as refused:
        authenticator.authenticate(f"Bearer {key}", AUDIENCES)
    assert refused.value.reason == "revoked_api_key"


def test_a_token_accepted_once_is_still_refused_for_audiences_it_does_not_name(authenticator: Authenticator) -> None:
    authorization = f"Bearer {TOKENS.token()}"
    authenticator.authenticate(authorization, AUDIENCES)

    with pytest.raises(AuthenticationError) as refused:
        authenticator.authenticate(authorization, frozenset({"https://other.example/dev"}))

    assert refused.value.reason == "wrong_audience"


def test_a_token_accepted_once_is_refused_once_it_expires(
    authenticator: Authenticator, monkeypatch: pytest.MonkeyPatch
) -> None:
    authorization = f"Bearer {TOKENS.token(exp=int(time.time()) + 60)}"
    authenticator.authenticate(authorization, AUDIENCES)
    an_hour_later = time.time() + 3600

    class Later(datetime.datetime):
        @classmethod
        def now(cls, tz: datetime.tzinfo | None = None) -> "Later":
            return cls.fromtimestamp(an_hour_later, tz)

    # Both clocks move: the one remembered tokens are checked against, and PyJWT's.
    monkeypatch.setattr(jwt_tokens, "time", SimpleNamespace(time=lambda: an_hour_later))
    monkeypatch.setattr(jwt.api_jwt, "datetime", Later)
    with pytest.raises(AuthenticationError) as refused:
        authenticator.authenticate(authorization, AUDIENCES)

    assert refused.value.reason == "expired"


def test_a_token_issued_through_an_invite_works_until_the_invite_is_revoked(
    authenticator: Authenticator, invites: SqliteInviteStore
) -> None:
    service = InviteService(invites=invites)
    _, record = service.create(name="Ada", scopes=["twin:read"], actor="test")
    invited = record.invite_id
    token = TOKENS.token(sub=invited, aud=[MCP_URL], scope="twin:read", invite=invited, client_id="c1")

    identity = authenticator.authenticate(f"Bearer {token}", AUDIENCES)
    service.revoke(record.invite_id, actor="test")

    assert (identity.method, identity.client_id, identity.audiences) == (AuthMethod.OAUTH, "c1", frozenset({MCP_URL}))
    assert identity.principal == Principal(PrincipalKind.INVITE, record.invite_id)
    with pytest.raises(AuthenticationError) as refused:
        authenticator.authenticate(f"Bearer {token}", AUDIENCES)
    assert refused.value.reason == "revoked_invite"


def test_a_token_naming_an_unknown_invite_is_refused(authenticator: Authenticator) -> None:
    token = TOKENS.token(invite="inv_000000000000")

    with pytest.raises(AuthenticationError) as refused:
        authenticator.authenticate(f"Bearer {token}", AUDIENCES)

    assert refused.value.reason == "revoked_invite"
