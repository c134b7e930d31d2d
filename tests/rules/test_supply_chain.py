"""SM501: the training image is pinned by digest."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from sagelint.findings import Finding

from tests.conftest import REAL, line_of, only
from tests.jobs import IMAGE, clean_describe, clean_request

Lint = Callable[..., list[Finding]]
ECR = "123456789012.dkr.ecr.us-east-1.amazonaws.com"
DIGEST = IMAGE.split("@", 1)[1]


def with_image(image: str) -> dict[str, Any]:
    job = clean_request()
    job["AlgorithmSpecification"]["TrainingImage"] = image
    return job


@pytest.mark.parametrize(
    "document", [clean_request(), clean_describe()], ids=["create", "describe"]
)
def test_silent_on_the_clean_documents(lint_doc: Lint, document: dict[str, Any]) -> None:
    assert only(lint_doc(document, select=["SM501"]), "SM501") == []


def test_fires_at_the_image_on_a_version_tag(lint_doc: Lint) -> None:
    [finding] = only(lint_doc(with_image(f"{ECR}/train:2.1.0"), select=["SM501"]), "SM501")
    assert finding.pointer == "/AlgorithmSpecification/TrainingImage"
    assert finding.line == line_of(finding, '"TrainingImage":')
    assert finding.severity == "warning"
    assert "train:2.1.0 is referenced by a tag" in finding.message
    assert "worse" not in finding.message


@pytest.mark.parametrize(
    ("image", "said"),
    [
        (f"{ECR}/train:latest", "train:latest uses the tag that follows every push"),
        (f"{ECR}/train", "train has no tag, so it runs :latest"),
        ("registry.internal:5000/team/train", "team/train has no tag"),  # a port is not a tag
        ("team/train", "team/train has no tag"),  # Docker Hub: no registry host
    ],
)
def test_latest_or_no_tag_says_it_is_worse(lint_doc: Lint, image: str, said: str) -> None:
    [finding] = only(lint_doc(with_image(image), select=["SM501"]), "SM501")
    assert said in finding.message
    assert "worse than a version tag" in finding.message


@pytest.mark.parametrize(
    "image",
    [
        f"{ECR}/train@{DIGEST}",
        f"{ECR}/train:2.1.0@{DIGEST}",  # a tag next to the digest: the digest decides
        "registry.internal:5000/team/train@" + DIGEST,
        "...",  # placeholders, not image references (Step Functions docs, EventBridge sample)
        "TrainingImage",
    ],
)
def test_near_misses(lint_doc: Lint, image: str) -> None:
    assert only(lint_doc(with_image(image), select=["SM501"]), "SM501") == []


def test_silent_on_an_algorithm_resource(lint_doc: Lint) -> None:
    job = clean_request()
    job["AlgorithmSpecification"] = {
        "AlgorithmName": "arn:aws:sagemaker:us-east-1:123456789012:algorithm/scikit-decision",
        "TrainingInputMode": "File",
    }
    assert only(lint_doc(job, select=["SM501"]), "SM501") == []


@pytest.mark.parametrize(
    ("name", "said"),
    [
        # AWS's own k-means image by its major-version tag: not exempt (the tag is mutable).
        ("c7n-placebo-test_sagemaker_training_job_remove_tag-describe.json", "kmeans:1 is"),
        # AWS's documented Step Functions sample uses xgboost:latest.
        ("sfn-create-training-job-docs-sample-train-model.json", "xgboost:latest uses"),
        # A Deep Learning Container by its full version tag.
        ("cli-create-training-job-docs-debugger-aws-cli-test.json", "tensorflow-training:2.4.1"),
    ],
)
def test_real_documents(lint_doc: Lint, name: str, said: str) -> None:
    document = json.loads((REAL / name).read_text(encoding="utf-8"))
    [finding] = only(lint_doc(document, select=["SM501"]), "SM501")
    assert said in finding.message


def test_silent_on_the_eventbridge_sample(lint_doc: Lint) -> None:
    # AWS's sample event has the placeholder "TrainingImage" where the image goes.
    document = json.loads((REAL / "eventbridge-docs-training-state-change.json").read_text())
    assert only(lint_doc(document, select=["SM501"]), "SM501") == []


# --- SM511 code-installed-at-start --------------------------------------------------------------


def entrypoint(
    entry: list[str] | None = None, arguments: list[str] | None = None
) -> dict[str, Any]:
    job = clean_request()
    if entry is not None:
        job["AlgorithmSpecification"]["ContainerEntrypoint"] = entry
    if arguments is not None:
        job["AlgorithmSpecification"]["ContainerArguments"] = arguments
    return job


@pytest.mark.parametrize(
    ("job", "pointer", "command"),
    [
        (entrypoint(["bash", "-c"], ["pip install torch==2.4 && python train.py"]),
         "/AlgorithmSpecification/ContainerArguments/0", "pip install"),
        (entrypoint(["sh", "-c", "curl -sSL https://x.example/setup.sh | sh; python t.py"]),
         "/AlgorithmSpecification/ContainerEntrypoint/2", "curl"),
        (entrypoint(["bash", "-c", "git  clone https://github.com/org/repo && make"]),
         "/AlgorithmSpecification/ContainerEntrypoint/2", "git clone"),
        (entrypoint(None, ["--setup", "python -m pip install -r requirements.txt"]),
         "/AlgorithmSpecification/ContainerArguments/1", "python -m pip install"),
        (entrypoint(["conda", "install", "-y", "lightgbm"]),  # exec form: one word an entry
         "/AlgorithmSpecification/ContainerEntrypoint/0", "conda install"),
        (entrypoint(["python", "-m", "pip", "install", "torch"]),
         "/AlgorithmSpecification/ContainerEntrypoint/0", "python -m pip install"),
        (entrypoint(None, ["--epochs", "3", "pip", "install", "x"]),
         "/AlgorithmSpecification/ContainerArguments/2", "pip install"),
    ],
)  # fmt: skip
def test_sm511_fires_on_code_fetched_at_start(
    lint_doc: Lint, job: dict[str, Any], pointer: str, command: str
) -> None:
    job["EnableNetworkIsolation"] = False
    [finding] = only(lint_doc(job, select=["SM511"]), "SM511")
    assert finding.pointer == pointer
    assert f"runs `{command}` when the container starts" in finding.message
    assert finding.message.endswith("and it fails if the network is isolated")


def test_sm511_says_that_network_isolation_stops_it(lint_doc: Lint) -> None:
    job = entrypoint(["bash", "-c", "pip install x && python t.py"])  # isolation on: clean job
    [finding] = only(lint_doc(job, select=["SM511"]), "SM511")
    assert finding.message.endswith("so the container cannot reach the network")


@pytest.mark.parametrize(
    "arguments",
    [
        ["python", "train.py", "--epochs", "3"],
        ["--pipeline", "install-free"],
        ["--output", "s3://bucket/curly/"],  # "curly", not curl
        ["{{ command }}"],
        ["pip", "{{ verb }}", "install"],  # an unknown entry between the words joins nothing
        ["--pipeline", "install"],
    ],
)
def test_sm511_near_misses(lint_doc: Lint, arguments: list[str]) -> None:
    assert only(lint_doc(entrypoint(None, arguments), select=["SM511"]), "SM511") == []
