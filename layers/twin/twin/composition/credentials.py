"""Where API keys, invites and OAuth records live, and the secrets that sign and verify tokens.

On AWS the credential records have their own Redis database, which only the authorizer (read-only) and the OAuth
function (read-write) are given; locally, without one, they share the main database.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from twin.composition.storage import upstash_redis
from twin.errors import ConfigurationError
from twin.parameters import secret
from twin.settings import Settings

if TYPE_CHECKING:
    from upstash_redis import Redis

    from twin.adapters.sqlite_oauth_stores import SqliteOAuthDatabase
    from twin.composition.storage import Storage
    from twin.ports import ClientMetadataDocuments, InviteStore, KeyStore, OAuthStore, TokenVerifier


class Credentials:
    def __init__(self, settings: Settings, storage: Storage) -> None:
        self.settings = settings
        self._storage = storage

    @cached_property
    def key_store(self) -> KeyStore:
        credentials = self._credentials_redis
        if credentials is None:
            from twin.adapters.sqlite_key_store import SqliteKeyStore

            return SqliteKeyStore(str(self.settings.state_dir / "keys.db"))
        from twin.adapters.upstash_redis_credentials import RedisKeyStore

        return RedisKeyStore(credentials, self._storage.environment_prefix)

    @cached_property
    def invite_store(self) -> InviteStore:
        credentials = self._credentials_redis
        if credentials is None:
            from twin.adapters.sqlite_oauth_stores import SqliteInviteStore

            return SqliteInviteStore(self._oauth_database)
        from twin.adapters.upstash_redis_credentials import RedisInviteStore

        return RedisInviteStore(credentials, self._storage.environment_prefix)

    @cached_property
    def oauth_store(self) -> OAuthStore:
        credentials = self._credentials_redis
        if credentials is None:
            from twin.adapters.sqlite_oauth_stores import SqliteOAuthStore

            return SqliteOAuthStore(self._oauth_database)
        from twin.adapters.upstash_redis_credentials import RedisOAuthStore

        return RedisOAuthStore(credentials, self._storage.environment_prefix)

    @cached_property
    def client_metadata_documents(self) -> ClientMetadataDocuments:
        from twin.adapters.client_metadata_documents import ClientMetadataFetcher

        return ClientMetadataFetcher(allow_loopback=self.settings.oauth_client_metadata_allow_loopback)

    @cached_property
    def token_verifier(self) -> TokenVerifier:
        verifier = token_verifier(self.settings)
        if verifier is None:
            raise ConfigurationError("TWIN_JWT_SECRET", "verifying bearer tokens needs a secret or a JWKS")
        return verifier

    @cached_property
    def oauth_signing_secret(self) -> str:
        """The HS256 secret the authorization server signs its tokens with (and derives client secrets from)."""
        jwt_secret = secret(self.settings, "jwt_secret")
        if jwt_secret is None:
            raise ConfigurationError("TWIN_JWT_SECRET", "the OAuth authorization server signs tokens with it")
        return jwt_secret

    @cached_property
    def _oauth_database(self) -> SqliteOAuthDatabase:
        from twin.adapters.sqlite_oauth_stores import SqliteOAuthDatabase

        return SqliteOAuthDatabase(str(self.settings.state_dir / "oauth.db"))

    @cached_property
    def _credentials_redis(self) -> Redis | None:
        """The credential records' database: its own when configured (on AWS, where only the authorizer and the OAuth
        function are given it), else the main one."""
        if not self.settings.upstash_credentials_redis_url:
            return self._storage.redis
        return upstash_redis(self.settings, "upstash_credentials_redis")


def token_verifier(settings: Settings) -> TokenVerifier | None:
    """Bearer JWTs checked against the HS256 secret, the JWKS or both; None when neither is configured."""
    from twin.adapters.jwt_tokens import JwtVerifier

    jwt_secret = secret(settings, "jwt_secret")
    if not jwt_secret and not settings.jwks_url:
        return None
    return JwtVerifier(
        issuer=settings.jwt_issuer,
        secret=jwt_secret,
        jwks_url=settings.jwks_url,
        leeway_seconds=settings.jwt_leeway_seconds,
    )
