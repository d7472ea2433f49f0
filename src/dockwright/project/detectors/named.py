"""Which project file a repository's own launch line names (shared by the UI and worker detectors).

A shell script, Makefile, Procfile (or the own image's command) that says ``streamlit run app/home.py``,
``panel serve dash.py`` or ``python src/ui/app.py`` tells which of several candidate files is the app: the
detectors prefer it to their own ranking. Looked at: top-level ``*.sh``, ``Makefile`` and ``Procfile``,
and ``*.sh`` under ``bin/``, ``docker/``, ``deploy/`` and ``scripts/``; then the command the repository's
own image runs (its Dockerfile's final ``CMD``/``ENTRYPOINT``: ``CMD ["chainlit", "run", "desk.py",
"--port", "7000"]``), whose paths are read from its ``WORKDIR``."""

from __future__ import annotations

import posixpath
import re
import shlex
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from dockwright.lazy_re import lazy
from dockwright.project.detectors.base import Context, outside_app, port_of_command
from dockwright.project.detectors.scan import ModuleScan
from dockwright.project.facts import Evidence

LAUNCH_DIRS = ("bin", "docker", "deploy", "scripts")


def launch_files(ctx: Context) -> list[str]:
    """The repository's launch files, top level first."""
    out = [r for r in ctx.tree.top_files() if r.endswith(".sh") or r in ("Makefile", "Procfile")]
    for folder in LAUNCH_DIRS:
        if ctx.tree.is_dir(folder):
            out += [f"{folder}/{n}" for n in ctx.tree.listdir(folder) if n.endswith(".sh")]
    return [r for r in out if ctx.tree.is_file(r)]


@dataclass(frozen=True)
class Launch:
    """A project file (or app directory) a launch line runs, the line's evidence and the port its
    flags ask for (``--port 5100``, ``--server.port=8502``), if any."""

    rel: str
    evidence: Evidence
    port: int | None


def _lines(text: str) -> Iterator[tuple[int, str]]:
    """Logical lines with their first line number: backslash continuations joined."""
    pending, start = "", 0
    for number, line in enumerate(text.splitlines(), 1):
        if not pending:
            start = number
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        yield start, pending + line
        pending = ""
    if pending:
        yield start, pending


def named_files(
    ctx: Context, launcher: str, suffixes: tuple[str, ...] = (".py",), dirs: bool = False
) -> Iterator[Launch]:
    """Every project file a launch line runs with ``launcher`` (a regex: ``streamlit\\s+run``), as a
    project-relative path (``./`` and the launch file's own folder resolved); with ``dirs``, also an
    app directory holding ``main.py`` (``bokeh serve ./app``). Options before the file may take a
    value (``--port 5100``)."""
    ends = "|".join(re.escape(s) for s in suffixes) + ("|" if dirs else "")
    flags = r"(?:-(?!m\s)[\w.-]+(?:=\S*|\s+[^-\s]\S*)?\s+)*"  # not `-m` (python -m pytest tests/x.py)
    pattern = lazy(rf"(?:^|[\s;&|(]){launcher}\s+{flags}([\w./-]+(?:{ends}))(?=\s|$|[;&|)])")
    for rel, folder, number, line in _launch_lines(ctx):  # compiled at the first line (most have none)
        for match in pattern.finditer(line):
            path = match.group(1).removeprefix("./").rstrip("/")
            for candidate in dict.fromkeys((path, f"{folder}/{path}" if folder else path)):
                app_dir = dirs and ctx.tree.is_file(f"{candidate}/main.py")
                if (ctx.tree.is_file(candidate) and candidate.endswith(suffixes)) or app_dir:
                    ev = Evidence(rel, number, " ".join(line.split())[:120])
                    yield Launch(candidate, ev, _port(line[match.start() :]))
                    break


def _launch_lines(ctx: Context) -> Iterator[tuple[str, str, int | None, str]]:
    """(file, the folder its paths are read from, line number, line) of every launch line, in order."""
    for rel in launch_files(ctx):
        for number, line in _lines(ctx.tree.read_script(rel)):
            yield rel, rel.rpartition("/")[0], number, line
    yield from _own_image_line(ctx)


def _own_image_line(ctx: Context) -> list[tuple[str, str, int | None, str]]:
    """The command the repository's own image runs as a launch line (its Dockerfile, no folder: its
    paths are read from the image's ``WORKDIR``, which the project's copy stands for), or nothing."""
    from dockwright.project.own_image import unwrapped

    own = ctx.files.own_final
    if own is None or own[2].instruction is None:
        return []
    path, _, final = own
    line_number = own[2].instruction.span.line
    argv = unwrapped(list(final.argv))
    if len(argv) == 3 and posixpath.basename(argv[0]) in ("sh", "bash") and argv[1] == "-c":
        argv = [argv[2]]  # `sh -c "LINE"`: the line itself
    workdir = final.workdir.rstrip("/") + "/"
    words = [w[len(workdir) :] if workdir != "/" and w.startswith(workdir) else w for w in argv]
    line = words[0] if len(words) == 1 else shlex.join(words)
    return [(path, "", line_number, line)]


def _port(line: str) -> int | None:
    try:
        words = shlex.split(line, comments=True)
    except ValueError:
        return None
    return port_of_command(words)


def named_module(
    ctx: Context, launcher: str, accept: Callable[[ModuleScan], bool]
) -> tuple[ModuleScan, Launch] | None:
    """The first module a launch line runs with ``launcher`` that the detector accepts (it imports
    the framework ...), with the launch."""
    for launch in named_files(ctx, launcher):
        if outside_app(launch.rel):
            continue  # a test, example or doc file a Makefile runs is not the app
        if launch.rel in ctx.by_rel and accept(ctx.by_rel[launch.rel]):
            return ctx.by_rel[launch.rel], launch
    return None
