"""``sagelint audit`` against moto in-process: the library API (sagelint.aws.audit) and the
command, with faults injected at the HTTP layer (botocore's before-send event)."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from sagelint.aws import AuditError, AuditOptions, audit, parse_since
from sagelint.engine import Linter, Options
from sagelint.findings import Finding
from sagelint.rule_api import Policy
from sagelint.rules import RULES

from tests.aws_moto import (
    ACCOUNT,
    Fault,
    aws_env,
    create_jobs,
    moto,
    put_objects,
    s3_channel,
    wired_session,
)
from tests.conftest import Result, cli
from tests.jobs import clean_request

__all__ = ["aws_env", "moto"]  # fixtures

pytestmark = pytest.mark.usefixtures("moto")

# SM104 (network isolation off) fires on every job made with isolation off: one finding per job.
SELECT = ("SM104", "SM2")
ISOLATION_OFF: dict[str, Any] = {"EnableNetworkIsolation": False}


def run_audit(
    session: Any = None,
    select: Sequence[str] = SELECT,
    required_tags: Sequence[str] | None = None,
    **options: Any,
) -> tuple[list[Finding], Linter]:
    """``audit`` with ``select``; with ``required_tags``, SM503 too (it reads every job's tags)."""
    policy = Policy(required_tags=None if required_tags is None else tuple(required_tags))
    if required_tags is not None:
        select = (*select, "SM503")
    linter = Linter(Options(select=tuple(select), policy=policy), rules=RULES)
    options.setdefault("regions", ("us-east-1",))
    found = list(audit(linter, AuditOptions(**options), session=session))
    return found, linter


def by_rule(findings: list[Finding]) -> Counter[str]:
    return Counter(f.rule for f in findings)


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.rule == "SM004"]


def arn(name: str, region: str = "us-east-1", account: str = ACCOUNT) -> str:
    return f"arn:aws:sagemaker:{region}:{account}:training-job/{name}"


def sagelint(*args: str) -> Result:
    """``sagelint audit ARGS`` in-process."""
    return cli("audit", *args)


# --- what is audited ------------------------------------------------------------------------


def test_every_job_of_every_region_is_checked_and_named_by_its_arn() -> None:
    create_jobs("us-east-1", 3, "east", **ISOLATION_OFF)
    create_jobs("eu-west-1", 2, "west", **ISOLATION_OFF)
    found, linter = run_audit(regions=("us-east-1", "eu-west-1"))
    assert linter.jobs_checked == 5
    assert sorted((f.rule, f.path, f.job) for f in found) == sorted(
        [("SM104", arn(f"east-{i:04d}"), f"east-{i:04d}") for i in range(3)]
        + [("SM104", arn(f"west-{i:04d}", "eu-west-1"), f"west-{i:04d}") for i in range(2)]
    )


def test_listing_pages_through_every_job_a_page_of_100_at_a_time() -> None:
    create_jobs("us-east-1", 230, **ISOLATION_OFF)
    session, wire = wired_session()
    found, linter = run_audit(session, tags=False)
    assert linter.jobs_checked == 230
    assert len({f.job for f in found}) == 230
    listings = [p for op, p in wire.params if op == "ListTrainingJobs"]
    assert len(listings) == 3
    assert all(p["MaxResults"] == 100 for p in listings)
    assert "NextToken" not in listings[0] and all("NextToken" in p for p in listings[1:])


def test_search_gives_the_tags_newest_first_with_the_filters_applied_by_the_service() -> None:
    create_jobs("us-east-1", 5, "keep", **ISOLATION_OFF)
    create_jobs("us-east-1", 5, "other", **ISOLATION_OFF)
    session, wire = wired_session()
    found, linter = run_audit(
        session, status="Completed", name_contains="keep", max_jobs=3, required_tags=()
    )
    (listing,) = [p for op, p in wire.params if op == "ListTrainingJobs"]
    assert listing["MaxResults"] == 3
    (params,) = [p for op, p in wire.params if op == "Search"]
    assert params["Resource"] == "TrainingJob"
    assert params["SortBy"] == "CreationTime" and params["SortOrder"] == "Descending"
    assert params["MaxResults"] == 100
    assert params["SearchExpression"] == {
        "Filters": [
            {"Name": "TrainingJobStatus", "Operator": "Equals", "Value": "Completed"},
            {"Name": "TrainingJobName", "Operator": "Contains", "Value": "keep"},
        ]
    }
    assert linter.jobs_checked == 3
    assert {f.job for f in found} <= {f"keep-{i:04d}" for i in range(5)}
    assert wire.calls["ListTags"] == 0  # Search gave the tags of the three jobs listed


def test_since_is_a_filter_of_the_listing_and_of_search() -> None:
    create_jobs("us-east-1", 4, "keep", **ISOLATION_OFF)
    session, wire = wired_session()
    since = parse_since("7d")
    found, linter = run_audit(session, since=since, name_contains="keep", required_tags=())
    (search,) = [p for op, p in wire.params if op == "Search"]
    assert search["SearchExpression"]["Filters"][0] == {
        "Name": "LastModifiedTime",
        "Operator": "GreaterThanOrEqualTo",
        "Value": since.strftime("%Y-%m-%dT%H:%M:%S"),  # Search's timestamps: to the second
    }
    (listing,) = [p for op, p in wire.params if op == "ListTrainingJobs"]
    assert listing["NameContains"] == "keep"
    assert abs(listing["LastModifiedTimeAfter"] - since.timestamp()) < 1
    # moto 5.2 compares every Search filter but Contains and NotEquals for equality, so its
    # Search answers no job here (AWS would answer all four): as for jobs Search does not know
    # yet, the tags of the four jobs listed are read with ListTags; each job is checked once.
    assert wire.calls["ListTags"] == 4
    assert linter.jobs_checked == 4
    assert sorted(str(f.job) for f in found) == [f"keep-{i:04d}" for i in range(4)]


