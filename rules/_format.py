"""How rules write numbers, durations, sizes and lists in their messages."""

from __future__ import annotations

# Re-exported: tests/test_rule_docs.py imports it from here.


def listed(types: list[str]) -> str:
    return ", ".join(dict.fromkeys(types))


DAY = 86_400


def days(seconds: int) -> str:
    return f"{seconds / DAY:.3g} days"


def duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:,.0f} s"
    if seconds < 2 * 3600:
        return f"{seconds:,.0f} s ({seconds / 60:.3g} min)"
    if seconds < 2 * DAY:
        return f"{seconds:,.0f} s ({seconds / 3600:.3g} h)"
    return f"{seconds:,.0f} s ({days(round(seconds))})"


def size(count: float) -> str:
    """``1.5 GiB``, ``12 MiB``, ``512 B``."""
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if count < 1024 or unit == "TiB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.3g} {unit}"
        count /= 1024
    raise AssertionError  # pragma: no cover
