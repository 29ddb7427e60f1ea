"""Every error the twin raises on purpose. Entry points map `code` to their own protocol."""


class TwinError(Exception):
    """Base class: `code` is stable and safe to show to callers; the message is too: it never quotes them."""

    code = "twin_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidRequestError(TwinError):
    """A request the caller can fix: a field is missing, empty, too long or out of range."""

    code = "invalid_request"


class InsightsWindowError(TwinError):
    """Insights over a number of days that is not a whole number in range."""

    code = "invalid_days"

    def __init__(self, minimum: int, maximum: int) -> None:
        super().__init__(f"days must be a whole number from {minimum} to {maximum}")


class ProfileFormatError(TwinError):
    """A profile document that cannot be read; `location` is a JSON path or `line N`."""

    code = "invalid_profile"

    MAX_LOCATION_CHARS = 120

    def __init__(self, location: str, expected: str) -> None:
        # A JSON path names the document's own keys, which can be as long as the document: cap it.
        if len(location) > self.MAX_LOCATION_CHARS:
            location = location[: self.MAX_LOCATION_CHARS - 1] + "…"
        super().__init__(f"{location}: expected {expected}")
        self.location = location
        self.expected = expected


class MalformedJsonError(TwinError):
    """A body that is not JSON the twin reads: bad syntax, not UTF-8, nested too deep, a number too long."""

    code = "malformed_json"

    def __init__(self) -> None:
        super().__init__("the request body is not valid JSON")


class SectionNotFoundError(TwinError):
    code = "section_not_found"

    def __init__(self) -> None:
        super().__init__("no profile section has that id")


class AnswerNotFoundError(TwinError):
    code = "answer_not_found"

    def __init__(self) -> None:
        super().__init__("no approved answer has that id")


class PayloadTooLargeError(TwinError):
    code = "payload_too_large"

    def __init__(self, limit_bytes: int) -> None:
        super().__init__(f"the request body is larger than {limit_bytes} bytes")
        self.limit_bytes = limit_bytes


class ProfileNotIngestedError(TwinError):
    """Asking or searching before any profile was ingested."""

    code = "profile_not_ingested"

    def __init__(self, twin_id: str) -> None:
        super().__init__(f"no profile has been ingested for twin {twin_id!r} yet")
        self.twin_id = twin_id


class ConcurrentIngestError(TwinError):
    """Another ingest of the twin published first, or is publishing now: this one changed nothing."""

    code = "concurrent_ingest"

    def __init__(self, twin_id: str) -> None:
        super().__init__(
            f"another ingest of twin {twin_id!r} is under way or has just published; "
            "this one changed nothing: try again"
        )
        self.twin_id = twin_id


class ConfigurationError(TwinError):
    """A setting that is missing or wrong; raised at start, naming the setting."""

    code = "configuration_error"

    def __init__(self, setting: str, problem: str) -> None:
        super().__init__(f"{setting}: {problem}")
        self.setting = setting


class AuthenticationError(TwinError):
    """No credential, or one that does not prove an identity. `reason` is for the audit log only."""

    code = "unauthorized"

    def __init__(self, reason: str) -> None:
        super().__init__("a valid bearer token or API key is required")
        self.reason = reason


class SessionNotFoundError(TwinError):
    code = "session_not_found"

    def __init__(self) -> None:
        super().__init__("no such session of yours")


class BackendUnavailableError(TwinError):
    """A cloud service (Upstash, Groq) failed, timed out or refused; `service` names it."""

    code = "backend_unavailable"

    def __init__(self, service: str, reason: str, retry_after_seconds: int | None = None) -> None:
        super().__init__(f"{service} is unavailable ({reason})")
        self.service = service
        self.reason = reason
        self.retry_after_seconds = retry_after_seconds


class RetrievalUnavailableError(TwinError):
    """The index cannot be searched and no cached answer can stand in: HTTP 503 with Retry-After."""

    code = "retrieval_unavailable"

    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__("the profile index is unavailable right now; try again shortly")
        self.retry_after_seconds = retry_after_seconds


class InviteRefusedError(TwinError):
    """An invite code that lets nobody in: `reason` is `unknown_code`, `revoked`, `expired`, `used_up` or
    `scope_beyond_invite`."""

    code = "access_denied"

    def __init__(self, reason: str) -> None:
        super().__init__(_INVITE_REFUSALS.get(reason, "this invite code is not valid"))
        self.reason = reason


_INVITE_REFUSALS = {
    "expired": "this invite has expired",
    "used_up": "this invite has been used as many times as it allows",
    "scope_beyond_invite": "the access asked for is more than this invite allows",
}


class ClientMetadataError(TwinError):
    """An OAuth client metadata document that cannot be used: `reason` says why (for the audit log)."""

    code = "invalid_client_metadata"

    def __init__(self, reason: str) -> None:
        super().__init__("the client's metadata document cannot be used")
        self.reason = reason


class BackupFormatError(TwinError):
    """A backup file that cannot be restored: not JSON, not a twin's backup, or a record that does not read.
    `location` is a JSON path of the file (`parts.api_keys[2].key_hash`); nothing was written."""

    code = "invalid_backup"

    def __init__(self, location: str, expected: str) -> None:
        super().__init__(f"{location}: expected {expected}; nothing was restored")
        self.location = location


class BackupVersionError(TwinError):
    """A backup file made by a newer twin: of a later format version, or with a part this twin does not know."""

    code = "unsupported_backup"

    def __init__(self, found: str, version: int) -> None:
        super().__init__(
            f"this backup was made by a newer twin ({found}); this one reads format version {version} and its parts:"
            " upgrade it, then restore; nothing was restored"
        )
