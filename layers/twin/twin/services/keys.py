"""API keys for third parties: created (shown once), listed, revoked."""

from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from twin.errors import InvalidRequestError
from twin.ports import KeyStore, UsagePlans
from twin.security.api_keys import ApiKeyRecord, generate_api_key, hash_api_key, key_id_of
from twin.security.audit import audit
from twin.security.identity import Scope


class KeyService:
    def __init__(
        self,
        *,
        keys: KeyStore,
        tiers: tuple[str, ...],
        usage_plans: UsagePlans | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._keys = keys
        self._tiers = tiers
        self._usage_plans = usage_plans
        self._clock = clock

    def create(self, *, client_id: str, tier: str, scopes: Iterable[str], actor: str) -> tuple[str, ApiKeyRecord]:
        """The key itself is returned once, here; only its hash is stored."""
        if tier not in self._tiers:
            raise InvalidRequestError(f"tier must be one of: {', '.join(self._tiers)}")
        known = {scope.value for scope in Scope}
        wanted = set(scopes)
        if not wanted or wanted - known:
            raise InvalidRequestError(f"scopes must be among: {', '.join(sorted(known))}")
        if not client_id.strip():
            raise InvalidRequestError("client id must not be empty")
        key = generate_api_key()
        key_hash = hash_api_key(key)
        record = ApiKeyRecord(
            key_id=key_id_of(key_hash),
            key_hash=key_hash,
            client_id=client_id.strip(),
            tier=tier,
            scopes=frozenset(Scope(scope) for scope in wanted),
            created_at=self._now(),
        )
        # Metered first: a stored key that API Gateway does not know would be refused there anyway.
        if self._usage_plans is not None:
            self._usage_plans.register(record, key)
        try:
            self._keys.add(record)
        except Exception:
            if self._usage_plans is not None:
                self._usage_plans.deregister(record.key_id)
            raise
        audit("key_created", actor=actor, resource=record.key_id, outcome="created")
        return key, record

    def list(self) -> list[ApiKeyRecord]:
        return self._keys.list()

    def revoke(self, key_id: str, *, actor: str) -> bool:
        revoked = self._keys.revoke(key_id, self._now())
        if revoked and self._usage_plans is not None:
            self._usage_plans.deregister(key_id)
        audit("key_revoked", actor=actor, resource=key_id, outcome="revoked" if revoked else "not_found")
        return revoked

    def _now(self) -> str:
        return self._clock().isoformat(timespec="seconds")
