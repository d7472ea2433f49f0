"""What a Dockerfile's final stage runs: its ENTRYPOINT, CMD and WORKDIR as BuildKit resolves them
through the stages it is built ``FROM`` (by name), and the TCP ports it ``EXPOSE``s.

Read by ``build`` for a user's own Dockerfile (:mod:`dockwright.own_start`) and by the
``own-dockerfile`` start detector. A stage built ``FROM`` an image (not a stage) starts with nothing
known of it: no command, ``WORKDIR /``. As BuildKit does, an ``ENTRYPOINT`` resets a ``CMD`` its own
stage did not set. Shell forms are split as a shell would (``shlex``); one that cannot be split makes
the command unknown. ``EXPOSE`` accumulates through the stages as the image config's
``ExposedPorts`` does; a UDP port or one named by a variable (``EXPOSE $PORT``) is not a known TCP port.
https://docs.docker.com/reference/dockerfile/#expose
"""

from __future__ import annotations

import posixpath
import re
import shlex
from dataclasses import dataclass

from dockwright.dockerfile.from_args import base_image
from dockwright.dockerfile.syntax import Dockerfile, Instruction, Stage


@dataclass(frozen=True)
class FinalCommand:
    """The final stage's command; ``instruction`` is the ENTRYPOINT or CMD that set it last (evidence)."""

    entrypoint: tuple[str, ...]
    cmd: tuple[str, ...]
    workdir: str
    instruction: Instruction | None
    exposed: tuple[tuple[int, Instruction], ...] = ()  # (TCP port, the EXPOSE naming it), first first

    @property
    def argv(self) -> tuple[str, ...]:
        """What the container runs: ENTRYPOINT then CMD."""
        return self.entrypoint + self.cmd


def ancestry(dockerfile: Dockerfile, stage: Stage) -> list[Stage]:
    """The stage and the earlier stages it is built FROM (by name, ``FROM ${BASE}`` by its global
    ``ARG``'s default too), oldest first."""
    chain = [stage]
    while True:
        parent = dockerfile.stage_by_name(base_image(dockerfile, chain[0]))
        if parent is None or parent.index >= chain[0].index:
            return chain
        chain.insert(0, parent)


def _words(instruction: Instruction) -> tuple[str, ...]:
    """The instruction's arguments as exec words (ValueError for a shell form shlex cannot split)."""
    return instruction.arguments if instruction.json_form else tuple(shlex.split(instruction.value))


_PORT = re.compile(r"^(\d{1,5})(?:/tcp)?$", re.IGNORECASE)


def _tcp_ports(instruction: Instruction) -> list[int]:
    """The literal TCP ports an EXPOSE names (``8080``, ``8080/tcp``; not ``53/udp`` nor ``$PORT``)."""
    ports = []
    for word in instruction.value.split():
        match = _PORT.match(word.strip("\"'"))
        if match and 0 < int(match.group(1)) < 65536:
            ports.append(int(match.group(1)))
    return ports


def final_command(dockerfile: Dockerfile) -> FinalCommand | None:
    """The final stage's command, or None without a stage or with a shell form that cannot be split."""
    stage = dockerfile.final_stage
    if stage is None:
        return None
    found: dict[str, Instruction] = {}
    workdir = "/"
    last: Instruction | None = None
    exposed: dict[int, Instruction] = {}
    for member in ancestry(dockerfile, stage):
        cmd_here = False
        for instruction in member.instructions:
            keyword = instruction.keyword
            if keyword == "WORKDIR":
                workdir = posixpath.join(workdir, instruction.value.strip().strip("\"'"))
            elif keyword == "EXPOSE":
                for port in _tcp_ports(instruction):
                    exposed.setdefault(port, instruction)
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
    return FinalCommand(entrypoint, cmd, posixpath.normpath(workdir), last, tuple(exposed.items()))
