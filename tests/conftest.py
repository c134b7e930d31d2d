"""Shared test helpers: everything goes through the public surface (library API and CLI)."""

from __future__ import annotations

import contextlib
import io
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from sagelint.cli import main
from sagelint.engine import Linter, Options
from sagelint.findings import Finding
from sagelint.rules import RULES

DATA = Path(__file__).parent / "data"
REAL = DATA / "real"


def real_documents() -> Iterator[Path]:
    return iter(sorted(REAL.glob("*.json")))


def lint_paths(*paths: Path | str, **options: Any) -> list[Finding]:
    return list(Linter(Options(**options), rules=RULES).lint_paths([str(p) for p in paths]))


@pytest.fixture
def lint_doc(tmp_path: Path) -> Callable[..., list[Finding]]:
    """Write ``document`` to a pretty-printed JSON file and lint it through the library API."""

    def run(document: Any, name: str = "job.json", **options: Any) -> list[Finding]:
        path = tmp_path / name
        path.write_text(json.dumps(document, indent=2), encoding="utf-8")
        return lint_paths(path, **options)

    return run


def position_of(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """1-based (line, column) of the nth occurrence of ``needle`` in ``text``."""
    at = -1
    for _ in range(nth + 1):
        at = text.index(needle, at + 1)
    return text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1


def line_of(finding: Finding, needle: str, nth: int = 0) -> int:
    """1-based line of the nth occurrence of ``needle`` in the file the finding is in."""
    return position_of(Path(finding.path).read_text(encoding="utf-8"), needle, nth)[0]


def codes(findings: list[Finding]) -> list[str]:
    return [f.rule for f in findings]


def only(findings: list[Finding], code: str) -> list[Finding]:
    return [f for f in findings if f.rule == code]


class Result(NamedTuple):
    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def _text_stream(data: bytes = b"") -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", newline="", write_through=True)


def cli(*args: str, input: str | bytes | None = None) -> Result:
    """Run ``sagelint ARGS`` in-process, standard input given, stdout and stderr kept apart."""
    data = input.encode() if isinstance(input, str) else (input or b"")
    stdin, stdout, stderr = _text_stream(data), _text_stream(), _text_stream()
    saved = sys.stdin
    sys.stdin = stdin
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            try:
                code = main(list(args))
            except SystemExit as exit:  # argparse: --help, --version, usage errors
                code = exit.code if isinstance(exit.code, int) else 2 if exit.code else 0
    finally:
        sys.stdin = saved

    def text(stream: io.TextIOWrapper) -> str:
        stream.flush()
        buffer = stream.buffer
        assert isinstance(buffer, io.BytesIO)
        return buffer.getvalue().decode("utf-8")

    return Result(code, text(stdout), text(stderr))


@pytest.fixture(autouse=True)
def muted_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    """``SAGELINT_MUTE=SM201,SM301``: those rules' checks find nothing (scripts/mute_each_rule.py
    asks whether any test notices)."""
    import os

    from sagelint.rules import RULES_BY_CODE

    def finds_nothing(*args: Any) -> Iterator[Any]:
        yield from ()

    for code in filter(None, os.environ.get("SAGELINT_MUTE", "").split(",")):
        monkeypatch.setattr(RULES_BY_CODE[code], "check", finds_nothing)