def test_without_tags_the_jobs_are_listed_with_list_training_jobs() -> None:
    create_jobs("us-east-1", 5, "keep", **ISOLATION_OFF)
    create_jobs("us-east-1", 5, "other", **ISOLATION_OFF)
    session, wire = wired_session()
    since = parse_since("7d")
    found, linter = run_audit(
        session, since=since, status="Completed", name_contains="keep", max_jobs=3, tags=False
    )
    (params,) = [p for op, p in wire.params if op == "ListTrainingJobs"]
    assert params["StatusEquals"] == "Completed"
    assert params["NameContains"] == "keep"
    assert params["SortBy"] == "CreationTime" and params["SortOrder"] == "Descending"
    assert params["MaxResults"] == 3
    assert abs(params["LastModifiedTimeAfter"] - since.timestamp()) < 1
    assert "CreationTimeAfter" not in params
    assert wire.calls["Search"] == wire.calls["ListTags"] == 0
    assert linter.jobs_checked == 3
    assert {f.job for f in found} <= {f"keep-{i:04d}" for i in range(5)}


def test_since_accepts_durations_and_dates() -> None:
    from datetime import UTC, datetime

    now = datetime(2026, 3, 10, 12, tzinfo=UTC)
    assert parse_since("7d", now) == datetime(2026, 3, 3, 12, tzinfo=UTC)
    assert parse_since("12h", now) == datetime(2026, 3, 10, tzinfo=UTC)
    assert parse_since("2026-01-31") == datetime(2026, 1, 31, tzinfo=UTC)
    assert parse_since("2026-01-31T12:00:00Z") == datetime(2026, 1, 31, 12, tzinfo=UTC)
    with pytest.raises(ValueError, match="neither a duration"):
        parse_since("last week")


def test_tags_come_with_search_and_are_honoured_and_no_tags_skips_them() -> None:
    create_jobs("us-east-1", 1, "plain", **ISOLATION_OFF)
    create_jobs(
        "us-east-1",
        1,
        "exempt",
        **ISOLATION_OFF,
        Tags=[{"Key": "sagelint:ignore", "Value": "SM104"}],
    )
    session, wire = wired_session()
    found, linter = run_audit(session)
    assert [f.job for f in found] == ["plain-0000"]
    assert linter.suppressed["tag"] == 1
    assert wire.calls["Search"] == 1
    assert wire.calls["ListTags"] == 0  # Search gave them
    assert wire.calls["DescribeTrainingJob"] == 2
    session, wire = wired_session()
    found, _ = run_audit(session, tags=False)
    assert sorted(str(f.job) for f in found) == ["exempt-0000", "plain-0000"]
    assert wire.calls["ListTags"] == wire.calls["Search"] == 0


def test_search_denied_is_said_once_per_region_and_tags_are_read_with_list_tags(
    capsys: pytest.CaptureFixture[str],
) -> None:
    exempt = [{"Key": "sagelint:ignore", "Value": "SM104"}]
    create_jobs("us-east-1", 3, "east", Tags=exempt, **ISOLATION_OFF)
    create_jobs("eu-west-1", 2, "west", **ISOLATION_OFF)
    message = (
        f"User: arn:aws:iam::{ACCOUNT}:user/audit is not authorized to perform: sagemaker:Search"
    )
    session, wire = wired_session(Fault("Search", code="AccessDeniedException", message=message))
    found, linter = run_audit(session, regions=("us-east-1", "eu-west-1"))
    assert linter.jobs_checked == 5 and linter.suppressed["tag"] == 3
    assert [(f.rule, f.job) for f in found] == [("SM104", "west-0000"), ("SM104", "west-0001")]
    assert wire.calls["ListTags"] == 5
    assert wire.calls["Search"] == 2  # once per region, not retried
    assert sorted(capsys.readouterr().err.splitlines()) == [  # said as the regions are listed
        f"sagelint: account {ACCOUNT}, region {region}: Search is denied "
        f"(AccessDeniedException: {message}): tags read with ListTags per job"
        for region in ("eu-west-1", "us-east-1")
    ]


def test_search_is_read_a_page_at_a_time_as_the_listing_goes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With a rule that reads every job's tags (SM503), Search answering 100 records a call, as
    AWS does (tests/moto_search.py): one call per 100 jobs listed, no ListTags call; read no
    further than the listing goes."""
    create_jobs("us-east-1", 249, **ISOLATION_OFF, Tags=[{"Key": "team", "Value": "risk"}])
    create_jobs("us-east-1", 1, "untagged", **ISOLATION_OFF, Tags=None)
    session, wire = wired_session()
    found, linter = run_audit(session, s3=False, required_tags=("team",))
    assert linter.jobs_checked == 250 and by_rule(found) == {"SM104": 250, "SM503": 1}
    assert [f.job for f in found if f.rule == "SM503"] == ["untagged-0000"]
    assert wire.calls["ListTrainingJobs"] == wire.calls["Search"] == 3
    assert wire.calls["ListTags"] == 0
    session, wire = wired_session()
    run_audit(session, s3=False, max_jobs=150, required_tags=("team",))
    assert wire.calls["ListTrainingJobs"] == wire.calls["Search"] == 2


def test_without_a_rule_that_reads_tags_search_gives_the_suppression_tags_alone() -> None:
    """One Search call whatever the number of jobs: those tagged sagelint:ignore, filtered by
    AWS; the other jobs' tags are unknown (None), and no ListTags call is made."""
    create_jobs("us-east-1", 150, **ISOLATION_OFF)
    ignore = {"Key": "sagelint:ignore", "Value": "SM104"}
    create_jobs("us-east-1", 2, "exempt", **ISOLATION_OFF, Tags=[ignore])
    session, wire = wired_session()
    found, linter = run_audit(session, s3=False)
    assert linter.jobs_checked == 152 and by_rule(found) == {"SM104": 150}
    assert linter.suppressed["tag"] == 2
    (search,) = [p for op, p in wire.params if op == "Search"]
    filters = [{"Name": "Tags.sagelint:ignore", "Operator": "Exists"}]
    assert search["SearchExpression"] == {"Filters": filters}
    assert wire.calls["ListTags"] == 0
    # --save keeps every job's tags, for whatever rule reads the saved jobs: Search pages them.
    session, wire = wired_session()
    run_audit(session, s3=False, save=Path(tempfile.mkdtemp()))
    assert wire.calls["Search"] == 2 and wire.calls["ListTags"] == 0


