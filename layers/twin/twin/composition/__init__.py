"""The composition root: settings in, services wired to their adapters out. Built once per process.

Each part is built on first use, and adapters are imported only then: a Lambda function imports only
what it uses (a short cold start) and reads only the secrets its IAM role allows. With no cloud
settings everything is embedded (SQLite, in-process, extractive); with Upstash and Groq settings the
cloud adapters take over, each wrapped so that an outage degrades the answer instead of failing it.

`Services` wires the services; where they keep their data (`storage.py`), who answers and judges (`models.py`) and
where credentials live (`credentials.py`) are chosen beside it.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from twin.composition.credentials import Credentials, token_verifier
from twin.composition.models import Models
from twin.composition.storage import Storage
from twin.errors import ConfigurationError
from twin.parameters import secret
from twin.settings import TIERS, Settings, lambda_runtime_variable

if TYPE_CHECKING:
    from aws_lambda_powertools import Metrics

    from twin.adapters.xray_daemon import XRayDaemon
    from twin.ports import Telemetry, TokenIssuer
    from twin.security.authenticator import Authenticator
    from twin.services.answers import AnswerService
    from twin.services.ask import AskService
    from twin.services.backup import BackupService
    from twin.services.fit import FitService
    from twin.services.ingest import IngestReport, IngestService
    from twin.services.invites import InviteService
    from twin.services.keys import KeyService
    from twin.services.profile import ProfileService
    from twin.services.questions import QuestionsService
    from twin.services.search import SearchService
    from twin.services.sessions import SessionService


class Services:
    def __init__(self, settings: Settings, telemetry: Telemetry | None = None, *, concurrent: bool = True) -> None:
        """`telemetry` is where metrics and spans go: CloudWatch and X-Ray in Lambda; nowhere by default.
        `concurrent`: the process serves requests side by side (`twin serve`), not one at a time (a Lambda function).
        """
        from twin.adapters.null_telemetry import NullTelemetry

        self.settings = settings
        self.concurrent = concurrent
        self.telemetry: Telemetry = telemetry or NullTelemetry()
        self.storage = Storage(settings, self.telemetry)
        self.models = Models(settings, self.telemetry, self.storage)
        self.credentials = Credentials(settings, self.storage)

    @cached_property
    def ask(self) -> AskService:
        from twin.services.ask import AskService

        return AskService(
            twin_id=self.settings.twin_id,
            index=self.storage.index,
            store=self.storage.ask_store,
            model=self.models.model,
            telemetry=self.telemetry,
        )

    @cached_property
    def fit(self) -> FitService:
        from twin.services.fit import FitService

        return FitService(
            twin_id=self.settings.twin_id,
            index=self.storage.index,
            profiles=self.storage.profiles,
            model=self.models.fit_model,
            cache=self.storage.cache,
            cache_ttl_seconds=self.settings.cache_ttl_seconds,
            telemetry=self.telemetry,
        )

    @cached_property
    def search(self) -> SearchService:
        from twin.services.search import SearchService

        return SearchService(
            twin_id=self.settings.twin_id,
            index=self.storage.index,
            profiles=self.storage.profiles,
            telemetry=self.telemetry,
        )

    @cached_property
    def profile(self) -> ProfileService:
        from twin.services.profile import ProfileService

        return ProfileService(twin_id=self.settings.twin_id, index=self.storage.index, profiles=self.storage.profiles)

    @cached_property
    def ingest(self) -> IngestService:
        from twin.services.ingest import IngestService

        return IngestService(
            twin_id=self.settings.twin_id,
            environment=self.settings.environment,
            index=self.storage.writable_index,
            profiles=self.storage.profiles,
            publisher=self.storage.publisher,
            documents=self.storage.profile_documents,
            approved=self.storage.approved_answers,
        )

    @cached_property
    def questions(self) -> QuestionsService:
        """The owner's view of the question log: insights and purges."""
        from twin.services.questions import QuestionsService

        return QuestionsService(questions=self.storage.question_log, profile=self.profile)

    @cached_property
    def answers(self) -> AnswerService:
        from twin.services.answers import AnswerService

        return AnswerService(answers=self.storage.approved_answers, ingest=self.ingest)

    @cached_property
    def authenticator(self) -> Authenticator:
        """The decision both enforcers share: `twin serve` and the Lambda authorizer."""
        from twin.security.authenticator import Authenticator

        return Authenticator(
            tokens=token_verifier(self.settings),
            keys=lambda: self.credentials.key_store,
            invites=lambda: self.credentials.invite_store,
            tiers=TIERS,
        )

    @cached_property
    def keys(self) -> KeyService:
        from twin.services.keys import KeyService

        usage_plans = None
        if self.settings.usage_plan_ids:
            from twin.adapters.api_gateway_usage_plans import ApiGatewayUsagePlans

            usage_plans = ApiGatewayUsagePlans(self.settings.usage_plan_ids)
        return KeyService(keys=self.credentials.key_store, tiers=TIERS, usage_plans=usage_plans)

    @cached_property
    def token_issuer(self) -> TokenIssuer:
        """Issues the HS256 tokens `twin serve` and `twin token issue` print."""
        from twin.adapters.jwt_tokens import JwtIssuer

        jwt_secret = secret(self.settings, "jwt_secret")
        if jwt_secret is None:
            raise ConfigurationError("TWIN_JWT_SECRET", "issuing tokens needs an HS256 secret")
        return JwtIssuer(secret=jwt_secret, issuer=self.settings.jwt_issuer)

    @cached_property
    def sessions(self) -> SessionService:
        from twin.services.sessions import SessionService

        return SessionService(sessions=self.storage.sessions_store)

    @cached_property
    def invites(self) -> InviteService:
        from twin.services.invites import InviteService

        return InviteService(invites=self.credentials.invite_store)

    @cached_property
    def backup(self) -> BackupService:
        """`twin backup`: each durable store a part of the file (docs/operations.md#back-up-and-restore)."""
        from twin.services.backup import BackupPart, BackupService
        from twin.services.backup_parts import (
            ApiKeys,
            ApprovedAnswers,
            Invites,
            OAuthRecords,
            ProfilePart,
            Questions,
            RecordPart,
        )

        settings = self.settings
        parts: list[BackupPart] = [
            RecordPart("api_keys", self.credentials.key_store, ApiKeys(TIERS)),
            RecordPart("invites", self.credentials.invite_store, Invites()),
            RecordPart("oauth", self.credentials.oauth_store, OAuthRecords()),
            RecordPart("questions", self.storage.question_log, Questions()),
            RecordPart("approved_answers", self.storage.approved_answers, ApprovedAnswers()),
            ProfilePart(twin_id=settings.twin_id, documents=self.storage.profile_documents, ingest=self.ingest),
        ]
        return BackupService(parts=parts, twin_id=settings.twin_id, environment=settings.environment)

    @property
    def offloads(self) -> bool:
        """Whether a service call or an authentication goes to the thread pool: it can wait on a network service
        (Upstash, Groq, a JWKS) and the process has other requests to serve meanwhile. With every adapter in this
        process, or one request at a time, a hop (and, in Lambda, importing the thread machinery) only costs."""
        return self.concurrent and self._waits_on_network

    @property
    def _waits_on_network(self) -> bool:
        settings = self.settings
        return bool(
            settings.upstash_vector_url
            or settings.upstash_redis_url
            or settings.upstash_credentials_redis_url
            or settings.groq_api_key
            or settings.groq_api_key_parameter
            or settings.jwks_url
        )

    def issue_oauth_token(
        self, subject: str, audience: str, scopes: list[str], claims: dict[str, str], ttl_seconds: int
    ) -> str:
        return self.token_issuer.issue(
            subject=subject,
            audiences=[audience],
            scopes=scopes,
            ttl_seconds=ttl_seconds,
            tier=TIERS[0],
            claims=claims,
        )


