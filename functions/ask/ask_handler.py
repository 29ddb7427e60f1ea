"""POST /v1/ask."""

from twin.entrypoints.aws.cold_start import collector_paused

with collector_paused():
    from twin.entrypoints.aws.rest import rest_handler
    from twin.entrypoints.http.routes import ask

    handler = rest_handler(ask.router)
