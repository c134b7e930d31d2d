"""Reaching AWS: sessions and clients (adaptive retries, timeouts, AssumeRole with refreshing
credentials), the accounts and regions to audit (an organization's active accounts from
ListAccounts), and :class:`Target`: one account and region, and how far its audit has got.

boto3 and botocore are imported inside the functions, never at module level: ``--help`` and a
plain ``lint`` never load them.
"""

from __future__ import annotations

import functools
import os
import re
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from sagelint.aws.errors import THROTTLING, BadResponse, describe_error, is_aws_error
from sagelint.aws.fetch import call, check_json_body, reading
from sagelint.job import partition
from sagelint.printable import printable

if TYPE_CHECKING:
    import boto3
    from botocore.config import Config
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_sagemaker import SageMakerClient

DEFAULT_CONCURRENCY = 16
DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_ATTEMPTS = 8  # unless AWS_MAX_ATTEMPTS or the profile's max_attempts says otherwise
CONNECT_ATTEMPTS = 2  # an endpoint that cannot be reached is tried twice, whatever the above
ROLE_SESSION_NAME = "sagelint-audit"
_ARN = re.compile(r"^arn:(aws[a-z-]*):iam::(\d{12}):role/.+$")
_ACCOUNT_ID = re.compile(r"[0-9]{12}")  # ASCII digits: \d matches the digits of any script
ACCOUNTS_PAGE = 20  # ListAccounts' largest page


@functools.cache
def sagelint_version() -> str:
    """The installed sagelint's version (from its distribution: the AWS layer does not import
    the package's public top, which imports the rules)."""
    from importlib.metadata import version

    return version("sagelint")


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


@dataclass
class Target:
    """One account and region to audit, and how far it has got: jobs listed (by its lister
    thread) and processed (by the calling thread), whether the calling thread has seen the end
    of its listing and the state of the listing (waiting, listing, listed, failed)."""

    account: Account
    region: str
    listed: int = 0
    processed: int = 0
    ended: bool = False
    state: str = "waiting"

    def open(self) -> bool:
        return not self.ended or self.processed < self.listed


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
        user_agent_extra=f"sagelint/{sagelint_version()}",
        s3={"addressing_style": "path"} if connection.endpoint_url and service == "s3" else None,
    )


def print_note(text: str) -> None:
    print(f"sagelint: {printable(text)}", file=sys.stderr, flush=True)


class RetryGuard:
    """botocore's ``needs-retry`` event, ahead of its retry handler: an endpoint that cannot be
    reached (connection refused, no such host, a connect timeout, a proxy or TLS failure) is
    tried :data:`CONNECT_ATTEMPTS` times, not as often as throttling is, so that an unreachable
    endpoint ends a region in seconds (raising the error stops botocore's retries). A retry
    after a connect failure, a read timeout or a server error is said (once per kind, per
    service and region) through ``note``, not waited out in silence; throttling is retried
    without a word, as expected."""

    def __init__(self, client: Any, region: str, note: Callable[[str], None]) -> None:
        self._service = str(client.meta.service_model.service_name)
        self._region = region
        self._note = note
        self._endpoint = _host(str(client.meta.endpoint_url))
        self._attempts = _max_attempts(client.meta.config.retries or {})
        self._said: set[str] = set()
        self._lock = threading.Lock()

    def __call__(
        self,
        attempts: int = 1,
        caught_exception: BaseException | None = None,
        operation: Any = None,
        response: Any = None,
        **_: Any,
    ) -> None:
        from botocore.exceptions import ConnectionError as ConnectFailure
        from botocore.exceptions import ReadTimeoutError

        if isinstance(caught_exception, ConnectFailure):  # refused, no such host, connect timeout
            if attempts >= min(CONNECT_ATTEMPTS, self._attempts):
                raise caught_exception
            self._say("connect", f"cannot connect to {self._endpoint}", attempts, operation)
        elif attempts >= self._attempts:
            return
        elif isinstance(caught_exception, ReadTimeoutError):
            self._say("timeout", f"no answer from {self._endpoint} in time", attempts, operation)
        elif _server_error(response):
            status = response[0].status_code
            self._say("server", f"{self._endpoint} answered HTTP {status}", attempts, operation)

    def _say(self, kind: str, what: str, attempts: int, operation: Any) -> None:
        with self._lock:
            if kind in self._said:
                return
            self._said.add(kind)
        name = getattr(operation, "name", None) or self._service
        limit = CONNECT_ATTEMPTS if kind == "connect" else self._attempts
        self._note(
            f"{self._region}: {what} ({name}, attempt {attempts} of at most {limit}); retrying"
        )


def _max_attempts(retries: dict[str, Any]) -> int:
    """The attempts botocore makes of a call, as its retry configuration says."""
    if retries.get("total_max_attempts"):
        return int(retries["total_max_attempts"])
    if retries.get("max_attempts") is not None:  # retries after the first attempt
        return int(retries["max_attempts"]) + 1
    return 5 if retries.get("mode", "legacy") == "legacy" else 3


def _server_error(response: Any) -> bool:
    """A 5xx answer that is not throttling (which is retried without a word: it is expected)."""
    if not isinstance(response, tuple) or len(response) != 2:
        return False
    http, parsed = response
    status = getattr(http, "status_code", 0)
    code = parsed.get("Error", {}).get("Code") if isinstance(parsed, dict) else None
    return isinstance(status, int) and status >= 500 and code not in THROTTLING


