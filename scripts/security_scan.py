"""Security scanning, as the test command runs it: bandit over the code, checkov over template.yaml and
pip-audit over the pinned dependencies.

A finding fails the scan unless docs/accepted-findings.toml lists it with the reason it is accepted, and an
entry there that no longer matches anything fails it too, so the list stays the truth. pip-audit needs its
vulnerability database (PyPI's JSON API): when that cannot be reached the audit is reported as SKIPPED,
never as passed.

    .venv/bin/python scripts/security_scan.py [--tools DIR]   (DIR: where bandit, checkov, pip-audit are)
"""

import argparse
import fnmatch
import json
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ACCEPTED = ROOT / "docs" / "accepted-findings.toml"
CODE = ("layers/twin/twin", "functions")
TEMPLATE = "template.yaml"
PINS = "constraints.txt"


@dataclass(frozen=True)
class Finding:
    tool: str
    rule: str
    where: str
    """A file for bandit, a resource for checkov."""
    line: str
    """The flagged source line (bandit); empty for checkov."""
    title: str

    def __str__(self) -> str:
        shown = f": {self.line}" if self.line else ""
        return f"{self.tool} {self.rule} {self.where}{shown} ({self.title})"


@dataclass(frozen=True)
class Acceptance:
    tool: str
    rule: str
    where: str
    """A file (bandit) or a resource pattern with * (checkov)."""
    line: str
    reason: str

    def covers(self, finding: Finding) -> bool:
        return (
            finding.tool == self.tool
            and finding.rule == self.rule
            and fnmatch.fnmatchcase(finding.where, self.where)
            and self.line in finding.line
        )


def bandit(tools: Path) -> Iterator[Finding]:
    result = _run([str(tools / "bandit"), "-q", "-r", *CODE, "-f", "json"])
    for issue in json.loads(result.stdout)["results"]:
        path = Path(issue["filename"])
        line = path.read_text(encoding="utf-8").splitlines()[issue["line_number"] - 1].strip()
        yield Finding("bandit", issue["test_id"], path.as_posix(), line, issue["issue_text"])


def checkov(tools: Path) -> Iterator[Finding]:
    command = [str(tools / "checkov"), "-f", TEMPLATE, "--framework", "cloudformation", "-o", "json", "--quiet"]
    report = json.loads(_run(command).stdout)
    for check in (report if isinstance(report, dict) else report[0])["results"]["failed_checks"]:
        yield Finding("checkov", check["check_id"], check["resource"], "", check["check_name"])


def pip_audit(tools: Path) -> tuple[str, list[str]]:
    """The audit's outcome ("passed", "failed" or "SKIPPED ...") and its vulnerabilities."""
    command = [str(tools / "pip-audit"), "-r", PINS, "--no-deps", "--disable-pip", "--progress-spinner", "off"]
    result = _run([*command, "-f", "json", "--timeout", "10"], check=False)
    try:
        dependencies = json.loads(result.stdout)["dependencies"]
    except (json.JSONDecodeError, KeyError):
        reason = (result.stderr.strip().splitlines() or ["no report"])[-1]
        return f"SKIPPED: the vulnerability database could not be reached ({reason})", []
    audited = [dependency for dependency in dependencies if "skip_reason" not in dependency]
    if not audited:
        return f"SKIPPED: none of the {len(dependencies)} pinned packages could be looked up (no database here)", []
    found = [
        f"{dependency['name']} {dependency['version']}: {vulnerability['id']} (fixed in {_fixes(vulnerability)})"
        for dependency in audited
        for vulnerability in dependency.get("vulns", [])
    ]
    skipped = len(dependencies) - len(audited)
    outcome = "failed" if found else "passed"
    return f"{outcome} ({len(audited)} packages audited, {skipped} could not be looked up)", found


def _fixes(vulnerability: dict[str, list[str]]) -> str:
    return ", ".join(vulnerability["fix_versions"]) or "no release yet"


def accepted() -> list[Acceptance]:
    entries = tomllib.loads(ACCEPTED.read_text(encoding="utf-8"))
    return [
        Acceptance(tool, entry["rule"], entry["where"], entry.get("line", ""), entry["reason"])
        for tool in ("bandit", "checkov")
        for entry in entries.get(tool, [])
    ]


def _run(command: list[str], *, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    # bandit and checkov exit 1 when they find something: their report says what.
    if check and result.returncode not in (0, 1):
        sys.exit(f"{command[0]} failed ({result.returncode}): {result.stderr.strip()}")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tools", type=Path, default=ROOT / ".venv-scan" / "bin")
    tools = parser.parse_args().tools
    acceptances = accepted()
    findings = [*bandit(tools), *checkov(tools)]
    new = [finding for finding in findings if not any(a.covers(finding) for a in acceptances)]
    stale = [a for a in acceptances if not any(a.covers(finding) for finding in findings)]
    audit, vulnerabilities = pip_audit(tools)

    known = len(findings) - len(new)
    print(f"security scan: {len(findings)} findings, {known} accepted in {ACCEPTED.relative_to(ROOT)}")
    for finding in new:
        print(f"  NEW    {finding}")
    for acceptance in stale:
        print(f"  STALE  {acceptance.tool} {acceptance.rule} {acceptance.where}: matches nothing now; remove it")
    print(f"pip-audit: {audit}")
    for vulnerability in vulnerabilities:
        print(f"  VULNERABLE  {vulnerability}")
    return 1 if new or stale or vulnerabilities else 0


if __name__ == "__main__":
    sys.exit(main())
