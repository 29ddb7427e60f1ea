"""The optional CloudFront distribution: the public page and its assets cached at the edge as their Cache-Control
allows, every other route of the API passed through uncached with its credential."""

from typing import Any

from tests.unit.test_template import RESOURCES, ROUTES, TEMPLATE
from twin.entrypoints.http.revalidation import PAGE_CACHE_CONTROL, SCRIPT_CACHE_CONTROL

CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
ALL_VIEWER_EXCEPT_HOST_HEADER = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
DISTRIBUTION: dict[str, Any] = RESOURCES["CdnDistribution"]
CONFIG: dict[str, Any] = DISTRIBUTION["Properties"]["DistributionConfig"]


def test_the_distribution_exists_only_when_the_stack_is_deployed_with_cdn_enabled() -> None:
    assert TEMPLATE["Parameters"]["Cdn"]["Default"] == "Disabled"
    assert TEMPLATE["Conditions"]["CdnEnabled"] == {"Fn::Equals": [{"Ref": "Cdn"}, "Enabled"]}
    assert DISTRIBUTION["Condition"] == "CdnEnabled"
    assert TEMPLATE["Outputs"]["CdnUrl"]["Condition"] == "CdnEnabled"


def test_its_one_origin_is_the_stage_over_https() -> None:
    (origin,) = CONFIG["Origins"]

    assert origin["DomainName"] == {"Fn::Sub": "${TwinApi}.execute-api.${AWS::Region}.amazonaws.com"}
    assert origin["OriginPath"] == {"Fn::Sub": "/${Stage}"}
    assert origin["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"


def test_every_api_route_passes_through_uncached_with_every_method_and_every_viewer_header_but_host() -> None:
    default = CONFIG["DefaultCacheBehavior"]

    assert default["CachePolicyId"] == CACHING_DISABLED
    # Authorization too: an origin request policy may forward it only with caching off, which this one is.
    assert default["OriginRequestPolicyId"] == ALL_VIEWER_EXCEPT_HOST_HEADER
    assert set(default["AllowedMethods"]) == {"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"}
    assert default["ViewerProtocolPolicy"] == "https-only"


def test_exactly_the_public_pages_and_script_are_cached_and_only_for_get_and_head() -> None:
    static = {path for function, method, path, _ in ROUTES if function == "PublicFunction" and method == "GET"}
    behaviors = {behavior["PathPattern"]: behavior for behavior in CONFIG["CacheBehaviors"]}

    assert static == {"/", "/embed.js", "/privacy"}
    assert ("IngestFunction", "GET", "/admin", {"Authorizer": "NONE", "ApiKeyRequired": False}) in ROUTES
    assert set(behaviors) == static | {"/admin"}  # the owner page, not the admin routes it calls
    for behavior in behaviors.values():
        assert behavior["CachePolicyId"] == CACHING_OPTIMIZED
        assert "OriginRequestPolicyId" not in behavior  # no credential, cookie or query string reaches the origin
        assert behavior["AllowedMethods"] == ["GET", "HEAD"]


def test_what_is_cached_tells_the_edge_how_long_and_browsers_less() -> None:
    for cache_control in (PAGE_CACHE_CONTROL, SCRIPT_CACHE_CONTROL):
        directives = dict(part.split("=") for part in cache_control.split(", ")[1:])
        assert cache_control.startswith("public, ")
        assert int(directives["s-maxage"]) > int(directives["max-age"]) > 0
