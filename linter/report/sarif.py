"""``--format sarif``: one SARIF 2.1.0 log, for GitHub code scanning and other SARIF viewers.

Written to what GitHub documents it reads ("SARIF support for code scanning",
https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning):

- one run; ``tool.driver`` lists every rule (not only those with results), and each result
  names its rule by ``ruleId`` and by ``ruleIndex`` into that list;
- artifact URIs are relative to the repository root (the folder with ``.git`` above the current
  folder) with ``uriBaseId`` ``%SRCROOT%``, declared in ``originalUriBaseIds``; symlinks are
  resolved first, as GitHub asks;
- ``partialFingerprints.primaryLocationLineHash``, the only fingerprint GitHub matches alerts
  on, carries :meth:`Finding.fingerprint` (rule + job + JSON pointer) with an occurrence count,
  so an alert survives reformatting the file or reordering its keys. Left out, the
  ``upload-sarif`` action would hash the text of the reported line instead. (The action logs
  that our value differs from the hash it computed, and keeps ours.)
- no ``automationDetails``: the ``upload-sarif`` action sets it from its ``category`` input only
  when the run has none;
- at most 25,000 results (GitHub rejects a run with more): past that, the most severe are
  kept and a tool notification says how many were left out.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path, PurePath
from typing import IO, Any
from urllib.parse import quote

from sagelint import __version__
from sagelint.findings import SEVERITY_RANK, Finding
from sagelint.report import Summary, describe
from sagelint.rule_api import Rule

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SRCROOT = "%SRCROOT%"
MAX_RESULTS = 25_000  # GitHub rejects a run with more results
MAX_DESCRIPTION = 1024  # GitHub's limit for shortDescription and fullDescription
FINGERPRINT_KEY = "sagelintFingerprint/v1"  # Finding.fingerprint(), as --baseline records it

LEVELS = {"error": "error", "warning": "warning", "info": "note"}
PROBLEM_SEVERITIES = {"error": "error", "warning": "warning", "info": "recommendation"}
# GitHub: "over 9.0 is critical, from 7.0 to 8.9 is high, from 4.0 to 6.9 is medium and from 0.1
# to 3.9 is low"; by default a high or critical security alert fails the pull request check.
SECURITY_SEVERITIES = {"error": "8.0", "warning": "5.5", "info": "2.0"}
FAMILY_TAGS: dict[str, tuple[str, ...]] = {
    "SM0": ("input",),
    "SM1": ("security",),
    "SM2": ("reliability", "data-input"),
    "SM3": ("cost",),
    "SM4": ("reliability",),
    "SM5": ("security", "supply-chain"),
}
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")  # two letters at least: C:\ is a path
_SECTION = re.compile(r"^## (.+?)\s*$", re.MULTILINE)


def repository_root(start: Path | None = None) -> Path:
    """The nearest folder at or above ``start`` (the current folder) with a ``.git``, else it."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    return here


def is_file_path(path: str) -> bool:
    """False for what names no file: ``<stdin>`` and the like, an ARN, an ``s3://`` URI."""
    if path.startswith("<") and path.endswith(">"):
        return False
    if not _SCHEME.match(path):
        return True
    try:
        return Path(path).exists()  # a file called like a URI ("ab:c.json")
    except (OSError, ValueError):
        return False


def repository_path(path: str, root: Path) -> str | None:
    """``path`` relative to ``root`` in POSIX form, symlinks resolved; None when outside it."""
    try:
        return Path(path).resolve().relative_to(root).as_posix()
    except (ValueError, OSError, RuntimeError):
        return None


def artifact_location(path: str, root: Path) -> dict[str, str]:
    """A SARIF ``artifactLocation``: relative to ``%SRCROOT%`` when the file is in the repo.

    A file outside the repository gets an absolute ``file:`` URI (a relative reference without a
    base would be read as relative to the repository root); a name that is no file (``<stdin>``,
    an ARN) is kept as it is, percent-encoded where a URI needs it.
    """
    if not is_file_path(path):
        return {"uri": quote(os.fsencode(path), safe="/:@!$&'()*+,;=")}
    relative = repository_path(path, root)
    if relative is None:
        try:
            return {"uri": Path(path).resolve().as_uri()}
        except (ValueError, OSError, RuntimeError):
            return {"uri": quote(os.fsencode(PurePath(path).as_posix()), safe="/")}
    # os.fsencode: a file name that is not UTF-8 is percent-encoded byte for byte
    return {"uri": quote(os.fsencode(relative), safe="/"), "uriBaseId": SRCROOT}


def _folder_uri(folder: Path) -> str:
    uri = folder.as_uri()
    return uri if uri.endswith("/") else uri + "/"


def _information_uri() -> str | None:
    """The project's home page from the installed package metadata, if it declares one."""
    try:
        meta = metadata.metadata("sagelint")
    except metadata.PackageNotFoundError:
        return None
    urls = [entry.partition(",")[2].strip() for entry in meta.get_all("Project-URL") or []]
    urls += meta.get_all("Home-page") or []
    return next((url for url in urls if url.startswith(("https://", "http://"))), None)


