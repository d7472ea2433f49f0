"""C libraries the image cannot provide (``ProjectFacts.foreign``, issue 12 class 3), planned as what
they are: a decision and a warning naming the library, the package that loads it, the evidence and
what to do, never a silent image that fails when the package builds or is imported.

Applied by the planner after the strategy. The Dockerfile's header says it too, so an image written
with ``init --force`` carries the reason. ``init`` refuses without ``--force`` (:func:`refusal`):
the default promise is an image that runs, and no Debian package can keep it here.

Builds of C libraries from source the repository has (its Dockerfile, CI, scripts) that no table row
claims are a warning of their own: the app may need that library too.
"""

from __future__ import annotations

import dataclasses

from dockwright.plan.model import BuildPlan, Decision
from dockwright.project.facts import Evidence, ForeignLibNeed, ProjectFacts
from dockwright.project.foreign import INSTALL_LINE, ForeignRow, foreign_table

WHERE = (
    "add a stage before the builder stage that installs it into /usr/local (the repository's own build "
    "lines are in the evidence), COPY it into the builder before the dependency install and into the "
    "runtime before USER (then RUN ldconfig), or build FROM a base image that has it"
)


def _repo_lines(need: ForeignLibNeed) -> list[Evidence]:
    return [e for e in need.evidence if e.line is not None]


def _reason(need: ForeignLibNeed) -> str:
    evidence = "; ".join(str(e) for e in need.evidence)
    return (
        f"{need.package} needs {need.library}, which Debian does not package: provide {need.provide}; "
        f"{WHERE} ({evidence})"
    )


def warning(need: ForeignLibNeed) -> str:
    own = _repo_lines(need)
    seen = f"; the repository builds it itself at {own[0].file}:{own[0].line}" if own else ""
    return (
        f"{need.package} needs {need.library}, which no Debian package provides: the image will not "
        f"build or import it until you provide {need.provide}{seen}"
    )


def unclaimed_builds(facts: ProjectFacts) -> list[Evidence]:
    """The first source-build line of each file that no foreign need's evidence claims."""
    claimed = {(e.file, e.line) for need in facts.foreign for e in _repo_lines(need)}
    out: dict[str, Evidence] = {}
    for build in facts.source_builds:
        if (build.file, build.line) in claimed or build.file in out:
            continue
        if INSTALL_LINE.search(build.detail):
            out[build.file] = build
    claimed_files = {file for file, _ in claimed}
    return [e for f, e in out.items() if f not in claimed_files]


def known_library(facts: ProjectFacts, file: str) -> ForeignRow | None:
    """The table row whose markers a source-build line of ``file`` names (its download, its folder)."""
    lines = " ".join(b.detail.lower() for b in facts.source_builds if b.file == file)
    rows, _ = foreign_table()
    return next((r for r in rows.values() if any(m in lines for m in r.markers)), None)


def apply(plan: BuildPlan) -> BuildPlan:
    facts = plan.facts
    decisions = list(plan.decisions)
    warnings = list(plan.warnings)
    header = list(plan.header)
    for need in facts.foreign:
        decisions.append(Decision("foreign-library", f"{need.library}: not provided", _reason(need)))
        warnings.append(warning(need))
        header.append(
            f"NOT PROVIDED: {need.library} for {need.package} (no Debian package); see `dockwright plan`"
        )
    for build in unclaimed_builds(facts):
        row = known_library(facts, build.file)
        what = (
            f"{row.library} (for {row.name}, which the dependencies do not list; no Debian package has "
            f"it: provide {row.provide})"
            if row
            else "a C library"
        )
        decisions.append(
            Decision(
                "source-build",
                "not reproduced",
                f"{build} builds {what} from source; this image installs Debian packages only",
            )
        )
        warnings.append(
            f"{build.file}:{build.line} builds {what} from source ({build.detail}); the generated "
            "image does not: check that the app does not need it"
        )
    if len(decisions) == len(plan.decisions):
        return plan
    return dataclasses.replace(
        plan, decisions=tuple(decisions), warnings=tuple(warnings), header=tuple(header)
    )


def refusal(facts: ProjectFacts) -> str | None:
    """Why ``init`` will not write the files without ``--force``, or None."""
    if not facts.foreign:
        return None
    libraries = "; ".join(f"{n.package} needs {n.library}" for n in facts.foreign)
    return (
        f"{libraries} (not packaged by Debian): the image would fail to build or import it; provide the "
        "library (see `dockwright plan`), then run init --force to write the files with this warning"
    )
