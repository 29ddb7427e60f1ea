"""GET /, GET /embed.js, POST /v1/public/ask and /v1/public/fit: the public web chat, no authorizer (off: 404)."""

from twin.entrypoints.aws.cold_start import collector_paused

with collector_paused():
    from twin.entrypoints.aws.rest import public_chat_handler

    handler = public_chat_handler()
