"""``sagelint audit --save DIR``: each described job written where ``sagelint lint DIR`` reads
it back, tags included."""

from __future__ import annotations

import json
from pathlib import Path

from sagelint.job import EVENT_DETAIL_TYPE
from sagelint.load.loaders import Document


class Saver:
    """``--save DIR``: each described job as ``DIR/ACCOUNT/REGION/JOB.json``, in the form of a
    "SageMaker Training Job State Change" event whose ``detail`` is the DescribeTrainingJob
    response plus the job's tags: ``sagelint lint DIR`` reads it back, tags included."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._made: set[Path] = set()

    def save(self, document: Document) -> None:
        job = document.job
        parts = document.path.split(":")
        region, account = (parts[3], parts[4]) if len(parts) > 5 else ("unknown", "unknown")
        folder = self.folder / account / region
        if folder not in self._made:
            folder.mkdir(parents=True, exist_ok=True)
            self._made.add(folder)
        detail = dict(job.data)
        if job.tags is not None:
            detail["Tags"] = dict(job.tags)
        event = {
            "version": "0",
            "detail-type": EVENT_DETAIL_TYPE,
            "source": "sagelint.audit",
            "account": account,
            "time": job.data.get("LastModifiedTime"),
            "region": region,
            "resources": [document.path],
            "detail": detail,
        }
        path = folder / f"{job.name or 'unnamed'}.json"
        temporary = path.with_name(f".{path.name}.tmp")
        temporary.write_text(json.dumps(event, indent=2) + "\n", encoding="utf-8")
        temporary.replace(path)
