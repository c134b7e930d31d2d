"""SM314 slow-file-mode-download: a File-mode job that spent 10 minutes or more, and a fifth or
more of its training time, downloading its data.
"""

from __future__ import annotations

from collections.abc import Iterator

from sagelint.job import Job, pointer
from sagelint.rule_api import Violation, rule
from sagelint.rules._facts import MODEL_DOCS, channels, effective_input_mode
from sagelint.rules._format import duration
from sagelint.rules._timestamps import step_times, training_time

SLOW_SECONDS = 600
SLOW_SHARE = 0.2
INPUT_MODES_DOCS = "https://docs.aws.amazon.com/sagemaker/latest/dg/model-access-training-data.html"


@rule(
    code="SM314",
    name="slow-file-mode-download",
    severity="warning",
    summary="a File-mode job spent 10 minutes or more, and a fifth or more of its training "
    "time, downloading its data",
    kinds=("describe",),
    references=(
        f"{MODEL_DOCS}: SecondaryStatusTransition.Status",
        f"{MODEL_DOCS}: AlgorithmSpecification.TrainingInputMode",
        INPUT_MODES_DOCS,
    ),
)
def slow_file_mode_download(job: Job) -> Iterator[Violation]:
    """
    ## What it does
    On a DescribeTrainingJob response with a channel in File mode (its own `InputMode`, else
    `AlgorithmSpecification.TrainingInputMode`), adds up the `Downloading` steps of
    `SecondaryStatusTransitions` (each from its `StartTime` to its `EndTime`) and reports them
    when they took 10 minutes or more and 20% or more of the job's training time
    (`TrainingTimeInSeconds`, else `TrainingEndTime - TrainingStartTime`). The two thresholds
    are sagelint's: AWS gives none.

    ## Why is this bad?
    The model docs of `SecondaryStatusTransition.Status`: "Downloading - An optional stage for
    algorithms that support File training input mode. It indicates that data is being
    downloaded to the ML storage volumes." The developer guide on input modes: in File mode
    "Training starts after the full dataset has been downloaded", and "File mode download speed
    depends on the size of dataset, the average size of files, and the number of files"; while
    "At the start of training, fast file mode identifies the data files but does not download
    them. Training can start without waiting for the entire dataset to download", and pipe mode
    "can provide faster start times and better throughput than file mode". Every minute spent
    downloading is billed on every instance, and is spent again by every run.

    ## Example
    ```json
    {"TrainingTimeInSeconds": 3600,
     "SecondaryStatusTransitions": [
       {"Status":"Starting","StartTime":"2026-11-01T10:00:00Z","EndTime":"2026-11-01T10:02:00Z"},
       {"Status":"Downloading","StartTime":"2026-11-01T10:02:00Z","EndTime":"2026-11-01T10:20:00Z"},
       {"Status":"Training","StartTime":"2026-11-01T10:20:00Z","EndTime":"2026-11-01T11:00:00Z"},
       {"Status":"Uploading","StartTime":"2026-11-01T11:00:00Z","EndTime":"2026-11-01T11:01:00Z"},
       {"Status":"Completed","StartTime":"2026-11-01T11:01:00Z"}]}
    ```

    ## How to fix
    Read the data in FastFile mode (`"TrainingInputMode": "FastFile"`; best when read
    sequentially; the model: "Augmented manifest files aren't supported"), or in Pipe mode;
    or make fewer, larger objects, which File mode downloads faster:
    ```json
    {"AlgorithmSpecification": {
       "TrainingImage":"123456789012.dkr.ecr.us-east-1.amazonaws.com/train@sha256:0f5a1c5d8e8f6b1ad3a0a4e3c0bd5d6c",
       "TrainingInputMode": "FastFile"}}
    ```
    """
    if not any(effective_input_mode(job, channel) == "File" for _, channel in channels(job)):
        return
    steps = step_times(job, "Downloading")
    used = training_time(job)
    if not steps or used is None or used[0] <= 0:
        return
    seconds = sum(taken for _, taken in steps)
    if seconds < SLOW_SECONDS or seconds < SLOW_SHARE * used[0]:
        return
    yield Violation(
        pointer("SecondaryStatusTransitions", steps[0][0]),
        f"the job spent {duration(seconds)} downloading its data in File mode, "
        f"{seconds / used[0]:.0%} of its training time of {duration(used[0])} ({used[1]}); "
        "FastFile or Pipe mode starts training without waiting for the whole download",
    )
