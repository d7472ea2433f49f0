"""Rendering helpers shared by the verbs' reports."""

from __future__ import annotations


def fmt_bytes(n: float) -> str:
    """A size in decimal units, as docker prints them: ``512 B``, ``1.5 kB``, ``259.6 MB``."""
    value = float(n)
    for unit in ("B", "kB", "MB", "GB"):
        if abs(value) < 1000 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{n} B"  # pragma: no cover - the loop always returns
