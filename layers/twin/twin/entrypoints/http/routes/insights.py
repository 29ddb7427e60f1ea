from fastapi import APIRouter, Request

from twin.domain import limits
from twin.entrypoints.blocking import run_sync
from twin.entrypoints.http.dependencies import services_of
from twin.entrypoints.http.errors import error_responses
from twin.entrypoints.insights_schemas import InsightsResponse

router = APIRouter(tags=["admin"])

# Read from the query string by the service, which answers 400 `invalid_days` for anything else (FastAPI would
# answer 422 and take " 7" or "7.0").
_DAYS = {
    "parameters": [
        {
            "name": "days",
            "in": "query",
            "required": False,
            "description": "How many UTC days back, today's included.",
            "schema": {
                "type": "integer",
                "minimum": limits.MIN_INSIGHT_DAYS,
                "maximum": limits.MAX_INSIGHT_DAYS,
                "default": limits.DEFAULT_INSIGHT_DAYS,
            },
        }
    ]
}
_RESPONSES = error_responses(400, 429, 503)
_RESPONSES[400] = {
    **_RESPONSES[400],
    "description": f"`invalid_days`: days is not a whole number from {limits.MIN_INSIGHT_DAYS} to "
    f"{limits.MAX_INSIGHT_DAYS}",
}


@router.get("/v1/admin/insights", responses=_RESPONSES, openapi_extra=_DAYS, summary="What visitors ask")
async def insights(request: Request) -> InsightsResponse:
    """From the question log: questions per day and channel, the most asked and the unanswered ones (near-duplicates
    counted together), the sections answers cite most and those they never cite."""
    services = services_of(request)
    days = request.query_params.get("days")
    return InsightsResponse.of(await run_sync(services.offloads, services.questions.insights, days))
