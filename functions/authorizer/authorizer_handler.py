"""The Lambda REQUEST authorizer of the REST API."""

from twin.entrypoints.aws.authorizer import authorizer_handler

handler = authorizer_handler()
