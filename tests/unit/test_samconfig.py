"""samconfig.toml: an environment per stack and region, and the regions of one stack deployed alike."""

import re
import tomllib
from collections import defaultdict
from typing import Any

import pytest

from tests.unit.test_template import ROOT, TEMPLATE

CONFIG: dict[str, Any] = tomllib.loads((ROOT / "samconfig.toml").read_text(encoding="utf-8"))
ENVIRONMENTS = sorted(name for name in CONFIG if name != "version")


def _overrides(environment: str) -> dict[str, str]:
    given = CONFIG[environment]["deploy"]["parameters"]["parameter_overrides"]
    pairs = given.split() if isinstance(given, str) else given
    return dict(pair.split("=", 1) for pair in pairs)


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_every_environment_deploys_a_named_stack_with_its_stage_and_only_template_parameters(environment: str) -> None:
    overrides = _overrides(environment)

    assert CONFIG[environment]["global"]["parameters"]["stack_name"].startswith("digital-twin-")
    assert "Stage" in overrides
    assert set(overrides) <= set(TEMPLATE["Parameters"])
    assert CONFIG[environment]["validate"]["parameters"]["lint"] is True


def test_a_stack_in_several_regions_has_an_environment_per_region_and_the_same_parameters_in_each() -> None:
    """One issuer and JWT secret (Stage and the parameter names), one Redis and one index for all of its regions."""
    by_stack: dict[str, list[str]] = defaultdict(list)
    for environment in ENVIRONMENTS:
        by_stack[CONFIG[environment]["global"]["parameters"]["stack_name"]].append(environment)
    prod = by_stack["digital-twin-prod"]

    regions = [CONFIG[environment]["global"]["parameters"]["region"] for environment in prod]
    assert all(re.fullmatch(r"[a-z]{2}-[a-z]+-\d", region) for region in regions)
    assert len(set(regions)) == len(regions) >= 2
    assert len({tuple(sorted(_overrides(environment).items())) for environment in prod}) == 1
