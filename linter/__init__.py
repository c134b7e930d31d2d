"""sagelint: a policy linter for Amazon SageMaker training jobs.

The public API, for plugin rules and for programs that lint job documents::

    from sagelint import Job, Violation, pointer, rule

    @rule(code="ACME001", name="job-in-our-vpc", severity="error", summary="...")
    def job_in_our_vpc(job: Job) -> Iterator[Violation]:
        if not job.has("VpcConfig"):
            yield Violation(pointer("VpcConfig"), "the job runs outside our VPC")

and :func:`lint_paths` / :func:`lint_job` to lint files or a document in memory.
"""

__version__ = "0.1.0"

from sagelint.api import lint_job, lint_paths
from sagelint.engine import Linter, Options
from sagelint.findings import Finding
from sagelint.job import Job, pointer
from sagelint.rule_api import Rule, Violation, rule

__all__ = [
    "Finding",
    "Job",
    "Linter",
    "Options",
    "Rule",
    "Violation",
    "__version__",
    "lint_job",
    "lint_paths",
    "pointer",
    "rule",
]
