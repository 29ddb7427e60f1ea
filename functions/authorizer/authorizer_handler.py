"""The Lambda REQUEST authorizer of the REST API."""

from twin.entrypoints.aws.cold_start import collector_paused

with collector_paused():
    from twin.entrypoints.aws.authorizer import authorizer_handler

    handler = authorizer_handler()
