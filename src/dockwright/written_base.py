"""The Python and Debian suite a Dockerfile dockwright wrote pins, for the build of that file.

``dockwright init --python 3.13`` pins ``python:3.13.13-slim-trixie`` in the Dockerfile and resolves the
generated lock for CPython 3.13.13. ``dockwright build`` plans the project again (tag, build args, the
stale-lock check); planned with the default Python instead, the lock would look stale and nothing would
be built. So the build takes the Python and suite the file pins, unless the user asks for others
(``--python``, ``[tool.dockwright]``, ``DOCKWRIGHT_PYTHON``/``DOCKWRIGHT_DEBIAN``).
"""

from __future__ import annotations

import re
from pathlib import Path

from dockwright.project.own_image import is_generated

_PINNED = re.compile(r"^FROM\s+(?:--platform=\S+\s+)?python:(3\.\d+\.\d+)-slim-([a-z]+)\b", re.MULTILINE)


def written_base(dockerfile: Path) -> tuple[str, str] | None:
    """(X.Y.Z, suite) of the first ``FROM python:X.Y.Z-slim-SUITE`` of ``dockerfile`` when dockwright
    wrote it, else None (absent, unreadable, the user's own, or no such base)."""
    try:
        text = dockerfile.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    if not is_generated(text):
        return None
    found = _PINNED.search(text)
    return (found.group(1), found.group(2)) if found else None
