"""Configuration the app reads that the repository leaves out, shipping only its template.

What it does: in the modules the start loads, a file the code reads by a literal path (``open``,
``Path``, configparser's ``read`` ...: :func:`data_files.path_literals`) or a top-level module it
imports (``import config``) that the repository does not have, while a template of it sits beside
where it would be (``bot_example.ini`` for ``bot.ini``, ``config.example.json``, ``settings.py.example``,
``config.json.sample``, ``app.ini.dist`` ...), is a warning naming both, with the line that reads it.

A path the code tests for existence before reading it (``os.path.exists(path)``, ``.is_file()``, on the
path or on the name it is assigned to) is left out too: the app goes on without the file.

A dotenv file (``.env`` beside ``.env.example``) is left out: its readers skip a missing one, and the
variables it would set are listed as the app's required environment instead.

Why: such a file is kept out of version control on purpose (it holds the bot's token, the API keys),
so the image built from the repository has none and the app stops at start (``KeyError: 'KEYS'``,
``No module named 'config'``). It must not be baked into the image either: the plan says to mount
the user's own copy at run time.

Example: ``rules.py:12`` ``config.read("bot.ini")`` with ``bot_example.ini`` at the root and no
``bot.ini`` -> "rules.py:12 reads bot.ini, which the repository does not have (bot_example.ini is its
template) ...".
"""

from __future__ import annotations

import ast
import posixpath
from collections.abc import Iterable

from dockwright.errors import ProjectError
from dockwright.project.data_files import path_literals
from dockwright.project.detectors.scan import ModuleScan
from dockwright.project.tree import ProjectTree
from dockwright.project.type_params import parse as parse_module

_NAME_SUFFIXES = (".example", ".sample", ".dist", ".template", ".tmpl", ".default", ".orig")
_STEM_MARKS = ("example", "sample", "template", "default", "dist")


def template_names(name: str) -> tuple[str, ...]:
    """The names a template of ``name`` is given (``bot.ini`` -> ``bot_example.ini``, ``bot.ini.example``
    ...)."""
    stem, ext = posixpath.splitext(name)
    out = [f"{name}{suffix}" for suffix in _NAME_SUFFIXES]
    for mark in _STEM_MARKS:
        out += [f"{stem}{sep}{mark}{ext}" for sep in ("_", ".", "-")]
        out += [f"{mark}{sep}{name}" for sep in ("_", ".", "-")]
    return tuple(dict.fromkeys(out))


def is_template(rel: str) -> bool:
    """A file named as a template of another (``production.example.py``, ``settings.py.example``)."""
    name = posixpath.basename(rel)
    stem = posixpath.splitext(name)[0]
    marked = stem.rsplit(".", 1)[-1] in _STEM_MARKS if "." in stem else False
    return marked or name.endswith(_NAME_SUFFIXES)


def _template(tree: ProjectTree, folder: str, name: str) -> str | None:
    for candidate in template_names(name):
        path = posixpath.join(folder, candidate) if folder else candidate
        if tree.is_file(path):
            return path
    return None


def _missing(tree: ProjectTree, source: str, relative: str) -> tuple[str, str] | None:
    """(the path the app reads, its template) when neither the root nor the source's folder has the
    file and one of them has its template."""
    folders = ["", posixpath.dirname(source)]
    paths = [posixpath.normpath(posixpath.join(f, relative)) for f in dict.fromkeys(folders)]
    if any(p.startswith("..") or tree.is_file(p) or tree.is_dir(p) for p in paths):
        return None
    for path in paths:
        found = _template(tree, posixpath.dirname(path), posixpath.basename(path))
        if found:
            return path, found
    return None


def _dotenv(path: str) -> bool:
    """A dotenv file (``.env``, ``.env.local``, ``prod.env``): the libraries that read one skip it when
    it is missing and leave the variables to the environment (python-dotenv's ``load_dotenv`` returns
    False, https://saurabh-kumar.com/python-dotenv/reference/#dotenv.main.load_dotenv; pydantic-settings
    ignores an ``env_file`` that does not exist, https://docs.pydantic.dev/latest/concepts/pydantic_settings/#dotenv-env-support;
    django-environ's ``read_env`` warns), so a missing one does not stop the app: the variables it would
    hold are the plan's required environment instead."""
    name = posixpath.basename(path)
    return name == ".env" or name.startswith(".env.") or name.endswith(".env")


