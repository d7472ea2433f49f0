"""The uv that comes with dockwright: its ``uv`` wheel is a runtime dependency and carries the binary.

The one locator for every part that runs uv (the lock layer's ``uv pip compile``, the project layer's
``uv python find``), so they all run the same uv, and one on ``PATH`` only when the wheel is missing.
"""

from __future__ import annotations

import shutil


def find_uv() -> str | None:
    """The bundled uv binary, else a ``uv`` on ``PATH``, else None."""
    try:
        from uv import find_uv_bin

        return str(find_uv_bin())
    except (ImportError, FileNotFoundError):
        return shutil.which("uv")
