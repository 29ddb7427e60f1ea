"""Invites: how the owner lets people in through OAuth. A random code, shown once, stored only as a SHA-256 hash.

Whoever holds the code may approve an OAuth client on the consent page, for at most the invite's scopes, until
it expires, is used up or is revoked. Revoking it also cuts off every token issued through it.
"""

import hashlib
import re
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Final

from twin.security.identity import Scope

INVITE_PREFIX: Final = "twi_"
OAUTH_SCOPES: Final = (Scope.READ, Scope.ASK)
"""What an invite can grant: the scopes of the MCP endpoint, the one resource OAuth tokens are issued for."""
_DURATION: Final = re.compile(r"([1-9][0-9]{0,5})([smhdw])")
_UNIT_SECONDS: Final = {"s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800}


@dataclass(frozen=True, slots=True)
class InviteRecord:
    invite_id: str
    code_hash: str
    name: str
    scopes: frozenset[Scope]
    created_at: str
    expires_at: str | None = None
    max_uses: int | None = None
    uses: int = 0
    last_used_at: str | None = None
    revoked_at: str | None = None

    def refusal(self, now: datetime) -> str | None:
        """Why the code cannot be redeemed now (`revoked`, `expired`, `used_up`); None when it can."""
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and datetime.fromisoformat(self.expires_at) <= now:
            return "expired"
        if self.max_uses is not None and self.uses >= self.max_uses:
            return "used_up"
        return None

    def used(self, at: str) -> "InviteRecord":
        return replace(self, uses=self.uses + 1, last_used_at=at)


def generate_invite_code() -> str:
    """192 random bits after the prefix: short enough to paste, far too many to guess."""
    return INVITE_PREFIX + secrets.token_urlsafe(24)


def hash_invite_code(code: str) -> str:
    return hashlib.sha256(code.strip().encode()).hexdigest()


def invite_id_of(code_hash: str) -> str:
    """A public handle for listing and revoking: derived from the hash, useless for redeeming."""
    return f"inv_{code_hash[:12]}"


def parse_duration(text: str) -> timedelta:
    """`30m`, `12h`, `7d`, `2w`: a whole number and one unit."""
    match = _DURATION.fullmatch(text.strip())
    if match is None:
        raise ValueError("expected a whole number and a unit, like 30m, 12h, 7d or 2w")
    return timedelta(seconds=int(match.group(1)) * _UNIT_SECONDS[match.group(2)])
