"""Where the repository's own image put the project's files: its final stage's ``COPY``/``ADD`` from the
build context, read as paths in that image.

What it does
    Follows the final stage (through the stages it is built ``FROM``) in order, tracking ``WORKDIR`` as
    BuildKit does, and records each copy from the build context (no ``--from``, no URL, no wildcard or
    variable): the path in the image and the project path it came from. A destination ending in ``/``, or
    given several sources, receives each source under its base name; a folder's contents go into the
    destination (``COPY . /srv`` puts the project's ``run.sh`` at ``/srv/run.sh``); a file copied to a
    folder a ``WORKDIR`` made (``COPY ./jobs/tick.py .``) lands inside it too. :func:`placed` answers
    "which project file is at this image path", the later copy winning as in the image.

Why is this bad?
    A repository's recipe often copies a script from a folder of its own to where its command runs it
    (``COPY deploy/docker/entrypoint.sh /opt/app/`` then ``ENTRYPOINT ["./entrypoint.sh"]`` under
    ``WORKDIR /opt/app``). Read as a project path, ``./entrypoint.sh`` names nothing, and the start the
    repository's image runs (its migrations, its server's options) is lost.

Example
    ``COPY deploy/docker/check.py /opt/app/check.py`` -> ``placed(copies, "/opt/app/check.py")`` is
    ``deploy/docker/check.py``.

Use instead
    Nothing to change in the repository.
"""

from __future__ import annotations

import dataclasses
import posixpath
import re
from typing import TYPE_CHECKING

from dockwright.dockerfile.final_command import ancestry
from dockwright.dockerfile.from_args import base_image
from dockwright.dockerfile.syntax import Dockerfile, Instruction, Stage
from dockwright.project.facts import AppFacts, Evidence, Fact
from dockwright.project.tree import ProjectTree

if TYPE_CHECKING:  # plan_files keeps the copies of one plan (PlanFiles.own_copies): it imports this module
    from dockwright.project.plan_files import PlanFiles

_UNREAD = re.compile(r"[*?\[$]|^[a-z][a-z0-9+.-]*://", re.IGNORECASE)  # wildcards, variables, URLs


def chain_steps(dockerfile: Dockerfile, stage: Stage) -> list[tuple[Instruction, str]]:
    """Each instruction of ``stage``'s chain (the stages it is built ``FROM``, oldest first) with the
    ``WORKDIR`` it runs in, tracked as BuildKit does: kept from a stage built on, "/" after ``FROM`` an
    image (nothing known of it)."""
    steps: list[tuple[Instruction, str]] = []
    workdir = "/"
    for member in ancestry(dockerfile, stage):
        if dockerfile.stage_by_name(base_image(dockerfile, member)) is None:
            workdir = "/"
        for instruction in member.instructions:
            if instruction.keyword == "WORKDIR" and instruction.value.strip():
                workdir = posixpath.normpath(posixpath.join(workdir, instruction.value.strip().strip("\"'")))
            steps.append((instruction, workdir))
    return steps


def image_copies(
    tree: ProjectTree, dockerfile: Dockerfile, stage: Stage | None = None
) -> tuple[tuple[str, str, bool], ...]:
    """(path in the image, project path, whether the source is a folder, whose contents the path
    receives) of each build-context copy of the final stage's chain (or ``stage``'s), in order."""
    stage = stage or dockerfile.final_stage
    if stage is None:
        return ()
    out: list[tuple[str, str, bool]] = []
    folders = {"/"}  # folders the stages made (WORKDIR): a file copied to one goes inside it
    for instruction, workdir in chain_steps(dockerfile, stage):
        if instruction.keyword == "WORKDIR":
            folders.add(workdir)
        if instruction.keyword not in ("COPY", "ADD") or instruction.flag("from") is not None:
            continue
        words = [w for w in instruction.arguments if not w.startswith("--")]
        if len(words) < 2 or any(_UNREAD.search(w) for w in words):
            continue
        *sources, target = words
        into = target.endswith("/") or len(sources) > 1
        target = posixpath.normpath(posixpath.join(workdir, target))
        into = into or target in folders  # `COPY ./jobs/tick.py .` under WORKDIR /ticker
        for source in sources:
            rel = posixpath.normpath(source.lstrip("/"))
            rel = "" if rel == "." else rel
            if rel.startswith(".."):
                continue
            folder = not rel or tree.is_dir(rel)
            at = posixpath.join(target, posixpath.basename(rel)) if into and not folder else target
            out.append((at, rel, folder))
    return tuple(out)


@dataclasses.dataclass(frozen=True)
class FinalSteps:
    """The repository's own recipe read step by step: its path and parse, its final stage's build-context
    copies (:func:`image_copies`), and each instruction of the final stage's chain with the ``WORKDIR``
    it runs in."""

    path: str
    dockerfile: Dockerfile
    copies: tuple[tuple[str, str, bool], ...]
    steps: tuple[tuple[Instruction, str], ...]


def final_steps(tree: ProjectTree) -> FinalSteps | None:
    """:class:`FinalSteps` of the repository's own Dockerfile, None without one (or without a stage)."""
    from dockwright.project.own_image import own_recipe  # it imports this module's readers

    recipe = own_recipe(tree)
    final = recipe[1].final_stage if recipe is not None else None
    if recipe is None or final is None:
        return None
    path, dockerfile = recipe
    steps = tuple(chain_steps(dockerfile, final))
    return FinalSteps(path, dockerfile, image_copies(tree, dockerfile), steps)


