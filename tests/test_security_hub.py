"""``sagelint audit --security-hub`` against moto's Security Hub, in this process: jobs made in
moto, audited, their findings read back with GetFindings; faults injected at the HTTP layer
(botocore's before-send event, tests/aws_moto.py). Every finding is sent by the real botocore
client, which validates it against the Security Hub model before sending it."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from sagelint.aws import AuditOptions, audit
from sagelint.engine import Linter, Options
from sagelint.findings import Finding
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
from tests.test_asff import validate

__all__ = ["aws_env", "moto"]  # fixtures

pytestmark = pytest.mark.usefixtures("moto")

ISOLATION_OFF: dict[str, Any] = {"EnableNetworkIsolation": False}
HUB = f"arn:aws:securityhub:us-east-1:{ACCOUNT}:hub/default"


def arn(name: str, region: str = "us-east-1", account: str = ACCOUNT) -> str:
    return f"arn:aws:sagemaker:{region}:{account}:training-job/{name}"


def sagelint(*args: str) -> Result:
    """``sagelint audit --security-hub ARGS`` in this process (us-east-1, no S3 unless asked)."""
    return cli(
        "audit", "--isolated", "--region", "us-east-1", "--security-hub", "--format", "json",
        *args,
    )  # fmt: skip


def run_audit(
    session: Any = None, select: Sequence[str] = ("SM104",), **options: Any
) -> list[Finding]:
    linter = Linter(Options(select=tuple(select)), rules=RULES)
    options.setdefault("regions", ("us-east-1",))
    options.setdefault("s3", False)
    return list(audit(linter, AuditOptions(security_hub=True, **options), session=session))


def hub_findings(region: str = "us-east-1", session: Any = None) -> list[dict[str, Any]]:
    """Every finding moto's Security Hub holds in the region, page by page."""
    import boto3

    client = (session or boto3.Session()).client("securityhub", region_name=region)
    found: list[dict[str, Any]] = []
    token = None
    while True:
        page = client.get_findings(**({"NextToken": token} if token else {}))
        found += page["Findings"]
        token = page.get("NextToken")
        if not token:
            return found


def states(findings: list[dict[str, Any]]) -> dict[tuple[str, str], str]:
    """(job's ARN, rule) -> RecordState."""
    table = {}
    for finding in findings:
        key = (finding["Resources"][0]["Id"], finding["ProductFields"]["sagelint/Rule"])
        assert key not in table, key  # one finding per job and rule: re-imports update
        table[key] = finding["RecordState"]
    return table


def reported(result: Result) -> set[tuple[str, str | None]]:
    return {(f["rule"], f["job"]) for f in json.loads(result.stdout)["findings"]}


def tag(name: str, value: str) -> None:
    import boto3

    boto3.client("sagemaker", region_name="us-east-1").add_tags(
        ResourceArn=arn(name), Tags=[{"Key": "sagelint:ignore", "Value": value}]
    )


# --- importing ---------------------------------------------------------------------------------


def test_the_audit_imports_its_findings_and_importing_again_updates_them() -> None:
    create_jobs("us-east-1", 3, **ISOLATION_OFF)
    first = sagelint("--select", "SM104", "--no-s3")
    assert first.exit_code == 0, first.output  # warnings: below --fail-on
    assert reported(first) == {("SM104", f"job-{i:04d}") for i in range(3)}
    imported = hub_findings()
    validate(imported)  # what GetFindings gives back is what BatchImportFindings takes
    assert states(imported) == {(arn(f"job-{i:04d}"), "SM104"): "ACTIVE" for i in range(3)}
    assert {f["GeneratorId"] for f in imported} == {"sagelint/SM104"}
    assert {f["ProductArn"] for f in imported} == {
        f"arn:aws:securityhub:us-east-1:{ACCOUNT}:product/{ACCOUNT}/default"
    }
    assert all("sagelint/Path" not in f["ProductFields"] for f in imported)  # not in a file
    again = sagelint("--select", "SM104", "--no-s3")
    assert again.exit_code == 0 and reported(again) == reported(first)
    updated = {f["Id"]: f for f in hub_findings()}
    assert set(updated) == {f["Id"] for f in imported}  # the same findings, none added
    for finding in imported:
        now = updated[finding["Id"]]
        assert now["CreatedAt"] == now["FirstObservedAt"] == finding["CreatedAt"]
        assert now["UpdatedAt"] == now["LastObservedAt"] > finding["UpdatedAt"]


