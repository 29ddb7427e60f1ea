"""Identities: who is calling, with which scopes and tier, and how they proved it."""

from dataclasses import dataclass
from enum import StrEnum


class Scope(StrEnum):
    READ = "twin:read"
    ASK = "twin:ask"
    ADMIN = "twin:admin"


class AuthMethod(StrEnum):
    JWT = "jwt"
    API_KEY = "api_key"


@dataclass(frozen=True, slots=True)
class Identity:
    subject: str
    client_id: str
    scopes: frozenset[Scope]
    tier: str
    method: AuthMethod
    audiences: frozenset[str] = frozenset()
    """The resources a token was issued for; empty for API keys, which are not audience-bound."""

    def context(self) -> dict[str, str]:
        """What the authorizer hands to the functions, which read it instead of verifying again."""
        return {
            "sub": self.subject,
            "client_id": self.client_id,
            "scopes": " ".join(sorted(self.scopes)),
            "tier": self.tier,
            "auth_method": self.method.value,
            "audiences": " ".join(sorted(self.audiences)),
        }

    @classmethod
    def from_context(cls, context: dict[str, str]) -> "Identity":
        return cls(
            subject=context["sub"],
            client_id=context["client_id"],
            scopes=parse_scopes(context.get("scopes", "")),
            tier=context["tier"],
            method=AuthMethod(context["auth_method"]),
            audiences=frozenset(context.get("audiences", "").split()),
        )


def parse_scopes(text: str) -> frozenset[Scope]:
    """Known scopes from a space-separated list; unknown ones grant nothing and are dropped."""
    known = {scope.value for scope in Scope}
    return frozenset(Scope(word) for word in text.split() if word in known)