def tree_folder(copies: tuple[tuple[str, str, bool], ...], path: str) -> str | None:
    """The project path the own image's ``path`` (absolute) stands for inside a folder it copied whole
    (``/w/dist`` of ``COPY ui /w``: ``ui/dist``), whether or not the tree holds it (a build output);
    None outside every copied folder."""
    path = posixpath.normpath(path)
    for at, rel, folder in reversed(copies):
        if folder and (path == at or path.startswith(at.rstrip("/") + "/")):
            inner = path[len(at.rstrip("/")) + 1 :] if path != at else ""
            return posixpath.normpath(posixpath.join(rel, inner)) if (rel or inner) else "."
    return None


def placed(tree: ProjectTree, copies: tuple[tuple[str, str, bool], ...], path: str) -> str | None:
    """The project file the own image has at ``path`` (absolute), the last copy that put one there
    winning; None when no copy from the project did."""
    path = posixpath.normpath(path)
    for at, rel, folder in reversed(copies):
        if folder:  # its contents went into `at`
            if not path.startswith(at.rstrip("/") + "/"):
                continue
            inner = posixpath.join(rel, path[len(at.rstrip("/")) + 1 :])
            if tree.is_file(inner):
                return inner
        elif at == path and tree.is_file(rel):
            return rel
    return None


# where a link may be made for a path the repository's image had: not the system's folders (FHS 3.0,
# https://refspecs.linuxfoundation.org/FHS_3.0/fhs/index.html), nor the planned image's app folder or venv
_SYSTEM = (
    "/bin",
    "/boot",
    "/dev",
    "/etc",
    "/lib",
    "/lib32",
    "/lib64",
    "/proc",
    "/root",  # 0700: the app user could not read a link there
    "/run",
    "/sbin",
    "/sys",
    "/tmp",
    "/usr",
    "/var/lock",
    "/var/run",  # /run's other name
)
_PLANNED = ("/app", "/opt/venv", "/var/lib")
# an absolute path a script line names (`python3 /opt/app/check.py`, `"/opt/app/cron.py"`)
_ABSOLUTE = re.compile(r"(?<![\w.$}/-])/[\w.@+-]+(?:/[\w.@+-]+)+")


def linkable(path: str) -> bool:
    """Whether a link may stand at ``path`` in the planned image: outside the system's folders and the
    image's own (its app folder, venv and programs)."""
    return not any(path == p or path.startswith(p + "/") for p in (*_SYSTEM, *_PLANNED))


def script_links(
    files: PlanFiles, rel: str, notes: list[str] | None = None
) -> tuple[Fact[tuple[str, str]], ...]:
    """(image path, project file) for each absolute path the start script ``rel`` names that the
    repository's own image put there by copying that project file, with the line naming it; such a path
    where no link may stand (:func:`linkable`) is said in ``notes``."""
    own = files.own_final
    if own is None or not files.tree.is_file(rel):
        return ()
    recipe = own[0]
    copies = files.own_copies
    found: dict[str, Fact[tuple[str, str]]] = {}
    refused: set[str] = set()
    for number, line in enumerate(files.tree.read_script(rel).splitlines(), 1):
        if line.lstrip().startswith("#"):
            continue
        for match in _ABSOLUTE.finditer(line):
            path = posixpath.normpath(match.group(0))
            target = placed(files.tree, copies, path)
            if target is None or path in found or path in refused:
                continue
            if not linkable(path):
                refused.add(path)
                if notes is not None:
                    notes.append(
                        f"{rel}:{number}: names {path}, where {recipe} copies the project's {target}; this "
                        "image makes no link in a system folder or the app user's unreadable ones: the start "
                        "stops there; run the file by its project path"
                    )
                continue
            why = f"names {path}, where {recipe} copies the project's {target}"
            found[path] = Fact((path, target), (Evidence(rel, number, why),))
    return tuple(found.values())


def without_present_links(tree: ProjectTree, app: AppFacts, workdir: str) -> AppFacts:
    """``app`` without the links at paths inside ``workdir`` (the planned image's copy of the project)
    where that copy already has a file or folder: ``ln -s`` over it stops the build (``File exists``), and
    the path resolves without one."""

    def present(link: str) -> bool:
        inner = posixpath.relpath(link, workdir)
        if inner.startswith(".."):
            return False
        parts = inner.split("/")
        steps = ["/".join(parts[: n + 1]) for n in range(len(parts))]
        return tree.is_dir(inner) or any(tree.is_file(s) for s in steps)

    kept = tuple(f for f in app.start_links if not (f.value[0].startswith("/") and present(f.value[0])))
    return dataclasses.replace(app, start_links=kept) if len(kept) != len(app.start_links) else app


def with_script_links(files: PlanFiles, app: AppFacts, notes: list[str] | None = None) -> AppFacts:
    """``app`` whose start script (``sh deploy/docker/entrypoint.sh``) gets a link at each path it names
    that the repository's image had copied a project file to (:func:`script_links`)."""
    argv = app.command.value
    if len(argv) < 2 or posixpath.basename(argv[0]) not in ("sh", "bash"):
        return app
    known = {f.value[0] for f in app.start_links}
    links = tuple(f for f in script_links(files, argv[1], notes) if f.value[0] not in known)
    return dataclasses.replace(app, start_links=(*app.start_links, *links)) if links else app
