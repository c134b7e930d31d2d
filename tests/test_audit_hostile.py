"""``sagelint audit`` against answers no AWS service gives: bodies that are not JSON or not the
shape of the answer, names that would lead outside ``--save``, an endpoint nobody listens on.
A real moto_server on 127.0.0.1 (started and stopped here) behind the fault proxy of
tests/aws_proxy.py, which answers chosen operations with any status and body. Nothing is lost
without a word: each answer that cannot be read is one SM004 on what it concerns, exit code 2,
and the rest is checked."""

from __future__ import annotations

import json
import re
import stat
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.aws_moto import ACCOUNT, aws_env, create_jobs, put_objects, s3_channel
from tests.aws_proxy import FaultProxy, Rule, sagemaker_error
from tests.aws_servers import fake_credentials, free_port, moto_server, reset, sagelint_command
from tests.conftest import Result, cli
from tests.jobs import clean_describe

__all__ = ["aws_env"]  # fixture

ISOLATION_OFF: dict[str, Any] = {"EnableNetworkIsolation": False}
REGION_ARN = f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:*"
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


@pytest.fixture
def proxy(moto_url: str) -> Iterator[FaultProxy]:
    with FaultProxy(moto_url) as running:
        yield running


def audit(proxy: FaultProxy, *args: str) -> tuple[Result, dict[str, Any]]:
    """``sagelint audit`` (in this process) through the proxy, SM104 and the S3-aware SM203:
    the result and its JSON report."""
    result = cli(
        "audit", "--isolated", "--format", "json", "--select", "SM104,SM203", "--region",
        "us-east-1", "--endpoint-url", proxy.url, *args,
    )  # fmt: skip
    return result, json.loads(result.stdout) if result.stdout else {}


def found(report: dict[str, Any], rule: str = "SM104") -> list[str | None]:
    return sorted((f["job"] or "") for f in report["findings"] if f["rule"] == rule)


def errors(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for f in report["findings"] if f["rule"] == "SM004"]


def arn(name: str) -> str:
    return f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:training-job/{name}"


def answer(operation: str, body: Any, **match: Any) -> Rule:
    """Answer ``operation`` (the requests that ``match``) with 200 and ``body`` (JSON unless
    bytes)."""
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    return Rule(operation, status=200, body=content, **match)


NOT_JSON = b"<html><body>502 Bad Gateway<br>upstream secret-ish page</body></html>"
NOT_S3 = b"<html><body>a page of the hotel's wifi, secret-ish</body></html>"  # well-formed XML
LIST_GARBAGE = {
    "html": (NOT_JSON, "the response was not JSON"),
    "empty": (b"", "the response was empty"),
    "not utf-8": (b"\xff\xfe\x00garbage", "the response was not JSON"),
    "array": (b"[]", "the response was not a JSON object"),
    "string": (b'"jobs"', "the response was not a JSON object"),
    "empty object": (b"{}", "TrainingJobSummaries is missing from the response"),
    "number": (
        b'{"TrainingJobSummaries": 5}',
        "TrainingJobSummaries in the response is not a list",
    ),
    "summary not an object": (b'{"TrainingJobSummaries": [5]}', "the response does not have"),
    "summary without a name": (
        b'{"TrainingJobSummaries": [{"TrainingJobArn": "arn:x"}]}',
        "a training job summary in the response has no TrainingJobName",
    ),
    "token not a string": (
        b'{"TrainingJobSummaries": [], "NextToken": 7}',
        "NextToken in the response is not a string",
    ),
}
SEARCH_GARBAGE = {
    "html": (NOT_JSON, "the response was not JSON"),
    "empty": (b"", "the response was empty"),
    "array": (b"[]", "the response was not a JSON object"),
    "empty object": (b"{}", "Results is missing from the response"),
    "number": (b'{"Results": 5}', "Results in the response is not a list"),
    "result not an object": (
        b'{"Results": [5]}',
        "the response does not have the shape of the operation's answer",
    ),
    "result of another resource": (
        b'{"Results": [{"Experiment": {"ExperimentName": "x"}}]}',
        "a result in the response is not a training job",
    ),
    "job without a name": (
        b'{"Results": [{"TrainingJob": {"TrainingJobArn": "arn:x"}}]}',
        "a training job summary in the response has no TrainingJobName",
    ),
    "token not a string": (
        b'{"Results": [], "NextToken": 7}',
        "NextToken in the response is not a string",
    ),
}


