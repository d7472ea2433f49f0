"""Packages a manager lock takes from a VCS checkout (``poetry-core @ git+https://...``).

``pip install --require-hashes`` cannot verify a VCS checkout (pip refuses such a line: "Can't verify
hashes for these requirements because we don't have a way to hash version control repositories"),
so the hash-locked ``requirements.lock`` converted from ``poetry.lock``/``pdm.lock``/``uv.lock``/
``Pipfile.lock`` (``lock/convert.py``) leaves them out. The image then lacks the package and stops on
``ModuleNotFoundError`` at its first import; the plan says so, with the lock's line. A uv workspace
member is installed by ``uv sync --locked`` from uv.lock itself (no converted lock): uv clones the
package at its locked commit, with the git the builder gets for it (``plan/strategies/uv.py``).

Source: pip's secure installs (https://pip.pypa.io/en/stable/topics/secure-installs/#hash-checking-mode).
"""

from __future__ import annotations

import re

from dockwright.project.facts import Dependencies
from dockwright.project.tree import ProjectTree


def vcs_notes(tree: ProjectTree, deps: Dependencies, *, uv_sync: bool = False) -> list[str]:
    """One note per VCS package of a manager lock that the image would install (none when ``uv sync``
    installs the lock itself: ``uv_sync``, a uv workspace member)."""
    lock = deps.lock_file
    if lock is None or (uv_sync and lock == "uv.lock"):
        return []
    notes = []
    from_git = {dep.name for dep in deps.git}  # built from their commits (project/gitdeps.py)
    for package in deps.locked:
        if package.source != "vcs" or package.name in from_git:
            continue
        line = tree.line_of(lock, rf'^name = "{re.escape(package.name)}"') or tree.line_of(
            lock, rf'^"?{re.escape(package.name)}"?\s*='
        )
        where = f"{lock}:{line}" if line else lock
        notes.append(
            f"{where}: {package.name} {package.version} comes from a VCS checkout, which a hash-locked "
            "install cannot verify, so the converted requirements.lock leaves it out and the image "
            f"would stop on ModuleNotFoundError where the app imports it; pin a release of {package.name} "
            "from the index (or build its wheel into the project and install it from there)"
        )
    return notes
