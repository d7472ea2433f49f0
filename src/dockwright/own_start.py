"""The start a project's own Dockerfile runs, for ``build`` when detection cannot tell it.

``dockwright build`` builds the project's own Dockerfile when it has one; the plan made beside it gives
the tag, the build args, the lock's indexes and the wheel check, and the image runs the Dockerfile's
CMD, not a start of the plan's. So a project whose code shows no start (a package run with
``python -m pkg.module``, a Django project without wsgi.py) still builds: its plan takes the start the
final stage's ENTRYPOINT and CMD give (inherited from the stages it is built ``FROM``). Only a
Dockerfile with neither says nothing of how the app starts: then ``--start`` or a CMD is asked for.
"""

from __future__ import annotations

import shlex
from pathlib import Path

from dockwright.dockerfile.final_command import final_command
from dockwright.dockerfile.parser import parse
from dockwright.errors import StartUnknown


def dockerfile_start(text: str) -> str | None:
    """The command the final stage runs (ENTRYPOINT then CMD, shell-quoted), or None when it sets
    neither (or only an unsplittable shell form)."""
    command = final_command(parse(text))
    return shlex.join(command.argv) if command is not None and command.argv else None


def start_for_build(path: Path, shown: str, unknown: StartUnknown) -> str:
    """The start of the Dockerfile at ``path`` (``shown`` in messages) for the plan of its build;
    ``unknown`` (detection's error) again when there is no such file, and with what is missing when
    it runs nothing."""
    if not path.is_file():
        raise unknown
    found = dockerfile_start(path.read_text(encoding="utf-8", errors="replace"))
    if found is None:
        raise StartUnknown(
            f"{unknown.message.removesuffix('; pass --start')}, and {shown} has no CMD or ENTRYPOINT "
            "either: add one to it, or pass --start",
            file=unknown.file,
        )
    return found