@pytest.mark.parametrize("body, why", SEARCH_GARBAGE.values(), ids=SEARCH_GARBAGE.keys())
def test_a_search_answer_that_cannot_be_read_is_one_error_and_no_job_is_lost(
    proxy: FaultProxy, body: bytes, why: str
) -> None:
    create_jobs("us-east-1", 2, **ISOLATION_OFF)
    proxy.add(answer("Search", body))
    result, report = audit(proxy)
    assert result.exit_code == 2, result.output
    (error,) = errors(report)
    assert error["path"] == REGION_ARN and error["job"] is None
    assert error["message"] == (
        f"Search failed in account {ACCOUNT}, region us-east-1: {why}; the tags of the jobs "
        "after it were read with ListTags"
    ), error["message"]
    assert "html" not in result.output and "secret" not in result.output
    assert found(report) == ["job-0000", "job-0001"] and report["summary"]["jobs"] == 2
    assert proxy.calls["Search"] == 1 and proxy.calls["ListTags"] == 2


@pytest.mark.parametrize("body, why", LIST_GARBAGE.values(), ids=LIST_GARBAGE.keys())
def test_a_list_answer_that_cannot_be_read_is_one_error_on_the_region(
    proxy: FaultProxy, body: bytes, why: str
) -> None:
    create_jobs("us-east-1", 2, **ISOLATION_OFF)
    proxy.add(answer("ListTrainingJobs", body))
    result, report = audit(proxy, "--no-tags")
    assert result.exit_code == 2, result.output
    (error,) = errors(report)
    assert error["path"] == REGION_ARN and error["job"] is None
    assert error["message"].startswith(
        f"ListTrainingJobs failed in account {ACCOUNT}, region us-east-1: {why}"
    ), error["message"]
    assert error["message"].endswith("; the jobs of this region were not checked")
    assert "html" not in result.output and "secret" not in result.output
    assert report["summary"]["jobs"] == 0


def test_garbage_on_the_second_list_page_keeps_the_first_and_says_so(proxy: FaultProxy) -> None:
    create_jobs("us-east-1", 151, **ISOLATION_OFF)
    proxy.add(answer("ListTrainingJobs", NOT_JSON, contains=b"NextToken"))
    result, report = audit(proxy, "--no-s3")
    assert result.exit_code == 2, result.output
    assert report["summary"]["jobs"] == 100 and len(found(report)) == 100
    (error,) = errors(report)
    assert error["path"] == REGION_ARN
    assert error["message"] == (
        f"ListTrainingJobs failed in account {ACCOUNT}, region us-east-1 after 100 jobs: the "
        "response was not JSON; the rest of the region was not checked"
    )


def search_record(name: str, tags: Any = ()) -> dict[str, Any]:
    """A Search result: the training job ``name`` (made in moto just now) as Search's record
    holds it."""
    record = {**clean_describe(), "TrainingJobName": name, "TrainingJobArn": arn(name)}
    record.update(Tags=list(tags), CreationTime=time.time(), LastModifiedTime=time.time())
    return {"TrainingJob": record}


def test_garbage_on_the_second_search_page_keeps_the_first_and_says_so(
    proxy: FaultProxy, tmp_path: Path
) -> None:
    """Every job's tags (--save keeps them): moto's Search answers in one page, so the first
    page here is written as AWS would send it, and the second is garbage. The tags of the first
    page's jobs are Search's, the third job's are read with ListTags."""
    exempt = [{"Key": "sagelint:ignore", "Value": "SM104"}]
    create_jobs("us-east-1", 3, Tags=exempt, **ISOLATION_OFF)
    first = {
        "Results": [search_record("job-0000", exempt), search_record("job-0001", exempt)],
        "NextToken": "p2",
    }
    proxy.add(answer("Search", first, times=1), answer("Search", NOT_JSON, contains=b"p2"))
    result, report = audit(proxy, "--no-s3", "--save", str(tmp_path))
    assert result.exit_code == 2, result.output
    assert found(report) == [] and report["summary"]["jobs"] == 3
    assert report["summary"]["suppressed"] == {"tag": 3}
    (error,) = errors(report)
    assert error["message"] == (
        f"Search failed in account {ACCOUNT}, region us-east-1: the response was not JSON; the "
        "tags of the jobs after it were read with ListTags"
    )
    assert proxy.calls["Search"] == 2 and proxy.calls["ListTags"] == 1