@pytest.mark.parametrize("why", ["too many tagged", "filter refused"])
def test_the_suppression_tags_fall_back_to_every_jobs_tags(
    why: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """More jobs tagged sagelint:ignore than are held (AHEAD), or a Search that refuses the tag
    filter: every job's tags are read instead, and the suppressions still hold."""
    ignore = [{"Key": "sagelint:ignore", "Value": "SM104"}]
    create_jobs("us-east-1", 3, "exempt", **ISOLATION_OFF, Tags=ignore)
    create_jobs("us-east-1", 2, **ISOLATION_OFF)
    faults = []
    if why == "too many tagged":
        # the module (sagelint.aws.audit is also the name of its function, in sagelint.aws)
        monkeypatch.setattr(sys.modules["sagelint.aws.audit"], "AHEAD", 2)
    else:
        refused = Fault(
            "Search", code="ValidationException", message="bad filter", body_contains="Tags."
        )
        faults.append(refused)
    session, wire = wired_session(*faults)
    found, linter = run_audit(session, s3=False)
    assert sorted(str(f.job) for f in found) == ["job-0000", "job-0001"]
    assert linter.suppressed["tag"] == 3
    searches = [p.get("SearchExpression") for op, p in wire.params if op == "Search"]
    assert searches == [{"Filters": [{"Name": "Tags.sagelint:ignore", "Operator": "Exists"}]}, None]
    assert wire.calls["ListTags"] == 0


def test_a_job_search_does_not_know_yet_is_listed_and_checked_once() -> None:
    """Search is eventually consistent: its answer from before the newest job was created, as
    an index that lags would give it, and the audit still checks every job, once; with a rule
    that reads every job's tags, the new job's tags are read with ListTags. Without one, a
    sagelint:ignore tag Search does not know yet is not seen: the finding is reported (and
    suppressed once the index has the tag), never the other way round."""
    import boto3

    create_jobs("us-east-1", 3, "old", **ISOLATION_OFF)
    stale = _search_answer()
    stale_tagged = _search_answer(
        SearchExpression={"Filters": [{"Name": "Tags.sagelint:ignore", "Operator": "Exists"}]}
    )
    create_jobs(
        "us-east-1", 1, "new", **ISOLATION_OFF, Tags=[{"Key": "sagelint:ignore", "Value": "SM1"}]
    )
    assert len(boto3.client("sagemaker").search(Resource="TrainingJob")["Results"]) == 4
    lagging = Fault("Search", status=200, body=stale, content_type="application/x-amz-json-1.1")
    session, wire = wired_session(lagging)
    found, linter = run_audit(session, required_tags=())
    assert lagging.hits == 1
    assert linter.jobs_checked == 4 and linter.suppressed["tag"] == 1  # the new job's tag
    assert sorted(str(f.job) for f in found) == ["old-0000", "old-0001", "old-0002"]
    assert wire.calls["DescribeTrainingJob"] == 4
    assert wire.calls["ListTags"] == 1  # the new job's: Search did not give them
    assert wire.calls["ListTrainingJobs"] == wire.calls["Search"] == 1
    lagging = Fault(
        "Search", status=200, body=stale_tagged, content_type="application/x-amz-json-1.1"
    )
    session, wire = wired_session(lagging)
    found, linter = run_audit(session)
    assert linter.jobs_checked == 4 and linter.suppressed["tag"] == 0
    assert sorted(str(f.job) for f in found) == ["new-0000", "old-0000", "old-0001", "old-0002"]
    assert wire.calls["ListTags"] == 0 and wire.calls["Search"] == 1


def _search_answer(**params: Any) -> str:
    """The body of the answer moto gives a Search of the training jobs, as it stands now."""
    import boto3

    client = boto3.client("sagemaker")
    answers: list[bytes] = []
    client.meta.events.register(
        "before-parse.sagemaker.Search",
        lambda response_dict, **_: answers.append(response_dict["body"]),
    )
    client.search(Resource="TrainingJob", **params)
    return answers[0].decode()


def test_search_gives_what_describe_training_job_gives_but_ten_members() -> None:
    """The audit describes every job because Search's record lacks these (linter/aws/fetch.py
    says which rules read them): a botocore model that changes them should be looked at."""
    import botocore.session

    model = botocore.session.get_session().get_service_model("sagemaker")
    output: Any = model.operation_model("DescribeTrainingJob").output_shape
    record: Any = model.shape_for("SearchRecord")
    described = set(output.members)
    searched = set(record.members["TrainingJob"].members)
    assert searched - described == {"Tags"}
    assert described - searched == {
        "BillableTokenCount", "InfraCheckConfig", "MlflowConfig", "MlflowDetails",
        "ProfilerRuleConfigurations", "ProfilerRuleEvaluationStatuses", "ProfilingStatus",
        "ProgressInfo", "RemoteDebugConfig", "ServerlessJobConfig",
    }  # fmt: skip


# --- faults: nothing is lost, each error is one SM004 -------------------------------------------


def test_a_throttling_burst_is_retried_and_nothing_is_lost(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Standard retries: the adaptive mode (the default, exercised end to end in
    # test_audit_e2e.py) would spend seconds slowing down and speeding up again.
    monkeypatch.setenv("AWS_RETRY_MODE", "standard")
    create_jobs("us-east-1", 30, **ISOLATION_OFF)
    burst = Fault("DescribeTrainingJob", after=5, times=8)
    session, wire = wired_session(burst, Fault("Search", times=1))
    found, linter = run_audit(session, concurrency=8)
    assert burst.hits == 8
    assert wire.calls["DescribeTrainingJob"] == 30 + 8
    assert wire.calls["Search"] == 2
    assert linter.jobs_checked == 30
    assert by_rule(found) == {"SM104": 30}


def test_the_default_adaptive_mode_rides_out_throttling_too() -> None:
    create_jobs("us-east-1", 8, **ISOLATION_OFF)
    session, _ = wired_session(Fault("DescribeTrainingJob", times=1))
    found, linter = run_audit(session)
    assert linter.jobs_checked == 8 and by_rule(found) == {"SM104": 8}


def test_throttling_beyond_the_retries_is_one_error_on_that_job(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "2")
    monkeypatch.setenv("AWS_RETRY_MODE", "standard")
    create_jobs("us-east-1", 4, **ISOLATION_OFF)
    session, _ = wired_session(Fault("DescribeTrainingJob", body_contains="job-0002"))
    found, _ = run_audit(session)
    (error,) = errors(found)
    assert (error.path, error.job) == (arn("job-0002"), "job-0002")
    assert error.message.startswith("DescribeTrainingJob failed: ThrottlingException: ")
    assert "still throttled after 2 attempts" in error.message
    assert sorted(str(f.job) for f in found if f.rule == "SM104") == [
        "job-0000",
        "job-0001",
        "job-0003",
    ]


def test_a_region_that_answers_access_denied_is_reported_once(
    capsys: pytest.CaptureFixture[str],
) -> None:
    create_jobs("us-east-1", 3, **ISOLATION_OFF)
    denied = [
        Fault(
            operation,
            code="AccessDeniedException",
            message="User: arn:aws:iam::123456789012:user/audit is not authorized to perform: "
            f"sagemaker:{operation} with an explicit deny in a service control policy",
            region="eu-south-2",
        )
        for operation in ("Search", "ListTrainingJobs")
    ]
    session, _ = wired_session(*denied)
    found, linter = run_audit(session, regions=("us-east-1", "eu-south-2"))
    (error,) = errors(found)
    assert error.path == f"arn:aws:sagemaker:eu-south-2:{ACCOUNT}:*"
    assert error.job is None
    assert error.message.startswith(
        f"ListTrainingJobs failed in account {ACCOUNT}, region eu-south-2: "
        "AccessDeniedException: User: arn:aws:iam::"
    )
    assert error.message.endswith("; the jobs of this region were not checked")
    assert by_rule(found)["SM104"] == 3 and linter.jobs_checked == 3
    assert capsys.readouterr().err == ""  # no job listed: Search was not asked


def test_a_timeout_is_reported_once_and_the_rest_goes_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "2")
    create_jobs("us-east-1", 2, **ISOLATION_OFF)
    create_jobs("eu-west-1", 2, "west", **ISOLATION_OFF)
    session, wire = wired_session(Fault("ListTrainingJobs", region="eu-west-1", timeout=True))
    found, _ = run_audit(session, regions=("us-east-1", "eu-west-1"))
    (error,) = errors(found)
    assert error.path == f"arn:aws:sagemaker:eu-west-1:{ACCOUNT}:*"
    assert error.message.startswith(
        f"ListTrainingJobs failed in account {ACCOUNT}, region eu-west-1: "
    )
    assert "timed out" in error.message
    assert wire.regions["ListTrainingJobs", "eu-west-1"] == 2  # retried once
    assert sorted(str(f.job) for f in found if f.rule == "SM104") == ["job-0000", "job-0001"]


def test_search_timing_out_is_one_error_and_the_tags_are_read_with_list_tags(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "2")
    exempt = [{"Key": "sagelint:ignore", "Value": "SM104"}]
    create_jobs("us-east-1", 2, "east", Tags=exempt, **ISOLATION_OFF)
    create_jobs("eu-west-1", 2, "west", Tags=exempt, **ISOLATION_OFF)
    session, wire = wired_session(Fault("Search", region="eu-west-1", timeout=True))
    found, linter = run_audit(session, regions=("us-east-1", "eu-west-1"))
    (error,) = found
    assert error.path == f"arn:aws:sagemaker:eu-west-1:{ACCOUNT}:*"
    assert error.message.startswith(f"Search failed in account {ACCOUNT}, region eu-west-1: ")
    assert "timed out" in error.message
    assert error.message.endswith("; the tags of the jobs after it were read with ListTags")
    assert wire.regions["Search", "eu-west-1"] == 2  # retried once, then not asked again
    assert wire.regions["ListTags", "eu-west-1"] == 2 and wire.calls["ListTags"] == 2
    assert linter.jobs_checked == 4 and linter.suppressed["tag"] == 4  # nothing lost


def test_a_listing_that_fails_midway_keeps_what_was_listed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    create_jobs("us-east-1", 130, **ISOLATION_OFF)
    session, _ = wired_session(
        Fault("ListTrainingJobs", code="InternalFailure", status=500, body_contains="NextToken")
    )
    found, linter = run_audit(session, tags=False)
    (error,) = errors(found)
    assert "after 100 jobs" in error.message and "the rest of the region" in error.message
    assert linter.jobs_checked == 100


def test_list_tags_failing_still_checks_the_job_and_says_so() -> None:
    create_jobs("us-east-1", 2, **ISOLATION_OFF)
    session, _ = wired_session(
        Fault("Search", code="AccessDeniedException", message="no"),
        Fault("ListTags", code="AccessDeniedException", message="no", body_contains="job-0001"),
    )
    found, linter = run_audit(session)
    (error,) = errors(found)
    assert error.job == "job-0001" and error.message.startswith("ListTags failed")
    assert linter.jobs_checked == 2 and by_rule(found)["SM104"] == 2


def test_a_job_deleted_between_listing_and_describing_is_skipped_silently() -> None:
    create_jobs("us-east-1", 2, **ISOLATION_OFF)
    gone = Fault(
        "DescribeTrainingJob",
        code="ValidationException",
        message="Could not find training job",
        body_contains="job-0000",
    )
    session, _ = wired_session(gone)
    found, _ = run_audit(session)
    assert [(f.rule, f.job) for f in found] == [("SM104", "job-0001")]


# --- accounts and regions ------------------------------------------------------------------------


def test_roles_of_several_accounts_are_assumed_with_the_external_id() -> None:
    accounts = ("111111111111", "222222222222")
    for account in accounts:
        session = assumed(account)
        create_jobs("us-east-1", 2, f"acct{account[0]}", session=session, **ISOLATION_OFF)
    denied = Fault(
        "AssumeRole",
        status=403,
        code="AccessDenied",
        message="not authorized to perform: sts:AssumeRole",
        body_contains="333333333333",
    )
    session, wire = wired_session(denied)
    roles = tuple(f"arn:aws:iam::{a}:role/SagelintAudit" for a in (*accounts, "333333333333"))
    found, _ = run_audit(session, role_arns=roles, external_id="ext-123")
    assert sorted((f.path, f.rule) for f in found if f.rule == "SM104") == [
        (arn(f"acct{a[0]}-{i:04d}", account=a), "SM104") for a in accounts for i in range(2)
    ]
    (error,) = errors(found)
    assert error.path == "arn:aws:sagemaker:*:333333333333:*"
    assert "AssumeRole arn:aws:iam::333333333333:role/SagelintAudit failed: AccessDenied" in (
        error.message
    )
    assert wire.calls["AssumeRole"] == 3
    assert wire.calls["GetCallerIdentity"] == 0


def assumed(account: str) -> Any:
    """A boto3 session in ``account`` (moto keeps each account's resources apart)."""
    import boto3

    credentials = boto3.client("sts").assume_role(
        RoleArn=f"arn:aws:iam::{account}:role/Setup", RoleSessionName="setup"
    )["Credentials"]
    return boto3.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
    )


def test_an_organization_is_audited_through_the_role_in_each_active_account() -> None:
    import boto3

    organizations = boto3.client("organizations")
    organizations.create_organization(FeatureSet="ALL")  # this account manages it
    members = [
        organizations.create_account(Email=f"team{n}@example.com", AccountName=f"team{n}")[
            "CreateAccountStatus"
        ]["AccountId"]
        for n in range(22)  # with the management account, two pages of ListAccounts
    ]
    closed, denied, *others = members
    organizations.close_account(AccountId=closed)
    for account in (ACCOUNT, denied, *others[:2]):
        create_jobs("us-east-1", 1, f"in{account}", session=assumed(account), **ISOLATION_OFF)
    refused = Fault(
        "AssumeRole",
        status=403,
        code="AccessDenied",
        message="not authorized to perform: sts:AssumeRole",
        body_contains=denied,
    )
    session, wire = wired_session(refused)
    found, linter = run_audit(
        session, organization=True, role_name="SagelintAudit", external_id="ext-9"
    )
    assert wire.calls["ListAccounts"] == 2
    assumed_roles = [p for op, p in wire.params if op == "AssumeRole"]
    assert sorted(p["RoleArn"] for p in assumed_roles) == sorted(
        f"arn:aws:iam::{account}:role/SagelintAudit" for account in (ACCOUNT, denied, *others)
    )  # the management account's too, the closed account's not
    assert {p["ExternalId"] for p in assumed_roles} == {"ext-9"}
    assert linter.jobs_checked == 3
    expected = [
        ("SM004", f"arn:aws:sagemaker:*:{denied}:*"),
        *(("SM104", arn(f"in{a}-0000", account=a)) for a in (ACCOUNT, *others[:2])),
    ]
    assert [(f.rule, f.path) for f in found] == sorted(expected, key=lambda f: f[1].split(":")[4])
    (error,) = errors(found)
    assert error.message == (
        f"account {denied} not audited: AssumeRole arn:aws:iam::{denied}:role/SagelintAudit "
        "failed: AccessDenied: not authorized to perform: sts:AssumeRole"
    )
    assert wire.calls["GetCallerIdentity"] == 0


def test_an_organization_that_cannot_be_listed_is_one_usage_error() -> None:
    session, wire = wired_session(
        Fault(
            "ListAccounts",
            code="AccessDeniedException",
            message="You don't have permissions to access this resource.",
        )
    )
    with pytest.raises(AuditError) as raised:
        run_audit(session, organization=True, role_name="SagelintAudit")
    assert str(raised.value) == (
        "cannot list the accounts of the organization (organizations:ListAccounts, from the "
        "management account or a delegated administrator): AccessDeniedException: You don't "
        "have permissions to access this resource."
    )
    assert wire.calls["AssumeRole"] == wire.calls["GetCallerIdentity"] == 0
    # moto lists no account where no organization exists (AWS: AWSOrganizationsNotInUse).
    result = sagelint("--organization", "--role-name", "SagelintAudit", "--region", "us-east-1")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "sagelint: error: the organization has no active account (organizations:ListAccounts)\n"
    )


