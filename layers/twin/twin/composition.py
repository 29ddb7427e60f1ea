"""The composition root: settings in, services wired to their adapters out. Built once per process.

Adapters are imported inside the builders: each Lambda function imports only what it builds, which
keeps its cold start short (the authorizer, say, never loads the index or the answerer).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from twin.errors import ConfigurationError
from twin.settings import TIERS, Settings

if TYPE_CHECKING:
    from twin.ports import KeyStore, RateLimiter, Telemetry
    from twin.security.authenticator import Authenticator
    from twin.services.ask import AskService
    from twin.services.ingest import IngestReport, IngestService
    from twin.services.keys import KeyService
    from twin.services.profile import ProfileService
    from twin.services.search import SearchService


@dataclass(frozen=True, slots=True)
class Services:
    settings: Settings
    ingest: IngestService
    search: SearchService
    ask: AskService
    profile: ProfileService
    rate_limiter: RateLimiter
    telemetry: Telemetry


def build_services(settings: Settings, telemetry: Telemetry | None = None) -> Services:
    """`telemetry` is where metrics go: CloudWatch in Lambda; nowhere by default."""
    from twin.adapters.extractive_model import ExtractiveModel
    from twin.adapters.memory_cache import MemoryCache
    from twin.adapters.memory_rate_limiter import MemoryRateLimiter
    from twin.adapters.memory_sessions import MemorySessionStore
    from twin.adapters.null_telemetry import NullTelemetry
    from twin.adapters.sqlite_index import SqliteIndex
    from twin.adapters.sqlite_profile_store import SqliteProfileStore
    from twin.services.ask import AskService
    from twin.services.ingest import IngestService
    from twin.services.profile import ProfileService
    from twin.services.search import SearchService

    twin_id = settings.twin_id
    telemetry = telemetry or NullTelemetry()
    index = SqliteIndex(settings.resolved_index_path())
    profiles = SqliteProfileStore(settings.resolved_index_path())
    return Services(
        settings=settings,
        ingest=IngestService(twin_id=twin_id, index=index, profiles=profiles),
        search=SearchService(twin_id=twin_id, index=index, telemetry=telemetry),
        ask=AskService(
            twin_id=twin_id,
            index=index,
            profiles=profiles,
            cache=MemoryCache(),
            sessions=MemorySessionStore(ttl_seconds=settings.session_ttl_seconds, max_turns=settings.session_max_turns),
            model=ExtractiveModel(),
            cache_ttl_seconds=settings.cache_ttl_seconds,
            telemetry=telemetry,
        ),
        profile=ProfileService(twin_id=twin_id, index=index, profiles=profiles),
        rate_limiter=MemoryRateLimiter(),
        telemetry=telemetry,
    )


def seed_if_empty(services: Services) -> IngestReport | None:
    """Ingest the configured profile, or the bundled sample, when the twin has none yet."""
    if services.profile.find() is not None:
        return None
    return services.ingest.ingest(read_configured_profile(services.settings))


def read_configured_profile(settings: Settings) -> bytes:
    from twin.profiles import sample_profile

    if settings.profile_path is None:
        return sample_profile()
    try:
        return settings.profile_path.read_bytes()
    except OSError as error:
        raise ConfigurationError(
            "TWIN_PROFILE_PATH", f"cannot read {settings.profile_path}: {error.strerror}"
        ) from None


def build_authenticator(settings: Settings) -> Authenticator:
    """The decision both enforcers share."""
    from twin.adapters.jwt_tokens import JwtVerifier
    from twin.parameters import jwt_secret
    from twin.security.authenticator import Authenticator

    secret = jwt_secret(settings)
    tokens = (
        JwtVerifier(
            issuer=settings.jwt_issuer,
            secret=secret,
            jwks_url=settings.jwks_url,
            leeway_seconds=settings.jwt_leeway_seconds,
        )
        if secret or settings.jwks_url
        else None
    )
    return Authenticator(tokens=tokens, keys=build_key_store(settings), tiers=TIERS)


def build_key_store(settings: Settings) -> KeyStore:
    from twin.adapters.sqlite_key_store import SqliteKeyStore

    return SqliteKeyStore(str(settings.state_dir / "keys.db"))


def build_key_service(settings: Settings) -> KeyService:
    from twin.services.keys import KeyService

    return KeyService(keys=build_key_store(settings), tiers=TIERS)
