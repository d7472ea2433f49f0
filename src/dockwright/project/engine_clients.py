"""An app that drives a container engine through its API socket.

What it does
    Finds the modules the app loads that import a client of a container engine's API
    (``data/engine_clients.toml``: the Docker SDK's ``docker``, ``aiodocker``, podman-py's ``podman``),
    and names the first import line in a note: the container reaches the engine only when ``docker run``
    mounts its socket, and the socket belongs to root and the host's ``docker`` group, which the image's
    user (UID 10001) is not in. ``init``'s run line mounts it and adds that group
    (``cli/next_steps.py``).

Why is this bad?
    Run as planned, a container updater or a CI runner stops at its first call with
    ``docker.errors.DockerException: Error while fetching server API version: ('Connection aborted.',
    FileNotFoundError(2, 'No such file or directory'))``, and with the socket mounted but no group,
    ``PermissionError(13, 'Permission denied')`` (session 40: an updater's plan did not say so).

Example
    ``client = docker.from_env()`` in ``updater/main.py``.

Use instead
    ``docker run -v /var/run/docker.sock:/var/run/docker.sock --group-add "$(stat -c %g
    /var/run/docker.sock)" IMAGE``, or ``DOCKER_HOST=tcp://...`` to a socket proxy that allows only the
    calls the app makes (mounting the socket gives the container root's power over the host).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from dockwright.project.detectors.scan import ModuleScan
from dockwright.project.tree import ProjectTree, data_table

SOCKET = "/var/run/docker.sock"


@cache
def engine_clients() -> dict[str, str]:
    """Import name -> what the library is."""
    return {str(row["import"]): str(row["what"]) for row in data_table("engine_clients.toml")["client"]}


def uses_engine(imports: Iterable[str]) -> bool:
    """Whether the app's third-party imports hold an engine client."""
    return bool(set(imports) & engine_clients().keys())


def engine_client_notes(tree: ProjectTree, scans: Iterable[ModuleScan]) -> list[str]:
    """The note for the first loaded module importing an engine client (module docstring), or none."""
    clients = engine_clients()
    for scan in scans:
        found = sorted(scan.imports & clients.keys())
        if not found:
            continue
        name = found[0]
        line = tree.line_of(scan.rel, rf"^[ \t]*(?:import|from)[ \t]+{name}\b")
        where = f"{scan.rel}:{line}" if line else scan.rel
        return [
            f"{where} imports {name} ({clients[name]}), which talks to the container engine through its "
            f"socket: run the image with it mounted and its group added (`docker run -v {SOCKET}:{SOCKET} "
            f'--group-add "$(stat -c %g {SOCKET})"`; the image\'s user is in no group that owns it), or '
            "point DOCKER_HOST at a socket proxy; either gives the container power over the host's engine"
        ]
    return []