def test_all_regions_are_those_offered_and_enabled() -> None:
    create_jobs("eu-west-1", 1, "west", **ISOLATION_OFF)
    create_jobs("ap-south-1", 1, "south", **ISOLATION_OFF)
    session, wire = wired_session()
    wire.faults.append(_enabled_regions_only("eu-west-1", "us-east-1"))
    found, _ = run_audit(session, regions=(), all_regions=True)
    listed = {region for (op, region) in wire.regions if op == "ListTrainingJobs"}
    assert listed == {"eu-west-1", "us-east-1"}
    assert [f.job for f in found] == ["west-0000"]


def _enabled_regions_only(*regions: str) -> Fault:
    """DescribeRegions answering with ``regions`` (EC2 lists only the enabled ones)."""
    items = "".join(
        f"<item><regionName>{r}</regionName><regionEndpoint>ec2.{r}.amazonaws.com"
        "</regionEndpoint><optInStatus>opt-in-not-required</optInStatus></item>"
        for r in regions
    )
    body = (
        '<DescribeRegionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">'
        f"<requestId>r</requestId><regionInfo>{items}</regionInfo></DescribeRegionsResponse>"
    )
    return Fault("DescribeRegions", status=200, body=body)


def test_all_regions_without_describe_regions_audits_every_region_offered(
    capsys: pytest.CaptureFixture[str],
) -> None:
    create_jobs("ap-south-1", 1, "south", **ISOLATION_OFF)
    session, wire = wired_session(
        Fault("DescribeRegions", code="UnauthorizedOperation", message="no")
    )
    found, _ = run_audit(session, regions=(), all_regions=True, tags=False)
    assert [f.job for f in found] == ["south-0000"]
    listed = {region for (op, region) in wire.regions if op == "ListTrainingJobs"}
    assert len(listed) > 20 and "ap-south-1" in listed
    assert "cannot list the enabled regions" in capsys.readouterr().err


