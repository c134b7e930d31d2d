"""Helpers for the audit tests: moto in-process, training jobs and S3 data made with boto3, and
faults injected at the HTTP layer with botocore's ``before-send`` event (a handler that returns
a response, or raises a timeout, before the request reaches moto). Nothing here imitates boto3:
every call goes through the real botocore client down to its HTTP layer."""

from __future__ import annotations

import copy
import json
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pytest

from tests.jobs import clean_request

if TYPE_CHECKING:
    import boto3

ACCOUNT = "123456789012"  # moto's default account
_CREDENTIAL_REGION = re.compile(r"Credential=[^/]+/\d+/([^/]+)/")


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fake credentials, a default region, nothing from the real machine's AWS configuration."""
    for name in (
        "AWS_PROFILE",
        "AWS_ENDPOINT_URL",
        "AWS_ENDPOINT_URL_S3",
        "AWS_SESSION_TOKEN",
        "AWS_MAX_ATTEMPTS",
        "AWS_RETRY_MODE",
        "AWS_REGION",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent/aws-config")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws-credentials")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


@pytest.fixture
def moto(aws_env: None) -> Iterator[None]:
    """moto in this process, its Search of training jobs answered as AWS answers it
    (tests/moto_search.py)."""
    from moto import mock_aws

    from tests import moto_search

    moto_search.apply()
    with mock_aws():
        yield


def job_request(name: str, **changes: Any) -> dict[str, Any]:
    """A CreateTrainingJob request (the clean one of tests/jobs.py) with ``changes`` applied:
    a key ``"A.B"`` sets a nested member, a value None removes it."""
    request = clean_request()
    request["TrainingJobName"] = name
    for dotted, value in changes.items():
        *parents, last = dotted.split(".")
        target = request
        for key in parents:
            target = target.setdefault(key, {})
        if value is None:
            target.pop(last, None)
        else:
            target[last] = copy.deepcopy(value)
    return request


def s3_channel(uri: str, distribution: str = "FullyReplicated", **more: Any) -> dict[str, Any]:
    return {
        "ChannelName": more.pop("name", "train"),
        "DataSource": {
            "S3DataSource": {
                "S3DataType": more.pop("data_type", "S3Prefix"),
                "S3Uri": uri,
                "S3DataDistributionType": distribution,
            }
        },
        **more,
    }


def create_jobs(
    region: str,
    count: int,
    prefix: str = "job",
    /,
    *,
    session: boto3.Session | None = None,
    **changes: Any,
) -> list[str]:
    """``count`` training jobs named ``{prefix}-{i:04d}``; their names."""
    import boto3

    client = (session or boto3.Session()).client("sagemaker", region_name=region)
    names = []
    for index in range(count):
        name = f"{prefix}-{index:04d}"
        client.create_training_job(**job_request(name, **changes))
        names.append(name)
    return names


def put_objects(bucket: str, objects: dict[str, int], region: str = "us-east-1") -> None:
    """Create ``bucket`` (if needed) and objects of the given sizes."""
    import boto3

    s3 = boto3.client("s3", region_name=region)
    try:
        if region == "us-east-1":
            s3.create_bucket(Bucket=bucket)
        else:
            s3.create_bucket(
                Bucket=bucket,
                CreateBucketConfiguration={"LocationConstraint": region},  # type: ignore[typeddict-item]
            )
    except s3.exceptions.BucketAlreadyOwnedByYou:
        pass
    for key, size in objects.items():
        s3.put_object(Bucket=bucket, Key=key, Body=b"x" * size)


# --- faults and call counts, at the HTTP layer -------------------------------------------------


@dataclass
class Fault:
    """Answer matching requests with an error (or raise a timeout) instead of sending them; or,
    with ``delay``, hold them that long and then send them (a slow answer).

    In-process moto still sees a request answered so: botocore calls every ``before-send``
    handler and takes the first response, which is the fault's; a write answered with a fault
    (BatchImportFindings) is still made in moto. (tests/aws_proxy.py stops requests for real.)"""

    operation: str  # e.g. "DescribeTrainingJob", "ListObjectsV2"
    status: int = 400
    code: str = "ThrottlingException"
    message: str = "Rate exceeded"
    region: str | None = None
    times: int | None = None  # None: every matching request
    after: int = 0  # let this many matching requests through first
    body_contains: str | None = None
    url_contains: str | None = None
    timeout: bool = False
    body: str | None = None  # a whole response body to send instead of an error
    # BatchImportFindings: answer 200 with every finding of the request failed (FailedFindings)
    failed_findings: bool = False
    content_type: str = "text/xml"  # of ``body``
    delay: float = 0.0  # seconds to hold the request before sending it on (no error)
    hits: int = 0
    seen: int = 0


