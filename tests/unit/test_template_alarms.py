"""The alarms follow the service level objectives of docs/operations.md, the dashboard shows what each alarm
watches, and every alarm links to its section of docs/runbook.md."""

import json
import re
from typing import Any

import pytest

from tests.unit.test_template import RESOURCES, ROOT, TEMPLATE

PARAMETERS: dict[str, Any] = TEMPLATE["Parameters"]
ALARMS: dict[str, dict[str, Any]] = {
    name: resource["Properties"] for name, resource in RESOURCES.items() if resource["Type"] == "AWS::CloudWatch::Alarm"
}
DOCS = ROOT / "docs"
STACK = "digital-twin-dev"


def _section(markdown: str, heading: str) -> str:
    """The text under `heading` up to the next heading of the same or a higher level."""
    level = heading.split(" ", 1)[0]
    start = markdown.index(f"\n{heading}\n")
    following = re.compile(rf"\n#{{1,{len(level)}}} ")
    match = following.search(markdown, start + len(heading) + 2)
    return markdown[start : match.start() if match else len(markdown)]


def _slo_rows() -> list[list[str]]:
    section = _section((DOCS / "operations.md").read_text(encoding="utf-8"), "## Service level objectives")
    rows = [line for line in section.splitlines() if line.startswith("| ")]
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows[1:]]


SLO_ROWS = _slo_rows()


def _names(cell: str) -> list[str]:
    return re.findall(r"`([A-Za-z0-9]+)`", cell)


def test_the_docs_define_availability_and_latency_of_ask_search_and_mcp_the_fallback_and_authorizer_rates() -> None:
    slos = {row[0] for row in SLO_ROWS}

    assert slos == {
        "ask availability",
        "search availability",
        "MCP availability",
        "ask latency",
        "search latency",
        "MCP latency",
        "answer fallback rate",
        "authorizer error rate",
    }


@pytest.mark.parametrize("row", SLO_ROWS, ids=[row[0] for row in SLO_ROWS])
def test_every_slo_in_the_docs_has_an_alarm_whose_threshold_is_the_parameter_the_docs_name(row: list[str]) -> None:
    _, _, objective, metric, alarm_cell = row
    (alarm,) = _names(alarm_cell)
    threshold = ALARMS[alarm]["Threshold"]
    documented = [name for name in _names(objective) if name in PARAMETERS]

    assert threshold["Ref"] in documented, f"{row[0]}: the docs do not name {alarm}'s threshold"
    # An availability alarm also computes its burn rate from the objective itself.
    assert all(parameter in json.dumps(ALARMS[alarm]) for parameter in documented)
    for namespace, name, dimensions in _alarm_metrics(alarm):
        assert f"`{namespace}`" in metric
        assert f"`{name}`" in metric
        for dimension in ("Resource", "Method"):
            value = dict(dimensions).get(dimension)
            assert value is None or f"`{dimension}={value}`" in metric


@pytest.mark.parametrize("alarm", sorted(ALARMS))
def test_every_alarm_threshold_is_a_parameter_with_a_default(alarm: str) -> None:
    threshold = ALARMS[alarm]["Threshold"]

    assert set(threshold) == {"Ref"}
    assert "Default" in PARAMETERS[threshold["Ref"]]
    assert PARAMETERS[threshold["Ref"]]["Type"] == "Number"


# ------------------------------------------------------------------ the dashboard


def _resolve(value: Any) -> str:
    """A dimension value or a dashboard variable as CloudFormation would resolve it for the stack `STACK` with the
    parameters' defaults; a resource's reference resolves to its logical id."""
    if isinstance(value, str):
        return value
    if "Ref" in value:
        name = value["Ref"]
        if name == "AWS::StackName":
            return STACK
        if name == "AWS::Region":
            return "us-east-1"
        return str(PARAMETERS[name]["Default"]) if name in PARAMETERS else name
    if "Fn::Sub" in value:
        text = value["Fn::Sub"]
        return re.sub(r"\$\{([A-Za-z0-9:]+)\}", lambda match: _resolve({"Ref": match.group(1)}), text)
    raise AssertionError(f"cannot resolve {value}")


def _dashboard() -> dict[str, Any]:
    template, variables = RESOURCES["Dashboard"]["Properties"]["DashboardBody"]["Fn::Sub"]
    resolved = {name: _resolve(value) for name, value in variables.items()}
    body = re.sub(
        r"\$\{([A-Za-z0-9:]+)\}",
        lambda match: resolved.get(match.group(1)) or _resolve({"Ref": match.group(1)}),
        template,
    )
    loaded: dict[str, Any] = json.loads(body)
    return loaded


DASHBOARD = _dashboard()


