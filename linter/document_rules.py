"""SM0xx: the rules problems with the input itself are reported under.

The loaders, the schema validator, the AWS fetch and the engine emit these (they have no check
function), so they live here, below everything that emits them; :mod:`sagelint.rules` lists them
with the other families. SM000-SM004 are input errors: they are always reported, whatever is
selected, and make the run exit with 2 because the input could not be checked. SM005 (a key
given twice) is a warning the loaders find while parsing: it goes with its document.
"""

from __future__ import annotations

from sagelint.rule_api import Rule

SCHEMA_SOURCE = (
    "botocore's SageMaker service model (botocore/data/sagemaker/2017-07-24/service-2.json), "
    "shapes DescribeTrainingJobResponse and CreateTrainingJobRequest"
)

INTERNAL_ERROR = Rule(
    code="SM000",
    name="internal-error",
    severity="error",
    summary="a check failed with an internal error on this job",
    doc="""
    ## What it does
    Reports a bug in sagelint: a check raised an exception on this document. The run goes on
    with the other documents and exits with 2.

    ## Why is this bad?
    The job was not fully checked, so its other findings may be incomplete.

    ## Example
    ```console
    jobs/train.json:1:1: SM000 [error] internal error (TypeError) while checking this job;
    please report it (train)
    ```

    ## How to fix
    Report it with the document (mask secrets first). Meanwhile `--ignore` the rule named in
    the message if the rest of the run matters more.
    """,
)

UNREADABLE_FILE = Rule(
    code="SM001",
    name="unreadable-file",
    severity="error",
    summary="a path cannot be read as text",
    doc="""
    ## What it does
    Reports a path that does not exist or cannot be read, a folder with no job files in it or
    that cannot be read, a job-named path that is not a regular file (a FIFO or a device: it is
    not read, so it cannot block the run), a binary file, a file that is not UTF-8 (or UTF-16
    with a byte-order mark), or a document (a line of JSON Lines) larger than
    `--max-document-size`.

    ## Why is this bad?
    Nothing in it could be checked, so a policy that relies on sagelint would pass it unseen.

    ## Example
    ```console
    $ sagelint lint jobs/model.tar.gz
    jobs/model.tar.gz:1:1: SM001 [error] binary file (contains NUL bytes), not a job document
    ```

    ## How to fix
    Pass only job documents (`*.json`, `*.jsonl`, `*.yaml`, `*.yml`), or raise
    `--max-document-size` for a legitimately large array of jobs.
    """,
)

INVALID_SYNTAX = Rule(
    code="SM002",
    name="invalid-syntax",
    severity="error",
    summary="a file is not valid JSON or YAML",
    doc="""
    ## What it does
    Reports malformed JSON or YAML (with the line and column of the problem), an empty file, a
    bad line of a JSON Lines file, a YAML value its tag cannot be built from (`!!int abc`, an
    unknown `!tag`), an integer with more digits than Python converts, and documents nested too
    deeply to be job documents. The message says where and what, never quotes the text, which
    may hold a secret. After 20 input errors in a file, one line counts the others.

    ## Why is this bad?
    AWS would reject the file as a `--cli-input-json` spec, and sagelint cannot check it.

    ## Example
    ```json
    {"TrainingJobName": "train", }
    ```

    ## How to fix
    Fix the syntax at the reported position (`python -m json.tool FILE` shows it too).
    """,
)

NOT_A_TRAINING_JOB = Rule(
    code="SM003",
    name="not-a-training-job",
    severity="error",
    summary="a document is not a training job",
    doc="""
    ## What it does
    Reports a document that is none of what sagelint reads: a DescribeTrainingJob response, a
    CreateTrainingJob request, an EventBridge "SageMaker Training Job State Change" event, or
    an array or JSON Lines file of them.

    ## Why is this bad?
    A file passed to sagelint that holds no job is usually a mistake in the paths or in the
    pre-commit `files:` pattern, and it would otherwise pass unchecked.

    ## Example
    ```json
    {"Name": "not a job"}
    ```

    ## How to fix
    Point sagelint at job documents only (narrow the `files:` pattern of the pre-commit hook).
    """,
)

AWS_ERROR = Rule(
    code="SM004",
    name="aws-error",
    severity="error",
    summary="AWS refused or failed a call, so jobs went unchecked",
    doc="""
    ## What it does
    Reports, once per account, region or job, an AWS error that kept `sagelint audit` (or
    `lint --s3`) from reading what it needed: AccessDenied, a region that is not enabled, a
    timeout, throttling that outlasted the retries. The audit goes on with everything else and
    exits with 2.

    ## Why is this bad?
    The jobs behind the error were not checked, so a clean report would be a false assurance.

    ## Example
    ```console
    arn:aws:sagemaker:eu-south-2:111122223333:*:1:1: SM004 [error] AccessDeniedException:
    not authorized to perform sagemaker:ListTrainingJobs
    ```

    ## How to fix
    Grant the read-only permissions listed in the README, enable the region, or leave it out
    with `--region`.
    """,
)

