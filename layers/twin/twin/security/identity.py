"""Identities: who is calling, with which scopes and tier, and how they proved it; and principals, the callers
sessions, rate limits and the audit trail are kept for."""

from dataclasses import dataclass
from enum import StrEnum


class Scope(StrEnum):
    READ = "twin:read"
    ASK = "twin:ask"
    ADMIN = "twin:admin"


class AuthMethod(StrEnum):
    JWT = "jwt"
    API_KEY = "api_key"
    OAUTH = "oauth"
    """A JWT the twin's own authorization server issued through an invite."""


class PrincipalKind(StrEnum):
    """Each kind names its callers in its own namespace: a token's `sub` may be any string, even a key's id."""

    JWT = "jwt"
    """A bearer JWT, by its `sub`."""
    API_KEY = "api_key"
    """An API key, by its public id."""
    INVITE = "invite"
    """Whoever redeemed an invite on the consent page, by the invite's id: each token issued through it."""
    VISITOR = "visitor"
    """A public chat visitor, by address."""
    LOCAL = "local"
    """Someone on this machine with no credential: the CLI, or a caller of an MCP server with no auth in front."""


@dataclass(frozen=True, slots=True)
class Principal:
    kind: PrincipalKind
    id: str

    @property
    def key(self) -> str:
        """`<kind>:<id>`, what sessions, rate limits and audit lines are keyed by. No kind holds a colon, so
        the first one ends it and two principals never share a key."""
        return f"{self.kind}:{self.id}"


@dataclass(frozen=True, slots=True)
class Identity:
    subject: str
    """A token's `sub`, an API key's id, or for OAuth the invite's id: unique only among identities of the same
    method (see `principal`)."""
    client_id: str
    scopes: frozenset[Scope]
    tier: str
    method: AuthMethod
    audiences: frozenset[str] = frozenset()
    """The resources of this API a token was issued for; empty for API keys, which are not audience-bound."""

    @property
    def principal(self) -> Principal:
        return Principal(_PRINCIPAL_KINDS[self.method], self.subject)

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


_PRINCIPAL_KINDS = {
    AuthMethod.JWT: PrincipalKind.JWT,
    AuthMethod.API_KEY: PrincipalKind.API_KEY,
    AuthMethod.OAUTH: PrincipalKind.INVITE,
}


_SCOPES = {scope.value: scope for scope in Scope}


def parse_scopes(text: str) -> frozenset[Scope]:
    """Known scopes from a space-separated list; unknown ones grant nothing and are dropped."""
    return frozenset(_SCOPES[word] for word in text.split() if word in _SCOPES)
