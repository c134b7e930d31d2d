"""``sagelint audit`` end to end: a real moto_server on 127.0.0.1 (started and stopped here),
jobs, buckets and objects made with boto3, the command run as a subprocess; faults injected by
a small proxy between the two (tests/aws_proxy.py)."""

from __future__ import annotations

import json
import os
import pty
import select
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.aws_moto import ACCOUNT, aws_env, create_jobs, put_objects, s3_channel
from tests.aws_proxy import FaultProxy, Rule, sagemaker_error
from tests.aws_servers import fake_credentials, moto_server, reset, sagelint_command
from tests.test_audit import assumed

__all__ = ["aws_env"]  # fixture

SELECT = "SM104,SM203,SM206"
ISOLATION_OFF: dict[str, Any] = {"EnableNetworkIsolation": False}
SHARDED_4: dict[str, Any] = {
    "ResourceConfig.InstanceCount": 4,
    "EnableInterContainerTrafficEncryption": True,
}


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with moto_server() as url:
        yield url


@pytest.fixture
def moto_url(server: str, aws_env: None, monkeypatch: pytest.MonkeyPatch) -> str:
    """The server, emptied, and boto3 in this process pointed at it."""
    reset(server)
    monkeypatch.setenv("AWS_ENDPOINT_URL", server)
    return server


