"""`GET /admin`: the owner's page. Loading it needs no credential; every call it makes needs `twin:admin`."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from twin.entrypoints.http.revalidation import PAGE_CACHE_CONTROL, cacheable

router = APIRouter(tags=["admin"])


@router.get("/admin", include_in_schema=False)
async def page(request: Request) -> Response:
    # Imported on the first view: the admin function's cold start is for its API calls.
    from twin.entrypoints.web.admin import admin_page

    built = admin_page()
    return cacheable(
        request, built.html, media_type="text/html", cache_control=PAGE_CACHE_CONTROL, headers=built.headers
    )
