"""Observability of every function: Powertools JSON logs correlated by the API Gateway request id (the
event itself is never logged), Powertools EMF metrics with a cold-start metric, and X-Ray.

Lambda's active tracing records each invocation; under it each request is one subsegment (`traced`), and
the work inside that (retrieval, the model, the cache) its children, sent by `XRayDaemon` without the X-Ray
SDK and the botocore client it builds at import.
"""

from __future__ import annotations

import logging
import random
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.logging.utils import copy_config_to_registered_loggers

from twin.adapters.snapstart import after_restore

if TYPE_CHECKING:  # the authorizer uses this module and never loads Starlette
    from starlette.types import ASGIApp

    from twin.adapters.xray_daemon import XRayDaemon
    from twin.entrypoints.aws.tracing import RequestSubsegments

PACKAGE_LOGGER = "twin"

type LambdaHandler = Callable[[dict[str, Any], Any], dict[str, Any]]

logger = Logger()
metrics = Metrics()
# Powertools warns each time an invocation adds no metric (most reads do not): in Lambda that is one
# unstructured stderr line in the function's log per request.
warnings.filterwarnings("ignore", "No application metrics to publish", UserWarning)
# Audit and degradation lines share the function's JSON format and correlation id. Powertools configures
# top-level loggers only: the package's logger is made here, its children (twin.audit, ...) propagate to it.
logging.getLogger(PACKAGE_LOGGER)
copy_config_to_registered_loggers(source_logger=logger, include={PACKAGE_LOGGER})


def instrumented(handler: LambdaHandler) -> LambdaHandler:
    # Restored from one snapshot, every environment would draw the same numbers (the SDKs' retry jitter).
    after_restore(random.seed)
    measured = metrics.log_metrics(handler, capture_cold_start_metric=True)
    logged: LambdaHandler = logger.inject_lambda_context(
        measured, correlation_id_path=correlation_paths.API_GATEWAY_REST, log_event=False
    )
    return logged


def traced[App: ASGIApp](app: App, xray: XRayDaemon | None) -> App | RequestSubsegments:
    """Each request one subsegment when there is a daemon; else the app as it is."""
    if xray is None:
        return app
    from twin.entrypoints.aws.tracing import RequestSubsegments

    return RequestSubsegments(app, xray)
