"""What the repository's ``.gitignore`` keeps out of a clone: kept out of the build context too.

What it does
    Reads the root ``.gitignore`` and writes each pattern as the .dockerignore says it: a pattern with
    no slash but a trailing one matches at any depth (``logs`` -> ``**/logs``), one with a slash is
    anchored at the root (``/data/`` -> ``data``, ``monitoring/alerts.yaml`` stays), a negation stays a
    negation. Only in a git checkout, whose index tells the files git tracks: a pattern that matches
    one of them (force-added: a clone has it) is left out. A directory-only pattern (trailing ``/``)
    matches the name as a file too: the .dockerignore has no directory-only form. A ``.gitignore``
    that ignores everything and lists what to keep (``*`` then ``!src/``) is not carried over: git
    does not re-include a file under an ignored folder, the .dockerignore does, so the two would not
    agree.

Why is this bad?
    ``COPY . .`` copies the working copy, not the commit: the developer's local files that git never
    sees (a monitoring config holding a bot token, a database's bind-mounted data folder, logs, a
    nested ``node_modules``) reached the image, and a build from a clean clone made another image.

Example
    ``.gitignore``: ``/data/`` and ``monitoring/alerts.yaml`` -> .dockerignore ``data`` and
    ``monitoring/alerts.yaml``, each with the line that lists it.

Use instead
    Nothing to change: a file the build or the code reads is re-included by the plan, which says so.

Source: gitignore's pattern format (https://git-scm.com/docs/gitignore#_pattern_format); the
.dockerignore's (https://docs.docker.com/build/concepts/context/#dockerignore-files).
"""

from __future__ import annotations

from collections.abc import Callable

from dockwright.dockerfile.ignore import DockerIgnore, anywhere_regex
from dockwright.project.facts import Evidence, Fact
from dockwright.project.git_index import tracked_paths
from dockwright.project.tree import ProjectTree

GITIGNORE = ".gitignore"


def git_ignored(tree: ProjectTree) -> tuple[Fact[str], ...]:
    """The root ``.gitignore``'s patterns as .dockerignore lines, each with its line as evidence; only in
    a git checkout, less the patterns that match a file git tracks (added with ``git add -f``: a clone
    has it)."""
    if not tree.is_file(GITIGNORE):
        return ()
    tracked = tracked_paths(tree)
    if tracked is None:  # no index to tell a local file from a tracked one: a tarball, a copy
        return ()
    matches_tracked = _tracked_matcher(tracked)
    out: list[Fact[str]] = []
    for number, raw in enumerate(tree.read_text(GITIGNORE).splitlines(), 1):
        line = _trimmed(raw)
        if not line or line.startswith("#") or any(ord(c) < 0x20 or ord(c) == 0x7F for c in line):
            continue  # a comment, or a control character no .dockerignore line may carry
        negated = line.startswith("!")
        body = line[1:] if negated else line
        body = body[1:] if body.startswith("\\") else body  # `\#file`, `\!file`: the name itself
        pattern = _as_dockerignore(body)
        if pattern is None:
            continue
        if not negated and pattern in ("*", "**", "**/*"):
            return ()  # an allowlist .gitignore (module docstring)
        if not negated and matches_tracked(pattern):
            continue
        why = f"{GITIGNORE} lists {line}: a clone has none of it"
        out.append(Fact(("!" if negated else "") + pattern, (Evidence(GITIGNORE, number, why),)))
    return tuple(out)


def _tracked_matcher(tracked: frozenset[str]) -> Callable[[str], bool]:
    """Whether a .dockerignore line leaves out one of the ``tracked`` paths: a ``**/NAME`` line is
    matched against the paths' names (one set), another against the paths under its first folder."""
    names = {part for path in tracked for part in path.split("/")}
    under: dict[str, list[str]] = {}
    for path in tracked:
        under.setdefault(path.split("/", 1)[0], []).append(path)

    def matches(pattern: str) -> bool:
        rest = pattern.removeprefix("**/")
        if pattern.startswith("**/") and "/" not in rest:
            found = anywhere_regex([pattern])
            return any(found.search(name) for name in names)
        top = pattern.split("/", 1)[0]
        pool = tracked if pattern.startswith("**/") or any(c in top for c in "*?[\\") else under.get(top, ())
        rules = DockerIgnore.parse(pattern)
        return any(rules.excluded(path) for path in pool)

    return matches


def _trimmed(raw: str) -> str:
    """The line without trailing spaces, but for one escaped with a backslash."""
    line = raw.rstrip("\n\r")
    stripped = line.rstrip(" ")
    if stripped.endswith("\\") and len(stripped) < len(line):
        return stripped + " "
    return stripped


def _as_dockerignore(body: str) -> str | None:
    """The .dockerignore form of a gitignore pattern; None for one that names nothing."""
    body = body.rstrip("/")
    if not body or body in (".", ".."):
        return None
    if "/" in body:
        return body.lstrip("/") or None
    return "**/" + body