def test_a_region_list_that_cannot_be_read_audits_every_region_offered(
    capsys: pytest.CaptureFixture[str],
) -> None:
    create_jobs("ap-south-1", 1, "south", **ISOLATION_OFF)
    session, wire = wired_session(
        Fault("DescribeRegions", status=200, body="<html><body>sign in<br></body></html>")
    )
    found, _ = run_audit(session, regions=(), all_regions=True, tags=False)
    assert [f.job for f in found] == ["south-0000"]
    listed = {region for (op, region) in wire.regions if op == "ListTrainingJobs"}
    assert len(listed) > 20 and "ap-south-1" in listed
    assert (
        "cannot list the enabled regions (ec2:DescribeRegions: the response could not be parsed)"
        in capsys.readouterr().err
    )


# --- cache, save ---------------------------------------------------------------------------------


def test_a_re_audit_with_the_cache_describes_only_what_changed(tmp_path: Path) -> None:
    create_jobs("us-east-1", 5, **ISOLATION_OFF)
    cache = tmp_path / "audit.db"
    first, _ = run_audit(cache=cache)
    session, wire = wired_session()
    again, linter = run_audit(session, cache=cache)
    assert wire.calls["DescribeTrainingJob"] == wire.calls["ListTags"] == 0
    assert wire.calls["ListTrainingJobs"] == 1
    assert sorted(again, key=str) == sorted(first, key=str)
    assert linter.jobs_checked == 5
    create_jobs("us-east-1", 1, "new", **ISOLATION_OFF)
    session, wire = wired_session()
    found, _ = run_audit(session, cache=cache)
    assert wire.calls["DescribeTrainingJob"] == 1 and len(found) == 6
    session, wire = wired_session()
    run_audit(session, cache=cache, select=("SM1",))  # other rules: everything again
    assert wire.calls["DescribeTrainingJob"] == 6


