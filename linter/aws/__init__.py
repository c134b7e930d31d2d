"""The AWS layer: ``sagelint audit`` (training jobs read live from AWS) and ``sagelint lint --s3``
(saved jobs with their S3 data listed). It sits beside the loaders: it reads jobs and builds
documents for the engine, and never imports the rules: it lists S3 for the S3-aware rules the
linter it is given enables (their ``listings``).

- :mod:`~sagelint.aws.options`: :class:`AuditOptions`, :func:`parse_since`, :class:`AuditError`
- :mod:`~sagelint.aws.audit`: the orchestration (threads, targets, outcomes): :func:`audit`,
  :func:`audit_documents`
- :mod:`~sagelint.aws.lint_s3`: :func:`lint_with_s3`
- :mod:`~sagelint.aws.connect`: sessions, clients, accounts (an organization's too) and regions
- :mod:`~sagelint.aws.fetch`: Search, ListTrainingJobs, DescribeTrainingJob, ListTags
- :mod:`~sagelint.aws.s3`: the S3 listings of channel data
- :mod:`~sagelint.aws.errors`: AWS errors in one line
- :mod:`~sagelint.aws.cache`, :mod:`~sagelint.aws.save`, :mod:`~sagelint.aws.progress`:
  ``--cache``, ``--save`` and the progress line

boto3 is imported only inside the functions that talk to AWS.
"""

from sagelint.aws.audit import audit, audit_documents
from sagelint.aws.cache import AuditCache, CachedJob
from sagelint.aws.connect import DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT
from sagelint.aws.lint_s3 import lint_with_s3
from sagelint.aws.options import AuditError, AuditOptions, parse_since
from sagelint.aws.s3 import DEFAULT_S3_MAX_OBJECTS

__all__ = [
    "DEFAULT_CONCURRENCY",
    "DEFAULT_S3_MAX_OBJECTS",
    "DEFAULT_TIMEOUT",
    "AuditCache",
    "AuditError",
    "AuditOptions",
    "CachedJob",
    "audit",
    "audit_documents",
    "lint_with_s3",
    "parse_since",
]
