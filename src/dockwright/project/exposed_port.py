"""The port the repository's own image serves on (its final stage's ``EXPOSE``), for the web process
that image runs.

The own-dockerfile detector carries the one TCP port the final stage exposes (through the stages it
is built ``FROM``, ``dockerfile/final_command.py``). It counts for the plan's process only when that
process is the one the repository's image runs: the own-dockerfile candidate itself, or the
framework app its command's script is or imports (``CMD ["python", "server.py"]`` with the Tornado
app in ``server.py``). It ranks after the code and the server's options (``apps._port``): an
``EXPOSE`` documents a port, the code is what binds one; it ranks before the framework's default,
which only guesses.
"""

from __future__ import annotations

from dockwright.project.detectors.base import Candidate
from dockwright.project.detectors.scan import ModuleScan
from dockwright.project.facts import Fact

OWN_DOCKERFILE = "own-dockerfile"  # the detector's registry name


def _runs(own: Candidate, chosen: Candidate, by_rel: dict[str, ModuleScan]) -> bool:
    """True when the own image's command runs the chosen process: the same command, or a script that is
    (or imports) the module of the chosen framework app."""
    if own is chosen or (own.command and own.command == chosen.command):
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


def own_image_port(
    own: Candidate | None,
    chosen: Candidate | None,
    by_rel: dict[str, ModuleScan],
    explicit: tuple[str, ...] | None = None,
) -> Fact[int | None] | None:
    """The port the repository's own image EXPOSEs for the chosen process (or for ``--start`` when it
    is the image's own command), with the EXPOSE line as evidence; None when it says nothing of it."""
    if own is None or own.port is None or own.port_evidence is None:
        return None
    if explicit is not None:
        same = explicit == own.command
    else:
        same = chosen is not None and _runs(own, chosen, by_rel)
    return Fact(own.port, (own.port_evidence,)) if same else None
