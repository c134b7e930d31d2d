"""SM303-SM308: run time and cost."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sagelint.findings import Finding

from tests.conftest import REAL, line_of, lint_paths, only
from tests.jobs import clean_describe, clean_request

Lint = Callable[..., list[Finding]]
MINE = ["SM303", "SM304", "SM305", "SM306", "SM307", "SM308"]
BIOIMAGE = REAL / "bioimage-search-describe-spot-fsx-vpc-completed.json"  # spot, no checkpoint


def spot(job: dict[str, Any], wait: int | None = 172_800) -> dict[str, Any]:
    job["EnableManagedSpotTraining"] = True
    if wait is not None:
        job["StoppingCondition"]["MaxWaitTimeInSeconds"] = wait
    job["CheckpointConfig"] = {"S3Uri": "s3://ml-models-123456789012/checkpoints/churn/"}
    return job


@pytest.mark.parametrize("make", [clean_request, clean_describe])
def test_clean_documents_pass(lint_doc: Lint, make: Callable[[], dict[str, Any]]) -> None:
    assert lint_doc(make(), select=MINE) == []


@pytest.mark.parametrize("make", [clean_request, clean_describe])
def test_clean_spot_documents_pass(lint_doc: Lint, make: Callable[[], dict[str, Any]]) -> None:
    assert lint_doc(spot(make()), select=MINE) == []


# --- SM303 spot-wait-below-runtime -------------------------------------------------------------


def test_sm303_fires_when_the_wait_is_below_the_runtime(lint_doc: Lint) -> None:
    [finding] = lint_doc(spot(clean_request(), wait=3600), select=["SM303"])
    assert (finding.rule, finding.severity) == ("SM303", "error")
    assert finding.pointer == "/StoppingCondition/MaxWaitTimeInSeconds"
    assert finding.line == line_of(finding, '"MaxWaitTimeInSeconds"')
    assert "MaxWaitTimeInSeconds 3,600 s (60 min) is below MaxRuntimeInSeconds 86,400 s" in (
        finding.message
    )


@pytest.mark.parametrize(
    ("stopping", "pointer", "needle"),
    [
        ({"MaxRuntimeInSeconds": 86400}, "/StoppingCondition", '"StoppingCondition"'),
        (
            {"MaxRuntimeInSeconds": 86400, "MaxWaitTimeInSeconds": None},  # a Go SDK dump
            "/StoppingCondition/MaxWaitTimeInSeconds",
            '"MaxWaitTimeInSeconds"',
        ),
        (None, "/EnableManagedSpotTraining", '"EnableManagedSpotTraining"'),
    ],
)
def test_sm303_fires_when_the_wait_is_missing(
    lint_doc: Lint, stopping: dict[str, Any] | None, pointer: str, needle: str
) -> None:
    job = spot(clean_request(), wait=None)
    if stopping is None:
        del job["StoppingCondition"]
    else:
        job["StoppingCondition"] = stopping
    [finding] = lint_doc(job, select=["SM303"])
    assert finding.pointer == pointer
    assert finding.line == line_of(finding, needle)
    assert "MaxWaitTimeInSeconds is not set" in finding.message


@pytest.mark.parametrize(
    ("spot_flag", "stopping"),
    [
        (True, {"MaxRuntimeInSeconds": 86400, "MaxWaitTimeInSeconds": 86400}),  # equal: accepted
        (True, {"MaxWaitTimeInSeconds": 3600}),  # no runtime: the default is not compared
        (True, {"MaxRuntimeInSeconds": 86400, "MaxWaitTimeInSeconds.$": "$.wait"}),  # Step Fns
        (False, {"MaxRuntimeInSeconds": 86400}),  # on demand: no wait needed
        (None, {"MaxRuntimeInSeconds": 86400}),
        ("true", {"MaxRuntimeInSeconds": 86400}),  # not a boolean: the schema check's
    ],
)
def test_sm303_near_misses(lint_doc: Lint, spot_flag: Any, stopping: dict[str, Any]) -> None:
    job = clean_request()
    job["EnableManagedSpotTraining"] = spot_flag
    job["StoppingCondition"] = stopping
    assert lint_doc(job, select=["SM303"]) == []


def test_sm303_silent_on_the_real_spot_job() -> None:
    # A real Completed spot job with MaxWaitTimeInSeconds == MaxRuntimeInSeconds (100,000 s):
    # AWS accepted equal values, so equality must not fire.
    assert lint_paths(BIOIMAGE, select=["SM303"]) == []


# --- SM304 spot-without-checkpoints ------------------------------------------------------------


def test_sm304_fires_on_spot_without_checkpoint_config(lint_doc: Lint) -> None:
    job = spot(clean_request())
    del job["CheckpointConfig"]
    [finding] = lint_doc(job, select=["SM304"])
    assert (finding.rule, finding.severity) == ("SM304", "warning")
    assert finding.pointer == "/EnableManagedSpotTraining"
    assert finding.line == line_of(finding, '"EnableManagedSpotTraining"')
    assert "CheckpointConfig is not set" in finding.message


@pytest.mark.parametrize("config", [{"S3Uri": ""}, {"LocalPath": "/opt/ml/checkpoints"}])
def test_sm304_fires_on_a_checkpoint_config_without_s3_uri(
    lint_doc: Lint, config: dict[str, str]
) -> None:
    job = spot(clean_describe())
    job["CheckpointConfig"] = config
    [finding] = lint_doc(job, select=["SM304"])
    assert finding.pointer == "/CheckpointConfig"
    assert finding.line == line_of(finding, '"CheckpointConfig"')
    assert "CheckpointConfig has no S3Uri" in finding.message


@pytest.mark.parametrize(
    ("spot_flag", "checkpoint"),
    [
        (False, None),  # on demand: no interruption to survive
        (None, None),  # a Go SDK dump: spot null, checkpoint null
        (True, {"S3Uri": "s3://bucket/checkpoints/"}),
        (True, {"S3Uri.$": "$.checkpoints"}),  # Step Functions: set from the input
    ],
)
def test_sm304_near_misses(lint_doc: Lint, spot_flag: Any, checkpoint: Any) -> None:
    job = clean_request()
    job["EnableManagedSpotTraining"] = spot_flag
    job["StoppingCondition"]["MaxWaitTimeInSeconds"] = 172_800
    job["CheckpointConfig"] = checkpoint
    assert lint_doc(job, select=["SM304"]) == []


def test_sm304_fires_on_the_real_spot_job() -> None:
    # A real spot job that ran 10 h without CheckpointConfig: any interruption in those 10 h
    # would have restarted it from the beginning. Right to report.
    [finding] = lint_paths(BIOIMAGE, select=["SM304"])
    assert finding.pointer == "/EnableManagedSpotTraining"
    assert finding.line == line_of(finding, '"EnableManagedSpotTraining"')


def test_sm304_silent_on_real_on_demand_job() -> None:
    # ACK's completed job: spot false, CheckpointConfig null (the Go SDK writes nulls)
    path = REAL / "ack-sagemaker-controller-describe-completed.json"
    assert lint_paths(path, select=["SM304"]) == []


# --- SM305 stopped-at-time-limit ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("secondary", "words"),
    [
        ("MaxRuntimeExceeded", "its MaxRuntimeInSeconds of 86,400 s (24 h)"),
        ("MaxWaitTimeExceeded", "its MaxWaitTimeInSeconds of 172,800 s (2 days)"),
    ],
)
def test_sm305_fires_on_a_job_stopped_at_its_limit(
    lint_doc: Lint, secondary: str, words: str
) -> None:
    job = spot(clean_describe())
    job.update(TrainingJobStatus="Stopped", SecondaryStatus=secondary)
    [finding] = lint_doc(job, select=["SM305"])
    assert (finding.rule, finding.severity) == ("SM305", "info")
    assert finding.pointer == "/SecondaryStatus"
    assert finding.line == line_of(finding, '"SecondaryStatus"')
    assert f"SageMaker stopped the job ({secondary})" in finding.message
    assert words in finding.message


@pytest.mark.parametrize(
    ("primary", "secondary"),
    [
        ("Stopped", "Stopped"),  # stopped by someone: not a limit
        ("Completed", "Completed"),
        ("InProgress", "MaxRuntimeExceeded"),  # a contradiction: SM401's, not ours
        ("Stopped", "maxruntimeexceeded"),
    ],
)
def test_sm305_near_misses(lint_doc: Lint, primary: str, secondary: str) -> None:
    job = clean_describe()
    job.update(TrainingJobStatus=primary, SecondaryStatus=secondary)
    assert lint_doc(job, select=["SM305"]) == []


def test_sm305_silent_on_real_stopping_job() -> None:
    # Custodian's recording of a job being stopped by a user (Stopping, Starting): not a limit.
    path = REAL / "c7n-placebo-test_sagemaker_training_job_stop-describe-2-stopping.json"
    assert lint_paths(path, select=["SM305"]) == []


# --- SM306 runtime-limit-not-set ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("stopping", "pointer", "needle"),
    [
        ({}, "/StoppingCondition", '"StoppingCondition"'),
        ({"MaxPendingTimeInSeconds": 7200}, "/StoppingCondition", '"StoppingCondition"'),
        (
            {"MaxRuntimeInSeconds": None},
            "/StoppingCondition/MaxRuntimeInSeconds",
            '"MaxRuntimeInSeconds"',
        ),
        (None, "", "{"),  # no StoppingCondition at all: the document itself
    ],
)
def test_sm306_fires_on_a_request_without_a_runtime_limit(
    lint_doc: Lint, stopping: Any, pointer: str, needle: str
) -> None:
    job = clean_request()
    if stopping is None:
        del job["StoppingCondition"]
    else:
        job["StoppingCondition"] = stopping
    [finding] = lint_doc(job, select=["SM306"])
    assert (finding.rule, finding.severity, finding.pointer) == ("SM306", "warning", pointer)
    assert finding.line == line_of(finding, needle)
    assert "1-day default" in finding.message


@pytest.mark.parametrize(
    "changes",
    [
        {"StoppingCondition": {"MaxRuntimeInSeconds.$": "$.limits.runtime"}},  # Step Functions
        {"StoppingCondition.$": "$.stopping"},
        {"StoppingCondition": {"MaxRuntimeInSeconds": 1}},
    ],
)
def test_sm306_near_misses(lint_doc: Lint, changes: dict[str, Any]) -> None:
    job = clean_request()
    del job["StoppingCondition"]
    job.update(changes)
    assert lint_doc(job, select=["SM306"]) == []


def test_sm306_is_for_requests_only(lint_doc: Lint) -> None:
    job = clean_describe()
    del job["StoppingCondition"]  # a describe has it; without it the document is incomplete
    assert lint_doc(job, select=["SM306"]) == []


def test_sm306_on_a_real_step_functions_task(tmp_path: Path) -> None:
    # The documented Step Functions task sets MaxRuntimeInSeconds: silent. The same task
    # without it would run with the 1-day default: reported.
    path = REAL / "sfn-create-training-job-docs-sample-train-model.json"
    assert lint_paths(path, select=["SM306"]) == []
    task = json.loads(path.read_text(encoding="utf-8"))
    del task["StoppingCondition"]["MaxRuntimeInSeconds"]
    edited = tmp_path / path.name
    edited.write_text(json.dumps(task, indent=2), encoding="utf-8")
    [finding] = lint_paths(edited, select=["SM306"])
    assert finding.pointer == "/StoppingCondition"


# --- SM307 warm-pool-kept-alive ----------------------------------------------------------------


def test_sm307_fires_on_a_warm_pool(lint_doc: Lint) -> None:
    job = clean_request()
    job["ResourceConfig"].update(InstanceCount=4, KeepAlivePeriodInSeconds=3600)
    [finding] = lint_doc(job, select=["SM307"])
    assert (finding.rule, finding.severity) == ("SM307", "warning")
    assert finding.pointer == "/ResourceConfig/KeepAlivePeriodInSeconds"
    assert finding.line == line_of(finding, '"KeepAlivePeriodInSeconds"')
    assert "3,600 s (60 min): after the job, 4 ml.m5.xlarge instances stay" in finding.message


@pytest.mark.parametrize("period", [0, None, "3600", True])
def test_sm307_near_misses(lint_doc: Lint, period: Any) -> None:
    job = clean_request()
    job["ResourceConfig"]["KeepAlivePeriodInSeconds"] = period
    assert lint_doc(job, select=["SM307"]) == []


def test_sm307_fires_on_a_real_warm_pool_in_use() -> None:
    # ACK's warm pool fixture keeps its instance 70 s after the job: a warm pool, reported with
    # what the pool is.
    [finding] = lint_paths(
        REAL / "ack-sagemaker-controller-describe-warmpool-inuse.json", select=["SM307"]
    )
    assert finding.line == line_of(finding, '"KeepAlivePeriodInSeconds"')
    assert "70 s: after the job, 1 ml.m4.xlarge instance stays" in finding.message
    assert finding.message.endswith("(warm pool InUse)")


def test_sm307_is_silent_on_a_real_pool_that_was_reused() -> None:
    # The pool did what it is for: the next job (ReusedByJob) started on its instance.
    assert (
        lint_paths(
            REAL / "ack-sagemaker-controller-describe-warmpool-reused.json", select=["SM307"]
        )
        == []
    )


def test_sm307_silent_on_a_real_job_without_warm_pool() -> None:
    path = REAL / "ack-sagemaker-controller-describe-completed.json"
    assert lint_paths(path, select=["SM307"]) == []


# --- SM308 completed-near-time-limit -----------------------------------------------------------


def near_limit(used: int | None, runtime: int = 3600) -> dict[str, Any]:
    job = clean_describe()
    job["StoppingCondition"] = {"MaxRuntimeInSeconds": runtime}
    job["TrainingTimeInSeconds"] = used
    job["BillableTimeInSeconds"] = used
    return job


def test_sm308_fires_on_a_completed_job_near_its_runtime(lint_doc: Lint) -> None:
    [finding] = lint_doc(near_limit(3400), select=["SM308"])
    assert (finding.rule, finding.severity) == ("SM308", "warning")
    assert finding.pointer == "/StoppingCondition/MaxRuntimeInSeconds"
    assert finding.line == line_of(finding, '"MaxRuntimeInSeconds"')
    assert "after 3,400 s (56.7 min) (TrainingTimeInSeconds), 94.4% of its MaxRuntimeInSeconds" in (
        finding.message
    )


def test_sm308_falls_back_on_the_training_times(lint_doc: Lint) -> None:
    # clean_describe trains 10:02:10.101 -> 11:02:10.101: 3,600 s, all of a 3,700 s limit
    job = near_limit(None, runtime=3700)
    [finding] = lint_doc(job, select=["SM308"])
    assert "after 3,600 s (60 min) (TrainingEndTime - TrainingStartTime), 97.3%" in (
        finding.message
    )


@pytest.mark.parametrize(
    ("used", "fires"),
    [(3240, True), (3239, False), (3600, True), (4000, True), (1, False)],
)
def test_sm308_threshold_is_90_percent(lint_doc: Lint, used: int, fires: bool) -> None:
    assert bool(lint_doc(near_limit(used), select=["SM308"])) is fires


def test_sm308_spot_interrupted_compares_with_the_wait_only(lint_doc: Lint) -> None:
    # 3,500 s of wall clock with an interruption: part of it was spent waiting for capacity,
    # so it says nothing sure about the 3,600 s run-time budget; it is far from the wait limit.
    job = spot(near_limit(3500))
    job["StoppingCondition"]["MaxWaitTimeInSeconds"] = 7200
    job["SecondaryStatusTransitions"].insert(3, {"Status": "Interrupted", "StartTime": None})
    assert lint_doc(job, select=["SM308"]) == []
    job["StoppingCondition"]["MaxWaitTimeInSeconds"] = 3800  # 92% of the wait limit
    [finding] = lint_doc(job, select=["SM308"])
    assert finding.pointer == "/StoppingCondition/MaxWaitTimeInSeconds"


def test_sm308_spot_without_interruption_compares_with_the_runtime(lint_doc: Lint) -> None:
    job = spot(near_limit(3500))
    job["StoppingCondition"]["MaxWaitTimeInSeconds"] = 7200
    [finding] = lint_doc(job, select=["SM308"])
    assert finding.pointer == "/StoppingCondition/MaxRuntimeInSeconds"
    del job["SecondaryStatusTransitions"]  # no history: an interruption cannot be ruled out
    assert lint_doc(job, select=["SM308"]) == []


@pytest.mark.parametrize(
    "changes",
    [
        {"TrainingJobStatus": "Stopped", "SecondaryStatus": "MaxRuntimeExceeded"},  # SM305's
        {"TrainingJobStatus": "InProgress", "SecondaryStatus": "Training"},
        {"TrainingTimeInSeconds": None, "TrainingEndTime": "2026-11-01T11:02:10.101"},  # naive
        {"TrainingTimeInSeconds": None, "TrainingEndTime": None},
        {"StoppingCondition": {}},
    ],
)
def test_sm308_near_misses(lint_doc: Lint, changes: dict[str, Any]) -> None:
    job = near_limit(3500)
    job.update(changes)
    assert lint_doc(job, select=["SM308"]) == []


@pytest.mark.parametrize(
    "name",
    [
        "ack-sagemaker-controller-describe-completed.json",  # 159 s of 86,400 s
        "bioimage-search-describe-spot-fsx-vpc-completed.json",  # spot: 37,026 s of 100,000 s
        "eventbridge-docs-training-state-change.json",  # start == end: 0 s of 60 s
    ],
)
def test_sm308_silent_on_real_completed_jobs(name: str) -> None:
    assert only(lint_paths(REAL / name, select=["SM308"]), "SM308") == []


# --- SM313 spot-wait-beyond-algorithm-limit ----------------------------------------

DIGEST = "@sha256:" + "8b3f2c1d0e9a7b6c" * 4
KMEANS = "382416733822.dkr.ecr.us-east-1.amazonaws.com/kmeans" + DIGEST
XGBOOST = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost" + DIGEST
MARKETPLACE = "arn:aws:sagemaker:us-east-1:865070037744:algorithm/scikit-decision-trees-1542"


def algorithm_spot(make: Callable[[], dict[str, Any]], wait: int = 7200, **algorithm: str) -> Any:
    job = spot(make(), wait=wait)
    job["StoppingCondition"]["MaxRuntimeInSeconds"] = min(wait, 86_400)
    job["AlgorithmSpecification"] = {"TrainingInputMode": "File", **algorithm}
    return job


@pytest.mark.parametrize("make", [clean_request, clean_describe])
def test_sm313_fires_on_a_built_in_algorithm_that_does_not_checkpoint(
    lint_doc: Lint, make: Callable[[], dict[str, Any]]
) -> None:
    job = algorithm_spot(make, TrainingImage=KMEANS)  # with a CheckpointConfig: no use to kmeans
    [finding] = only(lint_doc(job, select=["SM313"]), "SM313")
    assert finding.pointer == "/StoppingCondition/MaxWaitTimeInSeconds"
    assert finding.severity == "error"
    assert finding.message.startswith(
        "managed Spot training with the built-in algorithm kmeans, which does not checkpoint, "
        "is limited to a MaxWaitTimeInSeconds of 3,600 s (60 min), not 7,200 s (2 h)"
    )


def test_sm313_a_checkpointing_built_in_algorithm_needs_a_checkpoint_config(lint_doc: Lint) -> None:
    job = algorithm_spot(clean_request, TrainingImage=XGBOOST)
    assert only(lint_doc(job, select=["SM313"]), "SM313") == []
    del job["CheckpointConfig"]
    [finding] = only(lint_doc(job, select=["SM313", "SM304"]), "SM313")
    assert "sagemaker-xgboost without CheckpointConfig" in finding.message


def test_sm313_fires_on_a_marketplace_algorithm_without_checkpoints(lint_doc: Lint) -> None:
    job = algorithm_spot(clean_request, AlgorithmName=MARKETPLACE)
    del job["CheckpointConfig"]
    found = lint_doc(job, select=["SM313", "SM304"])
    assert [f.rule for f in found] == ["SM313"]  # and not SM304's advice to add checkpoints
    assert "an AWS Marketplace algorithm (account 865070037744)" in found[0].message


@pytest.mark.parametrize(
    ("wait", "algorithm"),
    [
        (3600, {"TrainingImage": KMEANS}),  # within the limit
        (7200, {"TrainingImage": KMEANS.replace("382416733822", "123456789012")}),  # own image
        (7200, {"TrainingImage": KMEANS.replace("us-east-1", "us-west-2")}),  # not AWS's there
        (7200, {"AlgorithmName": MARKETPLACE.replace("865070037744", "123456789012")}),  # own
        (7200, {"AlgorithmName": "my-algorithm"}),  # a name: the job's own account
    ],
)
def test_sm313_near_misses(lint_doc: Lint, wait: int, algorithm: dict[str, str]) -> None:
    job = algorithm_spot(clean_request, wait=wait, **algorithm)
    del job["CheckpointConfig"]
    assert only(lint_doc(job, select=["SM313"]), "SM313") == []


def test_sm304_leaves_built_in_algorithms_that_do_not_checkpoint_to_sm313(lint_doc: Lint) -> None:
    job = algorithm_spot(clean_request, TrainingImage=KMEANS)
    del job["CheckpointConfig"]
    assert [f.rule for f in lint_doc(job, select=["SM304", "SM313"])] == ["SM313"]
    job["AlgorithmSpecification"]["TrainingImage"] = XGBOOST  # checkpoints: SM304's advice too
    assert sorted(f.rule for f in lint_doc(job, select=["SM304", "SM313"])) == ["SM304", "SM313"]


# --- SM310 warm-pool-on-spot, SM311 warm-pool-with-instance-groups, SM312 warm-pool-never-reused ---


def warm_pool(make: Callable[[], dict[str, Any]], period: int = 1800) -> dict[str, Any]:
    job = make()
    job["ResourceConfig"]["KeepAlivePeriodInSeconds"] = period
    return job


@pytest.mark.parametrize("make", [clean_request, clean_describe])
def test_sm310_fires_on_a_warm_pool_on_spot_and_sm307_leaves_it(
    lint_doc: Lint, make: Callable[[], dict[str, Any]]
) -> None:
    job = spot(warm_pool(make))
    found = lint_doc(job, select=["SM307", "SM310"])
    assert [(f.rule, f.pointer, f.severity) for f in found] == [
        ("SM310", "/ResourceConfig/KeepAlivePeriodInSeconds", "error")
    ]
    assert "warm pools cannot be used with spot instances" in found[0].message


def test_sm311_fires_on_a_warm_pool_with_instance_groups_and_sm307_leaves_it(
    lint_doc: Lint,
) -> None:
    job = warm_pool(clean_request)
    resources = job["ResourceConfig"]
    del resources["InstanceType"], resources["InstanceCount"]
    resources["InstanceGroups"] = [
        {"InstanceGroupName": "a", "InstanceType": "ml.m5.xlarge", "InstanceCount": 2},
        {"InstanceGroupName": "b", "InstanceType": "ml.c5.xlarge", "InstanceCount": 1},
    ]
    assert [f.rule for f in lint_doc(job, select=["SM307", "SM311"])] == ["SM311"]


@pytest.mark.parametrize("period", [0, None])
def test_sm310_and_sm311_need_a_warm_pool(lint_doc: Lint, period: int | None) -> None:
    job = spot(clean_request())
    if period is not None:
        job["ResourceConfig"]["KeepAlivePeriodInSeconds"] = period
    assert lint_doc(job, select=["SM310", "SM311"]) == []


def terminated(retained: int | None = 1800, reused: str | None = None) -> dict[str, Any]:
    job = warm_pool(clean_describe)
    job["ResourceConfig"]["InstanceCount"] = 2
    status: dict[str, Any] = {"Status": "Terminated"}
    if retained is not None:
        status["ResourceRetainedBillableTimeInSeconds"] = retained
    if reused is not None:
        status["ReusedByJob"] = reused
    job["WarmPoolStatus"] = status
    return job


def test_sm312_says_what_an_idle_pool_was_billed_and_sm307_leaves_it(lint_doc: Lint) -> None:
    found = lint_doc(terminated(), select=["SM307", "SM312"])
    assert [(f.rule, f.pointer) for f in found] == [("SM312", "/WarmPoolStatus")]
    assert found[0].message == (
        "the warm pool ended Terminated without a job reusing it, after 1,800 s (30 min) "
        "retained on 2 instances: 3,600 s (60 min) of instance time billed idle"
    )


@pytest.mark.parametrize(
    "job",
    [
        terminated(reused="next-job"),
        terminated(retained=0),
        terminated(retained=None),
        {**terminated(), "WarmPoolStatus": {"Status": "Available"}},
    ],
    ids=["reused", "nothing billed", "billing unknown", "still available"],
)
def test_sm312_near_misses(lint_doc: Lint, job: dict[str, Any]) -> None:
    assert only(lint_doc(job, select=["SM312"]), "SM312") == []


def test_sm312_is_silent_on_the_real_pools() -> None:
    for name in ("inuse", "reused"):
        path = REAL / f"ack-sagemaker-controller-describe-warmpool-{name}.json"
        assert lint_paths(path, select=["SM312"]) == []


# --- SM314 slow-file-mode-download, SM315 slow-compressed-upload --------------------------------


def with_steps(*steps: tuple[str, str, str | None], used: int = 3600) -> dict[str, Any]:
    """A described job whose transitions are (status, start, end) on 2026-11-01 (HH:MM)."""
    job = clean_describe()
    job["TrainingTimeInSeconds"] = used
    job["SecondaryStatusTransitions"] = [
        {"Status": status, "StartTime": f"2026-11-01T{start}:00Z"}
        | ({"EndTime": f"2026-11-01T{end}:00Z"} if end else {})
        for status, start, end in steps
    ]
    return job


def test_sm314_fires_on_a_long_file_mode_download(lint_doc: Lint) -> None:
    job = with_steps(
        ("Starting", "10:00", "10:02"),
        ("Downloading", "10:02", "10:20"),
        ("Training", "10:20", "11:00"),
    )
    [finding] = only(lint_doc(job, select=["SM314"]), "SM314")
    assert finding.pointer == "/SecondaryStatusTransitions/1"
    assert finding.message.startswith(
        "the job spent 1,080 s (18 min) downloading its data in File mode, 30% of its training "
        "time of 3,600 s (60 min) (TrainingTimeInSeconds)"
    )


@pytest.mark.parametrize(
    ("steps", "mode"),
    [
        ((("Downloading", "10:02", "10:11"),), "File"),  # 9 minutes: under 10
        ((("Downloading", "10:00", "10:15"),), "FastFile"),  # nothing is downloaded first
        ((("Downloading", "10:00", "10:15"),), "{{ mode }}"),  # unknown
        ((("Downloading", "10:02", None),), "File"),  # still downloading: no end yet
    ],
)
def test_sm314_near_misses(lint_doc: Lint, steps: Any, mode: str) -> None:
    job = with_steps(*steps)
    job["AlgorithmSpecification"]["TrainingInputMode"] = mode
    assert only(lint_doc(job, select=["SM314"]), "SM314") == []


def test_sm314_wants_a_fifth_of_the_training_time(lint_doc: Lint) -> None:
    job = with_steps(("Downloading", "10:00", "10:15"), used=6 * 3600)  # 15 min of 6 h
    assert only(lint_doc(job, select=["SM314"]), "SM314") == []


@pytest.mark.parametrize(("compression", "fires"), [(None, True), ("GZIP", True), ("NONE", False)])
def test_sm315_fires_on_a_long_compressed_upload(
    lint_doc: Lint, compression: str | None, fires: bool
) -> None:
    job = with_steps(("Training", "10:00", "10:40"), ("Uploading", "10:40", "11:05"))
    if compression is not None:
        job["OutputDataConfig"]["CompressionType"] = compression
    found = only(lint_doc(job, select=["SM315"]), "SM315")
    assert bool(found) is fires
    if fires:
        assert found[0].pointer == "/SecondaryStatusTransitions/1"
        assert "spent 1,500 s (25 min) uploading its model with CompressionType" in found[0].message


def test_sm314_and_sm315_are_silent_on_the_real_jobs() -> None:
    assert lint_paths(REAL, select=["SM314", "SM315"]) == []


# --- SM316 long-job-without-retries -------------------------------------------------------------


@pytest.mark.parametrize(
    ("stopping", "instances", "words"),
    [
        ({"MaxRuntimeInSeconds": 172_800}, 1, "may run 172,800 s (2 days) without"),
        ({}, 1, "may run the default 86,400 s (24 h) without"),
        ({"MaxRuntimeInSeconds": 3600}, 8, "runs on 8 instances without"),
    ],
)
def test_sm316_fires_on_a_long_or_large_job_without_retries(
    lint_doc: Lint, stopping: dict[str, int], instances: int, words: str
) -> None:
    job = clean_request()
    del job["RetryStrategy"]
    job["StoppingCondition"] = stopping
    job["ResourceConfig"]["InstanceCount"] = instances
    [finding] = only(lint_doc(job, select=["SM316"]), "SM316")
    assert (finding.severity, finding.pointer) == ("info", "")
    assert words in finding.message


@pytest.mark.parametrize(
    "change",
    [
        {"StoppingCondition": {"MaxRuntimeInSeconds": 3600}},
        {"StoppingCondition": {"MaxRuntimeInSeconds.$": "$.runtime"}},
        {"RetryStrategy": {"MaximumRetryAttempts": 1}},
    ],
)
def test_sm316_near_misses(lint_doc: Lint, change: dict[str, Any]) -> None:
    job = clean_request()
    del job["RetryStrategy"]
    job.update(change)
    assert only(lint_doc(job, select=["SM316"]), "SM316") == []