def cached_audit(cache: Path, *more: str) -> Result:
    return sagelint(
        "--region", "us-east-1", "--isolated", "--format", "json", "--select", "SM104",
        "--fail-on", "warning", "--no-s3", "--cache", str(cache), *more,
    )  # fmt: skip


def findings_of(result: Result) -> list[tuple[str, str, str]]:
    report = json.loads(result.stdout)
    return sorted((f["rule"], f["path"], f["message"]) for f in report["findings"])


def test_a_corrupted_cache_is_set_aside_and_the_audit_goes_on(tmp_path: Path) -> None:
    create_jobs("us-east-1", 150, **ISOLATION_OFF)
    cache = tmp_path / "audit.db"
    first = cached_audit(cache, "--no-tags")
    assert first.exit_code == 1 and first.stderr == ""
    data = bytearray(cache.read_bytes())
    middle = len(data) // 2
    data[middle - 2048 : middle + 2048] = b"\xa5" * 4096  # pages in the middle of the file
    cache.write_bytes(data)
    again = cached_audit(cache, "--no-tags")
    assert again.exit_code == 1, again.output
    assert findings_of(again) == findings_of(first) and len(findings_of(first)) == 150
    assert json.loads(again.stdout)["summary"]["jobs"] == 150
    (warning,) = again.stderr.splitlines()
    assert warning.startswith(f"sagelint: --cache {cache} is damaged (")
    assert warning.endswith(f"set aside as {cache}.corrupt; the audit goes on without a cache")
    assert (tmp_path / "audit.db.corrupt").is_file() and not cache.exists()
    third = cached_audit(cache, "--no-tags")  # a new cache
    assert (third.exit_code, third.stderr) == (1, "") and cache.is_file()


def test_a_cache_row_changed_since_it_was_written_is_not_believed(tmp_path: Path) -> None:
    import sqlite3

    create_jobs("us-east-1", 3, **ISOLATION_OFF)
    cache = tmp_path / "audit.db"
    first = cached_audit(cache)
    with contextlib.closing(sqlite3.connect(cache)) as connection:
        (table,) = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        connection.execute(f"UPDATE {table[0]} SET findings = replace(findings, 'SM104', 'SM1')")
        connection.commit()
    again = cached_audit(cache)
    assert again.exit_code == 1 and findings_of(again) == findings_of(first)
    assert again.stderr == (
        f"sagelint: --cache {cache} is damaged (a row does not read back as it was written); "
        f"set aside as {cache}.corrupt; the audit goes on without a cache\n"
    )


def test_a_cache_file_that_is_no_database_is_set_aside(tmp_path: Path) -> None:
    create_jobs("us-east-1", 2, **ISOLATION_OFF)
    bad = tmp_path / "audit.db"
    bad.write_text("not a database, " * 100)
    result = cached_audit(bad)
    assert result.exit_code == 1 and len(findings_of(result)) == 2
    assert result.stderr == (
        f"sagelint: --cache {bad} is damaged (file is not a database); set aside as "
        f"{bad}.corrupt; the audit goes on without a cache\n"
    )
    assert (tmp_path / "audit.db.corrupt").read_text() == "not a database, " * 100


