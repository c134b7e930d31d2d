"""Talking to AWS for ``sagelint audit`` and ``sagelint lint --s3``.

Sessions and clients (adaptive retries, timeouts, AssumeRole with refreshing credentials), region
discovery, the listing and describing of training jobs, S3 listings of channel data (capped, and
cached per prefix within a run), and one-line descriptions of AWS errors.

boto3 and botocore are imported inside the functions, never at module level: this module is
imported only on the paths that talk to AWS, and even then ``--help`` stays fast.
"""

from __future__ import annotations

import os
import re
import statistics
import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sagelint import __version__
from sagelint.rules.s3_data import ListingRequest, S3Listing

if TYPE_CHECKING:
    import boto3
    from botocore.config import Config
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_sagemaker import SageMakerClient

DEFAULT_CONCURRENCY = 16
DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_ATTEMPTS = 8  # unless AWS_MAX_ATTEMPTS or the profile's max_attempts says otherwise
DEFAULT_S3_MAX_OBJECTS = 10_000
LIST_PAGE = 100  # ListTrainingJobs' largest page
S3_PAGE = 1000  # ListObjectsV2's largest page
ROLE_SESSION_NAME = "sagelint-audit"
USER_AGENT = f"sagelint/{__version__}"

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
_ARN = re.compile(r"^arn:(aws[a-z-]*):iam::(\d{12}):role/.+$")


@dataclass(frozen=True)
class Connection:
    """How to reach AWS: credentials profile, endpoint (a moto server in tests), limits."""

    profile: str | None = None
    endpoint_url: str | None = None
    timeout: float = DEFAULT_TIMEOUT
    concurrency: int = DEFAULT_CONCURRENCY


@dataclass
class Account:
    """An account to audit: its id (``*`` when unknown) and session, or why it cannot be."""

    id: str
    session: boto3.Session | None
    error: str | None = None
    role_arn: str | None = None

    def pseudo_arn(self, region: str = "*") -> str:
        """``arn:aws:sagemaker:REGION:ACCOUNT:*``: names what an error is about."""
        return f"arn:{partition(region)}:sagemaker:{region}:{self.id}:*"


def partition(region: str) -> str:
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


def base_session(profile: str | None = None) -> boto3.Session:
    """A session on the standard credential chain (raises ProfileNotFound for a bad profile)."""
    import boto3

    return boto3.Session(profile_name=profile)


def client_config(session: boto3.Session, connection: Connection, service: str) -> Config:
    """Retries in botocore's adaptive mode (client-side rate limiting on throttling) unless
    AWS_RETRY_MODE or the profile's retry_mode asks for another, at most 8 attempts unless
    AWS_MAX_ATTEMPTS or the profile's max_attempts says otherwise; timeouts; a connection pool
    as large as the thread pool; path-style S3 addressing on a custom endpoint."""
    from botocore.config import Config

    profile = session._session.get_scoped_config()
    mode = os.environ.get("AWS_RETRY_MODE") or profile.get("retry_mode")
    retries: dict[str, Any] = {"mode": mode if mode in ("standard", "legacy") else "adaptive"}
    if not (os.environ.get("AWS_MAX_ATTEMPTS") or profile.get("max_attempts")):
        retries["total_max_attempts"] = DEFAULT_MAX_ATTEMPTS
    return Config(
        retries=retries,  # type: ignore[arg-type]
        connect_timeout=connection.timeout,
        read_timeout=connection.timeout,
        max_pool_connections=connection.concurrency + 4,
        user_agent_extra=USER_AGENT,
        s3={"addressing_style": "path"} if connection.endpoint_url and service == "s3" else None,
    )