@dataclass
class Wire:
    """What a session sent (operation counts, parameters) and the faults it meets."""

    faults: list[Fault] = field(default_factory=list)
    calls: Counter[str] = field(default_factory=Counter)
    params: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    regions: Counter[tuple[str, str]] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, *faults: Fault) -> Wire:
        self.faults.extend(faults)
        return self

    def attach(self, session: boto3.Session) -> boto3.Session:
        session.events.register_first("before-send", self._before_send)
        return session

    def _before_send(self, event_name: str, request: Any, **kwargs: Any) -> Any:
        operation = event_name.rsplit(".", 1)[-1]
        region = _region(request)
        body = request.body or b""
        text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)
        with self.lock:
            self.calls[operation] += 1
            self.regions[operation, region] += 1
            self.params.append((operation, _parameters(text, request.url)))
            fault = None
            for candidate in self.faults:
                if (
                    candidate.operation == operation
                    and (candidate.region is None or candidate.region == region)
                    and (candidate.body_contains is None or candidate.body_contains in text)
                    and (candidate.url_contains is None or candidate.url_contains in request.url)
                ):
                    candidate.seen += 1
                    if candidate.seen > candidate.after and (
                        candidate.times is None or candidate.hits < candidate.times
                    ):
                        fault = candidate
                        break
            if fault is None:
                return None
            fault.hits += 1
        if fault.delay:
            import time

            time.sleep(fault.delay)
            return None
        if fault.timeout:
            from botocore.exceptions import ReadTimeoutError

            raise ReadTimeoutError(endpoint_url=request.url)
        if fault.failed_findings:
            return failed_findings_response(request.url, text, fault)
        return error_response(request.url, event_name.split(".")[1], fault)


def _region(request: Any) -> str:
    header = request.headers.get("Authorization", b"")
    header = header.decode() if isinstance(header, bytes) else str(header)
    match = _CREDENTIAL_REGION.search(header)
    return match.group(1) if match else ""


def _parameters(text: str, url: str) -> dict[str, Any]:
    """A request's parameters: its JSON body (SageMaker, Organizations), its form (STS, EC2),
    else its URL's query (S3)."""
    from urllib.parse import parse_qsl, urlsplit

    try:
        value = json.loads(text)
    except ValueError:
        value = None
    if isinstance(value, dict):
        return value
    if text.startswith("Action="):
        return dict(parse_qsl(text))
    return dict(parse_qsl(urlsplit(url).query))


class _Raw:
    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **kwargs: Any) -> Iterator[bytes]:
        yield self._body


def error_response(url: str, service: str, fault: Fault) -> Any:
    """An error response as the service would send it (JSON for SageMaker and Organizations,
    XML otherwise)."""
    from botocore.awsrequest import AWSResponse

    if fault.body is not None:
        content = _headers({"Content-Type": fault.content_type})
        return AWSResponse(url, fault.status, content, _Raw(fault.body.encode()))
    if service in ("sagemaker", "organizations"):  # the JSON protocol
        body = json.dumps({"__type": fault.code, "message": fault.message}).encode()
        headers = {"Content-Type": "application/x-amz-json-1.1", "x-amzn-RequestId": "fault"}
    elif service == "securityhub":  # REST with JSON bodies
        body = json.dumps({"Code": fault.code, "Message": fault.message}).encode()
        headers = {
            "Content-Type": "application/json",
            "x-amzn-ErrorType": fault.code,
            "x-amzn-RequestId": "fault",
        }
    elif service in ("s3",):
        body = (
            f"<?xml version='1.0' encoding='UTF-8'?><Error><Code>{fault.code}</Code>"
            f"<Message>{fault.message}</Message><RequestId>fault</RequestId></Error>"
        ).encode()
        headers = {"Content-Type": "application/xml"}
    elif service == "ec2":
        body = (
            f"<Response><Errors><Error><Code>{fault.code}</Code><Message>{fault.message}"
            "</Message></Error></Errors><RequestID>fault</RequestID></Response>"
        ).encode()
        headers = {"Content-Type": "text/xml"}
    else:  # query protocol (STS)
        body = (
            f"<ErrorResponse><Error><Type>Sender</Type><Code>{fault.code}</Code><Message>"
            f"{fault.message}</Message></Error><RequestId>fault</RequestId></ErrorResponse>"
        ).encode()
        headers = {"Content-Type": "text/xml"}
    return AWSResponse(url, fault.status, _headers(headers), _Raw(body))


def failed_findings_response(url: str, request_body: str, fault: Fault) -> Any:
    """A BatchImportFindings answer (200) that fails every finding of the request."""
    from botocore.awsrequest import AWSResponse

    ids = [finding["Id"] for finding in json.loads(request_body)["Findings"]]
    answer = {
        "FailedCount": len(ids),
        "SuccessCount": 0,
        "FailedFindings": [
            {"Id": id_, "ErrorCode": fault.code, "ErrorMessage": fault.message} for id_ in ids
        ],
    }
    headers = _headers({"Content-Type": "application/json", "x-amzn-RequestId": "fault"})
    return AWSResponse(url, 200, headers, _Raw(json.dumps(answer).encode()))


def _headers(values: dict[str, str]) -> Any:
    from botocore.awsrequest import HTTPHeaders

    headers = HTTPHeaders()
    for key, value in values.items():
        headers[key] = value
    return headers


def wired_session(*faults: Fault, region: str = "us-east-1") -> tuple[boto3.Session, Wire]:
    import boto3

    wire = Wire().add(*faults)
    return wire.attach(boto3.Session(region_name=region)), wire


def when(predicate: Callable[[], bool], timeout: float = 10.0) -> bool:
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()
