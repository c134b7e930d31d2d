"""Facts about training jobs that several rules share, each with its source."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from sagelint.job import Job

if TYPE_CHECKING:
    from typing import Any


def channels(job: Job) -> Iterator[tuple[int, Mapping[str, Any]]]:
    """(index, channel) of each input channel of ``InputDataConfig``."""
    for index, channel in enumerate(job.array("InputDataConfig")):
        if isinstance(channel, dict):
            yield index, channel


def effective_input_mode(job: Job, channel: Mapping[str, Any]) -> str | None:
    """A channel's input mode: its own ``InputMode``, else the job's ``TrainingInputMode``.

    Source: the model documentation of ``Channel.InputMode``: "Use this parameter to override the
    TrainingInputMode setting in AlgorithmSpecification request when you have a channel that needs
    a different input mode from the training job's general setting."
    """
    mode = channel.get("InputMode")
    if isinstance(mode, str):
        return mode
    return job.text("AlgorithmSpecification", "TrainingInputMode")


def instance_count(job: Job) -> int | None:
    """How many instances the job runs on: ``ResourceConfig.InstanceCount``, or the sum over
    ``ResourceConfig.InstanceGroups`` for a heterogeneous cluster (where ``InstanceCount`` may be
    absent or 0). None when the document does not say."""
    groups = [g for g in job.array("ResourceConfig", "InstanceGroups") if isinstance(g, dict)]
    counts = [g.get("InstanceCount") for g in groups]
    if groups and all(isinstance(c, int) and not isinstance(c, bool) for c in counts):
        return sum(counts)  # type: ignore[arg-type]
    return job.integer("ResourceConfig", "InstanceCount")
