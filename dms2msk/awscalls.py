"""AWS calls of `status` and `migrate`: one client per service, errors that name the call and the permission.

Only MSK Connect (``kafkaconnect``), DMS (``dms``) and CloudWatch (``cloudwatch``) are called. Throttling is
retried by botocore's adaptive mode (the same configuration as ``scan``); what is left is an error naming
the API call and the IAM action that allows it, never a traceback.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

from .errors import AwsError

DENIED_CODES = frozenset(
    {"AccessDenied", "AccessDeniedException", "ForbiddenException", "UnauthorizedException", "UnauthorizedOperation"}
)
THROTTLED_CODES = frozenset({"Throttling", "ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded"})
NOT_FOUND_CODES = frozenset({"NotFoundException", "ResourceNotFoundFault", "ResourceNotFoundException"})

ClientFactory = Callable[[str, str], Any]
"""(service, region) -> a boto3 client; tests pass Stubber-backed or moto-server clients."""


def default_client_factory(
    profile: str | None, endpoint_url: str | None = None, kafkaconnect_endpoint_url: str | None = None
) -> ClientFactory:
    """boto3 clients with adaptive retries; ``endpoint_url`` for DMS and CloudWatch (an emulator)."""
    from .scan import DEFAULT_RETRY_ATTEMPTS, _default_client_factory

    factory = _default_client_factory(profile, endpoint_url, DEFAULT_RETRY_ATTEMPTS)
    kafkaconnect = _default_client_factory(profile, kafkaconnect_endpoint_url, DEFAULT_RETRY_ATTEMPTS)

    def make(service: str, region: str) -> Any:
        return (kafkaconnect if service == "kafkaconnect" else factory)(service, region)

    return make


def operation_name(method: str) -> str:
    """``describe_connector`` -> ``DescribeConnector`` (the API and IAM action name)."""
    return "".join(part.capitalize() for part in method.split("_"))


def error_code(exc: Exception) -> tuple[str, str]:
    response = getattr(exc, "response", None) or {}
    error = response.get("Error") or {}
    return str(error.get("Code") or type(exc).__name__), short_message(str(error.get("Message") or exc), response)


def short_message(message: str, response: dict[str, Any]) -> str:
    """An error's message; an HTML error page (a proxy's, an emulator's) becomes its HTTP status, not the page."""
    if message.lstrip().startswith("<"):
        return f"HTTP {response.get('ResponseMetadata', {}).get('HTTPStatusCode', '?')} from the endpoint"
    return message


class AwsCallError(AwsError):
    """A failed AWS call, naming it; ``code`` is AWS's error code."""

    def __init__(self, service: str, operation: str, code: str, message: str, subject: str = "") -> None:
        action = f"{service}:{operation}"
        where = f" on {subject}" if subject else ""
        if code in DENIED_CODES:
            text = f"{action}{where} was denied: {message}"
            hint = f"grant the IAM action {action} to these credentials (--profile), then re-run the same command"
        elif code in THROTTLED_CODES:
            text = f"{action}{where} was still throttled after the retries: {message}"
            hint = "re-run the same command later; finished steps are not repeated"
        else:
            text = f"{action}{where} failed: {code}: {message}"
            hint = "check the region, the resource and the credentials, then re-run the same command"
        super().__init__(text, hint=hint)
        self.service = service
        self.operation = operation
        self.code = code

    @property
    def not_found(self) -> bool:
        return self.code in NOT_FOUND_CODES

    @property
    def denied(self) -> bool:
        return self.code in DENIED_CODES


def call(client: Any, service: str, method: str, subject: str = "", **params: Any) -> dict[str, Any]:
    """``client.<method>(**params)``; any botocore error becomes an :class:`AwsCallError` naming the call."""
    with translated(service, method, subject):
        return getattr(client, method)(**params)


def pages(client: Any, service: str, method: str, items: str, token: str = "nextToken", **params: Any) -> list[Any]:
    """Every item of a paged list call (``nextToken`` for MSK Connect, ``Marker`` for DMS)."""
    found: list[Any] = []
    next_token: str | None = None
    while True:
        extra = {token: next_token} if next_token else {}
        page = call(client, service, method, **params, **extra)
        found += page.get(items) or []
        next_token = page.get(token)
        if not next_token:
            return found


@contextlib.contextmanager
def translated(service: str, method: str, subject: str = "") -> Iterator[None]:
    """Inside: any botocore error of ``method`` becomes an :class:`AwsCallError` (for helpers that call boto3)."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        yield
    except ClientError as exc:
        code, message = error_code(exc)
        raise AwsCallError(service, operation_name(method), code, message, subject) from None
    except BotoCoreError as exc:
        raise AwsCallError(service, operation_name(method), type(exc).__name__, str(exc), subject) from None
