"""The real corpus (tests/data/real, see its PROVENANCE.md), linted with every rule.

Each finding below was checked by hand against the document and AWS's documented behaviour
(2026-11-27), then pinned; a change in what sagelint reports on real documents must be
reviewed here. Why the less obvious ones are right:

- SM101/SM102/SM103/SM104/SM501 are hardening findings and true of these jobs: empty or absent
  KmsKeyId, no VolumeKmsKeyId on EBS instance types (ml.m4, ml.c4, ml.c5, ml.m5, ml.p3), no
  VpcConfig (the bioimage job has one), network isolation off, images by tag (`xgboost:latest`).
- SM105: jobs with 2-4 instances and inter-container encryption not set (never on one instance).
- SM307: the ACK warm-pool job in use keeps its instance 70 s after the job (billed); not the
  one whose pool was Reused (2026-12-05: the pool did what it is for, ReusedByJob names the
  next job).
- SM316 (info, 2026-12-05): none of these jobs has a RetryStrategy, and each may run a day or
  more (MaxRuntimeInSeconds of 86,400 s, the SDK's default, or 100,000 s); the jobs limited to
  60 s or an hour on one instance are not reported.
- SM210 (2026-12-05): AWS's Step Functions "preprocess feature transform" sample trains on the
  whole bucket (`S3Uri: s3://featuretransform-bucket...`, an S3Prefix) and writes its models to
  `s3://featuretransform-bucket.../models` in it: a second run trains on the first's model.
- SM304: the bioimage job is a 10-hour managed spot job without CheckpointConfig.
- SM204 (info): the Step Functions samples shard their train channel across one instance.
- SM010 on the EventBridge sample: AWS's documented event uses placeholders
  (`"TrainingInputMode": "TrainingInputMode"`), which are not valid values; SM012 for its
  placeholder instance type. SM010 on the Step Functions sample's RoleArn: its account id has 10
  digits, which SageMaker rejects.
- Not reported, rightly: SM401 on the Stopping jobs (AWS reports Stopping with secondary
  Starting), SM404 on naive or millisecond timestamps, SM106 on XGBoost and SDK
  hyperparameters, SM303 on the bioimage spot job (its MaxWait equals MaxRuntime).
"""

from __future__ import annotations

import json

from tests.conftest import REAL, cli