def test_each_region_and_account_gets_its_own_findings() -> None:
    import boto3

    create_jobs("us-east-1", 1, "east", **ISOLATION_OFF)
    create_jobs("eu-west-1", 1, "west", **ISOLATION_OFF)
    other = "222222222222"
    credentials = boto3.client("sts").assume_role(
        RoleArn=f"arn:aws:iam::{other}:role/Setup", RoleSessionName="setup"
    )["Credentials"]
    theirs = boto3.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
    )
    create_jobs("us-east-1", 1, "theirs", session=theirs, **ISOLATION_OFF)
    roles = (f"arn:aws:iam::{ACCOUNT}:role/Audit", f"arn:aws:iam::{other}:role/Audit")
    found = run_audit(regions=("us-east-1", "eu-west-1"), role_arns=roles)
    assert [f.rule for f in found] == ["SM104"] * 3
    assert states(hub_findings()) == {(arn("east-0000"), "SM104"): "ACTIVE"}
    assert states(hub_findings("eu-west-1")) == {(arn("west-0000", "eu-west-1"), "SM104"): "ACTIVE"}
    assert states(hub_findings(session=theirs)) == {
        (arn("theirs-0000", account=other), "SM104"): "ACTIVE"
    }


def test_more_than_100_findings_are_imported_100_a_call() -> None:
    create_jobs("us-east-1", 60, **ISOLATION_OFF)
    session, wire = wired_session()
    found = run_audit(session, select=("SM104", "SM316"))
    assert Counter(f.rule for f in found) == {"SM104": 60, "SM316": 60}
    sizes = [len(p["Findings"]) for op, p in wire.params if op == "BatchImportFindings"]
    assert sizes == [100, 20]
    assert len(hub_findings()) == 120
    session, wire = wired_session()
    run_audit(session, select=("SM104", "SM316"))
    assert wire.calls["GetFindings"] == 2  # 120 findings listed, 100 a page
    assert [len(p["Findings"]) for op, p in wire.params if op == "BatchImportFindings"] == [
        100,
        20,
    ]
    assert len(hub_findings()) == 120


# --- archiving -----------------------------------------------------------------------------------


def test_a_finding_no_longer_produced_is_archived_and_what_was_not_checked_is_left_alone() -> None:
    create_jobs("us-east-1", 2, "keep", **ISOLATION_OFF)
    create_jobs("us-east-1", 1, "other", **ISOLATION_OFF)
    first = sagelint("--select", "SM104,SM316", "--no-s3")
    assert first.exit_code == 0, first.output
    assert set(states(hub_findings()).values()) == {"ACTIVE"} and len(hub_findings()) == 6
    tag("keep-0000", "SM104")  # the job changed: SM104 no longer reports it
    again = sagelint("--select", "SM104", "--no-s3", "--name-contains", "keep")
    assert again.exit_code == 0, again.output
    assert reported(again) == {("SM104", "keep-0001")}
    assert states(hub_findings()) == {
        (arn("keep-0000"), "SM104"): "ARCHIVED",  # checked, no longer found
        (arn("keep-0001"), "SM104"): "ACTIVE",  # checked, found again
        (arn("keep-0000"), "SM316"): "ACTIVE",  # a rule this run did not check
        (arn("keep-0001"), "SM316"): "ACTIVE",
        (arn("other-0000"), "SM104"): "ACTIVE",  # a job this run did not check
        (arn("other-0000"), "SM316"): "ACTIVE",
    }
    archived = next(f for f in hub_findings() if f["RecordState"] == "ARCHIVED")
    validate([archived])
    assert archived["ProductFields"]["sagelint/Rule"] == "SM104"


def test_without_tags_nothing_is_archived(tmp_path: Path) -> None:
    """A rule that reads tags finds nothing without them: its earlier findings stay."""
    config = tmp_path / ".sagelint.toml"
    config.write_text('[rules]\nrequired-tags = ["cost-center"]\n', encoding="utf-8")
    create_jobs("us-east-1", 1, **ISOLATION_OFF)
    selected = ("--config", str(config), "--select", "SM104,SM503", "--no-s3")
    first = cli("audit", "--region", "us-east-1", "--security-hub", "--format", "json", *selected)
    assert first.exit_code == 1, first.output
    assert states(hub_findings()) == {
        (arn("job-0000"), "SM104"): "ACTIVE",
        (arn("job-0000"), "SM503"): "ACTIVE",
    }
    again = cli("audit", "--region", "us-east-1", "--security-hub", *selected, "--no-tags")
    assert again.exit_code == 0, again.output  # SM503 cannot tell without tags
    assert set(states(hub_findings()).values()) == {"ACTIVE"}


def s3_jobs() -> None:
    """Two jobs sharded over too few objects (SM203), one of them in a bucket to deny."""
    put_objects("data", {"few/a.csv": 100})
    put_objects("locked", {"few/a.csv": 100})
    sharded: dict[str, Any] = {
        "ResourceConfig.InstanceCount": 4,
        "EnableInterContainerTrafficEncryption": True,
    }
    for bucket in ("data", "locked"):
        channel = [s3_channel(f"s3://{bucket}/few/", "ShardedByS3Key")]
        create_jobs("us-east-1", 1, bucket, InputDataConfig=channel, **sharded)


