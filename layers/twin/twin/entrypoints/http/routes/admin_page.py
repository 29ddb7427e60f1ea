"""`GET /admin`: the owner's page. Loading it needs no credential; every call it makes needs `twin:admin`."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from twin.entrypoints.http.revalidation import PAGE_CACHE_CONTROL, cacheable
from twin.entrypoints.web.admin import admin_page

router = APIRouter(tags=["admin"])


@router.get("/admin", include_in_schema=False)
async def page(request: Request) -> Response:
    built = admin_page()
    return cacheable(
        request, built.html, media_type="text/html", cache_control=PAGE_CACHE_CONTROL, headers=built.headers
    )