PINNED: dict[str, set[tuple[str, str]]] = {
    "ack-sagemaker-controller-describe-completed.json": {
        ("SM101", "/OutputDataConfig/KmsKeyId"),
        ("SM102", "/ResourceConfig"),
        ("SM103", ""),
        ("SM104", "/EnableNetworkIsolation"),
        ("SM316", ""),
        ("SM501", "/AlgorithmSpecification/TrainingImage"),
    },
    "ack-sagemaker-controller-describe-inprogress-debugger.json": {
        ("SM101", "/OutputDataConfig/KmsKeyId"),
        ("SM102", "/ResourceConfig"),
        ("SM103", ""),
        ("SM104", "/EnableNetworkIsolation"),
        ("SM316", ""),
        ("SM501", "/AlgorithmSpecification/TrainingImage"),
    },
    "ack-sagemaker-controller-describe-inprogress-instance-groups.json": {
        ("SM101", "/OutputDataConfig/KmsKeyId"),
        ("SM102", "/ResourceConfig"),
        ("SM103", ""),
        ("SM104", "/EnableNetworkIsolation"),
        ("SM105", "/EnableInterContainerTrafficEncryption"),
        ("SM501", "/AlgorithmSpecification/TrainingImage"),
    },
    "ack-sagemaker-controller-describe-stopping.json": {
        ("SM101", "/OutputDataConfig/KmsKeyId"),
        ("SM102", "/ResourceConfig"),
        ("SM103", ""),
        ("SM104", "/EnableNetworkIsolation"),
        ("SM316", ""),
        ("SM501", "/AlgorithmSpecification/TrainingImage"),
    },
    "ack-sagemaker-controller-describe-warmpool-inuse.json": {
        ("SM101", "/OutputDataConfig/KmsKeyId"),
        ("SM102", "/ResourceConfig"),
        ("SM103", ""),
        ("SM104", "/EnableNetworkIsolation"),
        ("SM307", "/ResourceConfig/KeepAlivePeriodInSeconds"),
        ("SM316", ""),
        ("SM501", "/AlgorithmSpecification/TrainingImage"),
    },
    "ack-sagemaker-controller-describe-warmpool-reused.json": {
        ("SM101", "/OutputDataConfig/KmsKeyId"),
        ("SM102", "/ResourceConfig"),
        ("SM103", ""),
        ("SM104", "/EnableNetworkIsolation"),
        ("SM316", ""),
        ("SM501", "/AlgorithmSpecification/TrainingImage"),
    },
    "bioimage-search-describe-spot-fsx-vpc-completed.json": {
        ("SM101", "/OutputDataConfig/KmsKeyId"),
        ("SM102", "/ResourceConfig"),
        ("SM104", "/EnableNetworkIsolation"),
        ("SM304", "/EnableManagedSpotTraining"),
        ("SM316", ""),
        ("SM501", "/AlgorithmSpecification/TrainingImage"),
    },
    "c7n-placebo-test_sagemaker_training_job_query-describe.json": {
        ("SM101", "/OutputDataConfig/KmsKeyId"),
        ("SM102", "/ResourceConfig"),
        ("SM103", ""),
        ("SM104", ""),
        ("SM105", ""),
        ("SM501", "/AlgorithmSpecification/TrainingImage"),
    },
    "c7n-placebo-test_sagemaker_training_job_remove_tag-describe.json": {
        ("SM101", "/OutputDataConfig/KmsKeyId"),
        ("SM102", "/ResourceConfig"),
        ("SM103", ""),
        ("SM104", ""),
        ("SM105", ""),
        ("SM316", ""),
        ("SM501", "/AlgorithmSpecification/TrainingImage"),
    },
    "c7n-placebo-test_sagemaker_training_job_stop-describe-2-stopping.json": {
        ("SM101", "/OutputDataConfig/KmsKeyId"),
        ("SM102", "/ResourceConfig"),
        ("SM103", ""),
        ("SM104", ""),
        ("SM105", ""),
        ("SM316", ""),
        ("SM501", "/AlgorithmSpecification/TrainingImage"),
    },
    "cli-create-training-job-docs-debugger-aws-cli-test.json": {
        ("SM101", "/OutputDataConfig"),
        ("SM102", "/ResourceConfig"),
        ("SM103", ""),
        ("SM104", ""),
        ("SM316", ""),
        ("SM501", "/AlgorithmSpecification/TrainingImage"),
    },
    "eventbridge-docs-training-state-change.json": {
        ("SM010", "/AlgorithmSpecification/TrainingInputMode"),
        ("SM010", "/InputDataConfig/0/CompressionType"),
        ("SM010", "/InputDataConfig/0/DataSource/S3DataSource/S3DataDistributionType"),
        ("SM010", "/InputDataConfig/0/DataSource/S3DataSource/S3DataType"),
        ("SM010", "/InputDataConfig/0/DataSource/S3DataSource/S3Uri"),
        ("SM010", "/InputDataConfig/0/RecordWrapperType"),
        ("SM010", "/OutputDataConfig/S3OutputPath"),
        ("SM012", "/ResourceConfig/InstanceType"),
        ("SM103", "/VpcConfig"),
        ("SM104", ""),
        ("SM105", ""),
    },
    "sfn-create-training-job-docs-connect-sagemaker-search-model.json": {
        ("SM101", "/OutputDataConfig"),
        ("SM102", "/ResourceConfig"),
        ("SM103", ""),
        ("SM104", ""),
        ("SM105", ""),
        ("SM316", ""),
    },
    "sfn-create-training-job-docs-sample-preprocess-feature-transform.json": {
        ("SM010", "/RoleArn"),
        ("SM101", "/OutputDataConfig"),
        ("SM102", "/ResourceConfig"),
        ("SM103", ""),
        ("SM104", ""),
        ("SM204", "/InputDataConfig/0/DataSource/S3DataSource/S3DataDistributionType"),
        ("SM210", "/OutputDataConfig/S3OutputPath"),
        ("SM316", ""),
        ("SM501", "/AlgorithmSpecification/TrainingImage"),
    },
    "sfn-create-training-job-docs-sample-train-model.json": {
        ("SM101", "/OutputDataConfig"),
        ("SM102", "/ResourceConfig"),
        ("SM103", ""),
        ("SM104", ""),
        ("SM204", "/InputDataConfig/0/DataSource/S3DataSource/S3DataDistributionType"),
        ("SM316", ""),
        ("SM501", "/AlgorithmSpecification/TrainingImage"),
    },
}


def test_every_real_document_is_pinned() -> None:
    assert set(PINNED) <= {p.name for p in REAL.glob("*.json")}
    # documents with no finding at all would be listed here with an empty set
    assert {p.name for p in REAL.glob("*.json")} == set(PINNED)


def test_real_corpus_findings_are_the_pinned_ones() -> None:
    result = cli("lint", "--isolated", "--format", "json", str(REAL))
    report = json.loads(result.stdout)
    found: dict[str, set[tuple[str, str]]] = {}
    for finding in report["findings"]:
        name = finding["path"].rsplit("/", 1)[-1]
        found.setdefault(name, set()).add((finding["rule"], finding["pointer"]))
    assert found == PINNED
    assert report["summary"]["jobs"] == 15
    assert result.exit_code == 1  # the SM010 errors; no input error, no internal error
