"""Applying lint fixes to a file: only the fixed bytes change.

The file is decoded losslessly (UTF-8, undecodable bytes kept as surrogates, so a latin-1 byte is
written back as the same byte), CRLF line endings are kept, fixes are applied until none is left
(overlapping edits wait for the next round, so a second ``--fix`` changes nothing), and a symlinked
Dockerfile is written through to its target when that target is inside the linted folder (refused
otherwise).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dockwright.errors import DockwrightError
from dockwright.lint.linter import LintOptions, apply_fixes, lint_text, load_config
from dockwright.project.tree import inside, read_inside

MAX_ROUNDS = 10
"""Rounds of fixing one file (each re-lints the result); fixes never cascade this deep."""


@dataclass(frozen=True)
class FixedFile:
    path: Path  # the file written (a symlink's target)
    before: str  # lossless text, newlines as in the file
    after: str
    count: int
    data: bytes  # what the file will hold

    @property
    def changed(self) -> bool:
        return self.before != self.after


def _decode(raw: bytes, path: Path) -> tuple[str, bool]:
    """(text with LF newlines, whether the file uses CRLF) — refusing a mix of both."""
    text = raw.decode("utf-8", errors="surrogateescape")
    crlf = text.count("\r\n")
    if crlf and crlf != text.count("\n"):
        raise DockwrightError(f"{path}: mixed CRLF and LF line endings; not fixed (normalise them first)")
    return (text.replace("\r\n", "\n") if crlf else text), bool(crlf)


def fix_file(
    path: Path, root: Path, options: LintOptions | None = None, *, unsafe: bool = False
) -> FixedFile:
    """Fix ``path`` (nothing is written): lint, apply fixes, repeat until stable.

    ``root`` is the folder being linted: a symlink must resolve inside it."""
    if path.is_symlink() and not inside(path, root):
        raise DockwrightError(f"{path} is a symlink out of {root}; not fixed")
    target = path.resolve() if path.is_symlink() else path
    raw = read_inside(target, root if path.is_symlink() else target.parent)
    text, crlf = _decode(raw, path)
    folder = target.parent
    effective = options if options is not None else load_config(folder)
    fixed, total = text, 0
    for _ in range(MAX_ROUNDS):
        findings = lint_text(fixed, str(path), options=effective, context_dir=folder)
        fixed, count = apply_fixes(fixed, findings, unsafe=unsafe)
        total += count
        if count == 0:
            break
    out = fixed.replace("\n", "\r\n") if crlf else fixed
    before = text.replace("\n", "\r\n") if crlf else text
    return FixedFile(target, before, out, total, out.encode("utf-8", errors="surrogateescape"))
