"""API keys in API Gateway's usage plans, so the key the authorizer returns as `usageIdentifierKey` is metered.

API Gateway answers 403 for a usage identifier that no usage plan holds: a key made by `twin keys create`
is registered in its tier's plan (the stack outputs the plan ids) and removed from API Gateway on revoke.
"""

from collections.abc import Mapping
from typing import TYPE_CHECKING

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from twin.errors import BackendUnavailableError, ConfigurationError
from twin.security.api_keys import ApiKeyRecord

if TYPE_CHECKING:
    from mypy_boto3_apigateway import APIGatewayClient

SERVICE = "api-gateway"


class ApiGatewayUsagePlans:
    def __init__(self, plan_ids: Mapping[str, str], client: "APIGatewayClient | None" = None) -> None:
        self._plan_ids = dict(plan_ids)
        self._client = client or boto3.client("apigateway")

    def register(self, record: ApiKeyRecord, key: str) -> None:
        plan_id = self._plan_ids.get(record.tier)
        if plan_id is None:
            raise ConfigurationError("TWIN_USAGE_PLAN_IDS", f"no usage plan for the tier {record.tier!r}")
        try:
            created = self._client.create_api_key(
                name=record.key_id, description=f"Digital Twin key of {record.client_id}", enabled=True, value=key
            )
            self._client.create_usage_plan_key(usagePlanId=plan_id, keyId=created["id"], keyType="API_KEY")
        except (BotoCoreError, ClientError) as error:
            raise BackendUnavailableError(SERVICE, type(error).__name__) from None

    def deregister(self, key_id: str) -> None:
        try:
            listed = self._client.get_api_keys(nameQuery=key_id, includeValues=False)
            for api_key in listed.get("items", []):
                if api_key.get("name") == key_id and "id" in api_key:
                    self._client.delete_api_key(apiKey=api_key["id"])
        except (BotoCoreError, ClientError) as error:
            raise BackendUnavailableError(SERVICE, type(error).__name__) from None