def test_tags_of_a_search_record_that_cannot_be_read_are_asked_of_list_tags(
    proxy: FaultProxy,
) -> None:
    create_jobs("us-east-1", 1, **ISOLATION_OFF)
    create_jobs(
        "us-east-1", 1, "exempt", **ISOLATION_OFF,
        Tags=[{"Key": "sagelint:ignore", "Value": "SM104"}],
    )  # fmt: skip
    results = [
        search_record("job-0000", [{"Key": "team", "Value": "risk"}]),
        search_record("exempt-0000", [{"Value": "a tag without its key"}]),
    ]
    proxy.add(answer("Search", {"Results": results}))
    result, report = audit(proxy, "--no-s3")
    assert result.exit_code == 0, result.output
    assert found(report) == ["job-0000"]  # the exempt job's own tag was read
    assert report["summary"]["suppressed"] == {"tag": 1}
    assert proxy.calls["ListTags"] == 1


DESCRIBE_GARBAGE = {
    "html": (NOT_JSON, "the response was not JSON"),
    "array": (b"[]", "the response was not a JSON object"),
    "string": (b'"job"', "the response was not a JSON object"),
    "empty object": (b"{}", "TrainingJobName is missing from the response"),
    "name not a string": (
        b'{"TrainingJobName": 5, "TrainingJobArn": "arn:x"}',
        "TrainingJobName in the response is not a string",
    ),
    "nested too deeply": (
        b'{"TrainingJobName": "j", "HyperParameters": ' + b"[" * 100_000,
        "the response was nested too deeply",
    ),
    "hyperparameters not an object": (
        b'{"TrainingJobName": "j", "TrainingJobArn": "arn:x", "HyperParameters": [1]}',
        "HyperParameters in the response is not an object",
    ),
}


@pytest.mark.parametrize("body, why", DESCRIBE_GARBAGE.values(), ids=DESCRIBE_GARBAGE.keys())
def test_a_describe_answer_that_cannot_be_read_is_one_error_on_the_job(
    proxy: FaultProxy, body: bytes, why: str
) -> None:
    create_jobs("us-east-1", 3, **ISOLATION_OFF)
    proxy.add(answer("DescribeTrainingJob", body, contains=b"job-0001"))
    result, report = audit(proxy)
    assert result.exit_code == 2, result.output
    (error,) = errors(report)
    assert (error["path"], error["job"]) == (arn("job-0001"), "job-0001")
    assert error["message"] == (f"DescribeTrainingJob failed: {why}; job not checked")
    assert found(report) == ["job-0000", "job-0002"]
    assert report["summary"]["jobs"] == 2


# --- siblings: the other answers the audit reads ---------------------------------------------


@pytest.mark.parametrize(
    "account",
    ["../../etc", "1234 5678 9012", "12345678901\u202e2", "\u0661" * 12],
    ids=["a path", "spaces", "a bidi control", "arabic-indic digits"],
)
def test_an_identity_whose_account_is_no_account_id_is_one_usage_error(
    proxy: FaultProxy, account: str
) -> None:
    create_jobs("us-east-1", 1, **ISOLATION_OFF)
    body = (
        '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
        "<GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/a</Arn>"
        f"<UserId>AIDAEXAMPLE</UserId><Account>{account}</Account></GetCallerIdentityResult>"
        "<ResponseMetadata><RequestId>1</RequestId></ResponseMetadata>"
        "</GetCallerIdentityResponse>"
    )
    proxy.add(answer("GetCallerIdentity", body.encode()))
    result, report = audit(proxy)
    assert result.exit_code == 2 and report == {}
    assert result.stderr == (
        "sagelint: error: cannot use the credentials: GetCallerIdentity gave an account ID that "
        "is not 12 digits\n"
    )
    assert proxy.calls["ListTrainingJobs"] == 0


