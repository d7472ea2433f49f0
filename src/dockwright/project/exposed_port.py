"""The port the repository's own image serves on (the port its start command binds, else its final
stage's ``EXPOSE``), for the web process that image runs.

The own-dockerfile detector carries the port its command binds, else the one TCP port the final stage
exposes (through the stages it is built ``FROM``, ``dockerfile/final_command.py``). It counts for the
plan's process only when that process is the one the repository's image runs: the own-dockerfile
candidate itself, or the framework app its command's script is or imports (``CMD ["python",
"server.py"]`` with the Tornado app in ``server.py``). It ranks after the code and the server's options
(``apps._port``): an ``EXPOSE`` documents a port, the code is what binds one; it ranks before the
framework's default, which only guesses.

The port the image's start command binds (``CMD ["uvicorn", "main:app", "--port", "5000"]``, ``-b :5000``,
``--server.port 8501``: the options ``detectors/base.port_of_command`` reads) is what that server listens
on, whatever the ``EXPOSE`` says, or when there is none: it counts for the plan's process when the
command runs the same app (its target, file or module, ``platform_port.runs_chosen``; or the framework's
own command, which finds the app itself: ``flask run -p 5000``), also when the plan serves it with a
command of its own (the framework's server command, which holds the table's default port), and ranks
before the ``EXPOSE``. Two commands differing only in the port they bind run the same process. A
command reading ``$PORT`` is ``platform_port``'s.
"""

from __future__ import annotations

from packaging.utils import canonicalize_name

from dockwright.lazy_re import lazy
from dockwright.project.detectors.base import Candidate, port_of_command, with_port
from dockwright.project.detectors.scan import ModuleScan
from dockwright.project.detectors.servers import last_command, package_of, server_call
from dockwright.project.facts import Evidence, Fact
from dockwright.project.own_image import unwrapped
from dockwright.project.plan_files import PlanFiles
from dockwright.project.platform_port import READS_PORT, runs_chosen

OWN_DOCKERFILE = "own-dockerfile"  # the detector's registry name
_TARGET = lazy(r"^[A-Za-z_][\w.]*:[A-Za-z_]")  # an app's `module:attribute`


def _runs(own: Candidate, chosen: Candidate, by_rel: dict[str, ModuleScan]) -> bool:
    """True when the own image's command runs the chosen process: the same command (but for the port it
    binds), or a script that is (or imports) the module of the chosen framework app."""
    if own is chosen or (own.command and _same_command(own.command, chosen.command)):
        return True
    if not own.rel or not chosen.rel:
        return False
    if own.rel == chosen.rel:
        return True
    scan, target = by_rel.get(own.rel), chosen.module
    if scan is None or not target:
        return False
    imported = scan.imports | set(scan.from_imports.values())
    return any(name == target or name.startswith(f"{target}.") for name in imported)


def _same_command(own: tuple[str, ...], chosen: tuple[str, ...]) -> bool:
    """Whether ``own`` is ``chosen`` but for the port its server is told (``--port 5000`` beside the
    chosen's ``--port 8000``)."""
    if own == chosen:
        return True
    port = port_of_command(chosen)
    return port is not None and with_port(own, port) == chosen


def own_bound_port(files: PlanFiles, chosen: Candidate | None) -> Fact[int | None] | None:
    """The port the repository's own image's start command binds when it runs the chosen web process's
    app (module docstring), with the ``CMD``/``ENTRYPOINT`` line as evidence; None otherwise."""
    own = files.own_final
    if own is None or chosen is None or chosen.kind != "web":
        return None
    path, _, final = own
    assert final.instruction is not None  # own_final returns a command's instruction
    argv = tuple(unwrapped(list(final.argv)))
    text = " ".join(argv)
    port = port_of_command(argv)
    if port is None or READS_PORT.search(text):
        return None
    if not runs_chosen(text, chosen) and not _framework_cli(argv, chosen):
        return None
    shown = f"{final.instruction.keyword} {' '.join(final.instruction.value.split())}"
    why = f"{shown[:80]} (the repository's own image serves the app on port {port})"
    return Fact(port, (Evidence(path, final.instruction.span.line, why),))


def _framework_cli(argv: tuple[str, ...], chosen: Candidate) -> bool:
    """Whether ``argv`` is the chosen framework's own command finding the app itself (``flask run -p
    5000``: it names no file, target nor ``--app``)."""
    words = last_command(argv)
    if not words or chosen.framework is None:
        return False
    at, program = server_call(words)
    package = package_of(program)
    framework = {canonicalize_name(chosen.framework.name), canonicalize_name(chosen.framework.module)}
    if package is None or canonicalize_name(package) not in framework:
        return False
    return not any(w.endswith(".py") or _TARGET.match(w) or w.startswith("--app") for w in words[at:])


def own_image_port(
    own: Candidate | None,
    chosen: Candidate | None,
    by_rel: dict[str, ModuleScan],
    explicit: tuple[str, ...] | None = None,
) -> Fact[int | None] | None:
    """The port the repository's own image binds or EXPOSEs for the chosen process (or for ``--start``
    when it is the image's own command), with that line as evidence; None when it says nothing of it."""
    if own is None or own.port is None or own.port_evidence is None:
        return None
    if explicit is not None:
        same = explicit == own.command
    else:
        same = chosen is not None and _runs(own, chosen, by_rel)
    return Fact(own.port, (own.port_evidence,)) if same else None
