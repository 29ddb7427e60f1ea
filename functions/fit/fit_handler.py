"""POST /v1/fit."""

from twin.entrypoints.aws.cold_start import collector_paused

with collector_paused():
    from twin.entrypoints.aws.rest import rest_handler
    from twin.entrypoints.http.routes import fit

    handler = rest_handler(fit.router)
