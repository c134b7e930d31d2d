"""Every rule's documentation is executable: its example fires that rule, and no other.

The convention a rule's docstring follows (see the rules in ``rules/*.py``):

- ``## Example`` holds a ```` ```json ```` block: members of a training job. They are overlaid
  on a clean job (tests/jobs.py) of each kind the rule checks (``Rule.kinds``): each top-level
  member of the example replaces the clean job's, and a member set to ``null`` is absent (as
  sagelint reads a null). Linted with every rule, the job gets findings of that rule only
  (document rules SM0xx included: the example is a valid job).
- ``Tags`` in an example are the job's tags: a request's own member, and for a described job
  (a DescribeTrainingJob response holds no tags) what ListTags says.
- What a rule needs besides the job is given in further fenced blocks of ``## Example``, one
  block per kind of context:

  - ```` ```toml ````: the configuration, a ``[tool.sagelint.rules]`` table as in a
    pyproject.toml, for the rules that need an organisation's policy (``Rule.needs``);
  - ```` ```console ````: ``$ aws s3 ls --recursive s3://bucket/prefix/`` and what it prints
    (date, time, size in bytes, key per line), for the rules that need to know what S3 holds
    under an ``S3Uri`` (SM203, SM205, SM206); one such command per ``S3Uri``, the listing
    complete; and ``$ aws s3api get-bucket-location --bucket BUCKET`` with the region it
    prints on the next line, for the rules that need a bucket's region (SM211).

- When ``## How to fix`` holds a ```` ```json ```` block, it is overlaid in the same way on the
  example's job: the fixed job no longer fires the rule, and is still a valid job (no SM0xx).

Rules whose example cannot be a job are listed in ``NOT_A_JOB``, with the reason.
"""

from __future__ import annotations

import json
import re
import statistics
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from sagelint.config import Settings, load_config
from sagelint.engine import Linter, Options
from sagelint.job import Kind, Unknown, make_job
from sagelint.load.loaders import Document
from sagelint.load.locate import NOWHERE
from sagelint.rule_api import Rule
from sagelint.rules import RULES, RULES_BY_CODE
from sagelint.s3_listing import S3Listing

from tests.jobs import clean_describe, clean_request

# The document rules whose examples show a problem with a file or a run, not a job's members.
NOT_A_JOB = {
    "SM000": "a bug in sagelint: no job is meant to cause it",
    "SM001": "a file that cannot be read",
    "SM002": "a file's syntax: the example is not valid JSON on purpose",
    "SM003": "a document that is not a training job at all",
    "SM004": "an error of the AWS API, not of a document",
    "SM005": "a key given twice in a file: the parsed job holds only one",
}
# Examples that do not fire exactly their rule yet, in files of other owners: strict xfails, so
# that a fixed example fails here until it is taken off this list.
WAITING: dict[str, str] = {}
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.DOTALL | re.MULTILINE)
LS_COMMAND = re.compile(r"\$ aws s3 ls --recursive (s3://\S+)")
LOCATION_COMMAND = re.compile(r"\$ aws s3api get-bucket-location --bucket (\S+)")
LS_LINE = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d +(\d+) (\S.*)")
CLEAN = {"create": clean_request, "describe": clean_describe}


def section(rule: Rule, title: str) -> str:
    return rule.doc.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


def blocks(text: str, language: str) -> list[str]:
    return [body for found, body in FENCE.findall(text) if found == language]


def members(text: str, language: str = "json") -> dict[str, Any] | None:
    """The job members of the section's JSON block (None: the section has none)."""
    found = blocks(text, language)
    if not found:
        return None
    assert len(found) == 1, f"more than one {language} block"
    loaded = json.loads(found[0])
    assert isinstance(loaded, dict)
    return loaded


def settings(example: str, folder: Path) -> Settings:
    """The configuration of the example's TOML block, read as sagelint reads a pyproject.toml."""
    (toml,) = blocks(example, "toml") or [""]
    path = folder / "pyproject.toml"
    path.write_text(toml, encoding="utf-8")
    return load_config(path)


def listings(example: str) -> dict[str, S3Listing] | None:
    """What S3 holds, from the example's ``aws s3 ls --recursive`` output (None: no listing)."""
    found: dict[str, S3Listing] = {}
    for console in blocks(example, "console"):
        uri: str | None = None
        objects: list[tuple[int, str]] = []
        for line in [*console.splitlines(), "$"]:
            if line.startswith("$"):
                if uri is not None:
                    found[uri] = listing(uri, objects)
                match = LS_COMMAND.fullmatch(line)
                uri, objects = (match.group(1), []) if match else (None, [])
            elif uri is not None:
                parsed = LS_LINE.fullmatch(line.strip())
                assert parsed, f"not a line of aws s3 ls: {line!r}"
                objects.append((int(parsed.group(1)), parsed.group(2)))
    return found or None


def regions(example: str) -> dict[str, str] | None:
    """Bucket regions, from the example's ``aws s3api get-bucket-location`` commands and the
    region each prints (None: no such command)."""
    found: dict[str, str] = {}
    for console in blocks(example, "console"):
        lines = console.splitlines()
        for command, printed in zip(lines, [*lines[1:], ""], strict=True):
            match = LOCATION_COMMAND.fullmatch(command)
            if match:
                found[match.group(1)] = printed.strip()
    return found or None


class FromS3(NamedTuple):
    """What the example says S3 holds: listings by S3Uri, regions by bucket."""

    listings: dict[str, S3Listing] | None
    regions: dict[str, str] | None


def from_s3(example: str) -> FromS3:
    return FromS3(listings(example), regions(example))


