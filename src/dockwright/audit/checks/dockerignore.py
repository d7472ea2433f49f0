"""## What it does
With `--context PATH`: reads the `.dockerignore` BuildKit applies to that build context (a uv
workspace member's `MEMBER/Dockerfile.dockerignore` at the workspace root) and checks that it
excludes virtualenvs, `__pycache__`, `.git` and secret files (`.env`, keys, tokens: the table of
`dockwright.secrets`) at any depth. FAIL when there is no ignore file or when an item the context
holds now is not excluded; WARN when nothing excludes an item the context does not hold yet.
SKIP without `--context`.

## Why is this bad?
Everything the context holds is sent to the builder and can land in the image through a
`COPY . .`: a local virtualenv shadows the one the image built (and is built for another OS), `.git`
ships the history, a `.env` ships credentials. A large context also slows every build.

## Example
```
# .dockerignore
*.log
```

## Use instead
```
# .dockerignore
**/.venv
**/venv
**/__pycache__
.git
**/.env
**/*.pem
```
"""

from __future__ import annotations

import os
import posixpath
from pathlib import Path
from typing import TYPE_CHECKING

from dockwright.audit.checks.base import CheckOptions, CheckResult, Evidence, Status
from dockwright.audit.image import ImageFacts
from dockwright.errors import DockwrightError
from dockwright.secrets import secret_match, unexcluded_secrets

if TYPE_CHECKING:
    from dockwright.dockerfile.ignore import DockerIgnore

ID = "dockerignore"
TITLE = "Tight .dockerignore"
GROUP = "checklist"


_DOCKERIGNORE_PROBES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("virtualenv", ".venv/bin/python", (".venv", "venv", "env", ".virtualenv")),
    ("__pycache__", "pkg/__pycache__/mod.cpython-311.pyc", ("__pycache__",)),
    (".git", ".git/HEAD", (".git",)),
)


def ignore_file(context: Path) -> tuple[Path, Path]:
    """The ignore file BuildKit reads for the app at ``context``, and the build context it applies to:
    a uv workspace member's ``MEMBER/Dockerfile.dockerignore`` at the workspace root, else the
    context's ``.dockerignore`` (``context`` may be the workspace root or the member's folder)."""
    from dockwright.project.workspace import locate

    own = context / ".dockerignore"
    try:
        workspace = locate(context).workspace
    except DockwrightError:
        return own, context
    if workspace is None:
        return own, context
    root = Path(workspace.context)
    if workspace.kind in ("uv-workspace", "path-dependencies") and workspace.member.value != ".":
        return root / workspace.member.value / "Dockerfile.dockerignore", root
    return root / ".dockerignore", root


def check_dockerignore(facts: ImageFacts, options: CheckOptions) -> CheckResult:
    """Tight .dockerignore: venvs, __pycache__, .git and .env are left out of the build context."""
    title = "Tight .dockerignore"
    if options.context is None:
        return CheckResult(
            "dockerignore", title, Status.SKIP, "give --context PATH to check the build context"
        )
    ignore, context = ignore_file(options.context)
    if not ignore.is_file():
        return CheckResult(
            "dockerignore",
            title,
            Status.FAIL,
            "the build context has no .dockerignore",
            (Evidence(str(ignore)),),
        )
    from dockwright.dockerfile.ignore import DockerIgnore  # only with --context

    rules = DockerIgnore.parse(ignore.read_text(encoding="utf-8", errors="replace"))
    evidence = []
    worst = Status.PASS
    for label, probe, names in _DOCKERIGNORE_PROBES:
        present = [n for n in names if (context / n).exists()]
        if label == "__pycache__":
            present = [str(p.relative_to(context)) for p in _first_pycache(context)]
        paths = [probe] + [posixpath.join(p, "x") for p in present]
        leaked = [p for p in paths if not rules.excluded(p)]
        if not leaked:
            continue
        status = Status.FAIL if present else Status.WARN
        worst = Status.FAIL if Status.FAIL in (worst, status) else Status.WARN
        where = ", ".join(present) if present else "not present now, but nothing excludes it"
        evidence.append(Evidence(str(ignore), None, 0, f"{label} not excluded ({where})"))
    leaked_secrets = unexcluded_secrets(rules)
    if leaked_secrets:
        present = _secrets_in_context(context, rules)
        status = Status.FAIL if present else Status.WARN
        worst = Status.FAIL if Status.FAIL in (worst, status) else Status.WARN
        where = ", ".join(present[:5]) if present else "not present now, but nothing excludes them"
        patterns = " ".join(e.pattern for e in leaked_secrets)
        evidence.append(Evidence(str(ignore), None, 0, f"secret files not excluded: {patterns} ({where})"))
    summary = (
        "venv, __pycache__, .git and secret files (.env, keys, tokens) at any depth are excluded"
        if worst is Status.PASS
        else (f"{len(evidence)} of {len(_DOCKERIGNORE_PROBES) + 1} must-exclude items are not excluded")
    )
    return CheckResult("dockerignore", title, worst, summary, tuple(evidence))


_CONTEXT_SKIP = frozenset({".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__"})


def _secrets_in_context(root: Path, rules: DockerIgnore, cap: int = 20000) -> list[str]:
    """Secret files (by the shared table) that the build context would carry; symlinks not followed."""
    found: list[str] = []
    seen = 0
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in _CONTEXT_SKIP)
        for name in sorted(files):
            seen += 1
            if seen > cap:
                return found
            rel = posixpath.relpath(posixpath.join(folder, name), root).replace(os.sep, "/")
            if secret_match(rel) is not None and not rules.excluded(rel):
                found.append(rel)
    return found


def _first_pycache(root: Path) -> list[Path]:
    found = []
    for path in root.rglob("__pycache__"):
        if ".venv" in path.parts or "venv" in path.parts or ".git" in path.parts:
            continue
        found.append(path)
        if len(found) >= 3:
            break
    return found