def run(
    *args: str, endpoint: str | None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``sagelint ARGS`` in a subprocess, with fake credentials and AWS_ENDPOINT_URL set to
    ``endpoint`` (when given)."""
    return subprocess.run(
        [*sagelint_command(), *args],
        env={**fake_credentials(endpoint), **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def audit_json(*args: str, endpoint: str | None, **env: str) -> tuple[int, dict[str, Any], str]:
    done = run(
        "audit", "--isolated", "--format", "json", "--select", SELECT, *args,
        endpoint=endpoint, env=env,
    )  # fmt: skip
    return done.returncode, json.loads(done.stdout), done.stderr


def arn(name: str, region: str = "us-east-1") -> str:
    return f"arn:aws:sagemaker:{region}:{ACCOUNT}:training-job/{name}"


def triples(report: dict[str, Any]) -> set[tuple[str, str, str | None]]:
    return {(f["rule"], f["path"], f["job"]) for f in report["findings"]}


def make_account() -> None:
    """us-east-1: 2 jobs sharded 4 ways over 2 objects (SM203), 1 over skewed objects (SM206),
    1 that exempts itself from SM104 with a tag, 2 plain; eu-west-1: 2 plain. Every job has
    network isolation off (SM104)."""
    put_objects("data", {"few/a.csv": 100, "few/b.csv": 100})
    put_objects("data", {**{f"skew/p{i:02d}": 1000 for i in range(10)}, "skew/zz": 10**6})
    few = [s3_channel("s3://data/few/", "ShardedByS3Key")]
    skew = [s3_channel("s3://data/skew/", "ShardedByS3Key")]
    create_jobs("us-east-1", 2, "few", InputDataConfig=few, **SHARDED_4, **ISOLATION_OFF)
    create_jobs("us-east-1", 1, "skew", InputDataConfig=skew, **SHARDED_4, **ISOLATION_OFF)
    exempt = [{"Key": "sagelint:ignore", "Value": "SM104"}]
    create_jobs("us-east-1", 1, "exempt", Tags=exempt, **ISOLATION_OFF)
    create_jobs("us-east-1", 2, "plain", **ISOLATION_OFF)
    create_jobs("eu-west-1", 2, "west", **ISOLATION_OFF)


EXPECTED = {
    *(("SM104", arn(name), name) for name in ("few-0000", "few-0001", "skew-0000")),
    *(("SM104", arn(name), name) for name in ("plain-0000", "plain-0001")),
    *(("SM104", arn(name, "eu-west-1"), name) for name in ("west-0000", "west-0001")),
    ("SM203", arn("few-0000"), "few-0000"),
    ("SM203", arn("few-0001"), "few-0001"),
    ("SM206", arn("skew-0000"), "skew-0000"),
}


def test_audit_reports_every_job_and_saves_them_for_offline_linting(
    moto_url: str, tmp_path: Path
) -> None:
    make_account()
    save = tmp_path / "saved"
    code, report, stderr = audit_json(
        "--endpoint-url", moto_url, "--region", "us-east-1,eu-west-1", "--save", str(save),
        endpoint=None,
    )  # fmt: skip
    assert code == 1, stderr
    assert triples(report) == EXPECTED
    assert report["summary"]["jobs"] == 8
    assert report["summary"]["suppressed"] == {"tag": 1}
    assert stderr == ""  # no progress line: standard error is not a terminal
    saved = sorted(p.relative_to(save).as_posix() for p in save.rglob("*.json"))
    assert len(saved) == 8
    assert f"{ACCOUNT}/eu-west-1/west-0001.json" in saved
    assert f"{ACCOUNT}/us-east-1/exempt-0000.json" in saved
    # Offline: the same findings, tag suppression included, but no S3 listing without --s3.
    offline = run(
        "lint", "--isolated", "--format", "json", "--select", SELECT, str(save), endpoint=None
    )
    found = {(f["rule"], f["job"]) for f in json.loads(offline.stdout)["findings"]}
    assert found == {(rule, job) for rule, _, job in EXPECTED if rule == "SM104"}
    # With --s3, lint lists the S3 data as the audit did: the same findings as the audit.
    again = run(
        "lint", "--s3", "--isolated", "--format", "json", "--select", SELECT, str(save),
        endpoint=moto_url,
    )  # fmt: skip
    found = {(f["rule"], f["job"]) for f in json.loads(again.stdout)["findings"]}
    assert found == {(rule, job) for rule, _, job in EXPECTED}


def test_faults_lose_nothing_and_exit_with_2(moto_url: str) -> None:
    make_account()
    with FaultProxy(moto_url) as proxy:
        throttle = Rule(  # each once (the slow job is another: it is tried twice in any case)
            "DescribeTrainingJob",
            contains=b"few-",
            times=2,
            body=sagemaker_error("ThrottlingException", "Rate exceeded"),
        )
        denied = [  # a service control policy that denies SageMaker in eu-west-1
            Rule(
                operation,
                region="eu-west-1",
                body=sagemaker_error(
                    "AccessDeniedException",
                    "User: arn:aws:iam::123456789012:user/audit is not authorized to perform: "
                    f"sagemaker:{operation} with an explicit deny",
                ),
            )
            for operation in ("Search", "ListTrainingJobs")
        ]
        slow = Rule("DescribeTrainingJob", contains=b"plain-0001", delay=3)
        proxy.add(throttle, *denied, slow)
        code, report, stderr = audit_json(
            "--region", "us-east-1", "--region", "eu-west-1", "--timeout", "1",
            endpoint=proxy.url, AWS_MAX_ATTEMPTS="2", AWS_RETRY_MODE="standard",
        )  # fmt: skip
    assert code == 2, stderr
    # The listing is denied in eu-west-1: Search is not asked there.
    assert (throttle.hits, *(rule.hits for rule in denied), slow.hits) == (2, 0, 1, 2), report
    found = triples(report)
    errors = {item for item in found if item[0] == "SM004"}
    assert errors == {
        ("SM004", f"arn:aws:sagemaker:eu-west-1:{ACCOUNT}:*", None),
        ("SM004", arn("plain-0001"), "plain-0001"),
    }
    # Nothing else of us-east-1 is lost: the throttled jobs were retried.
    assert found - errors == {
        item for item in EXPECTED if "eu-west-1" not in item[1] and item[2] != "plain-0001"
    }
    messages = {f["path"]: f["message"] for f in report["findings"] if f["rule"] == "SM004"}
    assert messages[f"arn:aws:sagemaker:eu-west-1:{ACCOUNT}:*"].startswith(
        f"ListTrainingJobs failed in account {ACCOUNT}, region eu-west-1: AccessDenied"
    )
    assert messages[arn("plain-0001")].startswith("DescribeTrainingJob failed: timed out")
    assert "Search" not in stderr


def test_a_re_audit_with_the_cache_makes_no_describe_call(moto_url: str, tmp_path: Path) -> None:
    make_account()
    cache = str(tmp_path / "audit.db")
    with FaultProxy(moto_url) as proxy:
        first = audit_json("--region", "us-east-1", "--cache", cache, endpoint=proxy.url)
        assert proxy.calls["DescribeTrainingJob"] == 6
        # The sagelint:ignore tags: one Search, filtered by AWS; no call per job but describe.
        assert (proxy.calls["Search"], proxy.calls["ListTags"]) == (1, 0)
        proxy.calls.clear()
        again = audit_json("--region", "us-east-1", "--cache", cache, endpoint=proxy.url)
        calls = dict(proxy.calls)
    # No job changed: none needs its tags, and Search is not asked.
    assert calls == {"GetCallerIdentity": 1, "ListTrainingJobs": 1}
    assert triples(again[1]) == triples(first[1])
    assert again[1]["summary"]["jobs"] == 6


def test_ctrl_c_stops_and_still_reports_what_was_found(moto_url: str) -> None:
    create_jobs("us-east-1", 40, **ISOLATION_OFF)
    with FaultProxy(moto_url, latency=0.15) as proxy:
        process = subprocess.Popen(
            [*sagelint_command(), "audit", "--isolated", "--select", "SM104", "--region",
             "us-east-1", "--concurrency", "2", "--no-s3"],
            env=fake_credentials(proxy.url),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while proxy.calls["DescribeTrainingJob"] < 6 and time.monotonic() < deadline:
            time.sleep(0.05)
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=30)
    assert process.returncode == 2
    assert "interrupted; the report covers what was checked so far" in stderr
    reported = [line for line in stdout.splitlines() if " SM104 " in line]
    assert 1 <= len(reported) < 40
    assert f"Found {len(reported)} finding" in stdout


def test_progress_goes_to_standard_error_on_a_terminal(moto_url: str) -> None:
    create_jobs("us-east-1", 3, **ISOLATION_OFF)
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [*sagelint_command(), "audit", "--isolated", "--select", "SM104", "--region",
         "us-east-1"],
        env=fake_credentials(moto_url),
        stdout=subprocess.PIPE,
        stderr=follower,
        text=True,
    )  # fmt: skip
    os.close(follower)
    seen = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    os.close(leader)
    stdout, _ = process.communicate(timeout=30)
    assert "sagelint audit: 3/3 jobs checked" in seen.decode()
    assert seen.endswith(b"\r\x1b[K")  # the line is cleared at the end
    assert "\x1b[K" not in stdout and stdout.count(" SM104 ") == 3


def test_security_hub_imports_and_a_refused_import_exits_with_2(moto_url: str) -> None:
    import boto3

    create_jobs("us-east-1", 2, **ISOLATION_OFF)
    hub = f"arn:aws:securityhub:us-east-1:{ACCOUNT}:hub/default"
    imported = audit_json("--region", "us-east-1", "--no-s3", "--security-hub", endpoint=moto_url)
    assert imported[0] == 0, imported[2]  # SM104 warnings only
    findings = boto3.client("securityhub", region_name="us-east-1").get_findings()["Findings"]
    assert sorted(f["Resources"][0]["Id"] for f in findings) == [arn("job-0000"), arn("job-0001")]
    with FaultProxy(moto_url) as proxy:
        denied = Rule(
            "BatchImportFindings",
            status=403,
            body=sagemaker_error("AccessDeniedException", "not authorized"),
            content_type="application/json",
        )
        proxy.add(denied)
        code, report, stderr = audit_json(
            "--region", "us-east-1", "--no-s3", "--security-hub", endpoint=proxy.url
        )
        assert proxy.calls["GetFindings"] == 1
    assert code == 2, stderr
    assert denied.hits == 1  # refused: not retried, and nothing archived after it
    assert triples(report) == {
        ("SM104", arn("job-0000"), "job-0000"),
        ("SM104", arn("job-0001"), "job-0001"),
        ("SM004", hub, None),
    }
    (message,) = [f["message"] for f in report["findings"] if f["rule"] == "SM004"]
    assert "BatchImportFindings: AccessDeniedException: not authorized" in message


def test_findings_come_out_in_one_order_whatever_order_the_threads_finish_in(
    moto_url: str,
) -> None:
    accounts = ("111111111111", "222222222222")
    for account in accounts:
        for region in ("us-east-1", "eu-west-1"):
            create_jobs(
                region, 3, f"a{account[0]}", session=assumed(account), **ISOLATION_OFF,
                **{"OutputDataConfig.KmsKeyId": None},
            )  # fmt: skip
    roles = [f"arn:aws:iam::{account}:role/SagelintAudit" for account in accounts]
    printed = []
    for slow, order in ((b"a1-0000", roles), (b"a2-0002", roles[::-1])):
        with FaultProxy(moto_url) as proxy:
            # The first job listed (then the last) answers a second late: without the order,
            # it would be reported last (then first).
            delay = Rule("DescribeTrainingJob", contains=slow, region="eu-west-1", delay=1.0)
            proxy.add(delay)
            done = run(
                "audit", "--isolated", "--select", "SM101,SM104", "--fail-on", "warning", "--no-s3",
                "--region", "us-east-1,eu-west-1", "--role-arn", ",".join(order),
                endpoint=proxy.url,
            )  # fmt: skip
        assert done.returncode == 1 and delay.hits == 1, done.stderr
        printed.append(done.stdout)
    assert printed[0] == printed[1]
    # Accounts by id, regions by name, jobs as ListTrainingJobs lists them (moto: as they were
    # created), each job's findings by rule.
    reported = [line.split(" [")[0] for line in printed[0].splitlines() if ": SM1" in line]
    assert reported == [
        f"arn:aws:sagemaker:{region}:{account}:training-job/a{account[0]}-{index:04d}:1:1: {rule}"
        for account in accounts
        for region in ("eu-west-1", "us-east-1")
        for index in range(3)
        for rule in ("SM101", "SM104")
    ]


def test_an_organization_is_audited_from_the_command_line(moto_url: str) -> None:
    """Organizations and STS of moto_server: the management account lists its members (one
    closed, one whose role refuses to be assumed); the others are audited through the role."""
    import boto3

    organizations = boto3.client("organizations", region_name="us-east-1")
    organizations.create_organization(FeatureSet="ALL")
    members = [
        organizations.create_account(Email=f"team{n}@example.com", AccountName=f"team{n}")[
            "CreateAccountStatus"
        ]["AccountId"]
        for n in range(3)
    ]
    closed, refusing, member = members
    organizations.close_account(AccountId=closed)
    for account in (ACCOUNT, refusing, member):
        create_jobs("us-east-1", 1, f"in{account}", session=assumed(account), **ISOLATION_OFF)
    with FaultProxy(moto_url) as proxy:
        refused = Rule(
            "AssumeRole",
            status=403,
            contains=refusing.encode(),
            body=b"<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>"
            b"not authorized to perform: sts:AssumeRole</Message></Error></ErrorResponse>",
            content_type="text/xml",
        )
        proxy.add(refused)
        code, report, stderr = audit_json(
            "--organization", "--role-name", "SagelintAudit", "--region", "us-east-1",
            endpoint=proxy.url,
        )  # fmt: skip
        assumed_roles = proxy.calls["AssumeRole"]
    assert code == 2, stderr
    assert refused.hits == 1 and assumed_roles == 3  # not the closed account's role
    assert [(f["rule"], f["path"].split(":")[4]) for f in report["findings"]] == sorted(
        [("SM104", ACCOUNT), ("SM004", refusing), ("SM104", member)], key=lambda f: f[1]
    )
    (error,) = [f for f in report["findings"] if f["rule"] == "SM004"]
    assert error["message"].startswith(
        f"account {refusing} not audited: AssumeRole arn:aws:iam::{refusing}:role/SagelintAudit "
        "failed: AccessDenied"
    )
    assert report["summary"]["jobs"] == 2
