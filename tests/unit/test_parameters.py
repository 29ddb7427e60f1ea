"""Secrets by name: read from SSM Parameter Store through Powertools Parameters (stubbed, no network)."""

from collections.abc import Iterator
from typing import TYPE_CHECKING

import boto3
import pytest
from aws_lambda_powertools.utilities.parameters import SSMProvider
from aws_lambda_powertools.utilities.parameters.constants import DEFAULT_PROVIDERS
from botocore.stub import Stubber

from twin.errors import ConfigurationError
from twin.parameters import secret
from twin.settings import Secret, Settings

if TYPE_CHECKING:
    from mypy_boto3_ssm import SSMClient


@pytest.fixture
def ssm(monkeypatch: pytest.MonkeyPatch) -> Iterator[Stubber]:
    client: SSMClient = boto3.client(
        "ssm", region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test"
    )
    monkeypatch.setitem(DEFAULT_PROVIDERS, "ssm", SSMProvider(boto3_client=client))
    with Stubber(client) as stubber:
        yield stubber


def test_a_secret_given_as_a_value_is_used_as_is() -> None:
    assert secret(Settings(groq_api_key=Secret("gsk-value")), "groq_api_key") == "gsk-value"


def test_a_secret_given_as_a_parameter_name_is_read_decrypted_from_ssm(ssm: Stubber) -> None:
    ssm.add_response(
        "get_parameter",
        {"Parameter": {"Name": "/twin/dev/groq", "Value": "gsk-from-ssm", "Type": "SecureString"}},
        {"Name": "/twin/dev/groq", "WithDecryption": True},
    )

    assert secret(Settings(groq_api_key_parameter="/twin/dev/groq"), "groq_api_key") == "gsk-from-ssm"
    ssm.assert_no_pending_responses()


def test_an_unreadable_parameter_fails_naming_the_setting(ssm: Stubber) -> None:
    ssm.add_client_error("get_parameter", service_error_code="AccessDeniedException", http_status_code=400)

    with pytest.raises(ConfigurationError) as failure:
        secret(Settings(jwt_secret_parameter="/twin/dev/missing"), "jwt_secret")

    assert failure.value.setting == "TWIN_JWT_SECRET_PARAMETER"


def test_no_secret_and_no_parameter_is_none() -> None:
    assert secret(Settings(), "groq_api_key") is None
