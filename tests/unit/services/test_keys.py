from typing import TYPE_CHECKING

import boto3
import pytest
from botocore.stub import ANY, Stubber

from twin.adapters.api_gateway_usage_plans import ApiGatewayUsagePlans
from twin.adapters.sqlite_key_store import SqliteKeyStore
from twin.errors import BackendUnavailableError, InvalidRequestError
from twin.services.keys import KeyService
from twin.settings import TIERS

if TYPE_CHECKING:
    from mypy_boto3_apigateway import APIGatewayClient

PLANS = {"free": "plan-free", "pro": "plan-pro", "partner": "plan-partner"}


@pytest.fixture
def client() -> "APIGatewayClient":
    return boto3.client("apigateway", region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")


@pytest.fixture
def gateway(client: "APIGatewayClient") -> Stubber:
    return Stubber(client)


def test_a_new_key_is_metered_in_its_tiers_usage_plan_then_stored(gateway: Stubber, client: "APIGatewayClient") -> None:
    gateway.add_response(
        "create_api_key", {"id": "gw-key-1"}, {"name": ANY, "description": ANY, "enabled": True, "value": ANY}
    )
    gateway.add_response(
        "create_usage_plan_key", {}, {"usagePlanId": "plan-pro", "keyId": "gw-key-1", "keyType": "API_KEY"}
    )
    store = SqliteKeyStore(":memory:")
    service = KeyService(keys=store, tiers=TIERS, usage_plans=ApiGatewayUsagePlans(PLANS, client))

    with gateway:
        key, record = service.create(client_id="acme", tier="pro", scopes=["twin:read"], actor="test")

    gateway.assert_no_pending_responses()
    assert store.list() == [record]
    assert key.startswith("twk_")


def test_revoking_a_key_removes_it_from_api_gateway(gateway: Stubber, client: "APIGatewayClient") -> None:
    store = SqliteKeyStore(":memory:")
    _, record = KeyService(keys=store, tiers=TIERS).create(
        client_id="acme", tier="free", scopes=["twin:ask"], actor="t"
    )
    gateway.add_response(
        "get_api_keys",
        {"items": [{"id": "gw-7", "name": record.key_id}]},
        {"nameQuery": record.key_id, "includeValues": False},
    )
    gateway.add_response("delete_api_key", {}, {"apiKey": "gw-7"})
    service = KeyService(keys=store, tiers=TIERS, usage_plans=ApiGatewayUsagePlans(PLANS, client))

    with gateway:
        assert service.revoke(record.key_id, actor="test")

    gateway.assert_no_pending_responses()


def test_when_api_gateway_refuses_no_key_is_stored(gateway: Stubber, client: "APIGatewayClient") -> None:
    gateway.add_client_error("create_api_key", service_error_code="TooManyRequestsException", http_status_code=429)
    store = SqliteKeyStore(":memory:")
    service = KeyService(keys=store, tiers=TIERS, usage_plans=ApiGatewayUsagePlans(PLANS, client))

    with gateway, pytest.raises(BackendUnavailableError):
        service.create(client_id="acme", tier="pro", scopes=["twin:read"], actor="test")

    assert store.list() == []


@pytest.mark.parametrize(
    ("tier", "scopes", "client"),
    [("gold", ["twin:read"], "acme"), ("pro", [], "acme"), ("pro", ["root"], "acme"), ("pro", ["twin:read"], " ")],
)
def test_a_key_request_with_a_bad_tier_scope_or_client_is_refused(tier: str, scopes: list[str], client: str) -> None:
    with pytest.raises(InvalidRequestError):
        KeyService(keys=SqliteKeyStore(":memory:"), tiers=TIERS).create(
            client_id=client, tier=tier, scopes=scopes, actor="t"
        )
