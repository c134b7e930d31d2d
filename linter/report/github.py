"""``--format github``: GitHub Actions workflow commands, one annotation per finding.

``::error file=PATH,line=L,col=C,title=CODE name::message (job)``, with ``::warning`` for a
warning and ``::notice`` for an info finding, then one plain summary line. ``PATH`` is relative to
the repository root, where GitHub looks for the file. Values are escaped as the Actions toolkit
does (``escapeData`` / ``escapeProperty`` in ``@actions/core``): ``%``, CR and LF everywhere, and
``:`` and ``,`` in properties too, so no message can end the command or start another.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, TYPE_CHECKING

from sagelint.findings import Finding
from sagelint.printable import printable
from sagelint.report import Summary, describe
from sagelint.report.sarif import is_file_path, repository_path, repository_root

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sagelint.rule_api import Rule

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


class GithubReporter:
    def __init__(self, stream: IO[str], rules: Sequence[Rule], *, quiet: bool = False) -> None:
        self._stream = stream
        self._rules = {rule.code: rule for rule in rules}
        self._quiet = quiet
        self._root: Path = repository_root()

    def command(self, finding: Finding) -> str:
        """The workflow command that annotates ``finding``."""
        rule = self._rules.get(finding.rule)
        message = describe(finding)
        properties: list[tuple[str, str]] = []
        if is_file_path(finding.path):
            relative = repository_path(finding.path, self._root)
            properties += [
                ("file", printable(relative if relative is not None else finding.path)),
                ("line", str(finding.line)),
                ("col", str(finding.column)),
            ]
        else:  # standard input, an ARN: no file to annotate, so say where in the message
            message = f"{printable(finding.path)}:{finding.line}:{finding.column}: {message}"
        properties.append(("title", f"{finding.rule} {rule.name}" if rule else finding.rule))
        listed = ",".join(f"{name}={escape_property(value)}" for name, value in properties)
        return f"::{COMMANDS[finding.severity]} {listed}::{escape_data(message)}"

    def finding(self, finding: Finding) -> None:
        self._stream.write(self.command(finding) + "\n")

    def finish(self, summary: Summary) -> None:
        if self._quiet:
            return
        line = f"sagelint: {summary.describe()}."
        if summary.exit_code == 2:
            line += " Some inputs could not be checked (exit code 2)."
        self._stream.write(line + "\n")