def lambda_telemetry(metrics: Metrics) -> tuple[Telemetry, XRayDaemon | None]:
    """In Lambda: EMF metrics through the function's Powertools `metrics`, and X-Ray subsegments (the daemon, also
    returned for the request subsegments) when the function runs with active tracing."""
    from twin.adapters.cloudwatch_telemetry import CloudWatchTelemetry
    from twin.adapters.snapstart import after_restore
    from twin.adapters.xray_daemon import XRayDaemon

    address = lambda_runtime_variable("AWS_XRAY_DAEMON_ADDRESS")
    xray = None
    if address:
        xray = XRayDaemon(address, lambda: lambda_runtime_variable("_X_AMZN_TRACE_ID"))
        after_restore(xray.reconnect)  # a restored snapshot must not share the socket made before it
    return CloudWatchTelemetry(metrics, xray), xray


def build_services(settings: Settings, telemetry: Telemetry | None = None, *, concurrent: bool = True) -> Services:
    return Services(settings, telemetry, concurrent=concurrent)


def seed_if_empty(services: Services) -> IngestReport | None:
    """With the embedded index, ingest the configured profile or the bundled sample when the twin has none.

    A cloud index is never seeded: its owner ingests into it.
    """
    if not services.storage.embedded_index or services.profile.find() is not None:
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
