"""`sam build && sam deploy` publishes new function versions whenever the layer or a setting changes.

SAM's AutoPublishAlias makes a new version only when a function's own code changes, and here the code lives in
the layer. These tests run the SAM translator (the transform CloudFormation applies at deploy) from the SAM CLI's
environment, `.venv-sam`, which `scripts/dev` makes before the tests; they are skipped where it is missing.
"""

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.unit.test_template import FUNCTIONS, ROOT, TEMPLATE

SAM_PYTHON = ROOT / ".venv-sam" / "bin" / "python"

# Translates template.yaml as `sam deploy` would after `sam package`: every artifact an S3 object, the layer's named
# by the checksum of its directory, which is what `sam package` names it by.
TRANSLATE = """
import json, sys
from samcli.lib.utils.hash import dir_checksum
from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse

class NoManagedPolicies:
    def load(self):
        return {}

def translated(request):
    template = yaml_parse(open(request["template"], encoding="utf-8").read())
    for resource in template["Resources"].values():
        if resource["Type"] == "AWS::Serverless::Function":
            resource["Properties"]["CodeUri"] = "s3://artifacts/" + resource["Properties"]["CodeUri"].strip("/")
    layer = template["Resources"]["TwinLayer"]["Properties"]
    layer["ContentUri"] = "s3://artifacts/" + dir_checksum(request["layer"], followlinks=True)
    return transform(template, request["parameters"], NoManagedPolicies())["Resources"]

print(json.dumps([translated(request) for request in json.load(sys.stdin)]))
"""

pytestmark = pytest.mark.skipif(not SAM_PYTHON.exists(), reason="needs .venv-sam (scripts/dev template makes it)")


def translated(*builds: tuple[Path, dict[str, str]]) -> list[dict[str, Any]]:
    """Each (layer directory, parameter values) translated, in one run of the SAM CLI's Python."""
    requests = [
        {"template": str(ROOT / "template.yaml"), "layer": str(layer), "parameters": parameters}
        for layer, parameters in builds
    ]
    completed = subprocess.run(
        [str(SAM_PYTHON), "-c", TRANSLATE],
        input=json.dumps(requests),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        env={"AWS_DEFAULT_REGION": "us-east-1", "PATH": "/usr/bin:/bin"},
    )
    resources: list[dict[str, Any]] = json.loads(completed.stdout)
    return resources


def layer_build(directory: Path) -> Path:
    """The part of a layer build that comes from this repository: the `twin` package."""
    shutil.copytree(ROOT / "layers" / "twin" / "twin", directory / "python" / "twin")
    return directory


def version_inputs(resources: dict[str, Any], parameters: dict[str, str]) -> Any:
    """The inputs of the digest as CloudFormation resolves them: the layer version, every parameter's value."""
    defaults = {name: str(parameter.get("Default", "")) for name, parameter in TEMPLATE["Parameters"].items()}
    values = {**defaults, **parameters}
    inputs = resources["VersionInputs"]["Properties"]["Inputs"]
    return {
        "Layer": inputs["Layer"],
        "Parameters": {name: values[ref["Ref"]] for name, ref in inputs["Parameters"].items()},
    }


def assert_every_function_version_is_published_from(resources: dict[str, Any]) -> None:
    versions = {
        resource["Properties"]["FunctionName"]["Ref"]: resource
        for resource in resources.values()
        if resource["Type"] == "AWS::Lambda::Version"
    }
    assert set(versions) == set(FUNCTIONS)
    for function, version in versions.items():
        assert version["Properties"]["Description"] == {"Fn::Sub": "inputs ${VersionInputs.Digest}"}, function
        environment = resources[function]["Properties"]["Environment"]["Variables"]
        assert environment["VERSION_INPUTS_SHA256"] == {"Fn::GetAtt": ["VersionInputs", "Digest"]}, function


def test_two_builds_that_differ_in_one_twin_source_file_publish_new_versions_of_every_function(tmp_path: Path) -> None:
    before = layer_build(tmp_path / "before")
    after = layer_build(tmp_path / "after")
    changed = after / "python" / "twin" / "domain" / "limits.py"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")

    old, new = translated((before, {}), (after, {}))

    assert version_inputs(old, {})["Layer"] != version_inputs(new, {})["Layer"]
    assert_every_function_version_is_published_from(old)
    assert_every_function_version_is_published_from(new)


CHANGES = {"LogLevel": "DEBUG", "UpstashRedisUrl": "https://redis.example", "FunctionMemorySize": "2048"}


def test_two_deploys_that_differ_in_one_parameter_publish_new_versions_of_every_function(tmp_path: Path) -> None:
    layer = layer_build(tmp_path)

    old, *new = translated((layer, {}), *((layer, {name: value}) for name, value in CHANGES.items()))

    for (name, value), changed in zip(CHANGES.items(), new, strict=True):
        assert version_inputs(old, {}) != version_inputs(changed, {name: value}), name
        assert_every_function_version_is_published_from(changed)