DUPLICATE_KEY = Rule(
    code="SM005",
    name="duplicate-key",
    severity="warning",
    summary="a key is given twice in the same object",
    doc="""
    ## What it does
    Reports a key that a JSON or YAML object of a job document gives more than once, at the
    second (and any later) occurrence, with the position of the first in the message. A key of
    `HyperParameters` or `Environment` that looks like a secret is not named.

    ## Why is this bad?
    Parsers keep only the last value, silently: the first one, which a reviewer may have read,
    is not what runs. In a request spec two `InstanceType`s are ambiguous, and another tool
    reading the same file may keep the first.

    ## Example
    ```json
    {"ResourceConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1,
                        "InstanceType": "ml.p4d.24xlarge"}}
    ```

    ## How to fix
    Keep one of them: the one you mean.
    """,
)

SCHEMA_VIOLATION = Rule(
    code="SM010",
    name="schema-violation",
    severity="error",
    summary="a value breaks the documented API shape",
    references=(SCHEMA_SOURCE,),
    doc="""
    ## What it does
    Validates the document against the JSON Schema in `schemas/`, generated from botocore's
    SageMaker service model: types, required members, enumerations, ranges, lengths and
    patterns. Explicit `null`s count as absent (SDK dumps write them for unset fields), and
    timestamps may be ISO-8601 strings or epoch seconds/milliseconds, as AWS's tools print them.

    ## Why is this bad?
    SageMaker rejects a CreateTrainingJob request that breaks the shape with a
    `ValidationException`; in a saved DescribeTrainingJob response it means the file was edited
    or corrupted.

    ## Example
    ```json
    {"StoppingCondition": {"MaxRuntimeInSeconds": 0}}
    ```

    ## How to fix
    Use a value the API accepts; the message says which.
    """,
)

UNKNOWN_FIELD = Rule(
    code="SM011",
    name="unknown-field",
    severity="warning",
    summary="a field the service model does not know",
    references=(SCHEMA_SOURCE,),
    doc="""
    ## What it does
    Reports a member that the API shape does not have, e.g. a misspelt `InstanceTyp`.

    ## Why is this bad?
    In a request spec AWS rejects unknown members, and a misspelt optional member silently
    leaves the setting at its default. It is only a warning because AWS adds members to
    responses often, before the pinned service model knows them.

    ## Example
    ```json
    {"ResourceConfig": {"InstanceTyp": "ml.m5.xlarge"}}
    ```

    ## How to fix
    Correct the spelling, or remove the member.
    """,
)

UNKNOWN_ENUM_VALUE = Rule(
    code="SM012",
    name="unknown-enum-value",
    severity="warning",
    summary="a value of an often-extended enumeration that the model does not know yet",
    references=(SCHEMA_SOURCE,),
    doc="""
    ## What it does
    Reports a value of an enumeration that AWS extends often (instance types, secondary
    statuses) that the pinned service model does not list.

    ## Why is this bad?
    It is either a typo (`ml.m5.xlage`), which AWS rejects, or a value newer than the model,
    which is fine: hence a warning, not an error.

    ## Example
    ```json
    {"ResourceConfig": {"InstanceType": "ml.m5.xlage", "InstanceCount": 1, "VolumeSizeInGB": 50,
                        "VolumeKmsKeyId": "arn:aws:kms:us-east-1:123456789012:key/1234abcd"}}
    ```

    ## How to fix
    Check the spelling against the SageMaker pricing page; ignore the finding for a brand-new
    value.
    """,
)


# Problems with the input itself: always reported, whatever is selected or suppressed, and they
# make the run exit with 2 (the input could not be checked), not 1.
INPUT_ERRORS: frozenset[Rule] = frozenset(
    {INTERNAL_ERROR, UNREADABLE_FILE, INVALID_SYNTAX, NOT_A_TRAINING_JOB, AWS_ERROR}
)
INPUT_ERROR_CODES: frozenset[str] = frozenset(rule.code for rule in INPUT_ERRORS)
SCHEMA_RULES: tuple[Rule, ...] = (SCHEMA_VIOLATION, UNKNOWN_FIELD, UNKNOWN_ENUM_VALUE)
DOCUMENT_RULES: tuple[Rule, ...] = (
    INTERNAL_ERROR,
    UNREADABLE_FILE,
    INVALID_SYNTAX,
    NOT_A_TRAINING_JOB,
    AWS_ERROR,
    DUPLICATE_KEY,
    *SCHEMA_RULES,
)
