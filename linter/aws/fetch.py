"""Reading training jobs from SageMaker: Search (the jobs with their tags, a page at a time),
ListTrainingJobs a page at a time, DescribeTrainingJob (as JSON would hold it) and ListTags.

Search against DescribeTrainingJob, by botocore's model (``SearchRecord.TrainingJob`` against
``DescribeTrainingJobResponse``; ``tests/test_audit.py`` compares them): Search's record has
every member of the response but ten, and has the job's ``Tags``, which the response does not.
It lacks ``RemoteDebugConfig`` (read by SM108, a security rule on by default),
``ProfilerRuleConfigurations`` (SM210's output locations), ``ServerlessJobConfig``,
``InfraCheckConfig``, ``MlflowConfig``, ``MlflowDetails``, ``ProfilerRuleEvaluationStatuses``,
``ProfilingStatus``, ``ProgressInfo`` and ``BillableTokenCount``. So the audit describes every
job it checks and takes from Search what DescribeTrainingJob lacks: the tags, 100 jobs a call,
in place of one ListTags call per job (:class:`SearchedTags`). (Linting Search's record alone
would leave SM108 and SM210 blind, and plugin rules and schema policies may read any member; a
``--save`` file is a whole DescribeTrainingJob response; and a record may lag the job: see
:mod:`sagelint.aws.audit`.)

Every AWS answer is read through :func:`call`: a response that is not JSON (or XML), or not the
shape of the operation's answer, raises :class:`~sagelint.aws.errors.BadResponse` whichever
way botocore surfaces it: an exception from its parsers (:func:`reading`), a JSON body that is
not an object (:func:`check_json_body`, on each client's ``before-parse`` event), or a parsed
answer that lacks or mistypes a member the audit relies on (:data:`EXPECTED`).
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sagelint.aws.errors import BadResponse

if TYPE_CHECKING:
    from mypy_boto3_sagemaker import SageMakerClient

LIST_PAGE = 100  # ListTrainingJobs' largest page, and Search's
AHEAD = 1_000  # Search records read ahead of the listing, at most (SearchedTags)

# What the audit relies on in each answer: (member, type, required).
EXPECTED: dict[str, tuple[tuple[str, type, bool], ...]] = {
    "ListTrainingJobs": (("TrainingJobSummaries", list, True), ("NextToken", str, False)),
    "DescribeTrainingJob": (("TrainingJobName", str, True), ("TrainingJobArn", str, True)),
    "Search": (("Results", list, True), ("NextToken", str, False)),
    "ListTags": (("Tags", list, False), ("NextToken", str, False)),
    "ListAccounts": (("Accounts", list, True), ("NextToken", str, False)),
    "GetCallerIdentity": (("Account", str, True),),
    "DescribeRegions": (("Regions", list, True),),
    "ListObjectsV2": (
        ("IsTruncated", bool, True),
        ("Contents", list, False),
        ("NextContinuationToken", str, False),
    ),
    "GetObject": (("Body", object, True),),
    "GetFindings": (("Findings", list, True), ("NextToken", str, False)),
    "BatchImportFindings": (("FailedCount", int, False), ("FailedFindings", list, False)),
}
_JSON_TYPES: dict[str, type | tuple[type, ...]] = {
    "structure": dict,
    "map": dict,
    "list": list,
    "string": str,
    "boolean": bool,
    "integer": int,
    "long": int,
    "float": (int, float),
    "double": (int, float),
}
_KIND = {
    dict: "an object",
    list: "a list",
    str: "a string",
    bool: "true or false",
    int: "a number",
    object: "a value",
}


def check_json_body(response_dict: Mapping[str, Any], operation_model: Any, **_: Any) -> None:
    """botocore's ``before-parse`` event: a successful answer of a JSON API must be a JSON object
    whose top-level members have the types the API model gives them. botocore would read a body
    that is not JSON as an empty answer (no jobs, an empty job), and fail on a wrong type with
    whatever exception its parser meets."""
    protocol = getattr(operation_model.service_model, "resolved_protocol", None)
    protocol = protocol or operation_model.metadata.get("protocol")
    status = int(response_dict.get("status_code") or 0)
    if protocol != "json" or not 200 <= status < 300 or operation_model.output_shape is None:
        return
    body = response_dict.get("body")
    if not isinstance(body, bytes | bytearray):
        return
    name = operation_model.name
    if not body.strip():
        raise BadResponse(name, "the response was empty")
    try:
        value = json.loads(body)
    except ValueError:  # UnicodeDecodeError included
        raise BadResponse(name, "the response was not JSON") from None
    except RecursionError:
        raise BadResponse(name, "the response was nested too deeply") from None
    if not isinstance(value, dict):
        raise BadResponse(name, "the response was not a JSON object")
    members = operation_model.output_shape.members
    for key, item in value.items():
        shape = members.get(key)
        wanted = _JSON_TYPES.get(shape.type_name) if shape is not None else None
        if wanted is None or item is None:
            continue
        if not isinstance(item, wanted) or (wanted is int and isinstance(item, bool)):
            kind = _KIND.get(wanted if isinstance(wanted, type) else int, "of its type")
            raise BadResponse(name, f"{key} in the response is not {kind}")


def unreadable(error: BaseException) -> str | None:
    """Why botocore could not read an answer, when ``error`` comes from its parsers (or from
    what it does with the parsed answer while fetching credentials); None for anything else."""
    import botocore.credentials
    import botocore.parsers

    if isinstance(error, botocore.parsers.ResponseParserError):
        return "the response could not be parsed"
    if not isinstance(error, ValueError | TypeError | AttributeError | KeyError | IndexError):
        return None
    where = {botocore.parsers.__file__, botocore.credentials.__file__}
    frames = error.__traceback__
    while frames is not None:
        if frames.tb_frame.f_code.co_filename in where:
            if isinstance(error, UnicodeDecodeError):
                return "the response was not UTF-8 text"
            key = error.args[0] if isinstance(error, KeyError) and error.args else None
            if isinstance(key, str) and key.isidentifier() and len(key) <= 64:
                return f"{key} is missing from the response"
            return "the response does not have the shape of the operation's answer"
        frames = frames.tb_next
    return None


@contextmanager
def reading(operation: str) -> Iterator[None]:
    """What botocore raises on an answer it cannot read, as :class:`BadResponse`."""
    try:
        yield
    except BadResponse:
        raise
    except Exception as error:
        why = unreadable(error)
        if why is None:
            raise
        raise BadResponse(operation, why) from None


def call(operation: str, method: Callable[..., Any], /, **params: Any) -> dict[str, Any]:
    """``method(**params)`` (a client's method for ``operation``): its answer, checked for what
    :data:`EXPECTED` says the audit relies on. Raises :class:`BadResponse` for an answer that
    cannot be read, and whatever the client raises otherwise (ClientError...)."""
    with reading(operation):
        answer = method(**params)
    if not isinstance(answer, dict):
        raise BadResponse(operation, "the response was not an object")
    for key, kind, required in EXPECTED.get(operation, ()):
        value = answer.get(key)
        if value is None:
            if required:
                raise BadResponse(operation, f"{key} is missing from the response")
        elif not isinstance(value, kind):
            raise BadResponse(operation, f"{key} in the response is not {_KIND[kind]}")
    return answer


def list_jobs(
    client: SageMakerClient, filters: Mapping[str, Any], max_jobs: int | None
) -> Iterator[dict[str, Any]]:
    """Training job summaries, newest first, a page (up to 100) at a time: nothing more than a
    page is held. ``filters`` are ListTrainingJobs parameters (StatusEquals, NameContains,
    LastModifiedTimeAfter...), applied by the service. A page that cannot be read raises
    :class:`BadResponse` before any of its jobs is given."""
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
        page = call("ListTrainingJobs", client.list_training_jobs, **params)
        summaries = page["TrainingJobSummaries"]
        for summary in summaries:
            _check_summary(summary)
        for summary in summaries:
            yield dict(summary)
            listed += 1
            if max_jobs is not None and listed >= max_jobs:
                return
        token = page.get("NextToken")
        if not token:
            return


def _check_summary(summary: Any, operation: str = "ListTrainingJobs") -> None:
    if not isinstance(summary, dict):
        raise BadResponse(operation, "a training job summary in the response is not an object")
    for key in ("TrainingJobName", "TrainingJobArn"):
        if not isinstance(summary.get(key), str) or not summary[key]:
            raise BadResponse(operation, f"a training job summary in the response has no {key}")


def search_jobs(
    client: SageMakerClient, filters: Sequence[Mapping[str, str]]
) -> Iterator[tuple[str, dict[str, str] | None]]:
    """Training jobs with their tags, newest first, a page (up to 100) at a time (Search): each
    job's ARN and its tags, None when the record's tags cannot be read (ListTags can be asked
    instead). ``filters`` are Search filters, applied by the service. A page that cannot be
    read raises :class:`BadResponse` before any of its jobs is given."""
    token: str | None = None
    while True:
        params: dict[str, Any] = {
            "Resource": "TrainingJob",
            "SortBy": "CreationTime",
            "SortOrder": "Descending",
            "MaxResults": LIST_PAGE,
        }
        if filters:
            params["SearchExpression"] = {"Filters": [dict(item) for item in filters]}
        if token:
            params["NextToken"] = token
        page = call("Search", client.search, **params)
        yield from [_record(result) for result in page["Results"]]
        token = page.get("NextToken")
        if not token:
            return


def tagged_jobs(
    client: SageMakerClient, key: str, limit: int
) -> dict[str, dict[str, str] | None] | None:
    """The training jobs that have the tag ``key`` (Search, the filter ``Tags.KEY`` ``Exists``
    applied by the service) and their tags (None when a record's tags cannot be read), by ARN;
    None when there are more than ``limit``."""
    found: dict[str, dict[str, str] | None] = {}
    for arn, tags in search_jobs(client, [{"Name": f"Tags.{key}", "Operator": "Exists"}]):
        if len(found) >= limit:
            return None
        found[arn] = tags
    return found


class SearchedTags:
    """The tags of the jobs of a listing (ListTrainingJobs) from Search, read a page at a time
    as the listing goes. Both are asked for the same order (CreationTime, newest first), so a
    job's record is among the few Search has read ahead of the listing, or Search does not know
    the job (yet: its index is eventually consistent) and :meth:`of` gives None, for ListTags to
    be asked. The listing decides which jobs there are; Search only saves ListTags calls. Search
    is read once, forwards; at most :data:`AHEAD` records are held, and a job Search does not
    know costs at most that many records read ahead."""

    def __init__(self, records: Iterator[tuple[str, dict[str, str] | None]]) -> None:
        self._records = records
        # ARN -> tags of the records read and not yet asked for, in Search's order
        self._ahead: OrderedDict[str, dict[str, str] | None] = OrderedDict()
        self.ended = False

    def of(self, summary: Mapping[str, Any]) -> dict[str, str] | None:
        """The tags of the job of ``summary`` (the listing's next), or None when Search does
        not give them. Raises what Search raises, once: then it gives what it has read."""
        arn = summary["TrainingJobArn"]
        read = 0
        while arn not in self._ahead and not self.ended and read < AHEAD:
            try:
                record, tags = next(self._records)  # record: its job's ARN
            except StopIteration:
                self.ended = True
                break
            except BaseException:
                self.ended = True
                raise
            read += 1
            if len(self._ahead) >= AHEAD:
                self._ahead.popitem(last=False)
            self._ahead[record] = tags
        if arn not in self._ahead:
            return None
        # In the listing's order, the records before this job's are jobs the listing has passed.
        while True:
            key, tags = self._ahead.popitem(last=False)
            if key == arn:
                return tags


def _record(result: Any) -> tuple[str, dict[str, str] | None]:
    """A Search result: its training job's ARN, and its tags (None when they cannot be read; a
    record without tags is a job without tags)."""
    job = result.get("TrainingJob") if isinstance(result, dict) else None
    if not isinstance(job, dict):
        raise BadResponse("Search", "a result in the response is not a training job")
    _check_summary(job, "Search")
    try:
        return job["TrainingJobArn"], _tag_map(job.get("Tags") or (), "Search")
    except BadResponse:
        return job["TrainingJobArn"], None


def describe_job(client: SageMakerClient, name: str) -> dict[str, Any]:
    """A DescribeTrainingJob response, without ResponseMetadata, timestamps as ISO-8601."""
    response = call("DescribeTrainingJob", client.describe_training_job, TrainingJobName=name)
    response.pop("ResponseMetadata", None)
    data: dict[str, Any] = plain(response)
    return data


def job_tags(client: SageMakerClient, arn: str) -> dict[str, str]:
    tags: dict[str, str] = {}
    token: str | None = None
    while True:
        params = {"ResourceArn": arn, **({"NextToken": token} if token else {})}
        page = call("ListTags", client.list_tags, **params)
        tags.update(_tag_map(page.get("Tags") or (), "ListTags"))
        token = page.get("NextToken")
        if not token:
            return tags


def _tag_map(items: Any, operation: str) -> dict[str, str]:
    """Tags (a list of Key and Value) as a mapping; :class:`BadResponse` for what is not."""
    if not isinstance(items, list | tuple):
        raise BadResponse(operation, "the tags in the response are not a list")
    tags: dict[str, str] = {}
    for tag in items:
        if not isinstance(tag, dict) or not isinstance(tag.get("Key"), str):
            raise BadResponse(operation, "a tag in the response has no Key")
        value = tag.get("Value")
        tags[tag["Key"]] = value if isinstance(value, str) else ""
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
