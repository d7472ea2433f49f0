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


def printable(text: str) -> str:
    """``text`` safe for a terminal: every control character (ESC of a colour or cursor sequence, BEL,
    CR, C1 ...) except tab shown as a visible ``\\xNN`` escape, so a Dockerfile cannot drive the terminal."""
    return "".join(
        char if char == "\t" or not (ord(char) < 32 or 127 <= ord(char) < 160) else f"\\x{ord(char):02x}"
        for char in text
    )


def step_label(name: str, width: int = 120) -> str:
    """A build step's name on one terminal line: whitespace runs (a RUN's continuation lines) as one
    space, cut at ``width`` with an ellipsis (the whole step is in the Dockerfile), :func:`printable`."""
    line = " ".join(name.split())
    return printable(line if len(line) <= width else line[: width - 1] + "…")


def printable_lines(text: str) -> str:
    """Multi-line ``text`` (a diff) safe for a terminal: each line :func:`printable`, its newline kept."""
    return "\n".join(printable(line) for line in text.split("\n"))


def workflow_data(text: str) -> str:
    """A GitHub Actions workflow-command message: ``%``, CR and LF escaped (their documented rules)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def workflow_property(text: str) -> str:
    """A workflow-command property value (file=, title=): also ``:`` and ``,`` escaped."""
    return workflow_data(text).replace(":", "%3A").replace(",", "%2C")
