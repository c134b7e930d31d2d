"""AWS errors: which errors come from AWS (as opposed to a bug of ours), and a one-line
description of each, with a hint for the usual causes.

botocore is imported inside the functions: the AWS layer loads it only when it talks to AWS.
"""

from __future__ import annotations

import http.client

THROTTLING = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestThrottled",
        "RequestThrottledException",
        "TooManyRequestsException",
        "RequestLimitExceeded",
        "SlowDown",
        "ProvisionedThroughputExceededException",
    }
)
# What AWS answers in a region the account has not enabled (an opt-in region).
NOT_ENABLED = frozenset(
    {"UnrecognizedClientException", "InvalidClientTokenId", "AuthFailure", "OptInRequired"}
)
MISSING = frozenset({"NoSuchBucket", "NoSuchKey"})


class S3Failure(Exception):
    """Listing a channel's data failed: ``text`` says why, in one line."""

    def __init__(self, uri: str, text: str) -> None:
        super().__init__(f"{uri}: {text}")
        self.uri = uri
        self.text = text


class BadResponse(Exception):
    """An answer that could not be read: not JSON (or XML), or not the shape the operation
    answers with. ``text`` says why in a few words, never quoting the response."""

    def __init__(self, operation: str, text: str) -> None:
        super().__init__(f"{operation}: {text}")
        self.operation = operation
        self.text = text


def is_aws_error(error: BaseException) -> bool:
    """An error from AWS or on the way to it (as opposed to a bug of ours)."""
    from botocore.exceptions import BotoCoreError, ClientError

    return isinstance(
        error, BotoCoreError | ClientError | S3Failure | BadResponse | ConnectionError
    )


def error_code(error: BaseException) -> str:
    from botocore.exceptions import ClientError

    if isinstance(error, ClientError):
        return str(error.response.get("Error", {}).get("Code") or "ClientError")
    return type(error).__name__


def describe_error(error: BaseException) -> str:
    """One line: the error code and AWS's message, with a hint for the usual causes."""
    from botocore.exceptions import (
        ClientError,
        ConnectTimeoutError,
        EndpointConnectionError,
        NoCredentialsError,
        NoRegionError,
        ReadTimeoutError,
    )

    if isinstance(error, S3Failure):
        return error.text
    if isinstance(error, BadResponse):
        return error.text
    if isinstance(error, ClientError):
        code = error_code(error)
        message = str(error.response.get("Error", {}).get("Message") or "")
        if code.isdigit():  # no AWS error document: the message would be the raw body
            reason = http.client.responses.get(int(code), "")
            message = f"{reason} (not an AWS error response)".strip()
            code = f"HTTP {code}"
        text = f"{code}: {message}" if message else code
        attempts = error.response.get("ResponseMetadata", {}).get("RetryAttempts")
        if code in THROTTLING:
            text += f" (still throttled after {(attempts or 0) + 1} attempts)"
        elif code in NOT_ENABLED:
            text += " (is the region enabled for this account?)"
    elif isinstance(error, ConnectTimeoutError | ReadTimeoutError):
        text = f"timed out: {error}"
    elif isinstance(error, EndpointConnectionError):
        text = f"cannot connect: {error}"
    elif isinstance(error, NoCredentialsError):
        text = (
            "no AWS credentials found (environment, --profile, shared files, SSO or instance role)"
        )
    elif isinstance(error, NoRegionError):
        text = "no region: pass --region or set AWS_REGION"
    else:
        text = f"{type(error).__name__}: {error}"
    text = " ".join(text.split())
    return text if len(text) <= 400 else text[:397] + "..."
