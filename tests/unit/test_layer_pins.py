"""The layer holds the versions the tests ran against: the adapters reach into private parts of the SDKs."""

import re
from importlib.metadata import version
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAYER = ROOT / "layers" / "twin"
BUILT_LAYER = ROOT / ".aws-sam" / "build" / "TwinLayer" / "python"

# Each SDK whose private attributes an adapter uses, and what it uses.
PRIVATE_PARTS = {
    "upstash-redis": "upstash_redis_stores.redis_client: client._http._client (the httpx client's timeout)",
    "upstash-vector": "upstash_vector_index: index._client (the httpx client)",
    "groq": "groq_model: groq._models.FinalRequestOptions, _calculate_retry_timeout",
}


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins() -> dict[str, str]:
    lines = (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines()
    pairs = (line.split("==", 1) for line in lines if "==" in line and not line.startswith("#"))
    return {_normalized(name): pinned.strip() for name, pinned in pairs}


PINS = _pins()


@pytest.mark.parametrize("sdk", sorted(PRIVATE_PARTS))
def test_the_installed_sdk_is_the_pinned_version_its_adapter_was_written_against(sdk: str) -> None:
    assert version(sdk) == PINS[sdk], f"{sdk} changed under {PRIVATE_PARTS[sdk]}: check the adapter, then re-pin"


def test_the_layer_is_built_from_the_same_pins_as_the_tests() -> None:
    makefile = (LAYER / "Makefile").read_text(encoding="utf-8")

    assert "--constraint constraints.txt" in makefile
    # Inside the layer's directory, so that `sam build --cached` rebuilds the layer when a pin changes.
    assert (LAYER / "constraints.txt").resolve() == ROOT / "constraints.txt"


@pytest.mark.skipif(not BUILT_LAYER.is_dir(), reason="no `sam build` output (scripts/dev template makes it)")
def test_the_built_layer_holds_exactly_the_pinned_version_of_every_distribution() -> None:
    built = {}
    for metadata in BUILT_LAYER.glob("*.dist-info"):
        name, _, built_version = metadata.name.removesuffix(".dist-info").rpartition("-")
        built[_normalized(name)] = built_version

    assert set(PRIVATE_PARTS) <= set(built)
    assert {name: built_version for name, built_version in built.items() if PINS.get(name) != built_version} == {}
