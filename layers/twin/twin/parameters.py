"""Secret values: from settings locally, from SSM Parameter Store (SecureString) names in AWS.

Not Secrets Manager: no function may read it, so the settings refuse `/aws/reference/secretsmanager/...` names.
"""

import secrets
import sys
from pathlib import Path

from twin.adapters.snapstart import after_restore
from twin.errors import ConfigurationError
from twin.settings import PREFIX, Secret, Settings
from twin.state_files import PRIVATE_FILE_MODE, state_directory

PARAMETER_MAX_AGE_SECONDS = 300
_POWERTOOLS_PARAMETERS = "aws_lambda_powertools.utilities.parameters"


def _forget_cached_parameters() -> None:
    """Values read before a SnapStart snapshot would otherwise outlive a rotation in every restored environment."""
    parameters = sys.modules.get(_POWERTOOLS_PARAMETERS)
    if parameters is not None:  # never imported: nothing was read
        parameters.clear_caches()


after_restore(_forget_cached_parameters)


def secret(settings: Settings, name: str) -> str | None:
    """The secret setting `name` (e.g. "groq_api_key"): its value, or the parameter `<name>_parameter` names."""
    value: Secret | None = getattr(settings, name)
    if value is not None:
        return value.value
    parameter: str | None = getattr(settings, f"{name}_parameter")
    if parameter:
        return read_parameter(parameter, setting=f"{PREFIX}{name.upper()}_PARAMETER")
    return None


def read_parameter(name: str, *, setting: str) -> str:
    """A SecureString parameter, cached for a few minutes (and forgotten when a SnapStart snapshot is restored)."""
    # Powertools Parameters brings boto3: import it only where a parameter is configured.
    from aws_lambda_powertools.utilities import parameters

    try:
        value = parameters.get_parameter(name, decrypt=True, max_age=PARAMETER_MAX_AGE_SECONDS)
    except parameters.exceptions.GetParameterError as error:
        raise ConfigurationError(setting, f"cannot read parameter {name}: {error}") from None
    return str(value)


def local_jwt_secret(state_dir: Path) -> str:
    """The HS256 secret of `twin serve`, made once and kept private in the state directory."""
    path = state_dir / "jwt-secret"
    if not path.exists():
        state_directory(state_dir)
        path.touch(mode=PRIVATE_FILE_MODE)
        path.write_text(secrets.token_urlsafe(48), encoding="utf-8")
    return path.read_text(encoding="utf-8").strip()
