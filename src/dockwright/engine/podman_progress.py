"""Podman/Buildah build output read line by line into BuildStep events.

Buildah prints each instruction as ``[2/2] STEP 4/6: RUN ...`` (without the ``[stage]`` prefix for a
single stage), then the step's own output, then ``--> Using cache <id>`` (reused) or ``--> <id>``
(committed). The stage ends with ``[2/2] COMMIT tag``; a failure is an ``Error: ...`` line. A step
that no ``-->`` line closes (``FROM``) is done when the next one starts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dockwright.engine.base import BuildStep
from dockwright.engine.progress import ProgressReader

_STEP = re.compile(r"^(?:\[(?P<stage>\d+)/\d+\] )?(?P<what>STEP \d+/\d+|COMMIT)(?::)? ?(?P<name>.*)$")
_ARROW = re.compile(r"^--> (?:(?P<cache>Using cache) )?(?P<id>[0-9a-f]{6,64})$")
_TAIL = 40


@dataclass
class PodmanProgressReader(ProgressReader):
    """Same interface as BuildKit's :class:`ProgressReader` (cached, headline, failure_tail)."""

    current: str | None = None
    closed: bool = True

    def feed(self, line: str) -> list[BuildStep]:
        text = line.rstrip("\r\n")
        step = _STEP.match(text)
        if step:
            events = self._close("done")
            step_id = f"{step['stage'] or '1'}:{step['what']}"
            name = f"[{step['stage'] or 1}] {step['what'].lower()} {step['name']}".strip()
            self.names[step_id] = name
            self.current, self.closed = step_id, False
            return [*events, BuildStep(step_id, name, "started")]
        arrow = _ARROW.match(text.strip())
        if arrow and self.current is not None:
            if arrow["cache"]:
                self.cached.append(self.names[self.current])
                return self._close("cached")
            return self._close("done")
        if text.startswith("Error: ") or text.startswith("error "):
            message = text.partition(" ")[2].strip()
            if self.current is not None and not self.closed:
                self.failed = self.failed or self.current
                self.errors[self.current] = message
                self.closed = True
                self.other.append(text)
                return [BuildStep(self.current, self.names[self.current], "error", message)]
        if not text.strip():
            return []
        if self.current is not None and not self.closed:
            tail = self.tails.setdefault(self.current, [])
            tail.append(text)
            del tail[:-_TAIL]
            return [BuildStep(self.current, self.names[self.current], "log", text)]
        self.other.append(text)
        del self.other[:-_TAIL]
        return []

    def _close(self, state: str) -> list[BuildStep]:
        if self.current is None or self.closed:
            return []
        self.closed = True
        return [BuildStep(self.current, self.names[self.current], state)]

    def headline(self) -> str:
        if self.failed is not None:
            error = self.errors.get(self.failed, "")
            return f"step {self.failed_step} failed" + (f": {error}" if error else "")
        for text in reversed(self.other):
            if text.startswith("Error: "):
                return text[len("Error: ") :].strip()
        return self.other[-1].strip() if self.other else ""
