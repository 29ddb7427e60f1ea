"""The naive baseline for the cold-start benchmark: every package of the stack imported at module scope."""

# ruff: noqa: F401  # the imports are the point: they are imported for their cost, never used

from typing import Any

import boto3
import fastapi
import groq
import jwt
import mangum
import mcp.server.mcpserver
import pydantic
import upstash_redis
import upstash_vector
from aws_lambda_powertools import Logger, Metrics, Tracer

logger = Logger()
metrics = Metrics()
tracer = Tracer()  # the X-Ray SDK, as the Powertools Tracer brings it


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return {"statusCode": 200, "body": "{}"}