def _dashboard_metrics() -> set[tuple[str, str, frozenset[tuple[str, str]]]]:
    """(namespace, name, dimensions) of every metric line of every widget (math expressions left out)."""
    found = set()
    for widget in DASHBOARD["widgets"]:
        for line in widget["properties"].get("metrics", []):
            fields = [field for field in line if isinstance(field, str)]
            if len(fields) >= 2:
                pairs = zip(fields[2::2], fields[3::2], strict=True)
                found.add((fields[0], fields[1], frozenset(pairs)))
    return found


def _alarm_metrics(alarm: str) -> list[tuple[str, str, frozenset[tuple[str, str]]]]:
    properties = ALARMS[alarm]
    metrics = [query["MetricStat"]["Metric"] for query in properties.get("Metrics", []) if "MetricStat" in query]
    metrics = metrics or [properties]
    return [
        (
            metric["Namespace"],
            metric["MetricName"],
            frozenset((dimension["Name"], _resolve(dimension["Value"])) for dimension in metric.get("Dimensions", [])),
        )
        for metric in metrics
    ]


def _metric_names(alarm: str) -> list[str]:
    return [name for _, name, _ in _alarm_metrics(alarm)]


def test_the_dashboard_body_is_json_once_cloudformation_fills_it_in_with_slo_burn_widgets_first() -> None:
    titles = [widget["properties"]["title"] for widget in DASHBOARD["widgets"] if widget["y"] == 0]

    assert all(title.startswith("SLO burn") for title in titles)
    assert len(titles) == 3
    boxes = {(widget["x"], widget["y"]) for widget in DASHBOARD["widgets"]}
    assert len(boxes) == len(DASHBOARD["widgets"])  # no widget hides another


@pytest.mark.parametrize("alarm", sorted(ALARMS))
def test_the_dashboard_shows_every_metric_every_alarm_watches(alarm: str) -> None:
    shown = _dashboard_metrics()

    for metric in _alarm_metrics(alarm):
        assert metric in shown, f"{alarm}: {metric} is not on the dashboard"


def test_the_dashboard_draws_the_burn_of_each_slo_with_the_objectives_in_force() -> None:
    widgets = {widget["properties"]["title"]: widget["properties"] for widget in DASHBOARD["widgets"]}
    availability = widgets["SLO burn: availability, last hour (1 = on budget)"]
    expressions = [line[0]["expression"] for line in availability["metrics"] if isinstance(line[0], dict)]
    objective = PARAMETERS["AvailabilityObjective"]["Default"]

    assert expressions == [
        f"100 * FILL({route}_errors, 0) / {route}_requests / (100 - {objective})" for route in ("ask", "search", "mcp")
    ]
    assert {"label": "Alarm", "value": PARAMETERS["AvailabilityBurnRateThreshold"]["Default"]} in availability[
        "annotations"
    ]["horizontal"]
    latency = widgets["SLO burn: p99 latency, % of requests over the objective (1 = on budget)"]
    ranks = [line[-1]["stat"] for line in latency["metrics"] if isinstance(line[0], str)]
    assert ranks == [f"PR(:{PARAMETERS[f'{route}LatencyP99Ms']['Default']})" for route in ("Ask", "Search", "Mcp")]


# ------------------------------------------------------------------ the runbook


def _anchor(heading: str) -> str:
    """GitHub's anchor of a Markdown heading."""
    return re.sub(r"[^a-z0-9 _-]", "", heading.strip().lower()).replace(" ", "-")


RUNBOOK = (DOCS / "runbook.md").read_text(encoding="utf-8")
RUNBOOK_ANCHORS = {_anchor(line.lstrip("#")) for line in RUNBOOK.splitlines() if line.startswith("#")}


@pytest.mark.parametrize("alarm", sorted(ALARMS))
def test_every_alarm_links_its_own_section_of_the_runbook_which_names_it(alarm: str) -> None:
    description = ALARMS[alarm]["AlarmDescription"]["Fn::Sub"]
    anchor = re.fullmatch(r"(?s).*Runbook: \$\{RunbookUrl\}#([a-z0-9-]+)", description)

    assert anchor, f"{alarm}: its description must end with its runbook link"
    assert anchor.group(1) in RUNBOOK_ANCHORS
    section = _section(RUNBOOK, next(line for line in RUNBOOK.splitlines() if _anchor(line.lstrip("#")) == anchor[1]))
    assert f"`{alarm}`" in section
    assert len(_resolve({"Fn::Sub": description})) <= 1024  # CloudWatch's limit on a description


def test_the_runbook_link_defaults_to_the_runbook_in_the_checkout() -> None:
    assert PARAMETERS["RunbookUrl"]["Default"] == "docs/runbook.md"
    assert (ROOT / PARAMETERS["RunbookUrl"]["Default"]).is_file()
