"""Invites: created by the owner (the code shown once), listed, revoked, and redeemed on the consent page."""

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

from twin.errors import InvalidRequestError, InviteRefusedError
from twin.ports import InviteStore
from twin.security.audit import audit
from twin.security.identity import Scope
from twin.security.invites import (
    OAUTH_SCOPES,
    InviteRecord,
    generate_invite_code,
    hash_invite_code,
    invite_id_of,
)

MAX_NAME_CHARS = 100


class InviteService:
    def __init__(self, *, invites: InviteStore, clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._invites = invites
        self._clock = clock

    def create(
        self,
        *,
        name: str,
        scopes: Iterable[str],
        expires_in: timedelta | None = None,
        max_uses: int | None = None,
        actor: str,
    ) -> tuple[str, InviteRecord]:
        """The code itself is returned once, here; only its hash is stored."""
        allowed = {scope.value for scope in OAUTH_SCOPES}
        wanted = set(scopes)
        if not wanted or wanted - allowed:
            raise InvalidRequestError(f"scopes must be among: {', '.join(sorted(allowed))}")
        name = name.strip()
        if not name or len(name) > MAX_NAME_CHARS or not name.isprintable():
            raise InvalidRequestError(f"the name must be 1 to {MAX_NAME_CHARS} printable characters")
        if max_uses is not None and max_uses < 1:
            raise InvalidRequestError("uses must be at least 1")
        code = generate_invite_code()
        code_hash = hash_invite_code(code)
        now = self._clock()
        record = InviteRecord(
            invite_id=invite_id_of(code_hash),
            code_hash=code_hash,
            name=name,
            scopes=frozenset(Scope(scope) for scope in wanted),
            created_at=_timestamp(now),
            expires_at=None if expires_in is None else _timestamp(now + expires_in),
            max_uses=max_uses,
        )
        self._invites.add(record)
        audit("invite_created", actor=actor, resource=record.invite_id, outcome="created")
        return code, record

    def list(self) -> list[InviteRecord]:
        return self._invites.list()

    def revoke(self, invite_id: str, *, actor: str) -> bool:
        revoked = self._invites.revoke(invite_id, _timestamp(self._clock()))
        audit("invite_revoked", actor=actor, resource=invite_id, outcome="revoked" if revoked else "not_found")
        return revoked

    def redeem(self, code: str, scopes: frozenset[str], *, client: str) -> InviteRecord:
        """The invite the code names, with one use counted, when it may grant `scopes` to the client now.

        Raises InviteRefusedError with the reason otherwise.
        """
        record = self._invites.find(hash_invite_code(code)) if code.strip() else None
        now = self._clock()
        reason = "unknown_code" if record is None else record.refusal(now)
        if reason is None and record is not None and not scopes <= record.scopes:
            reason = "scope_beyond_invite"
        if reason is None and record is not None and not self._invites.use(record.invite_id, _timestamp(now)):
            reason = "used_up"  # another redemption took the last use, or a revocation came first
        actor = "anonymous" if record is None else f"invite:{record.invite_id}"
        if reason is not None or record is None:
            audit("invite_used", actor=actor, resource=client, outcome="denied", reason=reason)
            raise InviteRefusedError(reason or "unknown_code")
        audit("invite_used", actor=actor, resource=client, outcome="granted")
        return record.used(_timestamp(now))

    def is_active(self, invite_id: str) -> bool:
        """Whether tokens issued through the invite still hold: it exists and is not revoked."""
        record = self._invites.get(invite_id)
        return record is not None and record.revoked_at is None


def _timestamp(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")
