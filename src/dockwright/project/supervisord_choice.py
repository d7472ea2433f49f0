"""Which start is the truth when a Procfile (or compose file, platform file, entry script) and a
supervisord file both name one.

What it finds
    The repository's own Dockerfile's final command runs supervisord (``CMD ["supervisord", "-c",
    "/srv/app/deploy/supervisord.conf"]``, through a shell or an init wrapper too, or as a line of the
    entry script it runs after the script's own steps), and the tree holds that supervisord file:
    matched by the path's tail, else the file the image copies where supervisord reads its
    configuration (``COPY deploy/supervisord.conf /etc/supervisor/conf.d/app.conf``), else any.

Decision (docs/detection.md, "A Procfile and a supervisord file")
    By rank a Procfile outranks a supervisord file: a Procfile is what a platform runs, and a
    supervisord file is often a VM's set-up left in the tree. When the project's own image runs
    supervisord, its programs are what the maintainers' container runs (often a web program and a
    worker beside it, where the Procfile names the web alone): each of that file's candidates then ranks
    before the repository command of the same kind, and the plan says so with the Dockerfile's line.
"""

from __future__ import annotations

import posixpath
import shlex
from collections.abc import Callable

from dockwright.dockerfile.syntax import Dockerfile
from dockwright.project.detectors.base import Candidate, Context, move_before
from dockwright.project.detectors.entry_script import own_image_script
from dockwright.project.detectors.servers import last_command
from dockwright.project.entry_run import shell_lines
from dockwright.project.own_image import unwrapped

_OUTRANKED = frozenset({"procfile", "compose", "deploy", "entry-script"})


def promote_supervisord(ctx: Context, ranked: list[Candidate], notes: list[str]) -> list[Candidate]:
    """``ranked`` with the programs of the supervisord file the own image runs before the repository
    commands of the same kind (module docstring)."""
    programs = [c for c in ranked if c.source == "supervisord"]
    if not programs or not any(c.source in _OUTRANKED for c in ranked):
        return ranked
    own = ctx.files.own_final  # read once per plan (plan_files.py)
    if own is None:
        return ranked
    path, dockerfile, final = own
    assert final.instruction is not None  # own_final returns a command's instruction
    argv = last_command(tuple(unwrapped(list(final.argv))))
    where = f"{path}:{final.instruction.span.line}"
    shown = f"{final.instruction.keyword} {' '.join(final.instruction.value.split())}"[:80]
    if argv and posixpath.basename(argv[0]) != "supervisord":  # an entry script ending by supervisord
        script = ctx.once(own_image_script)  # the script the own image runs (detectors/entry_script.py)
        found = _supervisord_line(ctx.tree.read_script(script)) if script else None
        if found is None:
            return ranked
        line, argv = found
        where, shown = f"{script}:{line}", f"{shown}, which runs {' '.join(argv)}"[:120]
    if not argv:
        return ranked
    config = _config(argv)
    sources = _copied_configs(dockerfile) if not config else ()
    chosen = [
        c
        for c in programs
        if (config and config.endswith("/" + c.evidence[0].file))
        or (not config and (not sources or c.evidence[0].file in sources))
    ]
    chosen = chosen or [c for c in programs if config and posixpath.basename(config) == c.evidence[0].file]
    out = list(ranked)
    for program in chosen:
        outranked = move_before(out, program, _outranked_by(program))
        if outranked is None:
            continue
        notes.append(
            f"{program.evidence[0]} is the {program.kind} start, before {outranked.evidence[0]}: the "
            f"repository's own image runs supervisord ({where} {shown})"
        )
    return out


def _outranked_by(program: Candidate) -> Callable[[Candidate], bool]:
    """A start of ``program``'s kind from a source it outranks; a compose service without a command
    only hints: nothing to outrank."""
    return lambda c: c.kind == program.kind and c.source in _OUTRANKED and bool(c.command)


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


# where supervisord reads its configuration without -c (supervisord's search path and Debian's
# /etc/supervisor/supervisord.conf, which includes conf.d/*.conf): http://supervisord.org/configuration.html
_READ_AT = ("/etc/supervisord.conf", "/etc/supervisor/supervisord.conf", "/etc/supervisor/conf.d/")


def _copied_configs(dockerfile: Dockerfile) -> tuple[str, ...]:
    """The tree's files the image copies where supervisord reads its configuration."""
    out: list[str] = []
    for instruction in dockerfile.instructions:
        if instruction.keyword not in ("COPY", "ADD"):
            continue
        words = [a for a in instruction.arguments if not a.startswith("--")]
        if len(words) < 2 or not words[-1].startswith(_READ_AT):
            continue
        out += [w.removeprefix("./") for w in words[:-1]]
    return tuple(out)


def _supervisord_line(text: str) -> tuple[int, tuple[str, ...]] | None:
    """The line of a shell script that runs supervisord (``exec`` or not) and its words."""
    for number, line in shell_lines(text):
        try:
            words = tuple(w for w in shlex.split(line) if w != "exec")
        except ValueError:
            continue
        if words and posixpath.basename(words[0]) == "supervisord":
            return number, words
    return None
