"""moto, with SageMaker's Search of training jobs answered as AWS answers what the audit asks:
a page at a time, and with a tag filter (``Tags.KEY`` ``Exists`` or ``NotExists``).

moto 5.2 answers Search with every match in one page, whatever ``MaxResults`` says, building
the whole answer each time: 10,000 jobs make one answer of tens of megabytes, held at once and
waited for before the first job. AWS answers at most ``MaxResults`` (up to 100) records a call
with a ``NextToken`` (botocore's model of Search). And moto fails on a tag filter without a
``Value`` (a KeyError, answered as a server error), where AWS documents ``Exists`` as "the Name
property exists" and ``Tags.<key>`` as the form of a tag filter (the Filter page of the
SageMaker API reference). :func:`apply` makes moto's Search of training jobs, without filters
or with one such tag filter, do what AWS does, in the order moto keeps the jobs, which is the
order of its ListTrainingJobs (moto orders neither by ``SortBy``); other Searches are moto's
own. The tests' moto (tests/aws_moto.py ``aws_env``) and moto_server (tests/aws_servers.py,
``python tests/moto_search.py -H 127.0.0.1 -p PORT``) are patched so.
"""

from __future__ import annotations

import sys
from typing import Any

PAGE = 10  # Search's default MaxResults (botocore's model: 1 to 100)


def _tag_filter(expression: Any) -> tuple[str, bool] | None:
    """The tag key and whether it must exist, when ``expression`` is one such tag filter."""
    if not isinstance(expression, dict) or set(expression) != {"Filters"}:
        return None
    filters = expression["Filters"]
    if len(filters) != 1 or set(filters[0]) != {"Name", "Operator"}:
        return None
    name, operator = filters[0]["Name"], filters[0]["Operator"]
    if not name.startswith("Tags.") or operator not in ("Exists", "NotExists"):
        return None
    return name.removeprefix("Tags."), operator == "Exists"


def apply() -> None:
    """Patch moto's SageMaker responses (once: idempotent)."""
    from moto.core.responses import ActionResult
    from moto.sagemaker.responses import SageMakerResponse

    if getattr(SageMakerResponse.search, "as_aws", False):
        return
    whole = SageMakerResponse.search

    def search(self: Any) -> Any:
        expression = self._get_param("SearchExpression")
        tag = _tag_filter(expression)
        if self._get_param("Resource") != "TrainingJob" or (expression and tag is None):
            return whole(self)
        jobs = list(self.sagemaker_backend.training_jobs.values())
        if tag is not None:
            key, exists = tag
            jobs = [job for job in jobs if any(t["Key"] == key for t in job.tags) == exists]
        start = int(self._get_param("NextToken") or 0)
        end = start + int(self._get_param("MaxResults") or PAGE)
        page = [{"TrainingJob": job.gen_response_object()} for job in jobs[start:end]]
        return ActionResult({"Results": page, "NextToken": str(end) if end < len(jobs) else None})

    search.as_aws = True  # type: ignore[attr-defined]
    SageMakerResponse.search = search  # type: ignore[method-assign]


if __name__ == "__main__":
    from moto.server import main

    apply()
    main(sys.argv[1:])