def test_rules_that_could_not_run_keep_their_findings() -> None:
    """--no-s3: the S3-aware rules did not run. An S3 refusal on a job: its check is
    incomplete, its findings stay."""
    s3_jobs()
    found = run_audit(select=("SM203",), s3=True)
    assert {(f.rule, f.job) for f in found} == {("SM203", "data-0000"), ("SM203", "locked-0000")}
    run_audit(select=("SM203",), s3=False)
    assert set(states(hub_findings()).values()) == {"ACTIVE"}
    denied = Fault(
        "ListObjectsV2", status=403, code="AccessDenied", message="no", url_contains="/locked"
    )
    session, _ = wired_session(denied)
    found = run_audit(session, select=("SM203",), s3=True)
    assert {(f.rule, f.job) for f in found} == {("SM203", "data-0000"), ("SM004", "locked-0000")}
    assert states(hub_findings()) == {
        (arn("data-0000"), "SM203"): "ACTIVE",
        (arn("locked-0000"), "SM203"): "ACTIVE",
    }


# --- failures ------------------------------------------------------------------------------------


def test_findings_security_hub_fails_are_sent_again() -> None:
    create_jobs("us-east-1", 3, **ISOLATION_OFF)
    session, wire = wired_session(
        Fault("BatchImportFindings", failed_findings=True, code="InternalException", times=1)
    )
    found = run_audit(session)
    assert [f.rule for f in found] == ["SM104"] * 3  # no SM004
    assert [len(p["Findings"]) for op, p in wire.params if op == "BatchImportFindings"] == [3, 3]
    assert len(hub_findings()) == 3


def test_findings_that_keep_failing_are_one_error_and_the_rest_is_reported() -> None:
    create_jobs("us-east-1", 3, **ISOLATION_OFF)
    refused = Fault("BatchImportFindings", failed_findings=True, code="InvalidInput", message="bad")
    session, wire = wired_session(refused)
    found = run_audit(session)
    assert sorted(f.rule for f in found) == ["SM004", "SM104", "SM104", "SM104"]
    (error,) = [f for f in found if f.rule == "SM004"]
    assert (error.path, error.job) == (HUB, None)
    assert error.message == (
        f"Security Hub import failed in account {ACCOUNT}, region us-east-1: "
        "BatchImportFindings refused 3 of 3 findings after 3 attempts (the first: "
        "InvalidInput: bad); none archived"
    )
    assert wire.calls["BatchImportFindings"] == 3  # sent, then sent again twice


def test_a_refused_import_is_one_error_and_nothing_is_archived() -> None:
    create_jobs("us-east-1", 2, **ISOLATION_OFF)
    run_audit()
    tag("job-0000", "SM104")
    denied = Fault(
        "BatchImportFindings",
        status=403,
        code="AccessDeniedException",
        message="not authorized to perform: securityhub:BatchImportFindings",
    )
    session, wire = wired_session(denied)
    found = run_audit(session)
    (error,) = [f for f in found if f.rule == "SM004"]
    assert error.path == HUB
    assert error.message == (
        f"Security Hub import failed in account {ACCOUNT}, region us-east-1: "
        "BatchImportFindings: AccessDeniedException: not authorized to perform: "
        "securityhub:BatchImportFindings; 1 of 1 findings not imported; none archived"
    )
    assert [f.job for f in found if f.rule == "SM104"] == ["job-0001"]
    assert wire.calls["BatchImportFindings"] == 1  # the archiving was not tried
    assert set(states(hub_findings()).values()) == {"ACTIVE"}


def test_a_refused_listing_imports_and_archives_nothing() -> None:
    create_jobs("us-east-1", 2, **ISOLATION_OFF)
    run_audit()
    tag("job-0000", "SM104")
    denied = Fault("GetFindings", status=403, code="AccessDeniedException", message="no")
    session, _ = wired_session(denied)
    found = run_audit(session)
    (error,) = [f for f in found if f.rule == "SM004"]
    assert error.path == HUB
    assert error.message.startswith(
        f"Security Hub GetFindings failed in account {ACCOUNT}, region us-east-1: "
        "AccessDeniedException: no"
    )
    assert error.message.endswith("this run's findings are imported, none archived")
    assert states(hub_findings()) == {
        (arn("job-0000"), "SM104"): "ACTIVE",
        (arn("job-0001"), "SM104"): "ACTIVE",
    }


# --- the command ----------------------------------------------------------------------------------


def test_the_audit_prints_asff_too() -> None:
    create_jobs("us-east-1", 2, **ISOLATION_OFF)
    result = cli("audit", "--isolated", "--region", "us-east-1", "--select", "SM104", "--no-s3",
                 "--format", "asff")  # fmt: skip
    assert result.exit_code == 0, result.output
    findings = json.loads(result.stdout)
    validate(findings)
    assert {f["Resources"][0]["Id"] for f in findings} == {arn("job-0000"), arn("job-0001")}
    assert all("sagelint/Path" not in f["ProductFields"] for f in findings)
    assert hub_findings() == []  # printing is not importing


def test_help_documents_the_option_and_its_permissions() -> None:
    text = cli("audit", "--help").stdout
    for word in ("--security-hub", "securityhub:BatchImportFindings", "securityhub:GetFindings"):
        assert word in text, word
