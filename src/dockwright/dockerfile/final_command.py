"""What a Dockerfile's final stage runs: its ENTRYPOINT, CMD and WORKDIR as BuildKit resolves them
through the stages it is built ``FROM`` (by name).

Read by ``build`` for a user's own Dockerfile (:mod:`dockwright.own_start`) and by the
``own-dockerfile`` start detector. A stage built ``FROM`` an image (not a stage) starts with nothing
known of it: no command, ``WORKDIR /``. As BuildKit does, an ``ENTRYPOINT`` resets a ``CMD`` its own
stage did not set. Shell forms are split as a shell would (``shlex``); one that cannot be split makes
the command unknown.
"""

from __future__ import annotations

import posixpath
import shlex
from dataclasses import dataclass

from dockwright.dockerfile.syntax import Dockerfile, Instruction, Stage


@dataclass(frozen=True)
class FinalCommand:
    """The final stage's command; ``instruction`` is the ENTRYPOINT or CMD that set it last (evidence)."""

    entrypoint: tuple[str, ...]
    cmd: tuple[str, ...]
    workdir: str
    instruction: Instruction | None

    @property
    def argv(self) -> tuple[str, ...]:
        """What the container runs: ENTRYPOINT then CMD."""
        return self.entrypoint + self.cmd


def ancestry(dockerfile: Dockerfile, stage: Stage) -> list[Stage]:
    """The stage and the earlier stages it is built FROM (by name), oldest first."""
    chain = [stage]
    while True:
        parent = dockerfile.stage_by_name(chain[0].base_image)
        if parent is None or parent.index >= chain[0].index:
            return chain
        chain.insert(0, parent)


def _words(instruction: Instruction) -> tuple[str, ...]:
    """The instruction's arguments as exec words (ValueError for a shell form shlex cannot split)."""
    return instruction.arguments if instruction.json_form else tuple(shlex.split(instruction.value))


def final_command(dockerfile: Dockerfile) -> FinalCommand | None:
    """The final stage's command, or None without a stage or with a shell form that cannot be split."""
    stage = dockerfile.final_stage
    if stage is None:
        return None
    found: dict[str, Instruction] = {}
    workdir = "/"
    last: Instruction | None = None
    for member in ancestry(dockerfile, stage):
        cmd_here = False
        for instruction in member.instructions:
            keyword = instruction.keyword
            if keyword == "WORKDIR":
                workdir = posixpath.join(workdir, instruction.value.strip().strip("\"'"))
            elif keyword in ("ENTRYPOINT", "CMD"):
                if keyword == "ENTRYPOINT" and not cmd_here:
                    found.pop("CMD", None)  # BuildKit: an ENTRYPOINT resets a CMD this stage did not set
                found[keyword], last = instruction, instruction
                cmd_here = cmd_here or keyword == "CMD"
    try:
        entrypoint = _words(found["ENTRYPOINT"]) if "ENTRYPOINT" in found else ()
        cmd = _words(found["CMD"]) if "CMD" in found else ()
    except ValueError:
        return None
    return FinalCommand(entrypoint, cmd, posixpath.normpath(workdir), last)
