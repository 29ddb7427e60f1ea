"""GET /, GET /embed.js and POST /v1/public/ask: the public web chat, no authorizer (404 unless enabled)."""

from twin.entrypoints.aws.cold_start import collector_paused

with collector_paused():
    from twin.entrypoints.aws.rest import public_chat_handler

    handler = public_chat_handler()