class Clients:
    """One client per session, service and region, shared by every thread (boto3 clients are
    thread-safe; creating them is not, hence the lock). Sharing also makes the adaptive retry
    mode's rate limiter see every call to a region."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self._lock = threading.Lock()
        self._clients: dict[tuple[int, str, str], Any] = {}

    def client(self, session: boto3.Session, service: str, region: str) -> Any:
        key = (id(session), service, region)
        with self._lock:
            found = self._clients.get(key)
            if found is None:
                found = self._clients[key] = session.client(
                    service,  # type: ignore[call-overload]
                    region_name=region,
                    endpoint_url=self.connection.endpoint_url,
                    config=client_config(session, self.connection, service),
                )
            return found

    def sagemaker(self, session: boto3.Session, region: str) -> SageMakerClient:
        client: SageMakerClient = self.client(session, "sagemaker", region)
        return client

    def s3(self, session: boto3.Session, region: str) -> S3Client:
        client: S3Client = self.client(session, "s3", region)
        return client


def home_region(session: boto3.Session, regions: list[str]) -> str:
    """The region for account-wide calls (STS, EC2 DescribeRegions)."""
    return session.region_name or (regions[0] if regions else "us-east-1")


def resolve_accounts(
    base: boto3.Session,
    clients: Clients,
    region: str,
    role_arns: list[str],
    external_id: str | None,
) -> list[Account]:
    """The accounts to audit: the base credentials' own account, or each role's account."""
    if not role_arns:
        try:
            sts = clients.client(base, "sts", region)
            return [Account(str(sts.get_caller_identity()["Account"]), base)]
        except Exception as error:
            if not is_aws_error(error):
                raise
            return [Account("*", None, f"cannot use the credentials: {describe_error(error)}")]
    accounts = []
    for role_arn in role_arns:
        match = _ARN.match(role_arn)
        account_id = match.group(2) if match else "*"
        try:
            session = assumed_session(base, clients, region, role_arn, external_id)
            accounts.append(Account(account_id, session, role_arn=role_arn))
        except Exception as error:
            if not is_aws_error(error):
                raise
            accounts.append(
                Account(
                    account_id,
                    None,
                    f"AssumeRole {role_arn} failed: {describe_error(error)}",
                    role_arn,
                )
            )
    return accounts


def assumed_session(
    base: boto3.Session,
    clients: Clients,
    region: str,
    role_arn: str,
    external_id: str | None,
) -> boto3.Session:
    """A session on the role's credentials, refreshed before they expire (a long audit outlasts
    them); the first AssumeRole call is made here, so that a refusal is known at once."""
    import boto3
    import botocore.session
    from botocore.credentials import (
        AssumeRoleCredentialFetcher,
        CredentialProvider,
        CredentialResolver,
        DeferredRefreshableCredentials,
    )
    from botocore.exceptions import NoCredentialsError

    source = base.get_credentials()
    if source is None:
        raise NoCredentialsError()
    core = base._session
    config = client_config(base, clients.connection, "sts")

    def create_client(service: str, **kwargs: Any) -> Any:
        return core.create_client(
            service,
            region_name=region,
            endpoint_url=clients.connection.endpoint_url,
            config=config,
            **kwargs,
        )

    extra: dict[str, Any] = {"RoleSessionName": ROLE_SESSION_NAME}
    if external_id:
        extra["ExternalId"] = external_id
    fetcher = AssumeRoleCredentialFetcher(create_client, source, role_arn, extra_args=extra)
    credentials = DeferredRefreshableCredentials(fetcher.fetch_credentials, "assume-role")
    credentials.get_frozen_credentials()  # AssumeRole now: AccessDenied surfaces here

    class RoleProvider(CredentialProvider):
        METHOD = "sagelint-assume-role"

        def load(self) -> DeferredRefreshableCredentials:
            return credentials

    assumed = botocore.session.Session()
    assumed.register_component("data_loader", core.get_component("data_loader"))
    assumed.register_component("credential_provider", CredentialResolver([RoleProvider()]))
    return boto3.Session(botocore_session=assumed, region_name=region)


def enabled_regions(account: Account, clients: Clients, region: str) -> tuple[list[str], str]:
    """The regions where SageMaker is offered (botocore's endpoint data) and that the account
    has enabled (EC2 DescribeRegions lists only those). When DescribeRegions is refused, every
    region where SageMaker is offered, and a note saying so."""
    assert account.session is not None
    offered = account.session.get_available_regions("sagemaker", partition(region))
    try:
        ec2 = clients.client(account.session, "ec2", region)
        enabled = {r["RegionName"] for r in ec2.describe_regions()["Regions"]}
    except Exception as error:
        if not is_aws_error(error):
            raise
        return offered, (
            f"account {account.id}: cannot list the enabled regions "
            f"(ec2:DescribeRegions: {describe_error(error)}); auditing every region where "
            "SageMaker is offered"
        )
    return [name for name in offered if name in enabled], ""


def list_jobs(
    client: SageMakerClient, filters: Mapping[str, Any], max_jobs: int | None
) -> Iterator[dict[str, Any]]:
    """Training job summaries, newest first, a page (up to 100) at a time: nothing more than a
    page is held. ``filters`` are ListTrainingJobs parameters (StatusEquals, NameContains,
    LastModifiedTimeAfter...), applied by the service."""
    listed = 0
    token: str | None = None
    while True:
        size = LIST_PAGE if max_jobs is None else min(LIST_PAGE, max_jobs - listed)
        params: dict[str, Any] = {
            **filters,
            "SortBy": "CreationTime",
            "SortOrder": "Descending",
            "MaxResults": size,
        }
        if token:
            params["NextToken"] = token
        page = client.list_training_jobs(**params)
        for summary in page.get("TrainingJobSummaries", []):
            yield dict(summary)
            listed += 1
            if max_jobs is not None and listed >= max_jobs:
                return
        token = page.get("NextToken")
        if not token:
            return


def describe_job(client: SageMakerClient, name: str) -> dict[str, Any]:
    """A DescribeTrainingJob response, without ResponseMetadata, timestamps as ISO-8601."""
    response: dict[str, Any] = dict(client.describe_training_job(TrainingJobName=name))
    response.pop("ResponseMetadata", None)
    data: dict[str, Any] = plain(response)
    return data


def job_tags(client: SageMakerClient, arn: str) -> dict[str, str]:
    tags: dict[str, str] = {}
    token: str | None = None
    while True:
        page = (
            client.list_tags(ResourceArn=arn, NextToken=token)
            if token
            else client.list_tags(ResourceArn=arn)
        )
        tags.update((tag["Key"], tag.get("Value", "")) for tag in page.get("Tags", []))
        token = page.get("NextToken")
        if not token:
            return tags


def plain(value: Any) -> Any:
    """A boto3 response as JSON would hold it: datetimes become ISO-8601 strings."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


# --- S3 ------------------------------------------------------------------------------------


class S3Failure(Exception):
    """Listing a channel's data failed: ``text`` says why, in one line."""

    def __init__(self, uri: str, text: str) -> None:
        super().__init__(f"{uri}: {text}")
        self.uri = uri
        self.text = text


def split_uri(uri: str) -> tuple[str, str]:
    """``s3://bucket/key/prefix`` -> (bucket, key prefix)."""
    if not uri.startswith("s3://"):
        raise ValueError(uri)
    bucket, _, key = uri[len("s3://") :].partition("/")
    if not bucket:
        raise ValueError(uri)
    return bucket, key


class S3Lister:
    """Lists what the S3-aware rules need, at most ``cap`` objects (or manifest entries) per
    channel, and remembers each listing for the rest of the run (a bounded number of them),
    per account and URI; concurrent requests for the same URI share one listing."""

    def __init__(self, cap: int = DEFAULT_S3_MAX_OBJECTS, remember: int = 4096) -> None:
        self.cap = max(1, cap)
        self._remember = remember
        self._lock = threading.Lock()
        self._listings: OrderedDict[tuple[str, str, str], Future[S3Listing | None]] = OrderedDict()
        self.calls = 0  # S3 requests made (for the curious: tests, the benchmark)

    def listing(self, client: S3Client, account: str, request: ListingRequest) -> S3Listing | None:
        """The listing for ``request``; None when the bucket or manifest does not exist.
        Raises :class:`S3Failure` when S3 refuses or fails."""
        key = (account, request.data_type, request.uri)
        while True:
            with self._lock:
                future = self._listings.get(key)
                owner = future is None or (
                    future.done()
                    and future.exception() is None
                    and not self._enough(future.result(), request)
                )
                if owner:
                    future = self._listings[key] = Future()
                    while len(self._listings) > self._remember:
                        oldest = next(iter(self._listings))
                        if not self._listings[oldest].done():
                            break
                        del self._listings[oldest]
                self._listings.move_to_end(key)
            assert future is not None
            if owner:
                try:
                    future.set_result(self._fetch(client, request))
                except BaseException as error:
                    future.set_exception(error)
            result = future.result()
            if self._enough(result, request):
                return result

    @staticmethod
    def _enough(listing: S3Listing | None, request: ListingRequest) -> bool:
        if listing is None or listing.partial in (None, "cap"):
            return True
        return request.enough is not None and listing.objects >= request.enough

    def _fetch(self, client: S3Client, request: ListingRequest) -> S3Listing | None:
        try:
            bucket, key = split_uri(request.uri)
        except ValueError:
            return None
        limit = self.cap if request.enough is None else min(self.cap, request.enough)
        try:
            if request.data_type == "S3Prefix":
                return self._list_prefix(client, request, bucket, key, limit)
            return self._read_manifest(client, request, bucket, key, limit)
        except Exception as error:
            if not is_aws_error(error):
                raise
            if error_code(error) in MISSING:
                return None
            raise S3Failure(request.uri, describe_error(error)) from None

    def _list_prefix(
        self, client: S3Client, request: ListingRequest, bucket: str, prefix: str, limit: int
    ) -> S3Listing:
        sizes: list[int] = []
        largest, largest_key = -1, ""
        token: str | None = None
        partial = None
        while True:
            params: dict[str, Any] = {
                "Bucket": bucket,
                "Prefix": prefix,
                "MaxKeys": max(1, min(S3_PAGE, limit - len(sizes))),
            }
            if token:
                params["ContinuationToken"] = token
            self.calls += 1
            page = client.list_objects_v2(**params)
            for item in page.get("Contents", []):
                key, size = item.get("Key", ""), int(item.get("Size", 0))
                if key.endswith("/") and size == 0:  # a "folder" placeholder
                    continue
                sizes.append(size)
                if size > largest:
                    largest, largest_key = size, key
            token = page.get("NextContinuationToken")
            if not page.get("IsTruncated") or not token:
                break
            if len(sizes) >= limit:
                partial = "cap" if request.enough is None or request.enough > self.cap else "enough"
                break
        return S3Listing(
            request.uri,
            request.data_type,
            len(sizes),
            total_bytes=sum(sizes),
            largest_bytes=largest if sizes else None,
            largest_key=largest_key if sizes else None,
            median_bytes=int(statistics.median_low(sizes)) if sizes else None,
            partial=partial,  # type: ignore[arg-type]
            cap=self.cap,
        )

    def _read_manifest(
        self, client: S3Client, request: ListingRequest, bucket: str, key: str, limit: int
    ) -> S3Listing:
        """Count a manifest's entries (a JSON array: a prefix object, then keys) or an augmented
        manifest's lines (JSON Lines), reading the object as a stream and stopping at ``limit``."""
        self.calls += 1
        body = client.get_object(Bucket=bucket, Key=key)["Body"]
        count = 0
        ended = True
        try:
            if request.data_type == "AugmentedManifestFile":
                for line in body.iter_lines():
                    if line.strip():
                        count += 1
                        if count >= limit:
                            ended = False
                            break
            else:
                counter = _ArrayCounter()
                for chunk in body.iter_chunks(64 * 1024):
                    counter.feed(chunk)
                    if counter.elements - 1 >= limit:
                        ended = False
                        break
                count = max(counter.elements - 1, 0)  # the first element is the prefix
        finally:
            body.close()
        partial = None
        if not ended:
            partial = "cap" if request.enough is None or request.enough > self.cap else "enough"
        return S3Listing(
            request.uri,
            request.data_type,
            min(count, limit),
            partial=partial,  # type: ignore[arg-type]
            cap=self.cap,
        )


class _ArrayCounter:
    """Counts the elements of a top-level JSON array fed in chunks, without parsing them."""

    def __init__(self) -> None:
        self.elements = 0
        self._depth = 0
        self._in_string = False
        self._escaped = False
        self._pending = False  # inside the top-level array, a value may start

    def feed(self, chunk: bytes) -> None:
        for byte in chunk:
            if self._in_string:
                if self._escaped:
                    self._escaped = False
                elif byte == 0x5C:  # backslash
                    self._escaped = True
                elif byte == 0x22:  # quote
                    self._in_string = False
                continue
            if byte in b" \t\r\n":
                continue
            if self._depth == 1 and self._pending and byte != 0x5D:  # a value starts
                self.elements += 1
                self._pending = False
            if byte == 0x22:
                self._in_string = True
            elif byte in b"[{":
                self._depth += 1
                if self._depth == 1:
                    self._pending = True
            elif byte in b"]}":
                self._depth -= 1
            elif byte == 0x2C and self._depth == 1:  # comma
                self._pending = True


# --- errors --------------------------------------------------------------------------------


def is_aws_error(error: BaseException) -> bool:
    """An error from AWS or on the way to it (as opposed to a bug of ours)."""
    from botocore.exceptions import BotoCoreError, ClientError

    return isinstance(error, BotoCoreError | ClientError | S3Failure | ConnectionError)


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
    if isinstance(error, ClientError):
        code = error_code(error)
        message = str(error.response.get("Error", {}).get("Message") or "")
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