@pytest.mark.parametrize(
    "body, why",
    [
        (NOT_JSON, "the response was not JSON"),
        (b'{"Tags": 5}', "Tags in the response is not a list"),
        (b'{"Tags": [{"Value": "no key"}]}', "a tag in the response has no Key"),
    ],
    ids=["html", "not a list", "no key"],
)
def test_a_tags_answer_that_cannot_be_read_is_said_and_the_job_still_checked(
    proxy: FaultProxy, body: bytes, why: str
) -> None:
    create_jobs("us-east-1", 2, **ISOLATION_OFF)
    denied = Rule("Search", body=sagemaker_error("AccessDeniedException", "not authorized"))
    proxy.add(denied, answer("ListTags", body, contains=b"job-0001"))
    result, report = audit(proxy)
    assert result.exit_code == 2, result.output
    (error,) = errors(report)
    assert error["job"] == "job-0001"
    assert error["message"].startswith(
        f"ListTags failed: {why}; the job was checked without its tags"
    )
    assert found(report) == ["job-0000", "job-0001"]


@pytest.mark.parametrize(
    "body, why",
    [
        # botocore takes a 200 from S3 that is not XML for a cut stream: a 500, retried
        (NOT_JSON, "HTTP 500: Internal Server Error (not an AWS error response)"),
        (NOT_S3, "IsTruncated is missing from the response"),
    ],
    ids=["not xml", "not a listing"],
)
def test_an_s3_listing_that_cannot_be_read_is_a_note_on_the_job(
    proxy: FaultProxy, body: bytes, why: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "2")
    put_objects("data", {"few/a.csv": 100})
    create_jobs(
        "us-east-1",
        1,
        "sharded",
        InputDataConfig=[s3_channel("s3://data/few/", "ShardedByS3Key")],
        **SHARDED_4,
    )
    proxy.add(answer("ListObjectsV2", body, content_type="application/xml"))
    result, report = audit(proxy)
    assert result.exit_code == 2, result.output
    (error,) = errors(report)
    assert error["job"] == "sharded-0000"
    assert error["message"] == (
        f"S3 listing failed for channel 'train' (s3://data/few/): {why}; SM203 skipped for these "
        "channels"
    )
    assert "html" not in result.output and "secret" not in result.output
    if body == NOT_JSON:  # the retry is said
        assert result.stderr == (
            f"sagelint: us-east-1: {proxy.url} answered HTTP 500 (ListObjectsV2, attempt 1 of "
            "at most 2); retrying\n"
        )


def test_an_identity_answer_that_cannot_be_read_is_one_usage_error(proxy: FaultProxy) -> None:
    create_jobs("us-east-1", 1, **ISOLATION_OFF)
    proxy.add(answer("GetCallerIdentity", NOT_JSON))
    result, report = audit(proxy)
    assert result.exit_code == 2 and report == {}
    assert result.stderr == (
        "sagelint: error: cannot use the credentials: the response could not be parsed\n"
    )
    assert proxy.calls["ListTrainingJobs"] == 0


@pytest.mark.parametrize(
    "body, why",
    [
        (NOT_JSON, "the response was not JSON"),
        (b'{"Accounts": {}}', "Accounts in the response is not a list"),
        (b'{"Accounts": [{"Id": "../../etc", "Status": "ACTIVE"}]}', "has no valid Id"),
        ({"Accounts": [{"Id": "\u0661" * 12, "Status": "ACTIVE"}]}, "has no valid Id"),
    ],
    ids=["html", "not a list", "an id that is no account id", "arabic-indic digits"],
)
def test_an_account_list_that_cannot_be_read_is_one_usage_error(
    proxy: FaultProxy, body: bytes | dict[str, Any], why: str
) -> None:
    proxy.add(answer("ListAccounts", body))
    result, report = audit(proxy, "--organization", "--role-name", "SagelintAudit")
    assert result.exit_code == 2 and report == {}
    assert result.stderr.startswith(
        "sagelint: error: cannot list the accounts of the organization (organizations:"
        "ListAccounts, from the management account or a delegated administrator): "
    )
    assert why in result.stderr and len(result.stderr.splitlines()) == 1
    assert "html" not in result.output and "etc" not in result.output
    assert proxy.calls["AssumeRole"] == 0


