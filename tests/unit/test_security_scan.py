"""The security scan's verdicts, with stand-ins for bandit, checkov and pip-audit (no network, no real scan)."""

import importlib.util
import json
import stat
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "security_scan.py"


@pytest.fixture(scope="module")
def scan() -> ModuleType:
    spec = importlib.util.spec_from_file_location("security_scan", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fake_tool(directory: Path, name: str, report: object) -> None:
    path = directory / name
    path.write_text(f"#!{sys.executable}\nprint({json.dumps(json.dumps(report))})\n")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)


def test_an_audit_that_could_look_nothing_up_is_skipped_not_passed(scan: ModuleType, tmp_path: Path) -> None:
    unreachable = {"dependencies": [{"name": "httpx", "skip_reason": "Dependency not found on PyPI"}]}
    fake_tool(tmp_path, "pip-audit", unreachable)

    outcome, vulnerabilities = scan.pip_audit(tmp_path)

    assert outcome.startswith("SKIPPED")
    assert vulnerabilities == []


def test_an_audit_that_finds_a_vulnerability_names_it_and_its_fix(scan: ModuleType, tmp_path: Path) -> None:
    vulnerable = {"id": "PYSEC-1", "fix_versions": ["2.1"]}
    report = {"dependencies": [{"name": "pkg", "version": "2.0", "vulns": [vulnerable]}]}
    fake_tool(tmp_path, "pip-audit", report)

    outcome, vulnerabilities = scan.pip_audit(tmp_path)

    assert outcome.startswith("failed")
    assert vulnerabilities == ["pkg 2.0: PYSEC-1 (fixed in 2.1)"]


def test_an_acceptance_covers_its_rule_and_place_only(scan: ModuleType) -> None:
    accepted = scan.Acceptance("checkov", "CKV_AWS_116", "AWS::Serverless::Function.*", "", "synchronous only")

    assert accepted.covers(scan.Finding("checkov", "CKV_AWS_116", "AWS::Serverless::Function.AskFunction", "", ""))
    assert not accepted.covers(scan.Finding("checkov", "CKV_AWS_117", "AWS::Serverless::Function.AskFunction", "", ""))
    assert not accepted.covers(scan.Finding("checkov", "CKV_AWS_116", "AWS::SQS::Queue.Jobs", "", ""))


def test_every_accepted_finding_gives_its_reason(scan: ModuleType) -> None:
    accepted = scan.accepted()

    assert accepted
    assert all(len(acceptance.reason.split()) >= 8 for acceptance in accepted)
