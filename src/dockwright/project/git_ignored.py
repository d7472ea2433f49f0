r"""What the repository's ``.gitignore`` keeps out of a clone: kept out of the build context too.

What it does
    Reads the ``.gitignore`` at the root of the git checkout the project sits in (the project's folder,
    or the checkout above a workspace member or a monorepo's app folder) and writes each pattern as the
    .dockerignore says it, for the build context: a pattern with no slash but a trailing one matches at
    any depth (``logs`` -> ``**/logs``), one with a slash is anchored at the checkout's root (``/data/``
    -> ``data``; for the app folder ``backend/``, ``backend/media`` -> ``media``, a pattern of another
    folder is left out). A file git tracks that a pattern matches (``data/.gitkeep`` under ``data/*``,
    added with ``git add -f``: a clone has it) is re-included after it; a pattern matching more than
    :data:`MAX_TRACKED` of them is left out. Only in a git checkout, whose index tells the tracked files
    (project/git_index.py). Left out too: negations (the .dockerignore would re-admit what its own
    lines exclude: ``!config`` re-admitting ``.git/config``), a ``.gitignore`` that ignores everything
    and lists what to keep (``*`` then ``!src/``), and a pattern Docker's matcher reads otherwise or
    refuses (``[`` classes, ``\`` escapes, more than four ``*``). A directory-only pattern (trailing
    ``/``) matches the name as a file too: the .dockerignore has no directory-only form.

Why is this bad?
    ``COPY . .`` copies the working copy, not the commit: the developer's local files that git never
    sees (a monitoring config holding a bot token, a database's bind-mounted data folder, logs, a
    nested ``node_modules``) reached the image, and a build from a clean clone made another image.

Example
    ``.gitignore``: ``/data/*``, ``!/data/.gitkeep`` and ``monitoring/alerts.yaml`` -> .dockerignore
    ``data/*``, ``!data/.gitkeep`` (tracked) and ``monitoring/alerts.yaml``, each with its line.

Use instead
    Nothing to change: a file the build or the code reads is re-included by the plan, which says so.

Source: gitignore's pattern format (https://git-scm.com/docs/gitignore#_pattern_format); the
.dockerignore's (https://docs.docker.com/build/concepts/context/#dockerignore-files).
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable

from dockwright.dockerfile.ignore import DockerIgnore, anywhere_regex
from dockwright.errors import ProjectError
from dockwright.project.facts import Evidence, Fact
from dockwright.project.git_index import tracked_paths
from dockwright.project.tree import ProjectTree

GITIGNORE = ".gitignore"
MAX_TRACKED = 20  # tracked files a pattern may match and still be carried (each re-included)
_MAX_STARS = 4  # a pattern with more wildcards is left out: its regex could backtrack for long


def tracked_in(tree: ProjectTree, checkout: ProjectTree | None = None) -> frozenset[str] | None:
    """The paths git tracks inside the build context ``tree``, relative to it; None when ``tree`` is in
    no git checkout whose index can be read (a tarball, a copy): nothing tells a local file there.
    ``checkout``: the git checkout ``tree`` sits in, when it is not ``tree`` itself."""
    checkout = checkout or tree
    prefix = _prefix(tree, checkout)
    indexed = tracked_paths(checkout) if prefix is not None else None
    if prefix is None or indexed is None:
        return None
    return frozenset(p[len(prefix) :] for p in indexed if p.startswith(prefix))


def git_ignored(
    tree: ProjectTree,
    checkout: ProjectTree | None = None,
    tracked: Callable[[], frozenset[str] | None] | None = None,
) -> tuple[Fact[str], ...]:
    """The checkout's ``.gitignore`` patterns as .dockerignore lines of the build context ``tree`` (each
    with its line as evidence), each followed by ``!path`` for the tracked files it matches; ``checkout``:
    the git checkout ``tree`` sits in, when it is not ``tree`` itself; ``tracked``: what answers
    :func:`tracked_in` (asked only when there is a ``.gitignore``; read here when not given)."""
    checkout = checkout or tree
    prefix = _prefix(tree, checkout)
    if prefix is None or not checkout.is_file(GITIGNORE):
        return ()
    known = tracked() if tracked is not None else tracked_in(tree, checkout)
    if known is None:  # no index to tell a local file from a tracked one: a tarball, a copy
        return ()
    matching = _tracked_matcher(known)
    try:
        text = checkout.read_text(GITIGNORE)
    except ProjectError:  # not UTF-8: nothing carried
        return ()
    out: list[Fact[str]] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = _trimmed(raw)
        if not line or line.startswith("#") or line.startswith("!"):
            continue  # a comment, or a negation (module docstring)
        if any(ord(c) < 0x20 or ord(c) == 0x7F for c in line) or "[" in line or "\\" in line:
            continue  # a control character, a class or an escape Docker's matcher reads otherwise
        pattern = _as_dockerignore(line, prefix)
        if pattern is None or pattern.count("*") - 2 * pattern.count("**") > _MAX_STARS:
            continue
        if pattern in ("*", "**", "**/*"):
            return ()  # an allowlist .gitignore (module docstring)
        kept = matching(pattern)
        if kept is None:
            continue  # it matches too many tracked files
        file = GITIGNORE if not prefix else f"{GITIGNORE} of the checkout"
        out.append(
            Fact(pattern, (Evidence(file, number, f"{GITIGNORE} lists {line}: a clone has none of it"),))
        )
        said = f"tracked by git: a clone has it ({line})"
        out += [Fact("!" + path, (Evidence(file, number, said),)) for path in kept]
    return tuple(out)


def _prefix(tree: ProjectTree, checkout: ProjectTree) -> str | None:
    """The build context's folder inside the checkout (``backend/``, "" for the checkout itself), None when
    it is not inside."""
    try:
        inside = tree.root.resolve().relative_to(checkout.root.resolve()).as_posix()
    except ValueError:
        return None
    return "" if inside == "." else inside + "/"


def _tracked_matcher(tracked: frozenset[str]) -> Callable[[str], list[str] | None]:
    """The tracked paths a .dockerignore line leaves out (sorted), None for more than
    :data:`MAX_TRACKED`: a ``**/NAME`` line is matched against the paths' names first (one set), another
    against the paths under its first folder."""
    names = {part for path in tracked for part in path.split("/")}
    under: dict[str, list[str]] = {}
    for path in tracked:
        under.setdefault(path.split("/", 1)[0], []).append(path)

    def matching(pattern: str) -> list[str] | None:
        rest = pattern.removeprefix("**/")
        if pattern.startswith("**/") and "/" not in rest:
            found = anywhere_regex([pattern])
            if not any(found.search(name) for name in names):
                return []
            pool: list[str] | frozenset[str] = tracked
        else:
            top = pattern.split("/", 1)[0]
            pool = tracked if pattern.startswith("**/") or any(c in top for c in "*?") else under.get(top, [])
        rules = DockerIgnore.parse(pattern)
        hits: list[str] = []
        for path in pool:
            if rules.excluded(path):
                hits.append(path)
                if len(hits) > MAX_TRACKED:
                    return None
        return sorted(hits)

    return matching


def _trimmed(raw: str) -> str:
    """The line without its trailing spaces (an escaped one leaves a backslash, which is refused)."""
    return raw.rstrip("\n\r").rstrip(" ")


def _as_dockerignore(line: str, prefix: str) -> str | None:
    """The .dockerignore form of a gitignore pattern for the build context at ``prefix`` of the checkout;
    None for one that names nothing there."""
    body = line.rstrip("/")
    if not body or body in (".", ".."):
        return None
    if "/" not in body:
        return "**/" + body
    anchored = posixpath.normpath(body.lstrip("/"))
    if anchored.startswith("**/"):
        return anchored
    if not prefix:
        return anchored
    return anchored[len(prefix) :] if anchored.startswith(prefix) and anchored != prefix.rstrip("/") else None
