"""GET /v1/profile and GET /v1/profile/sections/{section_id}."""

from twin.entrypoints.aws.cold_start import collector_paused

with collector_paused():
    from twin.entrypoints.aws.rest import rest_handler
    from twin.entrypoints.http.routes import profile

    handler = rest_handler(profile.router)
