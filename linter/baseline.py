"""Baselines: today's findings recorded, so that a run reports only the new ones.

A finding is known by its fingerprint (rule, job, JSON pointer: see
:meth:`sagelint.findings.Finding.fingerprint`), which survives reformatting the file or
reordering its keys. The file also keeps rule, job, path and pointer so that a reviewer can
read it; only the fingerprints count.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from sagelint import __version__
from sagelint.findings import Finding
from sagelint.load.files import read_regular_file

FORMAT = 1
MAX_BASELINE_SIZE = 1 << 30  # bytes; a baseline of a million findings is about 300 MB


class BaselineError(ValueError):
    """A baseline file that cannot be read or written; the message names it."""


def _reason(error: OSError) -> str:
    return (error.strerror or str(error)).lower()


def write_baseline(path: str | Path, findings: Iterable[Finding]) -> None:
    entries = sorted(
        (
            {
                "fingerprint": f.fingerprint(),
                "rule": f.rule,
                "job": f.job,
                "path": f.path,
                "pointer": f.pointer,
            }
            for f in findings
        ),
        key=lambda e: (str(e["path"]), str(e["job"]), str(e["rule"]), str(e["pointer"])),
    )
    document = {"sagelint-baseline": FORMAT, "version": __version__, "findings": entries}
    try:
        Path(path).write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    except OSError as error:
        raise BaselineError(f"{path}: cannot write baseline: {_reason(error)}") from None


def check_writable(path: str) -> None:
    """Raise BaselineError when a baseline cannot be written at ``path``: said before the run,
    not after it."""
    folder = Path(path).absolute().parent
    if not folder.is_dir():
        raise BaselineError(f"{path}: cannot write baseline: no folder {folder}")
    if Path(path).is_dir():
        raise BaselineError(f"{path}: cannot write baseline: it is a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise BaselineError(f"{path}: cannot write baseline: permission denied")


def read_baseline(path: str | Path) -> Counter[str]:
    """The fingerprints of a baseline file, counted (the same finding may be known twice)."""
    try:
        document = json.loads(read_regular_file(os.fspath(path), MAX_BASELINE_SIZE))
    except OSError as error:
        raise BaselineError(f"{path}: cannot read baseline: {_reason(error)}") from None
    except RecursionError:
        raise BaselineError(f"{path}: not a sagelint baseline: nested too deeply") from None
    except ValueError as error:  # not JSON, or not UTF-8
        raise BaselineError(f"{path}: not a sagelint baseline: {error}") from None
    if not isinstance(document, dict) or document.get("sagelint-baseline") != FORMAT:
        raise BaselineError(f"{path}: not a sagelint baseline (written by --write-baseline)")
    entries = document.get("findings")
    if not isinstance(entries, list) or not all(
        isinstance(e, dict) and isinstance(e.get("fingerprint"), str) for e in entries
    ):
        raise BaselineError(f"{path}: a baseline's findings need a fingerprint each")
    return Counter(e["fingerprint"] for e in entries)
