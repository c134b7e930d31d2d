"""The view of one training job that rules read.

A job is either a DescribeTrainingJob response (``describe``: a job that exists, with status and
timestamps) or a CreateTrainingJob request (``create``: a saved job spec). The accessors treat an
explicit ``null`` like an absent field (SDK dumps write nulls for unset fields) and return None
(or an empty container) for a value of the wrong type, so that a rule on a malformed document
says nothing rather than crash; the schema check reports the malformed value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

Kind = Literal["describe", "create"]
Key = str | int

EVENT_DETAIL_TYPE = "SageMaker Training Job State Change"
# Members only a DescribeTrainingJob response has: a job that exists.
DESCRIBE_MEMBERS = frozenset(
    {
        "TrainingJobArn",
        "TrainingJobStatus",
        "SecondaryStatus",
        "CreationTime",
        "LastModifiedTime",
        "ModelArtifacts",
        "SecondaryStatusTransitions",
        "TrainingStartTime",
        "TrainingEndTime",
        "FailureReason",
        "BillableTimeInSeconds",
    }
)
# Members a CreateTrainingJob request (a saved job spec) is made of.
REQUEST_MEMBERS = frozenset(
    {
        "TrainingJobName",
        "AlgorithmSpecification",
        "RoleArn",
        "OutputDataConfig",
        "ResourceConfig",
        "InputDataConfig",
        "StoppingCondition",
        "HyperParameters",
    }
)


# An AWS Region's name: us-east-1, us-gov-west-1, cn-north-1, ap-southeast-5.
REGION_NAME = r"^[a-z]{2,4}(-[a-z]+)+-\d+$"
# An AWS account's ID.
ACCOUNT_ID = r"^\d{12}$"
# The partitions whose regions are not "aws", by the start of their regions' names (botocore's
# endpoint data says which regions each partition has; the tests check this against it).
_PARTITIONS = (
    ("us-gov-", "aws-us-gov"),
    ("us-isob-", "aws-iso-b"),
    ("us-isof-", "aws-iso-f"),
    ("us-iso-", "aws-iso"),
    ("eu-isoe-", "aws-iso-e"),
    ("eusc-", "aws-eusc"),
    ("cn-", "aws-cn"),
)
_LONG_LIMIT = 2**63  # the API's widest integer type is a 64-bit signed long


def partition(region: str) -> str:
    """The partition of a region, as ARNs name it: ``aws``, ``aws-cn``, ``aws-us-gov``..."""
    for start, name in _PARTITIONS:
        if region.startswith(start):
            return name
    return "aws"


def training_job_arn(name: str, region: str, account: str) -> str:
    """The ARN SageMaker gives a training job: its name lower-cased, as in every
    ``TrainingJobArn`` (``Churn-Train`` is ``training-job/churn-train``)."""
    return f"arn:{partition(region)}:sagemaker:{region}:{account}:training-job/{name.lower()}"


class JobResource(NamedTuple):
    """Where a job lives in AWS, as far as its document and the run say: its ARN, account,
    region and name (``TrainingJobName``), each None when not known. The ARN is a
    DescribeTrainingJob response's ``TrainingJobArn``, or else built from the other three
    (:func:`training_job_arn`); a job without a known name, account or region has none."""

    arn: str | None
    account: str | None
    region: str | None
    name: str | None

    @classmethod
    def of_arn(cls, arn: str) -> JobResource:
        """The resource a training job's ARN names (the audit's path of a job)."""
        parts = arn.split(":", 5)
        if len(parts) < 6 or not parts[5].startswith("training-job/"):
            return cls(None, None, None, None)
        return cls(arn, parts[4] or None, parts[3] or None, parts[5].partition("/")[2] or None)

    def missing(self) -> list[str]:
        """What an ARN cannot be built without: ``name``, ``account``, ``region`` (none when
        the ARN is known)."""
        if self.arn is not None:
            return []
        known = {"name": self.name, "account": self.account, "region": self.region}
        return [what for what, value in known.items() if value is None]


def pointer(*tokens: Key) -> str:
    """The RFC 6901 JSON pointer of a path of object keys and array indexes."""
    return "".join("/" + str(t).replace("~", "~0").replace("/", "~1") for t in tokens)


@dataclass(frozen=True, slots=True)
class Unknown:
    """A value the document does not hold but stands for: an intrinsic function of a template, a
    pipeline parameter, a path resolved when the job runs. ``source`` says which (for example
    ``Ref TrainingImage``), never a value. No rule reads it as wrong, nor as missing. (Not a
    tuple, not a string: no check takes it for an array or a text.)"""

    source: str


# Template placeholders: the openings and closings of {{ ... }} (Jinja, Handlebars, Helm),
# ${ ... } (shell, Terraform, CloudFormation Fn::Sub, CDK tokens) and {% ... %} (JSONata in Step
# Functions, Jinja statements).
_PLACEHOLDERS = (("{{", "}}"), ("${", "}"), ("{%", "%}"))


def is_placeholder(text: str) -> bool:
    """Whether a string holds a template placeholder: its value is not known from the document.
    (Linear time: two searches per kind of placeholder.)"""
    if "{" not in text:
        return False
    for opening, closing in _PLACEHOLDERS:
        start = text.find(opening)
        if start >= 0 and text.find(closing, start + len(opening)) >= 0:
            return True
    return False


def is_unknown(value: object) -> bool:
    """An :class:`Unknown`, or a string holding a template placeholder."""
    return isinstance(value, Unknown) or (isinstance(value, str) and is_placeholder(value))


def known(value: Any) -> Any:
    """``value``, or None when it is unknown (see :func:`is_unknown`): for rules that read a
    member of a mapping they already hold (a channel, an instance group)."""
    return None if is_unknown(value) else value


# The tag whose value names the rules a job's findings are suppressed for (the engine applies it).
IGNORE_TAG = "sagelint:ignore"


class Job(NamedTuple):
    kind: Kind
    data: Mapping[str, Any]
    # The job's tags when known: a request spec's Tags, an event's Tags, Search's (or ListTags')
    # in an audit.
    # None when the document does not say (a saved DescribeTrainingJob response has no tags).
    tags: Mapping[str, str] | None = None
    # What S3 holds under each channel's S3Uri (S3Uri -> sagelint.s3_listing.S3Listing) when the
    # audit or `lint --s3` listed it; None otherwise (SM203, SM205, SM206 then say nothing).
    s3: Mapping[str, Any] | None = None
    # The region of each bucket the S3-aware rules asked about, when the audit or `lint --s3`
    # asked S3 (bucket -> region); None otherwise (SM211 then says nothing).
    bucket_regions: Mapping[str, str] | None = None
    # The region the job runs in when the document does not say (a request spec): the file's (a
    # Terraform resource's region), else --region or the configuration's region. A
    # DescribeTrainingJob response's own, in its ARN, wins.
    given_region: str | None = None
    # The account the job is created in when the document does not say (a request spec whose
    # RoleArn is missing or not known): --account. An ARN of the document wins.
    given_account: str | None = None

    @property
    def name(self) -> str | None:
        return self.text("TrainingJobName")

    @property
    def region(self) -> str | None:
        """The job's region: from its ARN, else the region given; None when neither says."""
        parts = (self.text("TrainingJobArn") or "").split(":")
        return parts[3] if len(parts) > 5 and parts[3] else self.given_region

    @property
    def account(self) -> str | None:
        """The job's account: from its ARN, else from its role's ARN (SageMaker is passed a
        role of the job's own account), else the account given; None when none says."""
        for arn in (self.text("TrainingJobArn"), self.text("RoleArn")):
            account = _arn_account(arn)
            if account is not None:
                return account
        return self.given_account

    @property
    def resource(self) -> JobResource:
        """Where the job lives in AWS (:class:`JobResource`): its ``TrainingJobArn``, or the ARN
        its name, account and region make."""
        name, account, region = self.name, self.account, self.region
        arn = self.text("TrainingJobArn")
        if arn is None or JobResource.of_arn(arn).arn is None:
            arn = training_job_arn(name, region, account) if name and account and region else None
        return JobResource(arn, account, region, name)

    def get(self, *path: Key) -> Any:
        value: Any = self.data
        for key in path:
            # dict, not Mapping: an ABC check costs more than the rest of the lookup
            if isinstance(key, str) and isinstance(value, dict):
                value = value.get(key)
            elif (
                isinstance(key, int) and isinstance(value, list) and -len(value) <= key < len(value)
            ):
                value = value[key]
            else:
                return None
        return value

    def unknown(self, *path: Key) -> bool:
        """Whether the value at ``path`` is there but not known from the document: a template
        placeholder, an :class:`Unknown` (an intrinsic function, a path resolved when the job
        runs), a Step Functions ``"Name.$"`` member, or anything inside one of these."""
        value: Any = self.data
        for key in path:
            if isinstance(key, str) and isinstance(value, dict):
                if f"{key}.$" in value:
                    return True
                value = value.get(key)
            elif (
                isinstance(key, int) and isinstance(value, list) and -len(value) <= key < len(value)
            ):
                value = value[key]
            else:
                return False
            if is_unknown(value):
                return True
        return False

    def text(self, *path: Key) -> str | None:
        """A string, unless it is a placeholder (``{{mode}}``, ``${Mode}``): None then."""
        value = self.get(*path)
        return value if isinstance(value, str) and not is_placeholder(value) else None

    def integer(self, *path: Key) -> int | None:
        """An integer: a JSON number with no fraction (``86400`` or ``86400.0``, as JSON Schema
        counts integers). None for anything else, and for a number no API integer can hold
        (beyond 64 bits, which the schema check reports), so that no rule computes with it."""
        value = self.get(*path)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        elif not isinstance(value, int) or isinstance(value, bool):
            return None
        return value if -_LONG_LIMIT <= value < _LONG_LIMIT else None

    def flag(self, *path: Key) -> bool | None:
        value = self.get(*path)
        return value if isinstance(value, bool) else None

    def array(self, *path: Key) -> list[Any]:
        value = self.get(*path)
        return value if isinstance(value, list) else []

    def mapping(self, *path: Key) -> Mapping[str, Any]:
        value = self.get(*path)
        return value if isinstance(value, dict) else {}

    def has(self, *path: Key) -> bool:
        """Whether the document gives a value at ``path``, known or not (an explicit null is
        no value: SDK dumps write them for unset fields)."""
        return self.get(*path) is not None or self.unknown(*path)


