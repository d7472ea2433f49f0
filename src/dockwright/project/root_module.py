"""A package app whose start module is a file at the project root, beside the package.

``gunicorn wsgi:app`` with ``wsgi.py`` at the root of a Poetry/setuptools/hatch project: the wheel the
builder makes carries the package (``myapp/``) but not ``wsgi.py``, ``config.py`` or other root modules
unless the build configuration names them, so an image that installs the wheel fails with
``No module named 'wsgi'``. Such an app runs from its source tree (dependencies still from the lock).

The same holds for a Poetry project that uses Poetry only to manage dependencies (older than
``package-mode = false``): with no ``packages`` setting, poetry-core builds the module named after the
project, and when the tree has none (``app/`` and ``core/`` beside a project called
``fastapi-boilerplate``) ``pip wheel .`` fails with "No file/folder found for package".

And a Poetry ``packages`` entry that takes its folder from outside the project (``{ include = "web", from
= ".." }`` in ``web/pyproject.toml``, the package being the project folder itself): the build context is
the project folder, so poetry-core finds nothing there ("/src/../web does not contain any element"); the
app runs from its tree, which is that package's content.
"""

from __future__ import annotations

import posixpath
import re
from itertools import pairwise
from typing import Any

from dockwright.project.detectors.servers import folder_options, last_command
from dockwright.project.facts import Evidence
from dockwright.project.tree import ProjectTree
from dockwright.python_program import PYTHON_PROGRAM

_TARGET = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)(\.[A-Za-z_][A-Za-z0-9_]*)*(:[A-Za-z_][\w.()]*)?$")


def start_module(command: tuple[str, ...]) -> str | None:
    """The target the start serves: ``python -m``'s module, else a ``module:attr`` argument."""
    argv = last_command(command)
    if len(argv) > 2 and PYTHON_PROGRAM.match(argv[0]) and argv[1] == "-m":
        return argv[2]
    return next((a for a in argv[1:] if ":" in a and _TARGET.match(a)), None)


def served_module(command: tuple[str, ...]) -> str:
    """The dotted module of :func:`start_module`'s target, without its ``:attr`` ("" when none)."""
    return (start_module(command) or "").split(":", 1)[0]