@pytest.mark.parametrize(
    "body, why",
    [
        (NOT_JSON, "the response could not be parsed"),
        (
            b"<AssumeRoleResponse><AssumeRoleResult/></AssumeRoleResponse>",
            "Credentials is missing from the response",
        ),
    ],
    ids=["html", "no credentials"],
)
def test_an_assume_role_answer_that_cannot_be_read_is_one_error_on_that_account(
    proxy: FaultProxy, body: bytes, why: str
) -> None:
    create_jobs("us-east-1", 1, **ISOLATION_OFF)
    proxy.add(answer("AssumeRole", body, contains=b"222222222222", content_type="text/xml"))
    result, report = audit(
        proxy, "--role-arn", "arn:aws:iam::111111111111:role/A,arn:aws:iam::222222222222:role/B"
    )
    assert result.exit_code == 2, result.output
    (error,) = errors(report)
    assert error["path"] == "arn:aws:sagemaker:*:222222222222:*"
    assert error["message"] == (
        f"account 222222222222 not audited: AssumeRole arn:aws:iam::222222222222:role/B failed: "
        f"{why}"
    )
    assert "html" not in result.output


def test_an_error_page_that_is_no_aws_error_is_summarised_not_quoted(proxy: FaultProxy) -> None:
    create_jobs("us-east-1", 2, **ISOLATION_OFF)
    page = Rule(
        "DescribeTrainingJob", contains=b"job-0001", status=403, body=NOT_JSON,
        content_type="text/html",
    )  # fmt: skip
    proxy.add(page)
    result, report = audit(proxy)
    assert result.exit_code == 2, result.output
    (error,) = errors(report)
    assert error["message"] == (
        "DescribeTrainingJob failed: HTTP 403: Forbidden (not an AWS error response); job not "
        "checked"
    )
    assert "html" not in result.output and "secret" not in result.output


# --- names that would lead outside --save ------------------------------------------------------


def hostile_job(name: str, job_arn: str) -> tuple[Rule, Rule]:
    """A listing of one job, and its description, as an endpoint could answer them."""
    summary = {
        "TrainingJobName": name,
        "TrainingJobArn": job_arn,
        "CreationTime": 1_700_000_000,
        "LastModifiedTime": 1_700_000_100,
        "TrainingJobStatus": "Completed",
    }
    describe = {**clean_describe(), "TrainingJobName": name, "TrainingJobArn": job_arn}
    describe["EnableNetworkIsolation"] = False
    return (
        answer("ListTrainingJobs", {"TrainingJobSummaries": [summary]}),
        answer("DescribeTrainingJob", describe),
    )


def files_under(folder: Path) -> set[Path]:
    return {path for path in folder.rglob("*") if path.is_file()}


@pytest.mark.parametrize(
    "name, account, region",
    [
        ("../../escape", ACCOUNT, "us-east-1"),
        ("../../../escape", ACCOUNT, "us-east-1"),
        ("..", ACCOUNT, "us-east-1"),
        ("escape", "..", ".."),
        ("escape", "{outside}", "us-east-1"),
        ("a/../../../escape", ACCOUNT, "../../.."),
    ],
    ids=["name", "name up three", "dot-dot", "account and region", "absolute account", "all"],
)
def test_names_from_the_endpoint_never_lead_outside_the_save_folder(
    proxy: FaultProxy, tmp_path: Path, name: str, account: str, region: str
) -> None:
    root = tmp_path / "out"
    save = root / "a" / "b" / "saved"
    save.mkdir(parents=True)
    account = account.format(outside=root / "elsewhere")
    job_arn = f"arn:aws:sagemaker:{region}:{account}:training-job/{name}"
    proxy.add(*hostile_job(name, job_arn))
    result, report = audit(proxy, "--save", str(save), "--no-s3", "--no-tags")
    assert result.exit_code == 0, result.output
    assert [(f["rule"], f["job"]) for f in report["findings"]] == [("SM104", name)]
    (saved,) = files_under(root)  # nothing anywhere else
    assert saved.is_relative_to(save) and saved.suffix == ".json"
    assert len(saved.relative_to(save).parts) == 3  # ACCOUNT/REGION/JOB.json, nothing above
    assert json.loads(saved.read_text())["detail"]["TrainingJobName"] == name


def test_saved_files_are_readable_by_their_owner_only(proxy: FaultProxy, tmp_path: Path) -> None:
    create_jobs("us-east-1", 1, **ISOLATION_OFF)
    save = tmp_path / "new" / "saved"
    result, _ = audit(proxy, "--save", str(save), "--no-s3")
    assert result.exit_code == 0, result.output
    (saved,) = files_under(save)
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    for folder in (save, saved.parent, saved.parent.parent):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    again, _ = audit(proxy, "--save", str(save), "--no-s3")  # replaced, still the owner's only
    assert again.exit_code == 0 and stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert files_under(save) == {saved}  # no temporary file left behind


