"""What of the AWS SDK's debug log reaches stderr at ``-vv``.

botocore's DEBUG log carries whole request and response bodies (``DescribeEndpoints``
answers hold Kafka SASL, MongoDB, Oracle ASM/TDE, Redshift and Redis passwords;
``CreateSecret`` requests hold the secret), signed headers (a session token) and
parameter rewrites. Redacting by field name would have to know every AWS shape, so
instead only the lines known to carry no body pass: the operation each request is
for, urllib3's request line and status, retry decisions and where credentials were
found. Everything else the SDK logs at DEBUG is dropped.
"""

from __future__ import annotations

import logging

AWS_LIBRARY_LOGGERS = ("botocore", "boto3", "urllib3", "s3transfer")
"""Loggers whose DEBUG records go through :class:`AwsBodyFilter`."""

_PASSING_LOGGERS = frozenset(
    {
        "botocore.retryhandler",
        "botocore.retries.standard",
        "botocore.retries.adaptive",
        "botocore.credentials",
        "urllib3.connectionpool",
    }
)
"""Loggers whose DEBUG lines name hosts, status codes, retry decisions and credential sources, never bodies."""

_REQUEST_LINE = "Making request for %s with params: %s"
"""botocore.endpoint's per-request line: the operation is useful, the params (the body) are not."""


class AwsBodyFilter(logging.Filter):
    """Keep the AWS SDK's debug lines that carry no request or response body."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno > logging.DEBUG or not _is_aws_library(record.name):
            return True
        if record.name in _PASSING_LOGGERS:
            return True
        if record.name == "botocore.endpoint" and record.msg == _REQUEST_LINE and record.args:
            operation = record.args[0] if isinstance(record.args, tuple) else record.args
            record.msg, record.args = "Making request for %s", (operation,)
            return True
        return False


def _is_aws_library(logger_name: str) -> bool:
    return any(logger_name == name or logger_name.startswith(f"{name}.") for name in AWS_LIBRARY_LOGGERS)


def install_aws_body_filter(handlers: list[logging.Handler]) -> None:
    """Put the filter on every handler that prints, once."""
    for handler in handlers:
        if not any(isinstance(existing, AwsBodyFilter) for existing in handler.filters):
            handler.addFilter(AwsBodyFilter())
