"""moto, with SageMaker's Search of training jobs answered a page at a time, as AWS answers it.

moto 5.2 answers Search with every match in one page, whatever ``MaxResults`` says, and builds
the whole answer each time: 10,000 jobs make one answer of tens of megabytes, which the client
holds at once and waits for before its first job. AWS answers at most ``MaxResults`` (up to
100) records a call with a ``NextToken`` (botocore's model of Search). :func:`apply` makes
moto's Search of training jobs without filters do that, in the order moto keeps the jobs,
which is the order of its ListTrainingJobs (moto orders neither by ``SortBy``); other Searches
are moto's own. The audit benchmark runs its moto server so (``python
tests/moto_search_pages.py -H 127.0.0.1 -p PORT``), and a test of the audit in-process.
"""

from __future__ import annotations

import sys
from typing import Any

PAGE = 10  # Search's default MaxResults (botocore's model: 1 to 100)


def apply() -> None:
    """Patch moto's SageMaker responses (idempotent)."""
    from moto.core.responses import ActionResult
    from moto.sagemaker.responses import SageMakerResponse

    if getattr(SageMakerResponse.search, "pages", False):
        return
    whole = SageMakerResponse.search

    def search(self: Any) -> Any:
        if self._get_param("Resource") != "TrainingJob" or self._get_param("SearchExpression"):
            return whole(self)
        jobs = list(self.sagemaker_backend.training_jobs.values())
        start = int(self._get_param("NextToken") or 0)
        end = start + int(self._get_param("MaxResults") or PAGE)
        page = [{"TrainingJob": job.gen_response_object()} for job in jobs[start:end]]
        return ActionResult({"Results": page, "NextToken": str(end) if end < len(jobs) else None})

    search.pages = True  # type: ignore[attr-defined]
    SageMakerResponse.search = search  # type: ignore[method-assign]


if __name__ == "__main__":
    from moto.server import main

    apply()
    main(sys.argv[1:])
