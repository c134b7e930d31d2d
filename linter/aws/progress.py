"""The audit's progress line on standard error: jobs checked and listed, per region."""

from __future__ import annotations

import shutil
import time
from collections.abc import Sequence
from typing import IO

from sagelint.aws.connect import Target
from sagelint.printable import printable


class Progress:
    """One status line on standard error (only when it is a terminal): jobs checked and listed,
    per region. Cleared before findings are printed, redrawn at most every 0.2 s."""

    def __init__(self, stream: IO[str], enabled: bool) -> None:
        self._stream = stream
        self.enabled = enabled
        self._shown = False
        self._last = 0.0

    def show(self, targets: Sequence[Target], force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self._last < 0.2:
            return
        self._last = now
        checked = sum(t.processed for t in targets)
        listed = sum(t.listed for t in targets)
        several = len({t.account.id for t in targets}) > 1
        parts = [f"sagelint audit: {checked:,}/{listed:,} jobs checked"]
        for target in targets:
            if target.state == "waiting" or not target.open():
                continue
            name = f"{target.account.id}/{target.region}" if several else target.region
            more = "+" if target.state == "listing" else ""
            parts.append(f"{name} {target.processed:,}/{target.listed:,}{more}")
        width = shutil.get_terminal_size((80, 24)).columns - 1
        line = printable(" | ".join(parts))[:width]
        self._stream.write(f"\r{line}\x1b[K")
        self._stream.flush()
        self._shown = True

    def clear(self) -> None:
        if self._shown:
            self._stream.write("\r\x1b[K")
            self._stream.flush()
            self._shown = False