def _advice(kind: str, path: str, template: str, rel: str, line: int | None) -> str:
    where = f"{rel}:{line}" if line else rel
    return (
        f"{where} {kind} {path}, which the repository does not have ({template} is its template): the "
        f"image has none either, so the app stops at start; mount your own at run time "
        f'(`docker run -v "$PWD/{path}:/app/{path}:ro" ...`) rather than copying it into the image '
        "(such files hold tokens and keys)"
    )


def missing_config_notes(tree: ProjectTree, scans: Iterable[ModuleScan]) -> list[str]:
    """One warning per configuration file or module the loaded modules need and only a template of
    which the repository has."""
    notes: dict[str, str] = {}
    # what the tree answered, asked once each: 2,000 modules import the same few hundred names and read
    # the same paths (a large checkout asked is_file 79 k times here, each a resolve of the path)
    templates: dict[str, str | None] = {}  # top-level name -> its module's template, None for none
    missing: dict[tuple[str, str], tuple[str, str] | None] = {}  # (source folder, read path) -> _missing
    tested: dict[str, frozenset[int]] = {}  # module -> its existence-tested lines, parsed only for a miss

    def checked(rel: str) -> frozenset[int]:
        if rel not in tested:
            tested[rel] = _checked_lines(tree, rel)
        return tested[rel]

    for scan in scans:
        for dotted, line in scan.import_sites:
            top = dotted.split(".")[0]
            if top in notes:
                continue
            module = f"{top}.py"
            if top not in templates:
                present = tree.is_file(module) or tree.is_dir(top)
                templates[top] = None if present else _template(tree, "", module)
            template = templates[top]
            if template:
                notes[top] = _advice("imports the module of", module, template, scan.rel, line)
        reads = scan.path_reads
        if reads is None:  # not gathered by the scans (project/module_scans.py): parsed here
            try:
                reads = path_literals(parse_module(tree.read_text(scan.rel), scan.rel))
            except (SyntaxError, ValueError, ProjectError, RecursionError):
                continue
        for relative, read_line in reads:
            if _dotenv(relative):
                continue  # its readers skip a missing file: the values come from the environment
            key = (posixpath.dirname(scan.rel), relative)  # _missing reads only the source's folder
            if key not in missing:
                missing[key] = _missing(tree, scan.rel, relative)
            found = missing[key]
            if found and found[0] not in notes and read_line not in checked(scan.rel):
                notes[found[0]] = _advice("reads", found[0], found[1], scan.rel, read_line)
    return list(notes.values())


_EXISTENCE = frozenset({"exists", "isfile", "isdir", "lexists", "is_file", "is_dir"})


def _checked_lines(tree: ProjectTree, rel: str) -> frozenset[int]:
    """Lines of the module's path expressions the code tests for existence before reading: the path
    itself in ``os.path.exists(...)``/``Path(...).is_file()``, or a name so tested and the line that
    assigns it (``path = os.path.join(here, "local.py")`` then ``if os.path.exists(path):``). The app
    goes on without such a file (its settings from the environment), so a missing one is no warning."""
    try:
        module = parse_module(tree.read_text(rel), rel)
    except (SyntaxError, ValueError, ProjectError, RecursionError):
        return frozenset()
    names: set[str] = set()
    lines: set[int] = set()
    for node in ast.walk(module):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        if node.func.attr not in _EXISTENCE:
            continue
        tested = node.args[0] if node.args else node.func.value  # os.path.exists(P) | P.exists()
        if isinstance(tested, ast.Name):
            names.add(tested.id)
        else:
            lines.add(tested.lineno)
    for node in ast.walk(module):
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id in names for t in node.targets
        ):
            lines.add(node.value.lineno)
    return frozenset(lines)
