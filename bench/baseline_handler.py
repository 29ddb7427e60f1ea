"""The naive baseline for the cold-start benchmark: every package of the stack imported at module scope."""

from typing import Any

import boto3  # noqa: F401
import fastapi  # noqa: F401
import groq  # noqa: F401
import jwt  # noqa: F401
import mangum  # noqa: F401
import mcp.server.mcpserver  # noqa: F401
import pydantic  # noqa: F401
import upstash_redis  # noqa: F401
import upstash_vector  # noqa: F401
from aws_lambda_powertools import Logger, Metrics, Tracer

logger = Logger()
metrics = Metrics()
tracer = Tracer()  # the X-Ray SDK, as the Powertools Tracer brings it


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return {"statusCode": 200, "body": "{}"}