def listing(uri: str, objects: list[tuple[int, str]]) -> S3Listing:
    sizes = sorted(size for size, _ in objects)
    largest = max(objects, default=None)
    return S3Listing(
        uri,
        "S3Prefix",
        len(objects),
        total_bytes=sum(sizes),
        largest_bytes=largest[0] if largest else None,
        largest_key=largest[1] if largest else None,
        median_bytes=int(statistics.median_low(sizes)) if sizes else None,
    )


def overlay(job: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    return {**job, **changes}


def fired(job: dict[str, Any], kind: Kind, given: Settings, s3: FromS3) -> list[str]:
    """The codes of every rule that fires on the job (all rules, the policy given)."""
    data = dict(job)
    tags = None
    if kind == "describe" and "Tags" in data:  # a response has none: ListTags does
        tags = {tag["Key"]: tag["Value"] for tag in data.pop("Tags")}
    made = make_job(data, kind=kind, tags=tags)
    assert made is not None
    document = Document(
        "example.json", made._replace(s3=s3.listings, bucket_regions=s3.regions), NOWHERE
    )
    linter = Linter(Options(policy=given.policy, region=given.region), rules=RULES)
    return sorted({finding.rule for finding in linter.lint_document(document)})


CASES = [
    pytest.param(
        r,
        kind,
        id=f"{r.code}-{kind}",
        marks=[pytest.mark.xfail(reason=WAITING[r.code], strict=True)] if r.code in WAITING else [],
    )
    for r in RULES
    if r.code not in NOT_A_JOB
    for kind in sorted(r.kinds)
]


@pytest.mark.parametrize("kind", ["create", "describe"])
def test_the_clean_jobs_fire_nothing(kind: Kind) -> None:
    assert fired(CLEAN[kind](), kind, Settings(path=""), FromS3(None, None)) == []


@pytest.mark.parametrize(("rule", "kind"), CASES)
def test_the_example_fires_exactly_its_rule_and_the_fix_does_not(
    rule: Rule, kind: Kind, tmp_path: Path
) -> None:
    example = section(rule, "Example")
    changes = members(example)
    assert changes is not None, f"{rule.code}: ## Example has no ```json block"
    given = settings(example, tmp_path)
    assert given.policy.configures(rule), f"{rule.code} needs {rule.needs}: give a ```toml block"
    s3 = from_s3(example)
    job = overlay(CLEAN[kind](), changes)
    assert fired(job, kind, given, s3) == [rule.code]

    fix = members(section(rule, "How to fix"))
    if fix is not None:
        after = fired(overlay(job, fix), kind, given, s3)
        assert rule.code not in after
        assert [code for code in after if RULES_BY_CODE[code].check is None] == []


def test_the_exemptions_are_document_rules() -> None:
    assert all(RULES_BY_CODE[code].check is None for code in NOT_A_JOB)


def test_an_s3_listing_is_read_as_aws_s3_ls_prints_it() -> None:
    example = """
```console
$ aws s3 ls --recursive s3://bucket/train/
2026-11-01 10:00:00   10485760 train/part-0.csv
2026-11-01 10:00:00 2147483648 train/part-1.csv
2026-11-01 10:00:00   20971520 train/part-2.csv
$ aws s3 ls --recursive s3://bucket/validation/
```
"""
    assert listings(example) == {
        "s3://bucket/train/": S3Listing(
            "s3://bucket/train/",
            "S3Prefix",
            3,
            total_bytes=2_178_940_928,
            largest_bytes=2_147_483_648,
            largest_key="train/part-1.csv",
            median_bytes=20_971_520,
        ),
        "s3://bucket/validation/": S3Listing("s3://bucket/validation/", "S3Prefix", 0, 0),
    }


def leaves(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The paths of every scalar below ``value``."""
    if isinstance(value, dict):
        return [p for key, item in value.items() for p in leaves(item, (*prefix, key))]
    if isinstance(value, list):
        return [p for index, item in enumerate(value) for p in leaves(item, (*prefix, index))]
    return [prefix]


def with_unknown(job: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    changed: dict[str, Any] = json.loads(json.dumps(job))
    parent: Any = changed
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = value
    return changed


def findings_of(
    rule: Rule, job: dict[str, Any], kind: Kind, given: Settings, s3: FromS3
) -> set[tuple[str, str]]:
    made = make_job(dict(job), kind=kind)
    assert made is not None
    document = Document(
        "example.json", made._replace(s3=s3.listings, bucket_regions=s3.regions), NOWHERE
    )
    options = Options(policy=given.policy, region=given.region, select=[rule.code])
    linter = Linter(options, rules=RULES)
    return {(f.pointer, f.message) for f in linter.lint_document(document) if f.rule == rule.code}


@pytest.mark.parametrize(("rule", "kind"), CASES)
def test_the_example_made_unknown_never_fires_more(rule: Rule, kind: Kind, tmp_path: Path) -> None:
    """Each value of the example made unknown in turn (a template placeholder, an intrinsic):
    the rule fires nowhere it did not, and no message says anything of the unknown value."""
    example = section(rule, "Example")
    changes = members(example)
    assert changes is not None
    given, s3 = settings(example, tmp_path), from_s3(example)
    job = overlay(CLEAN[kind](), changes)
    if kind == "describe":
        job.pop("Tags", None)
    before = {pointer for pointer, _ in findings_of(rule, job, kind, given, s3)}
    for path in leaves(changes):
        if path[0] not in job:  # a described job's Tags: what ListTags says, not a member
            continue
        for unknown in ("{{ value }}", Unknown("Ref Value")):
            after = findings_of(rule, with_unknown(job, path, unknown), kind, given, s3)
            assert {pointer for pointer, _ in after} <= before, (path, unknown, after)
            assert not [m for _, m in after if "{{" in m or "Ref Value" in m], (path, after)
