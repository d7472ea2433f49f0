"""Which start is the truth when a Procfile (or compose file, platform file, entry script) and a
supervisord file both name one.

What it finds
    The repository's own Dockerfile's final command runs supervisord (``CMD ["supervisord", "-c",
    "/srv/app/deploy/supervisord.conf"]``, through a shell or an init wrapper too), and the tree holds that
    supervisord file (matched by its path's tail; any supervisord file when the command names none).

Decision (docs/detection.md, "A Procfile and a supervisord file")
    By rank a Procfile outranks a supervisord file: a Procfile is what a platform runs, and a
    supervisord file is often a VM's set-up left in the tree. When the project's own image runs
    supervisord, its programs are what the maintainers' container runs (often a web program and a
    worker beside it, where the Procfile names the web alone): each of that file's candidates then ranks
    before the repository command of the same kind, and the plan says so with the Dockerfile's line.
"""

from __future__ import annotations

import posixpath

from dockwright.project.detectors.base import Candidate, Context
from dockwright.project.detectors.servers import last_command
from dockwright.project.own_image import own_final, unwrapped

_OUTRANKED = frozenset({"procfile", "compose", "deploy", "entry-script"})


def promote_supervisord(ctx: Context, ranked: list[Candidate], notes: list[str]) -> list[Candidate]:
    """``ranked`` with the programs of the supervisord file the own image runs before the repository
    commands of the same kind (module docstring)."""
    programs = [c for c in ranked if c.source == "supervisord"]
    if not programs or not any(c.source in _OUTRANKED for c in ranked):
        return ranked
    own = own_final(ctx.tree)
    if own is None:
        return ranked
    path, _, final = own
    argv = last_command(tuple(unwrapped(list(final.argv))))
    if not argv or posixpath.basename(argv[0]) != "supervisord":
        return ranked
    config = _config(argv)
    chosen = [c for c in programs if not config or config.endswith("/" + c.evidence[0].file)]
    chosen = chosen or [c for c in programs if config and posixpath.basename(config) == c.evidence[0].file]
    out = list(ranked)
    assert final.instruction is not None  # own_final returns a command's instruction
    line = final.instruction.span.line
    shown = f"{final.instruction.keyword} {' '.join(final.instruction.value.split())}"[:80]
    for program in chosen:
        before = out[: out.index(program)]
        outranked = next((c for c in before if c.kind == program.kind and c.source in _OUTRANKED), None)
        if outranked is None:
            continue
        out.remove(program)
        out.insert(out.index(outranked), program)
        notes.append(
            f"{program.evidence[0]} is the {program.kind} start, before {outranked.evidence[0]}: the "
            f"repository's own image runs supervisord ({path}:{line} {shown})"
        )
    return out


def _config(argv: tuple[str, ...]) -> str:
    """The configuration file supervisord's command names (``-c FILE``, ``--configuration=FILE``), ""."""
    for i, word in enumerate(argv[1:], 1):
        if word in ("-c", "--configuration") and i + 1 < len(argv):
            return argv[i + 1]
        if word.startswith("--configuration="):
            return word.split("=", 1)[1]
        if word.startswith("-c") and len(word) > 2:
            return word[2:]
    return ""
