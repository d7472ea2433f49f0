"""Keep ``pkg_resources`` for the dependencies that still ask for setuptools at run time.

setuptools 82.0.0 removed ``pkg_resources`` (its changelog: "Projects and environments relying on
pkg_resources ... should depend on older versions of setuptools",
https://setuptools.pypa.io/en/stable/history.html#v82-0-0). A library that declares setuptools as a run-time
dependency does so, almost always, to import ``pkg_resources`` (gunicorn < 21: ``import pkg_resources``
in ``gunicorn/util.py``, with ``setuptools>=3.0`` in its requirements), and nothing in its metadata caps
the version: a fresh resolution pins the newest setuptools and the app stops at import with
``ModuleNotFoundError: No module named 'pkg_resources'``. So when only dependencies bring setuptools into
a resolution and it lands on 82 or later, the lock is resolved again under ``setuptools<82``. A project
that asks for setuptools itself keeps what it asked for. The requirement is the one of
``project/data/pkg_resources_users.toml``, which also adds it for a locked library that imports
pkg_resources without asking for setuptools at all (project/pkg_resources_users.py).
"""

from __future__ import annotations

import re

from dockwright.project.pkg_resources_users import setuptools_requirement

_PIN = re.compile(r"^setuptools==(?P<version>[0-9][^\s\\;]*)", re.MULTILINE)
_REQUIREMENT = re.compile(r"^[A-Za-z0-9]", re.MULTILINE)


def _release(version: str) -> tuple[int, ...]:
    numbers = []
    for part in version.split("."):
        digits = re.match(r"\d+", part)
        if not digits:
            break
        numbers.append(int(digits.group()))
    return tuple(numbers)


# the one setuptools requirement that keeps pkg_resources (project/data/pkg_resources_users.toml), which
# the project's own table of pkg_resources importers adds too, and the first release without it
CAP = setuptools_requirement()
FIRST_WITHOUT = _release(CAP.partition("<")[2])


def _via(block: str) -> list[str]:
    """The names of uv's ``# via`` annotation in one pin's block (one line or an indented list)."""
    names: list[str] = []
    listing = False
    for raw in block.splitlines()[1:]:
        line = raw.strip()
        if line.startswith("# via"):
            rest = line.removeprefix("# via").strip()
            if rest:
                names.append(rest)
            listing = not rest
        elif listing and line.startswith("#   "):
            names.append(line.removeprefix("#").strip())
        elif listing:
            listing = False
    return names


def cap_needed(body: str) -> str | None:
    """The dependencies that bring setuptools >= 82 into ``body`` (a ``uv pip compile`` output with its
    ``# via`` annotations), joined for a message; None when setuptools is not there, is older, is
    asked for by the project itself (``-r FILE``, ``NAME (pyproject.toml)``, stdin), or has no
    annotation to tell."""
    match = _PIN.search(body)
    if match is None or _release(match.group("version")) < FIRST_WITHOUT:
        return None
    following = _REQUIREMENT.search(body, match.end())
    block = body[match.start() : following.start() if following else len(body)]
    via = _via(block)
    if not via or any(v.startswith("-r ") or v == "-r" or "(" in v or v == "-" for v in via):
        return None
    return ", ".join(via)
