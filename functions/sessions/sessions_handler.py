"""DELETE /v1/sessions/{session_id}."""

from twin.entrypoints.aws.cold_start import collector_paused

with collector_paused():
    from twin.entrypoints.aws.rest import rest_handler
    from twin.entrypoints.http.routes import sessions

    handler = rest_handler(sessions.router)