# --- an endpoint nobody listens on -------------------------------------------------------------


def run_timed(*args: str, env: dict[str, str]) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.monotonic()
    done = subprocess.run(
        [*sagelint_command(), "audit", "--isolated", "--format", "json", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return done, time.monotonic() - started


def test_an_unreachable_endpoint_is_one_error_in_seconds() -> None:
    closed = f"http://127.0.0.1:{free_port()}"
    done, took = run_timed(
        "--endpoint-url", closed, "--timeout", "2", "--region", "us-east-1", env=fake_credentials()
    )
    assert done.returncode == 2, done.stderr
    assert took < 15
    assert done.stdout == ""
    *notes, error = done.stderr.splitlines()
    assert error.startswith("sagelint: error: cannot use the credentials: cannot connect: ")
    assert closed in error
    assert notes == [
        f"sagelint: us-east-1: cannot connect to {closed} (GetCallerIdentity, attempt 1 of at "
        "most 2); retrying"
    ]


def test_an_unreachable_sagemaker_endpoint_is_one_error_per_region_in_seconds(
    moto_url: str,
) -> None:
    closed = f"http://127.0.0.1:{free_port()}"
    env = {
        **fake_credentials(),
        "AWS_ENDPOINT_URL_STS": moto_url,
        "AWS_ENDPOINT_URL_SAGEMAKER": closed,
    }
    done, took = run_timed("--timeout", "2", "--region", "us-east-1,eu-west-1", env=env)
    assert done.returncode == 2, done.stderr
    assert took < 15
    report = json.loads(done.stdout)
    assert sorted(f["path"] for f in errors(report)) == [
        f"arn:aws:sagemaker:{region}:{ACCOUNT}:*" for region in ("eu-west-1", "us-east-1")
    ]
    assert all("cannot connect" in f["message"] for f in errors(report))
    assert all(f["message"].startswith("ListTrainingJobs failed") for f in errors(report))
    # Once per region, naming the call that met it: the listing (Search is not asked).
    said = sorted(done.stderr.splitlines())
    assert len(said) == 2, said
    for line, region in zip(said, ("eu-west-1", "us-east-1"), strict=True):
        assert re.fullmatch(
            f"sagelint: {region}: cannot connect to {re.escape(closed)} "
            r"\(ListTrainingJobs, attempt 1 of at most 2\); retrying",
            line,
        ), line


def test_throttling_is_still_retried_quietly(
    proxy: FaultProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_RETRY_MODE", "standard")  # the adaptive mode takes seconds
    create_jobs("us-east-1", 3, **ISOLATION_OFF)
    proxy.add(
        Rule(
            "DescribeTrainingJob",
            times=2,
            body=sagemaker_error("ThrottlingException", "Rate exceeded"),
        )
    )
    result, report = audit(proxy)
    assert result.exit_code == 0 and result.stderr == ""
    assert found(report) == ["job-0000", "job-0001", "job-0002"]


# --- what AWS says reaches the terminal spelled out -------------------------------------------


def test_an_aws_error_message_with_control_characters_is_spelled_out(proxy: FaultProxy) -> None:
    """An error message (or a job name) from an endpoint can hold what a terminal or a CI log
    acts on: every report writes it escaped."""
    create_jobs("us-east-1", 2, **ISOLATION_OFF)
    message = "denied\n::error file=a.py,line=1::forged\x1b[2J\x07\u202e"
    proxy.add(
        Rule("DescribeTrainingJob", contains=b"job-0001", status=400,
             body=sagemaker_error("AccessDeniedException", message))
    )  # fmt: skip
    for fmt in ("text", "github", "junit"):
        result = cli(
            "audit", "--isolated", "--format", fmt, "--select", "SM104", "--region", "us-east-1",
            "--endpoint-url", proxy.url,
        )  # fmt: skip
        assert result.exit_code == 2, result.output
        for line in result.output.split("\n"):
            assert not re.search("[\x00-\x08\x0b-\x1f\x7f\u202e]", line), (fmt, line)
        assert not [
            line for line in result.stdout.splitlines() if line.startswith("::error file=a.py")
        ]
        assert "\\x1b[2J\\x07\\u202e" in result.stdout, fmt
