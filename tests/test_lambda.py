"""The Lambda function, run in-process on EventBridge "SageMaker Training Job State Change" events
(tests/data/events/, real DescribeTrainingJob responses in the event's envelope), with moto for
SNS; its deployment zip built and its handler imported from it; its template checked with
cfn-lint."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from sagelint.aws_lambda import handler

from tests.aws_moto import aws_env, moto  # noqa: F401  # fixtures (usefixtures below)
from tests.conftest import DATA

EVENTS = DATA / "events"
ROOT = DATA.parent.parent
SECRET = "ghp_R7dQv2LmX9sKp4TzW8nB3cJ6yH1fA5eG0uNo"


def event(status: str = "inprogress") -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((EVENTS / f"state-change-{status}.json").read_text())
    return loaded


def log_lines(output: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in output.splitlines()]


@pytest.fixture(autouse=True)
def function_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No SAGELINT_ variable from the machine, and no bundled configuration."""
    for name in ("SAGELINT_STATUSES", "SAGELINT_SECURITY_HUB", "SAGELINT_SNS_TOPIC_ARN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("SAGELINT_CONFIG", raising=False)
    monkeypatch.setenv("LAMBDA_TASK_ROOT", str(tmp_path))


def test_one_json_log_line_per_finding(capsys: pytest.CaptureFixture[str]) -> None:
    result = handler(event("completed"))
    lines = log_lines(capsys.readouterr().out)
    assert result == {"job": "xgboost-training-job", "status": "Completed", "findings": len(lines)}
    assert {line["rule"] for line in lines} >= {"SM103", "SM104", "SM501"}
    for line in lines:
        assert (
            line["job_arn"]
            == "arn:aws:sagemaker:us-west-2:123456789012:training-job/xgboost-training-job"
        )
        assert (line["account"], line["region"], line["status"]) == (
            "123456789012",
            "us-west-2",
            "Completed",
        )
        assert line["event_id"] == "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
        assert line["severity"] in ("error", "warning", "info") and line["message"]


def test_the_jobs_tags_count(capsys: pytest.CaptureFixture[str]) -> None:
    """The in-progress event's job carries sagelint:ignore=SM501 (its image is not pinned)."""
    handler(event("inprogress"))
    assert "SM501" not in {line["rule"] for line in log_lines(capsys.readouterr().out)}
    untagged = event("inprogress")
    untagged["detail"]["Tags"] = {}
    handler(untagged)
    assert "SM501" in {line["rule"] for line in log_lines(capsys.readouterr().out)}


def test_a_redelivered_event_logs_the_same_findings(capsys: pytest.CaptureFixture[str]) -> None:
    handler(event())
    first = log_lines(capsys.readouterr().out)
    handler(event())
    assert log_lines(capsys.readouterr().out) == first
    assert len({line["fingerprint"] for line in first}) == len(first)


def test_secrets_never_reach_the_log(capsys: pytest.CaptureFixture[str]) -> None:
    leaky = event()
    leaky["detail"]["Environment"] = {"GITHUB_TOKEN": SECRET, SECRET: "x"}
    leaky["detail"]["HyperParameters"] = {"db_password": "Winter2026!churn"}
    handler(leaky)
    out = capsys.readouterr().out
    assert "SM106" in out
    assert SECRET not in out and "Winter2026" not in out


def test_only_the_statuses_asked_for(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SAGELINT_STATUSES", "InProgress, Failed")
    assert handler(event("completed")) == {"skipped": 1, "status": "Completed"}
    assert capsys.readouterr().out == ""
    assert handler(event("inprogress"))["findings"] > 0


def test_a_setting_that_cannot_be_used_names_its_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SAGELINT_STATUSES", "InProgress,Running")
    with pytest.raises(ValueError, match=r"^SAGELINT_STATUSES: "):
        handler(event())
    monkeypatch.setenv("SAGELINT_STATUSES", "")
    monkeypatch.setenv("SAGELINT_SNS_TOPIC_ARN", "not-an-arn")
    with pytest.raises(ValueError, match=r"^SAGELINT_SNS_TOPIC_ARN: "):
        handler(event())


@pytest.mark.parametrize(
    "malformed",
    [
        None,
        "text",
        [],
        {},
        {"detail-type": "EC2 Instance State-change Notification", "detail": {}},
        {"detail-type": "SageMaker Training Job State Change", "detail": "x"},
        {"detail-type": "SageMaker Training Job State Change", "detail": {"TrainingJobName": "j"}},
    ],
)
def test_a_malformed_event_is_logged_and_dropped(
    malformed: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    assert handler(malformed) == {"dropped": 1}
    [line] = log_lines(capsys.readouterr().out)
    assert line["level"] == "warning" and "dropped" in line["message"]


def test_a_bundled_configuration_and_policy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The configuration beside the code (LAMBDA_TASK_ROOT) and the policy file it names."""
    (tmp_path / ".sagelint.toml").write_text('ignore = ["SM103"]\npolicies = ["jobs.yaml"]\n')
    (tmp_path / "jobs.yaml").write_text(
        "policies:\n  - code: ACME001\n    name: team-tag\n    severity: error\n"
        "    summary: jobs say their team\n    schema: {required: [VpcConfig]}\n"
    )
    handler(event("completed"))
    rules = {line["rule"] for line in log_lines(capsys.readouterr().out)}
    assert "SM103" not in rules and "ACME001" in rules


@pytest.mark.usefixtures("moto")
def test_the_findings_are_published_to_sns(monkeypatch: pytest.MonkeyPatch) -> None:
    import boto3

    sns = boto3.client("sns", region_name="us-west-2")
    sqs = boto3.client("sqs", region_name="us-west-2")
    topic = sns.create_topic(Name="training-findings")["TopicArn"]
    queue = sqs.create_queue(QueueName="inbox")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn["Attributes"]["QueueArn"])
    monkeypatch.setenv("SAGELINT_SNS_TOPIC_ARN", topic)
    leaky = event("completed")
    leaky["detail"]["Environment"] = {"GITHUB_TOKEN": SECRET}
    leaky["detail"]["TrainingJobName"] = "xgboost-training-job\x1b[2J"
    result = handler(leaky)
    [received] = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10)["Messages"]
    body = json.loads(received["Body"])
    assert body["Subject"] == f"sagelint: {result['findings']} findings"
    message = body["Message"]
    assert message.startswith(
        f"sagelint: {result['findings']} findings on training job xgboost-training-job\\x1b[2J "
        "(Completed)"
    )  # a control character from the document is spelled out
    assert "SM106 [error]" in message and "SM104 [warning]" in message
    assert SECRET not in message


@pytest.mark.usefixtures("moto")
def test_the_findings_go_to_security_hub_once_however_often_the_event_comes(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import boto3

    monkeypatch.setenv("SAGELINT_SECURITY_HUB", "true")
    leaky = event("completed")
    leaky["detail"]["Environment"] = {"GITHUB_TOKEN": SECRET}
    result = handler(leaky)
    handler(leaky)  # delivered again
    logged = log_lines(capsys.readouterr().out)
    hub = boto3.client("securityhub", region_name="us-west-2")
    imported = hub.get_findings()["Findings"]
    assert len(imported) == result["findings"] == len(logged) // 2
    arn = "arn:aws:sagemaker:us-west-2:123456789012:training-job/xgboost-training-job"
    assert {f["Resources"][0]["Id"] for f in imported} == {arn}
    assert {f["ProductArn"] for f in imported} == {
        "arn:aws:securityhub:us-west-2:123456789012:product/123456789012/default"
    }
    assert {f["GeneratorId"] for f in imported} == {f"sagelint/{line['rule']}" for line in logged}
    assert SECRET not in json.dumps(imported)


def hub_states() -> dict[str, tuple[str, str]]:
    """rule -> (RecordState, CreatedAt) of the findings in us-west-2's Security Hub."""
    import boto3

    hub = boto3.client("securityhub", region_name="us-west-2")
    return {
        f["ProductFields"]["sagelint/Rule"]: (f["RecordState"], f["CreatedAt"])
        for f in hub.get_findings()["Findings"]
    }


@pytest.mark.usefixtures("moto")
def test_a_finding_the_job_no_longer_has_is_archived_once_it_has_ended(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Network isolation is off (SM104) until the job's sagelint:ignore tag says so: an event of
    the running job imports without reading what is there (GetFindings allows 3 calls a second),
    the event of the ended job archives that finding, and the others keep the first sighting
    Security Hub holds."""
    monkeypatch.setenv("SAGELINT_SECURITY_HUB", "true")
    handler(event("completed"))
    first = hub_states()
    assert first["SM104"][0] == "ACTIVE" and {state for state, _ in first.values()} == {"ACTIVE"}
    tagged = event("completed")
    tagged["detail"]["Tags"]["sagelint:ignore"] = "SM104"
    running = json.loads(json.dumps(tagged))
    running["detail"].update(TrainingJobStatus="InProgress", SecondaryStatus="Training")
    handler(running)
    before = hub_states()
    assert before["SM104"][0] == "ACTIVE"
    handler(tagged)
    now = hub_states()
    assert now["SM104"][0] == "ARCHIVED"
    assert {rule: state for rule, (state, _) in now.items() if rule != "SM104"} == {
        rule: "ACTIVE" for rule in first if rule != "SM104"
    }
    assert {rule: created for rule, (_, created) in now.items()} == {
        rule: created for rule, (_, created) in before.items()
    }


@pytest.mark.usefixtures("moto")
def test_without_the_jobs_tags_nothing_is_archived(monkeypatch: pytest.MonkeyPatch) -> None:
    """An event without Tags cannot say what a rule that reads them would find: the finding of a
    rule that no longer fires stays as it is."""
    monkeypatch.setenv("SAGELINT_SECURITY_HUB", "true")
    handler(event("completed"))
    assert hub_states()["SM104"][0] == "ACTIVE"
    isolated = event("completed")
    isolated["detail"]["EnableNetworkIsolation"] = True
    del isolated["detail"]["Tags"]
    handler(isolated)
    assert hub_states()["SM104"][0] == "ACTIVE"
    isolated["detail"]["Tags"] = {"team": "fraud"}
    handler(isolated)
    assert hub_states()["SM104"][0] == "ARCHIVED"


@pytest.mark.usefixtures("moto")
def test_an_aws_error_raises_so_that_lambda_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    from botocore.exceptions import ClientError

    monkeypatch.setenv("SAGELINT_SNS_TOPIC_ARN", "arn:aws:sns:us-west-2:123456789012:no-such-topic")
    with pytest.raises(ClientError, match="NotFound"):
        handler(event("completed"))


# --- the deployment ------------------------------------------------------------------------


def test_the_template_passes_cfn_lint() -> None:
    cfn_lint = shutil.which("cfn-lint", path=str(Path(sys.executable).parent))
    assert cfn_lint, "cfn-lint is in the test extra"
    done = subprocess.run(
        [cfn_lint, str(ROOT / "deploy" / "template.yaml")],
        check=False,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_template_sends_the_statuses_and_grants_only_what_is_used() -> None:
    from sagelint.load.loaders import _yaml_loader  # the loader that reads short-form intrinsics

    loader = _yaml_loader()((ROOT / "deploy" / "template.yaml").read_text())
    template = loader.get_single_data()
    resources = template["Resources"]
    assert resources["Function"]["Properties"]["Handler"] == "sagelint.aws_lambda.handler"
    pattern = resources["StateChangeRule"]["Properties"]["EventPattern"]
    assert pattern["detail-type"] == ["SageMaker Training Job State Change"]
    actions: set[str] = set()
    for policy in resources["FunctionRole"]["Properties"]["Policies"]:
        document = policy.get("Fn::If", [None, policy])[1]
        for statement in document["PolicyDocument"]["Statement"]:
            assert statement["Resource"] != "*"
            actions.update(
                [statement["Action"]]
                if isinstance(statement["Action"], str)
                else statement["Action"]
            )
    assert actions == {
        "logs:CreateLogStream",
        "logs:PutLogEvents",
        "sqs:SendMessage",
        "securityhub:BatchImportFindings",
        "securityhub:GetFindings",
        "sns:Publish",
    }


def test_the_deployment_zip_holds_a_working_handler(tmp_path: Path) -> None:
    """Built for this interpreter (the template's runtime is newer: its wheels would not load
    here), unpacked, and run with nothing but the zip on the path: no boto3 is needed to lint
    and log."""
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    zipped = tmp_path / "sagelint-lambda.zip"
    built = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "build_lambda_zip.py"),
            "--python-version",
            version,
            "--output",
            str(zipped),
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert built.returncode == 0, built.stderr
    with zipfile.ZipFile(zipped) as archive:
        names = archive.namelist()
        assert "sagelint/aws_lambda.py" in names
        assert not [n for n in names if n.startswith(("boto3/", "botocore/"))]
        archive.extractall(tmp_path / "task")
    run = (
        "import json, sys; sys.path.insert(0, sys.argv[1]); "
        "from sagelint.aws_lambda import handler; "
        "print(json.dumps(handler(json.load(open(sys.argv[2])))))"
    )
    done = subprocess.run(
        [
            sys.executable,
            "-I",
            "-S",
            "-c",
            run,
            str(tmp_path / "task"),
            str(EVENTS / "state-change-completed.json"),
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
        env={"LAMBDA_TASK_ROOT": str(tmp_path / "task")},
    )
    assert done.returncode == 0, done.stderr
    *lines, result = done.stdout.splitlines()
    assert json.loads(result)["findings"] == len(lines) > 0
