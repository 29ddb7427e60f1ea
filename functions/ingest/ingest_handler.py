"""The admin routes: POST /v1/admin/ingest, GET /v1/admin/insights, the approved answers (/v1/admin/answers) and the
owner's page that calls them (GET /admin, no authorizer)."""

from twin.entrypoints.aws.cold_start import collector_paused

with collector_paused():
    from twin.entrypoints.aws.rest import rest_handler
    from twin.entrypoints.http.routes import admin_page, answers, ingest, insights

    handler = rest_handler(ingest.router, insights.router, answers.router, admin_page.router)
