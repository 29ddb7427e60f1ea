from fastapi import APIRouter, Request

from twin.entrypoints.blocking import run_sync
from twin.entrypoints.fit_schemas import FitRequest, FitResponse
from twin.entrypoints.http.dependencies import JsonBodyRoute, services_of
from twin.entrypoints.http.errors import JSON_BODY_ERRORS

router = APIRouter(tags=["ask"], route_class=JsonBodyRoute)


@router.post("/v1/fit", responses=JSON_BODY_ERRORS, summary="How well the person fits a job description")
async def evaluate_fit(body: FitRequest, request: Request) -> FitResponse:
    """Each requirement of the job description with how strongly the profile shows it (`strong`, `partial` or
    `none`) and the profile's own words as evidence; `none` never comes with evidence."""
    services = services_of(request)
    report = await run_sync(services.offloads, services.fit.evaluate, body.job_description)
    return FitResponse.of(report)
