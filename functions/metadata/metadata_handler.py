"""GET /.well-known/oauth-protected-resource/mcp (no authorizer)."""

from twin.entrypoints.aws.cold_start import collector_paused

with collector_paused():
    from twin.entrypoints.aws.rest import rest_handler
    from twin.entrypoints.http.routes import metadata

    handler = rest_handler(metadata.router)
