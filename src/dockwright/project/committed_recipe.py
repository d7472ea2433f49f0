"""The repository's own recipe that an earlier ``init --force`` replaced, as git holds it.

``init --force`` writes dockwright's Dockerfile where the repository keeps its own (a root
``Dockerfile``): on disk the repository's recipe is then gone, and a second ``init`` would plan without
what the first read from it (its command, the tools an image without one runs by name), so init run twice
would not plan as once. Git still holds that recipe: the newest committed version of the path that
dockwright did not write, from HEAD back through the last commits that touched the path (the generated
file may have been committed over it, as its header asks). Read with git's plumbing (``cat-file``,
``rev-list``; no filters, hooks or pager run; no network: a partial clone's missing files are not
fetched from its remote, they are not there), bounded in time; no git, no checkout or no such version:
None, and the generated file is no recipe (``own_image``).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

TIMEOUT = 10  # seconds per git call: a huge or slow repository gives up, never blocks the plan
DEPTH = 20  # commits that touched the path, newest first, looked at for a version not generated
_MAX_BYTES = 1 << 20
# variables that point git at another repository than the project's (set in a hook of another one)
_ELSEWHERE = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_COMMON_DIR",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_NAMESPACE",
)


def committed_recipe(root: Path, rel: str, generated: Callable[[str], bool]) -> str | None:
    """The text of the newest committed version of ``rel`` (relative to ``root``) for which
    ``generated`` is False, or None."""
    head = _git(root, "cat-file", "blob", f"HEAD:./{rel}")
    if head is not None and not generated(head):
        return head
    listed = _git(root, "rev-list", f"--max-count={DEPTH}", "HEAD", "--", f"./{rel}")
    for commit in (listed or "").split():
        text = _git(root, "cat-file", "blob", f"{commit}:./{rel}")
        if text is not None and not generated(text):
            return text
    return None


def _git(root: Path, *args: str) -> str | None:
    env = {
        **{k: v for k, v in os.environ.items() if k not in _ELSEWHERE},
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_OPTIONAL_LOCKS": "0",
        "LC_ALL": "C",
        # a partial clone would fetch a missing blob from its remote (network, credentials, waits)
        "GIT_NO_LAZY_FETCH": "1",
        "GIT_ALLOW_PROTOCOL": "none",  # and no transport at all, for a git without GIT_NO_LAZY_FETCH
    }
    try:
        done = subprocess.run(
            ["git", "-c", "core.fsmonitor=false", *args],
            cwd=root,
            env=env,
            capture_output=True,
            timeout=TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0 or len(done.stdout) > _MAX_BYTES:
        return None
    return done.stdout.decode("utf-8", errors="replace").replace("\r\n", "\n")