def _arn_account(arn: str | None) -> str | None:
    parts = (arn or "").split(":")
    return parts[4] if len(parts) > 5 and parts[4].isdigit() else None


def is_event(value: Mapping[str, Any]) -> bool:
    """An EventBridge "SageMaker Training Job State Change" event (its ``detail`` is the job)."""
    return value.get("detail-type") == EVENT_DETAIL_TYPE and isinstance(value.get("detail"), dict)


def job_kind(value: Mapping[str, Any]) -> Kind | None:
    """``describe`` for a DescribeTrainingJob response, ``create`` for a CreateTrainingJob
    request, None for anything else (a key ending in ``.$`` counts by its name)."""
    keys = {key.removesuffix(".$") for key in value}
    if keys & DESCRIBE_MEMBERS:
        return "describe"
    if keys & REQUEST_MEMBERS:
        return "create"
    return None


def make_job(
    value: Mapping[str, Any],
    *,
    kind: Kind | None = None,
    tags: Mapping[str, str] | None = None,
    s3: Mapping[str, Any] | None = None,
    bucket_regions: Mapping[str, str] | None = None,
    region: str | None = None,
) -> Job | None:
    """The one place a :class:`Job` is built: from a DescribeTrainingJob response, a
    CreateTrainingJob request or an EventBridge state change event (``kind``, when given, says
    which of the first two it is); None when ``value`` is none of these. ``region``: where the
    file says a request is created (its :attr:`Job.given_region`).

    ``tags`` (Search's or ListTags', in an audit) win over the document's own: an event's
    ``detail.Tags`` or a request's ``Tags``. A describe response says nothing of tags: None.
    """
    if is_event(value):
        detail = value["detail"]
        data = {k: v for k, v in detail.items() if k != "Tags"}
        if tags is None and "Tags" in detail:
            tags = tags_of(detail["Tags"])
        return Job("describe", data, tags, s3, bucket_regions)
    kind = kind or job_kind(value)
    if kind is None:
        return None
    if tags is None and kind == "create":
        tags = tags_of(value.get("Tags"))
    data = {k: v for k, v in value.items() if k != "ResponseMetadata"}
    return Job(kind, data, tags, s3, bucket_regions, region)


def tags_of(value: Any) -> dict[str, str]:
    """Tags as a request (``[{"Key": k, "Value": v}]``) or an event (``{k: v}``) writes them."""
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items()}
    if isinstance(value, list):
        return {
            str(tag["Key"]): str(tag.get("Value", ""))
            for tag in value
            if isinstance(tag, dict) and "Key" in tag
        }
    return {}
