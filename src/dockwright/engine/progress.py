"""BuildKit's plain progress (``--progress=plain``) read line by line into BuildStep events.

The plain format prints one vertex (step) per ``#N`` id: its name the first time the id appears, then
``#N <seconds> <log text>`` lines, and ``#N CACHED`` / ``#N DONE 1.2s`` / ``#N ERROR: ...`` /
``#N CANCELED`` when it ends. When output switches between parallel steps, BuildKit prints the name line
again; the first occurrence wins. Anything else (``Sending build context``, the ``------`` error frame,
``ERROR: failed to solve: ...``) is not an event but is kept for the failure summary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from dockwright.engine.base import BuildStep

# "#5 [builder 2/4] RUN pip ..." | "#5 CACHED" | "#5 DONE 1.2s" | "#5 ERROR: ..." | "#5 0.731 log text"
_LINE = re.compile(r"^#(?P<id>\d+) (?P<rest>.*)$")
_LOG = re.compile(r"^\d+\.\d+ (?P<text>.*)$")
_STATUS = ("sha256:", "DONE", "CACHED", "ERROR", "CANCELED")
_TAIL = 40
# BuildKit's error for a RUN repeats the whole command: the step's name already says which RUN it is
_PROCESS = re.compile(r'^process ".*" did not complete successfully: ', re.S)
STEP_WIDTH = 120  # a step's name in a failure's headline: a long RUN is cut (the full log has it)


def _short(step: str | None, width: int = STEP_WIDTH) -> str:
    """A step's name on one line of at most ``width`` characters."""
    text = " ".join((step or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


@dataclass
class ProgressReader:
    """Feed lines with :meth:`feed`; it returns the events each line means and remembers step names."""

    names: dict[str, str] = field(default_factory=dict)
    cached: list[str] = field(default_factory=list)
    failed: str | None = None
    errors: dict[str, str] = field(default_factory=dict)
    tails: dict[str, list[str]] = field(default_factory=dict)
    other: list[str] = field(default_factory=list)  # lines that are no step's (last few kept)

    def feed(self, line: str) -> list[BuildStep]:
        text = line.rstrip("\r\n")
        match = _LINE.match(text)
        if not match:
            if text.strip():
                self.other.append(text)
                del self.other[:-_TAIL]
            return []
        step, rest = match["id"], match["rest"]
        is_status = rest.startswith(_STATUS) or _LOG.match(rest) is not None
        if step not in self.names and not is_status:
            self.names[step] = rest
            return [BuildStep(step, rest, "started")]
        name = self.names.get(step, f"#{step}")
        if rest == "CACHED":
            self.cached.append(name)
            return [BuildStep(step, name, "cached")]
        if rest.startswith("DONE"):
            return [BuildStep(step, name, "done", rest[4:].strip())]
        if rest.startswith("ERROR"):
            message = rest.partition(":")[2].strip()
            self.failed = self.failed or step
            self.errors[step] = message
            return [BuildStep(step, name, "error", message)]
        if rest.startswith("CANCELED"):
            return [BuildStep(step, name, "error", "canceled")]
        log = _LOG.match(rest)
        if log:
            tail = self.tails.setdefault(step, [])
            tail.append(log["text"])
            del tail[:-_TAIL]
            return [BuildStep(step, name, "log", log["text"])]
        return []

    @property
    def failed_step(self) -> str | None:
        """The name of the first step that reported ERROR (None when none did)."""
        return None if self.failed is None else self.names.get(self.failed, f"#{self.failed}")

    def headline(self) -> str:
        """One line saying what failed: the step and its error, else BuildKit's last ``ERROR`` line."""
        if self.failed is not None:
            error = _PROCESS.sub("", self.errors.get(self.failed, ""))
            return f"step {_short(self.failed_step)} failed" + (f": {error}" if error else "")
        for text in reversed(self.other):
            if text.startswith(("------", " > ")):
                continue  # BuildKit's frame around the failing step's excerpt
            if text.startswith("ERROR:"):
                return text[len("ERROR:") :].strip()
            return text.strip()
        return ""

    def failure_tail(self, lines: int = 20) -> list[str]:
        """The failing step's last log lines, else the last lines that belong to no step."""
        if self.failed is not None and self.tails.get(self.failed):
            return self.tails[self.failed][-lines:]
        return self.other[-lines:]
