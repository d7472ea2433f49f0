"""The Python and Debian suite a Dockerfile dockwright wrote pins, and the start it was given, for the
build of that file.

``dockwright init --python 3.13`` pins ``python:3.13.13-slim-trixie`` in the Dockerfile and resolves the
generated lock for CPython 3.13.13. ``dockwright build`` plans the project again (tag, build args, the
stale-lock check); planned with the default Python instead, the lock would look stale and nothing would
be built. So the build takes the Python and suite the file pins, unless the user asks for others
(``--python``, ``[tool.dockwright]``, ``DOCKWRIGHT_PYTHON``/``DOCKWRIGHT_DEBIAN``).

The same holds for a start given on init's command line (``dockwright init --start "..." --port N``): the
file keeps it in a header line (``# dockwright-kept: --start '...' --port N``, plan/kept_selection.py),
and the build's plan takes it unless the build is given a start, a port or a process of its own. Planned
without it, a project whose detected start needs what its lock lacks (a uv.lock without gunicorn) failed
to build the file init had just written.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

from dockwright.project.own_image import is_generated
from dockwright.project.uv_selection import KEPT_MARK

_PINNED = re.compile(r"^FROM\s+(?:--platform=\S+\s+)?python:(3\.\d+\.\d+)-slim-([a-z]+)\b", re.MULTILINE)


@dataclass(frozen=True)
class Written:
    """What a Dockerfile dockwright wrote pins (the base's Python and suite) and keeps (the start and
    port init was given): the lowest layer of the options of its build (``config.load_options``)."""

    python: str | None = None
    debian: str | None = None
    start: str | None = None
    port: str | None = None


KEPT_START = "--start"  # the kept line's first word: `# dockwright-kept: --start '...' [--port N]`


def written_base(dockerfile: Path) -> Written | None:
    """What ``dockerfile`` pins and keeps (:class:`Written`) when dockwright wrote it, else None (absent,
    unreadable, or the user's own)."""
    try:
        text = dockerfile.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    if not is_generated(text):
        return None
    found = _PINNED.search(text)
    kept = _kept_start(text)
    return Written(
        found.group(1) if found else None,
        found.group(2) if found else None,
        kept.get("start"),
        kept.get("port"),
    )


def kept_start_of(dockerfile: Path) -> Written | None:
    """The start (and port) ``dockerfile`` keeps, without its pins (for ``plan`` and ``init``, which
    choose the Python anew), or None."""
    written = written_base(dockerfile)
    return Written(start=written.start, port=written.port) if written is not None and written.start else None


def _kept_start(text: str) -> dict[str, str]:
    """``--start``/``--port`` of the header's ``# dockwright-kept: --start ...`` line."""
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        if line.startswith(f"{KEPT_MARK}{KEPT_START} "):
            try:
                words = shlex.split(line.removeprefix(KEPT_MARK))
            except ValueError:
                return {}
            pairs = dict(zip(words[::2], words[1::2], strict=False))
            return {k.removeprefix("--"): v for k, v in pairs.items() if k in ("--start", "--port")}
    return {}
