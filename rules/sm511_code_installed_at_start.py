"""SM511 code-installed-at-start: ContainerEntrypoint or ContainerArguments install or download
code when the container starts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from sagelint.job import Job, pointer
from sagelint.rule_api import Violation, rule
from sagelint.rules._facts import MODEL_DOCS

ISOLATION_DOCS = "https://docs.aws.amazon.com/sagemaker/latest/dg/mkt-algo-model-internet-free.html"
# What fetches code or packages from the network: installers, clones, downloads. (Each is a few
# fixed words: linear on any text.)
_FETCHES = re.compile(
    r"\b(?:(?P<pip>(?:python3?\s+-m\s+)?(?:uv\s+)?pip3?\s+install)"
    r"|(?P<conda>(?:conda|mamba|micromamba)\s+install)"
    r"|(?P<apt>apt(?:-get)?\s+install|yum\s+install|apk\s+add)"
    r"|(?P<git>git\s+clone)"
    r"|(?P<npm>npm\s+install)"
    r"|(?P<download>curl|wget))\b"
)


@rule(
    code="SM511",
    name="code-installed-at-start",
    severity="warning",
    summary="ContainerEntrypoint or ContainerArguments install or download code when the "
    "container starts",
    references=(
        f"{MODEL_DOCS}: AlgorithmSpecification.ContainerEntrypoint",
        f"{MODEL_DOCS}: AlgorithmSpecification.ContainerArguments",
        f"{MODEL_DOCS}: CreateTrainingJobRequest.EnableNetworkIsolation",
        ISOLATION_DOCS,
    ),
)
def code_installed_at_start(job: Job) -> Iterator[Violation]:
    """
    ## What it does
    Reads `AlgorithmSpecification.ContainerEntrypoint` and `ContainerArguments`, each list as
    the command line it runs (an exec-form list such as `["pip", "install", "torch"]` is one
    command), for a command that installs or fetches code from the network: `pip install`
    (also `python -m pip`, `uv pip`), `conda`/`mamba install`, `apt-get`/`yum install`, `apk
    add`, `npm install`, `git clone`, `curl`, `wget`. One finding per list, at the entry where
    the first such command starts; the message says whether network isolation will also stop
    it.

    ## Why is this bad?
    The model docs of `ContainerEntrypoint`: "The entrypoint script for a Docker container used
    to run a training job. This script takes precedence over the default train processing
    instructions." Code installed there is not part of the image: it is whatever the package
    index, the repository or the URL serves when the job starts (unpinned, unscanned, and
    different from one run to the next), each instance downloads it again on every start,
    and the job fails when the source is unreachable. With network isolation, it cannot be
    reached at all: the model docs of `EnableNetworkIsolation`: "Isolates the training
    container. No inbound or outbound network calls can be made", and the developer guide:
    "your training and inference containers can't make any outbound network calls to any
    service, including Amazon S3." That such commands are code to be installed is read from
    their words, an inference of sagelint's.

    ## Example
    ```json
    {"AlgorithmSpecification": {
       "TrainingImage":"123456789012.dkr.ecr.us-east-1.amazonaws.com/train@sha256:0f5a1c5d8e8f6b1ad3a0a4e3c0bd5d6c",
       "TrainingInputMode": "File",
       "ContainerEntrypoint": ["bash", "-c"],
       "ContainerArguments": ["pip install transformers==4.44.0 && python train.py"]}}
    ```

    ## How to fix
    Install what the job needs when the image is built (`RUN pip install ...` in its
    Dockerfile, versions pinned), and start the job with only the training command:
    ```json
    {"AlgorithmSpecification": {
       "TrainingImage":"123456789012.dkr.ecr.us-east-1.amazonaws.com/train@sha256:0f5a1c5d8e8f6b1ad3a0a4e3c0bd5d6c",
       "TrainingInputMode": "File",
       "ContainerEntrypoint": ["python", "train.py"]}}
    ```
    """
    isolated = job.flag("EnableNetworkIsolation") is True
    for member in ("ContainerEntrypoint", "ContainerArguments"):
        # The list as the command line it runs (exec form: ["pip", "install", "x"] is one
        # command); an entry that is not known text (a placeholder) joins nothing.
        entries = job.array("AlgorithmSpecification", member)
        texts = [job.text("AlgorithmSpecification", member, i) or "\0" for i in range(len(entries))]
        found = _FETCHES.search(" ".join(texts))
        if found is not None:
            index, end = 0, len(texts[0]) if texts else 0
            while end < found.start():
                index += 1
                end += 1 + len(texts[index])
            command = " ".join(found.group().split())
            outcome = (
                "and EnableNetworkIsolation is true, so the container cannot reach the network"
                if isolated
                else "and it fails if the network is isolated"
            )
            yield Violation(
                pointer("AlgorithmSpecification", member, index),
                f"{member} runs `{command}` when the container starts: the code it fetches is "
                f"not pinned by the image, {outcome}",
            )