# the tables where backends name what a wheel carries beside the project's package
_BUILD_TABLES = (
    ("setuptools",),
    ("poetry", "packages"),
    ("poetry", "include"),
    ("hatch", "build"),
    ("pdm", "build"),
    ("flit", "module"),
)


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (_strings(k) + _strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def named_by_the_build(pyproject: dict[str, Any] | None) -> set[str]:
    """Module names the build configuration of ``pyproject.toml`` mentions (``wsgi``, ``wsgi.py``)."""
    tool = (pyproject or {}).get("tool", {})
    names: set[str] = set()
    for path in _BUILD_TABLES:
        node: object = tool
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        for text in _strings(node):
            leaf = text.rstrip("/").rsplit("/", 1)[-1]
            names.add(leaf.removesuffix(".py"))
    return names


def _setuptools_modules(tree: ProjectTree) -> set[str]:
    """``py_modules`` of setup.py / setup.cfg (read as text: names in the same statement)."""
    names: set[str] = set()
    for name in ("setup.py", "setup.cfg"):
        if tree.is_file(name):
            for match in re.finditer(r"py_modules\s*[=:]\s*(\[[^\]]*\]|[^\n]*)", tree.read_text(name)):
                names.update(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", match.group(1)))
    return names


def root_module_outside_wheel(
    tree: ProjectTree, pyproject: dict[str, Any] | None, command: tuple[str, ...]
) -> Evidence | None:
    """Evidence that the start's module is a root file no build file names (so no wheel carries it)."""
    target = start_module(command)
    if not target:
        return None
    top = served_module(command).split(".", 1)[0]
    if not tree.is_file(f"{top}.py") or tree.is_dir(top):
        return None
    if top in named_by_the_build(pyproject) or top in _setuptools_modules(tree):
        return None  # py-modules, poetry/hatch/pdm includes: the build carries it
    return Evidence(
        f"{top}.py",
        None,
        f"the start command serves {target}, and {top}.py sits at the project root where no build file "
        "names it: a wheel would not carry it, so the app runs from its source tree",
    )


# the servers' flags naming the folder the app is imported from (data/servers.toml `chdir`, gunicorn's
# --pythonpath)
SERVER_DIR_FLAGS = ("--chdir", "--app-dir", "--working-dir", "--pythonpath")


def imports_from_a_folder(tree: ProjectTree, command: tuple[str, ...]) -> Evidence | None:
    """Evidence that the server imports the app from a folder of the tree (``--app-dir my-service``,
    ``--chdir src``, a runner's own option: ``dramatiq ... --path service``): the installed wheel has no
    such folder under the work directory."""
    argv = last_command(command)
    flags = SERVER_DIR_FLAGS + (folder_options(argv[0]) if argv else ())
    for flag, value in pairwise([*argv, ""]):
        folder = value if flag in flags else None
        if folder is None:
            folder = next((flag.split("=", 1)[1] for f in flags if flag.startswith(f + "=")), None)
        if folder and tree.is_dir(folder):
            return Evidence(
                folder,
                None,
                f"the start command imports the app from the folder {folder} ({flag}), which the "
                "installed wheel does not have: the app runs from its source tree",
            )
    return None


POETRY_BACKEND = "poetry.core.masonry.api"


def poetry_without_its_package(
    tree: ProjectTree, pyproject: dict[str, Any] | None, backend: str | None
) -> Evidence | None:
    """Evidence that poetry-core would find no package to build (Poetry as dependency manager only)."""
    poetry = (pyproject or {}).get("tool", {}).get("poetry", {})
    if backend != POETRY_BACKEND or not isinstance(poetry, dict) or poetry.get("packages"):
        return None
    name = str((pyproject or {}).get("project", {}).get("name") or poetry.get("name") or "")
    if not name:
        return None
    module = re.sub(r"[-.]+", "_", name).lower()
    for folder in ("", "src/"):
        if tree.is_dir(folder + module) or tree.is_file(f"{folder}{module}.py"):
            return None
    return Evidence(
        "pyproject.toml",
        tree.line_of("pyproject.toml", r"^name\s*="),
        f"poetry-core builds the module {module!r} for the project {name!r} (no packages setting), and "
        "the tree has none: Poetry manages the dependencies only, so the app runs from its source tree",
    )


def poetry_package_above(
    tree: ProjectTree, pyproject: dict[str, Any] | None, backend: str | None
) -> Evidence | None:
    """Evidence that a Poetry ``packages`` entry reaches outside the project folder (``from = ".."``)."""
    poetry = (pyproject or {}).get("tool", {}).get("poetry", {})
    packages = poetry.get("packages") if backend == POETRY_BACKEND and isinstance(poetry, dict) else None
    for entry in packages if isinstance(packages, list) else ():
        if not isinstance(entry, dict) or not isinstance(entry.get("include"), str):
            continue
        base = str(entry.get("from") or "")
        path = posixpath.normpath(posixpath.join(base, entry["include"]))
        if not (path == ".." or path.startswith("../") or posixpath.isabs(path)):
            continue
        pattern = r"\bfrom\s*=\s*[\"']" + re.escape(base) + r"[\"']"
        line = tree.line_of("pyproject.toml", pattern) if base else None
        return Evidence(
            "pyproject.toml",
            line,
            f"the Poetry package {entry['include']!r} is taken from {base or '.'!r}, outside the project "
            "folder: the build context holds only this folder, so poetry-core would find no such package; "
            "the app runs from its source tree",
        )
    return None


def _console_scripts(pyproject: dict[str, Any] | None) -> dict[str, str]:
    """The project's console scripts (PEP 621 ``[project.scripts]``, ``[tool.poetry.scripts]``): name ->
    its target."""
    data = pyproject or {}
    project = data.get("project")
    tool = data.get("tool")
    poetry = tool.get("poetry") if isinstance(tool, dict) else None
    out: dict[str, str] = {}
    for owner in (project, poetry):
        table = owner.get("scripts") if isinstance(owner, dict) else None
        if isinstance(table, dict):
            out.update({str(k): str(v) for k, v in table.items() if isinstance(v, str)})
    return out


def uninstalled_script_note(
    pyproject: dict[str, Any] | None, command: tuple[str, ...], why: Evidence
) -> str | None:
    """A note when the start runs one of the project's own console scripts while the image runs the app
    from its source tree (``why``): only installing the project creates that program."""
    argv = last_command(command)
    scripts = _console_scripts(pyproject)
    if not argv or argv[0] not in scripts:
        return None
    where = f"{why.file}:{why.line}" if why.line else why.file
    return (
        f"the start runs the console script {argv[0]} ({scripts[argv[0]]}), which only installing the "
        f"project creates, and the image runs the app from its source tree ({where}: {why.detail}): "
        f"no {argv[0]} is on PATH there, so the container would stop at once; start another process "
        "(--process) or a module (--start 'python -m ...'), or let the project build as a wheel"
    )
