"""The literal secrets of the project's own modules that the image carries (the secrets check, with
``--context``).

The plan names a module that sets a secret-looking setting to a literal (``DB_PASSWORD = "..."``, a
value shaped like a key: project/code_secrets.py). The image's own scan looks for key shapes only, so
such a file passed it. With the build context at hand, each of the project's Python modules that the
image holds (the same path tail and the same size: copied to the work directory, or installed from the
project's wheel) is read from the context and judged as the plan judges it; the evidence is the
image's path, the line and the setting's name, never the value.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Iterator
from pathlib import Path

from dockwright.audit.checks.base import Evidence
from dockwright.audit.image import FileEntry, ImageFacts
from dockwright.project.code_secrets import code_secrets
from dockwright.secret_values import may_hold_secret

_SKIP = frozenset(
    {".git", ".hg", ".venv", "venv", "node_modules", "__pycache__", ".tox", ".nox", "site-packages"}
)
_LARGEST = 1 << 20  # a module larger than 1 MiB is generated, not settings


def context_literals(facts: ImageFacts, context: Path) -> list[Evidence]:
    """Evidence for each literal secret of a project module the image carries."""
    by_name: dict[str, list[FileEntry]] = {}
    for path, entry in facts.files.items():
        if path.endswith(".py") and entry.kind == "file":
            by_name.setdefault(path.rsplit("/", 1)[-1], []).append(entry)
    found: list[Evidence] = []
    for rel, size in _modules(context):
        tails = {rel, rel.removeprefix("src/")}
        shipped = [
            e
            for e in by_name.get(rel.rsplit("/", 1)[-1], ())
            if e.size == size and any(("/" + e.path).endswith("/" + tail) for tail in tails)
        ]
        if not shipped:
            continue
        try:
            text = (context / rel).read_text(encoding="utf-8")
            secrets = code_secrets(ast.parse(text), text) if may_hold_secret(text) else []
        except (OSError, UnicodeDecodeError, SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        for secret in secrets:
            held = "a value shaped like" if secret.held == "shape" else "a literal value for"
            detail = (
                f"line {secret.line} holds {held} {secret.name} ({rel} of the build context, as the plan "
                "names it): read it from the environment instead"
            )
            found += [Evidence("/" + e.path, e.layer, e.size, detail) for e in shipped]
    return found


def _modules(context: Path) -> Iterator[tuple[str, int]]:
    """(path relative to the context, size) of each Python module of the context, tool folders left out."""
    for folder, dirs, files in os.walk(context):
        dirs[:] = [d for d in dirs if d not in _SKIP and not d.endswith(".egg-info")]
        for name in files:
            if not name.endswith(".py"):
                continue
            path = Path(folder) / name
            if path.is_symlink():
                continue  # never a read through a link (it may lead out of the context)
            try:
                size = path.stat().st_size
            except OSError:
                continue
            if size <= _LARGEST:
                yield path.relative_to(context).as_posix(), size
