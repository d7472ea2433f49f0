"""The server options of the repository's own image, carried into the planned command.

What it does: when the final stage of the repository's own Dockerfile (``project/own_image.py``) runs the
server the plan chose (``waitress-serve``, ``gunicorn``, ``uvicorn`` ...) on the same app target (or a
front end of that server on the target's file: ``fastapi run main.py`` is uvicorn's, the table's
``front_ends``), its options are added to the planned command: worker and thread counts, timeouts, body
limits, a worker class. The plan keeps its own bind: the options choosing where the server listens, and
the ones the plan sets itself (the server table's ``listen``, its factory and folder flags), are left out,
and so are its development options (``--reload``, the table's ``development``),
and so are the options that refer to what only that image had: a path outside the project (``--pid
/run/gunicorn.pid``, ``--log-config /etc/app/log.yaml``), a value read from its environment
(``$WORKERS``), a worker class or loop no installed distribution provides (``-k gevent`` without gevent;
the table's ``loads``/``builtin``).

Why: the framework detector's server command outranks the own Dockerfile's (the plan serves the app with
a server of its table), so a project serving Django with ``waitress-serve --max-request-body-size=52428800``
got ``waitress-serve`` with waitress's default body limit, and a gunicorn run with ``-w 4`` one worker.
"""

from __future__ import annotations

import posixpath
import shlex

from packaging.utils import canonicalize_name

from dockwright.project.detectors.servers import Server, bound_words
from dockwright.project.facts import Evidence
from dockwright.project.own_image import unwrapped
from dockwright.project.plan_files import PlanFiles
from dockwright.project.tree import ProjectTree


def own_options(
    files: PlanFiles,
    server: Server,
    target: str,
    planned: tuple[str, ...],
    provided: frozenset[str],
) -> tuple[tuple[str, ...], Evidence] | None:
    """The options of the own image's command to add to ``planned`` (the server's command the plan
    wrote for ``target``) with the Dockerfile line as evidence, or None when that image runs another
    server or app, or no option of it can be carried. ``provided``: the canonical names of the
    project's distributions and top-level modules (what a ``loads`` option may name)."""
    own = files.own_final
    if own is None:
        return None
    path, _, final = own
    assert final.instruction is not None  # own_final returns a command's instruction
    argv = _as_server(unwrapped(list(final.argv)), server, target)
    if not argv or posixpath.basename(argv[0]) != server.command[0]:
        return None
    targets = {target, f"{target}()"}
    if target.endswith(":application") and server.name.startswith("gunicorn"):
        targets.add(target.removesuffix(":application"))  # gunicorn's default attribute
    rest = list(bound_words(argv[0], tuple(argv[1:])))  # `-b0.0.0.0:5000`: the bind the plan sets itself
    if sum(1 for word in rest if word in targets) != 1:
        return None
    ours = {w.split("=", 1)[0] for w in planned[1:] if w.startswith("-")}
    ours |= {f for f in (server.factory, server.chdir) if f.startswith("-")}
    kept: list[str] = []
    index = 0
    while index < len(rest):
        word = rest[index]
        index += 1
        if word in targets or not word.startswith("-"):
            continue  # the target, or a word no option took (nothing to carry)
        flag, eq, value = word.partition("=")
        words = [word]
        if not eq and index < len(rest) and not rest[index].startswith("-") and rest[index] not in targets:
            value = rest[index]
            words.append(value)
            index += 1
        if flag in server.listen or flag in ours or not _carried(files.tree, server, flag, value, provided):
            continue
        if flag in server.development or flag in server.development_options:
            continue  # a reloader: a developer's run (data/servers.toml `development`)
        kept += words
    if not kept:
        return None
    line = final.instruction.span.line
    text = f"{final.instruction.keyword} {' '.join(final.instruction.value.split())}"
    runs = f"the repository's own image runs {server.command[0]} on {target}"
    why = f"{text[:60]} ({runs}: {shlex.join(kept)} carried)"
    return tuple(kept), Evidence(path, line, why)


def _as_server(argv: list[str], server: Server, target: str) -> list[str]:
    """A front end's command (``fastapi run main.py --workers 4``) as the server's own on ``target``
    (``uvicorn main:app --workers 4``) when its file is the target's module; else ``argv``."""
    for front in server.front_ends:
        words = front.split()
        if [posixpath.basename(w) if i == 0 else w for i, w in enumerate(argv[: len(words)])] != words:
            continue
        rest = argv[len(words) :]
        module = target.split(":", 1)[0].replace(".", "/")
        files = {f"{module}.py", f"./{module}.py", f"{module}/__init__.py"}
        paths = [w for w in rest if not w.startswith("-") and w.endswith(".py")]
        if len(paths) != 1 or paths[0] not in files:
            return argv
        out: list[str] = [server.command[0], target]
        index = 0
        while index < len(rest):
            word = rest[index]
            index += 1
            if word == paths[0]:
                continue
            flag = word.split("=", 1)[0]
            if flag in server.front_end_only:
                takes = "=" not in word and index < len(rest) and not rest[index].startswith("-")
                index += 1 if takes and flag != "--reload" else 0
                continue
            out.append(word)
        return out
    return argv


def _carried(tree: ProjectTree, server: Server, flag: str, value: str, provided: frozenset[str]) -> bool:
    """Whether an option's value holds in the planned image too."""
    if "$" in value or "`" in value:
        return False  # the image's environment or shell
    if flag in server.loads:
        head = value.split(":", 1)[0].split(".", 1)[0]
        return value in server.builtin or canonicalize_name(head) in provided
    if "/" in value:  # a path: the project's (relative to the working folder, the tree's root) or nothing
        if value.startswith(("/", "~")):
            return False
        rel = posixpath.normpath(value)
        return not rel.startswith("..") and (tree.is_file(rel) or tree.is_dir(rel))
    return True