def test_a_cache_that_cannot_be_opened_is_said_and_left_alone(tmp_path: Path) -> None:
    create_jobs("us-east-1", 2, **ISOLATION_OFF)
    cache = tmp_path / "no such folder" / "audit.db"
    result = cached_audit(cache)
    assert result.exit_code == 1 and len(findings_of(result)) == 2
    assert result.stderr == (
        f"sagelint: --cache {cache} cannot be used (unable to open database file); the audit "
        "goes on without a cache\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_saved_jobs_reproduce_the_findings_offline(tmp_path: Path) -> None:
    create_jobs("us-east-1", 2, **ISOLATION_OFF, **{"OutputDataConfig.KmsKeyId": None})
    create_jobs(
        "us-east-1",
        1,
        "exempt",
        **ISOLATION_OFF,
        Tags=[{"Key": "sagelint:ignore", "Value": "SM104"}],
    )
    save = tmp_path / "saved"
    live, _ = run_audit(save=save, select=("SM1", "SM4"), s3=False)
    files = sorted(p.relative_to(save).as_posix() for p in save.rglob("*.json"))
    assert files == [
        f"{ACCOUNT}/us-east-1/exempt-0000.json",
        f"{ACCOUNT}/us-east-1/job-0000.json",
        f"{ACCOUNT}/us-east-1/job-0001.json",
    ]
    offline = list(Linter(Options(select=("SM1", "SM4")), rules=RULES).lint_paths([str(save)]))
    assert sorted((f.rule, f.job, f.pointer) for f in offline) == sorted(
        (f.rule, f.job, f.pointer) for f in live
    )
    assert {"SM101", "SM104"} <= {f.rule for f in live}
    assert ("SM104", "exempt-0000") not in {(f.rule, f.job) for f in offline}


def saving(save: Path, *more: str) -> Result:
    return sagelint(
        "--region", "us-east-1", "--isolated", "--format", "json", "--select", "SM104",
        "--no-s3", "--save", str(save), *more,
    )  # fmt: skip


def test_a_save_folder_under_a_file_is_a_usage_error_before_any_call(tmp_path: Path) -> None:
    create_jobs("us-east-1", 2, **ISOLATION_OFF)
    (tmp_path / "file").write_text("")
    save = tmp_path / "file" / "saved"
    result = saving(save)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"sagelint: error: --save {save}: cannot create the folder: Not a directory\n"
    )
    session, wire = wired_session()
    with pytest.raises(AuditError, match="cannot create the folder"):
        run_audit(session, save=save)
    assert wire.calls == {}


def unwritable_folder(tmp_path: Path) -> Path:
    """A folder this process cannot write in (root writes anywhere but in /proc)."""
    import os

    if os.geteuid() != 0:
        folder = tmp_path / "locked"
        folder.mkdir(mode=0o500)
        return folder
    if not Path("/proc/self").is_dir():
        pytest.skip("running as root without /proc: no folder is unwritable")
    return Path("/proc")


def test_an_unwritable_save_folder_is_a_usage_error(tmp_path: Path) -> None:
    create_jobs("us-east-1", 1, **ISOLATION_OFF)
    folder = unwritable_folder(tmp_path)
    result = saving(folder)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith(f"sagelint: error: --save {folder}: cannot write in the folder")
    assert len(result.stderr.splitlines()) == 1


def test_a_job_that_cannot_be_saved_is_one_error_and_the_audit_goes_on(tmp_path: Path) -> None:
    create_jobs("us-east-1", 2, **ISOLATION_OFF)
    save = tmp_path / "saved"
    save.mkdir()
    (save / ACCOUNT).write_text("in the way")  # the account's folder cannot be made
    result = saving(save)
    assert result.exit_code == 2, result.output
    report = json.loads(result.stdout)
    assert sorted((f["rule"], f["job"]) for f in report["findings"]) == [
        ("SM004", "job-0000"),
        ("SM004", "job-0001"),
        ("SM104", "job-0000"),
        ("SM104", "job-0001"),
    ]
    messages = sorted(f["message"] for f in report["findings"] if f["rule"] == "SM004")
    assert messages[0] == (
        f"--save failed: cannot write {save}/{ACCOUNT}/us-east-1/job-0000.json: Not a "
        "directory; the job was checked, not saved"
    )
    assert report["summary"]["jobs"] == 2


def test_a_save_subfolder_that_leads_elsewhere_is_not_followed(tmp_path: Path) -> None:
    create_jobs("us-east-1", 1, **ISOLATION_OFF)
    save, elsewhere = tmp_path / "saved", tmp_path / "elsewhere"
    save.mkdir()
    elsewhere.mkdir()
    (save / ACCOUNT).symlink_to(elsewhere)
    result = saving(save)
    assert result.exit_code == 2, result.output
    (error,) = errors([Finding(**f) for f in json.loads(result.stdout)["findings"]])
    assert error.message == (
        f"--save failed: {save}/{ACCOUNT}/us-east-1 leads outside {save}; not written; the job "
        "was checked, not saved"
    )
    assert list(elsewhere.rglob("*.json")) == []


def test_a_save_folder_that_is_a_link_saves_where_it_leads(tmp_path: Path) -> None:
    create_jobs("us-east-1", 1, **ISOLATION_OFF)
    real, link = tmp_path / "real", tmp_path / "link"
    real.mkdir()
    link.symlink_to(real)
    result = saving(link)
    assert result.exit_code == 0, result.output
    assert [p.relative_to(real).as_posix() for p in real.rglob("*.json")] == [
        f"{ACCOUNT}/us-east-1/job-0000.json"
    ]


# --- S3-aware rules in the audit --------------------------------------------------------------


def test_s3_rules_run_on_live_jobs_and_an_s3_refusal_is_a_note_on_the_job() -> None:
    put_objects("data", {"few/a.csv": 100, "few/b.csv": 100})
    put_objects("locked", {"train/a.csv": 100})
    sharded: dict[str, Any] = {
        "ResourceConfig.InstanceCount": 4,
        "EnableInterContainerTrafficEncryption": True,
    }
    create_jobs(
        "us-east-1",
        2,
        "few",
        InputDataConfig=[s3_channel("s3://data/few/", "ShardedByS3Key")],
        **sharded,
    )
    create_jobs(
        "us-east-1",
        1,
        "locked",
        InputDataConfig=[s3_channel("s3://locked/train/", "ShardedByS3Key")],
        **sharded,
    )
    denied = Fault(
        "ListObjectsV2",
        status=403,
        code="AccessDenied",
        message="Access Denied",
        url_contains="/locked",
    )
    session, wire = wired_session(denied)
    found, linter = run_audit(session, select=("SM203",))
    assert sorted((f.rule, f.job) for f in found) == [
        ("SM004", "locked-0000"),
        ("SM203", "few-0000"),
        ("SM203", "few-0001"),
    ]
    (error,) = errors(found)
    assert "S3 listing failed for channel 'train' (s3://locked/train/): AccessDenied" in (
        error.message
    )
    assert "SM203 skipped" in error.message
    assert error.pointer == "/InputDataConfig/0/DataSource/S3DataSource/S3Uri"
    assert wire.calls["ListObjectsV2"] == 2  # one listing per prefix, shared by both jobs
    assert linter.jobs_checked == 3


