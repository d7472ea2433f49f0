"""The resolver's git lines of a generated lock (``greet @ git+https://host/org/greet@COMMIT``), kept
as the record of the commit each reference resolved to, in comments ``--require-hashes`` never reads.

pip and uv refuse an unhashed line in hash-checking mode, and a checkout has no hash to give, so the
line cannot stay a requirement; the image fetches the package at that commit and builds it as a wheel
(``plan/gitdeps.py``), reading the commit back from the comment (``project/gitdeps.py``). A git line
that names no commit (the resolver always pins one) is refused: the build would not be reproducible.
"""

from __future__ import annotations

import re

from dockwright.errors import LockError
from dockwright.project.gitdeps import GENERATED_PREFIX, is_commit, split_url

_GIT_LINE = re.compile(r"^(-e\s+)?([A-Za-z0-9][A-Za-z0-9._-]*)\s*@\s*(git\+\S+)\s*(\\)?\s*$")


def git_lines_to_comments(body: str, file: str) -> str:
    """``body`` with each ``name @ git+URL@COMMIT`` requirement (and its ``# via`` lines) turned into one
    ``# built from git: name @ git+URL@COMMIT`` comment."""
    kept: list[str] = []
    dropped = False
    for line in body.splitlines(keepends=True):
        if dropped and line[:1].isspace() and line.lstrip().startswith("#"):
            continue  # the git line's own "# via" comments
        match = _GIT_LINE.match(line.rstrip("\n"))
        dropped = match is not None
        if match is None:
            kept.append(line)
            continue
        ref = split_url(match[3], file)[1]
        if not is_commit(ref):
            raise LockError(
                f"{file}: the resolver left {match[2]} at git ref {ref or '(default branch)'}, not a commit: "
                "pin the commit in the requirement (`@<40-hex commit>`)",
                file=file,
            )
        kept.append(f"{GENERATED_PREFIX}{match[2]} @ {match[3]}\n")
    return "".join(kept)