def _host(url: str) -> str:
    """An endpoint's scheme, host and port (no user information, path or query)."""
    parts = urlsplit(url)
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.hostname}{port}" if parts.hostname else "the endpoint"


def guard(client: Any, region: str, note: Callable[[str], None]) -> Any:
    """``client`` with the audit's handlers: answers checked before botocore parses them
    (:func:`~sagelint.aws.fetch.check_json_body`) and retries bounded (:class:`RetryGuard`)."""
    service = client.meta.service_model.service_id.hyphenize()
    client.meta.events.register_first(f"before-parse.{service}", check_json_body)
    client.meta.events.register_first(f"needs-retry.{service}", RetryGuard(client, region, note))
    return client


class Clients:
    """One client per session, service and region, shared by every thread (boto3 clients are
    thread-safe; creating them is not, hence ``creating``, which the STS clients of assumed
    roles are made under too). Sharing also makes the adaptive retry mode's rate limiter see
    every call to a region. ``note`` says what is being retried (on standard error unless told
    otherwise)."""

    def __init__(self, connection: Connection, note: Callable[[str], None] = print_note) -> None:
        self.connection = connection
        self.note = note
        self.creating = threading.RLock()
        self._clients: dict[tuple[int, str, str], Any] = {}

    def client(self, session: boto3.Session, service: str, region: str) -> Any:
        key = (id(session), service, region)
        with self.creating:
            found = self._clients.get(key)
            if found is None:
                made = session.client(
                    service,  # type: ignore[call-overload]
                    region_name=region,
                    endpoint_url=self.connection.endpoint_url,
                    config=client_config(session, self.connection, service),
                )
                found = self._clients[key] = guard(made, region, self.note)
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
    """The accounts to audit: the base credentials' own account, or each role's account (the
    roles assumed a few at a time: an organization has hundreds)."""
    if not role_arns:
        try:
            sts = clients.client(base, "sts", region)
            identity = call("GetCallerIdentity", sts.get_caller_identity)
            if not _ACCOUNT_ID.fullmatch(identity["Account"]):
                raise BadResponse(
                    "GetCallerIdentity",
                    "GetCallerIdentity gave an account ID that is not 12 digits",
                )
            return [Account(identity["Account"], base)]
        except Exception as error:
            if not is_aws_error(error):
                raise
            return [Account("*", None, f"cannot use the credentials: {describe_error(error)}")]

    def assume(role_arn: str) -> Account:
        match = _ARN.match(role_arn)
        account_id = match.group(2) if match else "*"
        try:
            session = assumed_session(base, clients, region, role_arn, external_id)
        except Exception as error:
            if not is_aws_error(error):
                raise
            why = f"AssumeRole {role_arn} failed: {describe_error(error)}"
            return Account(account_id, None, why, role_arn)
        return Account(account_id, session, role_arn=role_arn)

    with ThreadPoolExecutor(min(len(role_arns), clients.connection.concurrency)) as pool:
        return list(pool.map(assume, role_arns))


def organization_roles(
    base: boto3.Session, clients: Clients, region: str, role_name: str
) -> list[str]:
    """The role ``role_name`` in each active account of the organization (ListAccounts, from
    its management account or a delegated administrator), by account id: the management
    account's too, as c7n-org and Prowler do. Raises what ListAccounts raises."""
    organizations = clients.client(base, "organizations", region)
    accounts: set[str] = set()
    token: str | None = None
    while True:
        params: dict[str, Any] = {"MaxResults": ACCOUNTS_PAGE}
        if token:
            params["NextToken"] = token
        page = call("ListAccounts", organizations.list_accounts, **params)
        for account in page["Accounts"]:
            if not isinstance(account, dict) or not _ACCOUNT_ID.fullmatch(str(account.get("Id"))):
                raise BadResponse("ListAccounts", "an account in the response has no valid Id")
            # State replaces Status (retired in September 2026); either says ACTIVE.
            if (account.get("State") or account.get("Status")) == "ACTIVE":
                accounts.add(account["Id"])
        token = page.get("NextToken")
        if not token:
            break
    return [f"arn:{partition(region)}:iam::{id_}:role/{role_name}" for id_ in sorted(accounts)]


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
        with clients.creating:
            made = core.create_client(
                service,
                region_name=region,
                endpoint_url=clients.connection.endpoint_url,
                config=config,
                **kwargs,
            )
        return guard(made, region, clients.note)

    extra: dict[str, Any] = {"RoleSessionName": ROLE_SESSION_NAME}
    if external_id:
        extra["ExternalId"] = external_id
    fetcher = AssumeRoleCredentialFetcher(create_client, source, role_arn, extra_args=extra)
    credentials = DeferredRefreshableCredentials(fetcher.fetch_credentials, "assume-role")
    with reading("AssumeRole"):
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
        answer = call("DescribeRegions", ec2.describe_regions)
        enabled = {r.get("RegionName") for r in answer["Regions"] if isinstance(r, dict)}
    except Exception as error:
        if not is_aws_error(error):
            raise
        return offered, (
            f"account {account.id}: cannot list the enabled regions "
            f"(ec2:DescribeRegions: {describe_error(error)}); auditing every region where "
            "SageMaker is offered"
        )
    return [name for name in offered if name in enabled], ""