def _sections(doc: str) -> dict[str, str]:
    """The rule doc's ``## Heading`` sections, each as one line of text."""
    parts = _SECTION.split(doc)
    return {
        title.strip().lower(): " ".join(body.split())
        for title, body in zip(parts[1::2], parts[2::2], strict=True)
    }


def _clip(text: str, limit: int = MAX_DESCRIPTION) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _sentence(text: str) -> str:
    text = text.strip()
    return f"{text[:1].upper()}{text[1:]}{'' if text.endswith('.') else '.'}"


def reporting_descriptor(rule: Rule) -> dict[str, Any]:
    sections = _sections(rule.doc)
    what, why = sections.get("what it does", ""), sections.get("why is this bad?", "")
    full = f"{what} {why}".strip() if len(what) + len(why) < MAX_DESCRIPTION else what
    markdown = rule.doc
    if rule.references:
        markdown += "\n\n## References\n" + "\n".join(f"- {ref}" for ref in rule.references)
    tags = list(FAMILY_TAGS.get(rule.family, ()))
    if rule.needs:
        tags.append("policy")
    properties: dict[str, Any] = {
        "tags": tags,
        "precision": "very-high",  # checks of documented fields, not heuristics
        "problem.severity": PROBLEM_SEVERITIES[rule.severity],
    }
    if "security" in tags:
        properties["security-severity"] = SECURITY_SEVERITIES[rule.severity]
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": _clip(_sentence(rule.summary))},
        "fullDescription": {"text": _clip(full or _sentence(rule.summary))},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "help": {"text": rule.doc or rule.summary, "markdown": markdown or rule.summary},
        "properties": properties,
    }


class SarifReporter:
    def __init__(self, stream: IO[str], rules: Sequence[Rule]) -> None:
        self._stream = stream
        self._rules = tuple(rules)
        self._findings: list[Finding] = []
        self._cwd = Path.cwd().resolve()
        self._root = repository_root(self._cwd)

    def finding(self, finding: Finding) -> None:
        self._findings.append(finding)

    def finish(self, summary: Summary) -> None:
        json.dump(self.log(summary), self._stream, indent=2)
        self._stream.write("\n")

    def log(self, summary: Summary) -> dict[str, Any]:
        """The SARIF log of the findings received so far."""
        index = {rule.code: i for i, rule in enumerate(self._rules)}
        kept = self._findings
        notifications = []
        if len(kept) > MAX_RESULTS:
            ranked = sorted(range(len(kept)), key=lambda i: (-SEVERITY_RANK[kept[i].severity], i))
            kept = [kept[i] for i in sorted(ranked[:MAX_RESULTS])]
            left_out = len(self._findings) - MAX_RESULTS
            notifications.append(
                {
                    "descriptor": {"id": "results-left-out"},
                    "level": "warning",
                    "message": {
                        "text": f"{left_out:,} of {len(self._findings):,} results left out: "
                        f"GitHub code scanning rejects a run with more than {MAX_RESULTS:,} "
                        "results. The most severe were kept; the other formats list them all."
                    },
                }
            )
        occurrences: Counter[tuple[str, str]] = Counter()
        results = []
        for finding in kept:
            fingerprint = finding.fingerprint()
            occurrences[finding.path, fingerprint] += 1
            results.append(
                self._result(finding, index, fingerprint, occurrences[finding.path, fingerprint])
            )
        driver: dict[str, Any] = {"name": "sagelint", "version": __version__}
        if re.fullmatch(r"\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]+)?", __version__):
            driver["semanticVersion"] = __version__
        information_uri = _information_uri()
        if information_uri:
            driver["informationUri"] = information_uri
        driver["rules"] = [reporting_descriptor(rule) for rule in self._rules]
        invocation: dict[str, Any] = {
            "executionSuccessful": summary.exit_code != 2,
            "exitCode": summary.exit_code,
            "workingDirectory": {"uri": _folder_uri(self._cwd)},
            "properties": {
                "jobs": summary.jobs,
                "files": summary.files,
                "suppressed": dict(sorted(summary.suppressed.items())),
            },
        }
        if notifications:
            invocation["toolExecutionNotifications"] = notifications
        run = {
            "tool": {"driver": driver},
            "invocations": [invocation],
            "originalUriBaseIds": {
                SRCROOT: {
                    "uri": _folder_uri(self._root),
                    "description": {
                        "text": "The repository root (the nearest folder with a .git), or the "
                        "working folder outside a repository."
                    },
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }
        return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}

    def _result(
        self, finding: Finding, index: dict[str, int], fingerprint: str, occurrence: int
    ) -> dict[str, Any]:
        message = describe(finding) if finding.message else finding.rule
        result: dict[str, Any] = {"ruleId": finding.rule}
        if finding.rule in index:
            result["ruleIndex"] = index[finding.rule]
        result |= {
            "level": LEVELS[finding.severity],
            "message": {"text": message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": artifact_location(finding.path, self._root),
                        "region": {
                            "startLine": max(1, finding.line),
                            "startColumn": max(1, finding.column),
                        },
                    }
                }
            ],
            "partialFingerprints": {
                "primaryLocationLineHash": f"{fingerprint}:{occurrence}",
                FINGERPRINT_KEY: fingerprint,
            },
            "properties": {"jsonPointer": finding.pointer},
        }
        if finding.job:
            result["properties"]["job"] = finding.job
        return result
