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

from dockwright.dockerfile.parser import parse
from dockwright.dockerfile.syntax import Dockerfile, Instruction, Stage
from dockwright.errors import StartUnknown


def _ancestry(dockerfile: Dockerfile, stage: Stage) -> list[Stage]:
    """The stage and the stages it is built FROM (by name), oldest first."""
    chain = [stage]
    while True:
        parent = dockerfile.stage_by_name(chain[0].base_image)
        if parent is None or parent.index >= chain[0].index:
            return chain
        chain.insert(0, parent)


def _words(instruction: Instruction | None) -> list[str]:
    if instruction is None:
        return []
    return list(instruction.arguments) if instruction.json_form else shlex.split(instruction.value)


def dockerfile_start(text: str) -> str | None:
    """The command the final stage runs (ENTRYPOINT then CMD, shell-quoted), or None when it sets
    neither (or only an unsplittable shell form)."""
    dockerfile = parse(text)
    stage = dockerfile.final_stage
    if stage is None:
        return None
    found: dict[str, Instruction] = {}
    for member in _ancestry(dockerfile, stage):
        cmd_here = False
        for instruction in member.instructions:
            if instruction.keyword == "ENTRYPOINT" and not cmd_here:
                found.pop("CMD", None)  # as BuildKit: an ENTRYPOINT resets a CMD its stage did not set
            if instruction.keyword in ("ENTRYPOINT", "CMD"):
                found[instruction.keyword] = instruction
                cmd_here = cmd_here or instruction.keyword == "CMD"
    try:
        words = _words(found.get("ENTRYPOINT")) + _words(found.get("CMD"))
    except ValueError:
        return None
    return shlex.join(words) if words else None


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
