"""BuildKit's plain progress (``--progress=plain``) read line by line into BuildStep events."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from dockwright.engine.base import BuildStep

# "#5 [builder 2/4] RUN pip ..." | "#5 CACHED" | "#5 DONE 1.2s" | "#5 ERROR: ..." | "#5 0.731 log text"
_LINE = re.compile(r"^#(?P<id>\d+) (?P<rest>.*)$")
_LOG = re.compile(r"^\d+\.\d+ (?P<text>.*)$")


@dataclass
class ProgressReader:
    """Feed lines with :meth:`feed`; it returns the events each line means and remembers step names."""

    names: dict[str, str] = field(default_factory=dict)
    cached: list[str] = field(default_factory=list)
    failed: str | None = None
    tails: dict[str, list[str]] = field(default_factory=dict)

    def feed(self, line: str) -> list[BuildStep]:
        match = _LINE.match(line.rstrip("\n"))
        if not match:
            return []
        step, rest = match["id"], match["rest"]
        is_event = rest.startswith(("sha256:", "DONE", "CACHED", "ERROR")) or _LOG.match(rest) is not None
        if step not in self.names and not is_event:
            self.names[step] = rest
            return [BuildStep(step, rest, "started")]
        name = self.names.get(step, f"#{step}")
        if rest == "CACHED":
            self.cached.append(name)
            return [BuildStep(step, name, "cached")]
        if rest.startswith("DONE"):
            return [BuildStep(step, name, "done", rest[4:].strip())]
        if rest.startswith("ERROR"):
            self.failed = self.failed or step
            return [BuildStep(step, name, "error", rest.partition(":")[2].strip())]
        log = _LOG.match(rest)
        if log:
            tail = self.tails.setdefault(step, [])
            tail.append(log["text"])
            del tail[:-40]
            return [BuildStep(step, name, "log", log["text"])]
        return []

    def failure_summary(self, lines: int = 20) -> str:
        """The failing step's name and its last log lines (empty when nothing failed)."""
        if self.failed is None:
            return ""
        tail = self.tails.get(self.failed, [])[-lines:]
        return "\n".join([f"failed step: {self.names.get(self.failed, '#' + self.failed)}", *tail])
