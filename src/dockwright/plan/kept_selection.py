"""The extras and groups the project's own Dockerfile chose, kept in the Dockerfile that replaces it
(and its Python: ``# dockwright-kept: FROM python:3.11``, read by project/python_version.py; and the
index its ``pip install -r requirements.txt --extra-index-url URL`` used, read by project/recipe_indexes.py;
and a start given on the command line: ``# dockwright-kept: --start '...' --port N``, read by
written_base.py for plan, init and build).

What it does: when the uv.lock selection (project/uv_selection.py) took an extra or a group from the file
the plan writes its Dockerfile to (the project's own root ``Dockerfile`` with ``uv sync --extra web``), or
a package whose lock dockwright writes took an extra from that file's ``pip install ".[web]"``
(project/detect.py), the generated Dockerfile carries one header line ``# dockwright-kept: uv sync --extra
web``. The selection reads that line of a generated Dockerfile (and nothing else of it), so the next plan
chooses the same; ``extras``/``groups`` in ``[tool.dockwright]`` (or ``--extra``/``--group``) still decide
instead, and a choice made there is not recorded.

Why: ``dockwright init --force`` replaced a Dockerfile whose ``--extra`` was the only place the choice
was written: the plan after it no longer installed the extra (a generated file is not read as the
project's instructions), so two runs of init gave two images.
"""

from __future__ import annotations

import dataclasses
import posixpath
import shlex

from dockwright.plan.model import BuildPlan
from dockwright.project.facts import Evidence, Fact
from dockwright.project.recipe_indexes import RECIPE_INDEX
from dockwright.project.uv_selection import KEPT_MARK

# the evidence detail of an extra the project's own container recipe installs (uv_selection.run_extras)
RECIPE_EXTRA = "a container recipe installs the extra "


def _written_here(plan: BuildPlan) -> set[str]:
    """The names the Dockerfile the plan writes has in the selection's evidence (the context's path;
    a workspace member's own files are named from its folder)."""
    names = {plan.dockerfile_path}
    workspace = plan.facts.workspace
    if workspace is not None and workspace.member.value not in ("", "."):
        names.add(posixpath.relpath(plan.dockerfile_path, workspace.member.value))
    return names


def kept_python(plan: BuildPlan) -> str | None:
    """``dockwright-kept: FROM python:3.11`` when the Python was read from the file the plan replaces."""
    requested = plan.facts.python.requested
    ev = requested.evidence[0] if requested.evidence else None
    own = (
        ev is not None
        and ev.detail.startswith("FROM ")
        and "the Python of the project's own image" in ev.detail
    )
    if ev is None or ev.file not in _written_here(plan) or not own:
        return None
    return f"{KEPT_MARK.removeprefix('# ')}FROM python:{requested.value}"


def kept_line(plan: BuildPlan) -> str | None:
    """``dockwright-kept: uv sync ...`` for the extras and groups read from the file the plan replaces."""
    selection = plan.facts.dependencies.uv_selection
    here = _written_here(plan)
    if selection is None:  # a package's lock dockwright writes: the extras its own recipe installs
        extras = [
            e.detail.removeprefix(RECIPE_EXTRA)
            for e in plan.facts.dependencies.declared_evidence
            if e.file in here and e.detail.startswith(RECIPE_EXTRA)
        ]
        flags = [f"--extra {name}" for name in dict.fromkeys(extras)]
        return f"{KEPT_MARK.removeprefix('# ')}uv sync {' '.join(flags)}" if flags else None

    def from_here(fact: Fact[str]) -> bool:
        return any(e.file in here for e in fact.evidence)

    flags = [f"--extra {f.value}" for f in selection.extras if from_here(f)]
    flags += [f"--group {f.value}" for f in selection.groups if from_here(f)]
    if not flags:
        return None
    return f"{KEPT_MARK.removeprefix('# ')}uv sync {' '.join(flags)}"


def kept_indexes(plan: BuildPlan) -> str | None:
    """``dockwright-kept: pip install -r requirements.txt --extra-index-url URL`` for the indexes the file
    the plan replaces passed to pip with the requirements (project/recipe_indexes.py; credential-free)."""
    here = _written_here(plan)
    options = [
        f"{'--index-url' if index.role == 'default' else '--extra-index-url'} {index.url}"
        for index in plan.facts.dependencies.indexes
        if index.evidence.file in here and index.evidence.detail.startswith(RECIPE_INDEX)
    ]
    files = [f for f in plan.facts.dependencies.input_files if f.endswith((".txt", ".in"))]
    if not options or not files:
        return None
    return f"{KEPT_MARK.removeprefix('# ')}pip install -r {files[0]} {' '.join(options)}"


def kept_start(plan: BuildPlan) -> str | None:
    """``dockwright-kept: --start '...' [--port N]`` for a start given on the command line (init's
    ``--start``, or ``[tool.dockwright] start``): the build of this file plans with it
    (written_base.py), as its CMD runs it."""
    app = plan.facts.app
    given = next(
        (
            e.detail
            for e in app.command.evidence
            if e.file == "command line" and e.detail.startswith("--start ")
        ),
        None,
    )
    if given is None:
        return None
    words = ["--start", given.removeprefix("--start ")]  # read by written_base.py
    port = next(
        (e.detail for e in app.port.evidence if e.file == "command line" and e.detail.startswith("--port ")),
        None,
    )
    if port is not None:
        words += ["--port", port.removeprefix("--port ")]
    return f"{KEPT_MARK.removeprefix('# ')}{shlex.join(words)}"


def _given(evidence: Evidence, option: str) -> bool:
    return evidence.file == "command line" and evidence.detail.startswith(option)


def apply(plan: BuildPlan) -> BuildPlan:
    """``plan`` whose Dockerfile header keeps the selection its own Dockerfile made (see the module doc)."""
    lines: list[str] = []
    line = kept_line(plan)
    if line is not None:
        lines.append(
            f"{line} (the choice of the Dockerfile this one replaces: the next plan reads this line; "
            "extras/groups in [tool.dockwright] decide instead)"
        )
    indexes = kept_indexes(plan)
    if indexes is not None:
        lines.append(
            f"{indexes} (the index the Dockerfile this one replaces installed with: the next plan reads this "
            "line)"
        )
    python = kept_python(plan)
    if python is not None:
        lines.append(
            f"{python} (the Python of the Dockerfile this one replaces: the next plan reads this line; "
            ".python-version or --python decide instead)"
        )
    start = kept_start(plan)
    if start is not None:
        lines += [
            "The start given to init (plan, init --force and the build of this file take it from the next "
            "line; a --start, --port or --process given to them decides instead):",
            start,
        ]
    if not lines:
        return plan
    return dataclasses.replace(plan, header=(*plan.header[:1], *lines, *plan.header[1:]))