# --- the command -------------------------------------------------------------------------------


def test_the_command_reports_in_every_format_and_exits_with_1() -> None:
    create_jobs("us-east-1", 2, **ISOLATION_OFF)
    result = sagelint(
        "--region", "us-east-1", "--select", "SM104", "--fail-on", "warning", "--isolated",
        "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert report["summary"]["jobs"] == 2
    assert {f["path"] for f in report["findings"]} == {arn("job-0000"), arn("job-0001")}
    assert result.stderr == ""  # no progress line: standard error is not a terminal
    for name in ("sarif", "junit", "github"):
        result = sagelint(
            "--region", "us-east-1", "--isolated", "--fail-on", "warning", "--format", name
        )
        assert result.exit_code == 1, name


def test_usage_errors_exit_with_2(monkeypatch: pytest.MonkeyPatch) -> None:
    assert sagelint("--region", "us-east-1", "--all-regions").exit_code == 2
    assert sagelint("--region", "nowhere").exit_code == 2
    assert sagelint("--role-arn", "arn:aws:iam::1:user/x").exit_code == 2
    assert sagelint("--external-id", "x", "--region", "us-east-1").exit_code == 2
    for combination, why in (
        (["--organization"], "--organization and --role-name go together"),
        (["--role-name", "Audit"], "--organization and --role-name go together"),
        (
            ["--organization", "--role-name=A", "--role-arn=arn:aws:iam::111111111111:role/A"],
            "--organization and --role-arn exclude each other",
        ),
        (["--organization", "--role-name", "bad name"], "'bad name' is not an IAM role name"),
    ):
        result = sagelint(*combination, "--region", "us-east-1")
        assert result.exit_code == 2 and why in result.stderr, (combination, result.stderr)
    assert sagelint("--since", "yesterday", "--region", "us-east-1").exit_code == 2
    for option, value in (("--concurrency", "500"), ("--timeout", "nan"), ("--max-jobs", "0")):
        result = sagelint(option, value, "--region", "us-east-1")
        assert result.exit_code == 2 and option in result.stderr, result.stderr  # names it
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    result = sagelint("--isolated")
    assert result.exit_code == 2 and "no region to audit" in result.stderr
    result = sagelint("--isolated", "--profile", "nope", "--region", "us-east-1")
    assert result.exit_code == 2 and "nope" in result.stderr


def test_no_credentials_is_one_usage_error_before_any_call(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    result = sagelint("--isolated", "--region", "us-east-1", "--format", "json")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "sagelint: error: no AWS credentials found (environment, --profile, shared files, SSO "
        "or instance role)\n"
    )
    session, wire = wired_session()
    with pytest.raises(AuditError, match="no AWS credentials found"):
        run_audit(session)
    assert wire.calls == {}


def test_credentials_that_cannot_be_loaded_are_one_usage_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")  # a key id without its secret
    result = sagelint("--isolated", "--region", "us-east-1", "--format", "json")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith("sagelint: error: cannot load the AWS credentials: ")
    assert len(result.stderr.splitlines()) == 1


def test_help_documents_every_option_and_the_exit_codes() -> None:
    text = sagelint("--help").stdout
    for option in (
        "--profile", "--region", "--all-regions", "--role-arn", "--organization",
        "--role-name", "--external-id", "sagemaker:Search", "organizations:ListAccounts",
        "--endpoint-url", "--since", "--status", "--name-contains", "--max-jobs", "--save",
        "--cache", "--no-tags", "--no-s3", "--s3-max-objects", "--concurrency", "--timeout",
        "--format", "--fail-on", "--select", "--ignore", "AWS_ENDPOINT_URL", "Exit codes",
        "sagemaker:ListTrainingJobs", "sagemaker:DescribeTrainingJob", "sagemaker:ListTags",
    ):  # fmt: skip
        assert option in text, option


def test_lint_and_audit_help_never_import_boto3(tmp_path: Path) -> None:
    job = tmp_path / "job.json"
    job.write_text(json.dumps(clean_request()))
    program = (
        "import sys; from sagelint.cli import main\n"
        "try: main(sys.argv[1:])\n"
        "except SystemExit: pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('boto3', 'botocore')))"
    )
    for args in (["lint", str(job)], ["audit", "--help"]):
        done = subprocess.run(
            [sys.executable, "-c", program, *args], capture_output=True, text=True, check=True
        )
        assert done.stdout.strip().splitlines()[-1] == "[]", args


def test_sm211_runs_on_live_jobs_with_the_region_of_their_arn() -> None:
    put_objects("data-eu", {"train/a.csv": 100}, region="eu-west-1")
    put_objects("data-us", {"train/a.csv": 100})
    create_jobs("us-east-1", 1, "abroad", InputDataConfig=[s3_channel("s3://data-eu/train/")])
    create_jobs("us-east-1", 1, "home", InputDataConfig=[s3_channel("s3://data-us/train/")])
    found, _ = run_audit(select=("SM211",))
    assert [(f.rule, f.job, f.pointer) for f in found] == [
        ("SM211", "abroad-0000", "/InputDataConfig/0/DataSource/S3DataSource/S3Uri")
    ]
    assert "(data-eu) is in eu-west-1 but the job runs in us-east-1" in found[0].message


def test_each_bucket_region_and_listing_is_asked_once_however_many_threads_want_it() -> None:
    put_objects("data-us", {"train/a.csv": 100, "train/b.csv": 100})
    changes: dict[str, Any] = {
        "InputDataConfig": [s3_channel("s3://data-us/train/", "ShardedByS3Key")],
        "ResourceConfig.InstanceCount": 4,
        "OutputDataConfig.S3OutputPath": "s3://data-us/o/",
    }
    create_jobs("us-east-1", 48, **changes)
    session, wire = wired_session()
    found, linter = run_audit(session, select=("SM203", "SM211"), concurrency=16)
    assert linter.jobs_checked == 48 and by_rule(found) == {"SM203": 48}
    assert wire.calls["GetBucketLocation"] == 1  # 16 threads want it at once
    assert wire.calls["ListObjectsV2"] == 1
