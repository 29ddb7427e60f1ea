"""Powertools for every function: JSON logs correlated by the API Gateway request id (the event itself
is never logged), EMF metrics with a cold-start metric, and X-Ray traces where they are worth their
import cost.
"""

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.logging.utils import copy_config_to_registered_loggers

from twin.security.audit import AUDIT_LOGGER

type LambdaHandler = Callable[[dict[str, Any], Any], dict[str, Any]]

logger = Logger()
metrics = Metrics()
# Audit lines share the function's JSON format and correlation id.
copy_config_to_registered_loggers(source_logger=logger, include={AUDIT_LOGGER})


def instrumented(handler: LambdaHandler, tracer: Tracer | None = None) -> LambdaHandler:
    traced = tracer.capture_lambda_handler(handler) if tracer is not None else handler
    measured = metrics.log_metrics(traced, capture_cold_start_metric=True)
    logged: LambdaHandler = logger.inject_lambda_context(
        measured, correlation_id_path=correlation_paths.API_GATEWAY_REST, log_event=False
    )
    return logged
