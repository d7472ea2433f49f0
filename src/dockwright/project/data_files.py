r"""Files the code opens and the package build reads, so the .dockerignore never drops one.

The app's source is read (``ast``, never run) for path expressions: string literals given to
``open()``, ``Path()``, ``os.path.join()``, readers such as ``json.load``/``yaml.safe_load``/``read_csv``
or configparser's ``read``,
template and static folders (``FileSystemLoader``, ``StaticFiles(directory=...)``, ``send_file``), and
``Path(__file__).parent / "data" / "x.json"`` chains. Each one is constant-folded and looked up from the
project root, the file's folder and the folders between them; a path that exists in the project is a
fact with the line that names it. The build's own inputs are read the same way: literals of setup.py
(``long_description=open("README.rst")``, ``data_files``), ``file:`` directives and ``data_files`` of
setup.cfg, and the files MANIFEST.in names with ``include`` (what ``recursive-include``/``graft`` add
outside a package only goes into an sdist). Never a VCS, environment or cache folder.
"""

from __future__ import annotations

import ast
import configparser
import posixpath
import re
from collections.abc import Mapping

from dockwright.errors import ProjectError
from dockwright.project.ast_walk import walk
from dockwright.project.detectors.base import outside_app
from dockwright.project.detectors.scan import ModuleScan
from dockwright.project.facts import Evidence
from dockwright.project.tree import ProjectTree

# calls whose path arguments are read: the last name of the called expression
_READERS = frozenset(
    {
        *("open", "Path", "PurePath", "PosixPath", "join", "read_text", "read_bytes", "load", "safe_load"),
        *("loadtxt", "genfromtxt", "read_csv", "read_json", "read_parquet", "read_excel", "read_table"),
        *("load_workbook", "FileSystemLoader", "Jinja2Templates", "StaticFiles", "send_file"),
        *("send_from_directory", "FileResponse", "load_dotenv", "dictConfig", "fileConfig", "Flask"),
        "read",  # configparser's ConfigParser.read("app.ini")
    }
)
_PATH_KEYWORDS = frozenset(
    {"directory", "path", "filename", "file", "template_folder", "static_folder", "fname"}
)
_MAX_FILES = 400
# tooling beside the app: what it opens is no file the image needs
_NOT_APP_DIRS = frozenset({"dev", "ci", ".ci", ".github", "hack"})
_NOT_APP_FILES = frozenset(
    {"conftest.py", "noxfile.py", "versioneer.py", "tasks.py", "fabfile.py", "conf.py"}
)
# never re-admitted, whoever names them: history, environments, caches, dockwright's own inputs
_NEVER_READMIT = frozenset(
    {".git", ".hg", ".svn", ".venv", "venv", "__pycache__", ".tox", ".nox", ".pytest_cache", ".mypy_cache"}
    | {".ruff_cache", ".hypothesis", ".dockwright", ".idea", ".vscode", "node_modules"}
    # the image's own recipe: a tool that generates one (datasette publish) names it, the app never needs it
    | {"Dockerfile", ".dockerignore"}
)


def readmittable(path: str) -> bool:
    """False for paths under VCS, environment and cache folders (a ``Path(".git")`` is not a data file)."""
    return not any(part in _NEVER_READMIT or part.endswith(".egg-info") for part in path.split("/"))


_BASE = ""  # a part that stands for a folder computed at run time (``Path(__file__).parent``, BASE_DIR)


def _parts(node: ast.expr) -> list[str] | None:
    """The path an expression builds, as parts (``_BASE`` = a run-time folder); None when not a path."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        left, right = _parts(node.left), _parts(node.right)
        if right is None:
            return None
        return [*(left if left is not None else [_BASE]), *right]
    if isinstance(node, ast.Call):
        name = _called_name(node.func)
        if name in ("join", "Path", "PurePath", "PosixPath") and node.args:
            out: list[str] = []
            for arg in node.args:
                part = _parts(arg)
                out.extend(part if part is not None else [_BASE])
            return out
        return None
    if isinstance(node, (ast.Name, ast.Attribute)):
        return [_BASE]
    return None


def _called_name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _relative(parts: list[str]) -> str | None:
    """The literal tail of ``parts`` as a relative path (what follows the last run-time folder)."""
    tail = parts[len(parts) - parts[::-1].index(_BASE) :] if _BASE in parts else parts
    text = "/".join(p.strip("/") for p in tail if p.strip("/"))
    if not text or text.startswith(("/", "~", "http:", "https:")) or "\n" in text or len(text) > 200:
        return None
    if any(c in text for c in "*?{}%<>|\\:") or text in (".", ".."):
        return None
    return text


def _expressions(module: ast.Module) -> list[ast.expr]:
    """Path expressions: reader calls' arguments and path keywords, and every ``/`` chain with a literal."""
    out: list[ast.expr] = []
    # the left side of ``a / "b"`` is a prefix of the whole chain, not a path of its own
    inner = {id(n.left) for n in walk(module) if isinstance(n, ast.BinOp) and isinstance(n.op, ast.Div)}
    for node in walk(module):
        if id(node) in inner:
            continue
        if isinstance(node, ast.Call) and _writes(node):
            continue  # open("Dockerfile", "w"): the code makes that file, it does not need it
        if isinstance(node, ast.Call) and _called_name(node.func) in (
            "join",
            "Path",
            "PurePath",
            "PosixPath",
        ):
            out.append(node)  # the whole join: its parts fold into one path
        elif isinstance(node, ast.Call) and _called_name(node.func) in _READERS:
            out.extend(node.args[:1])
            out.extend(k.value for k in node.keywords if k.arg in _PATH_KEYWORDS)
            if _called_name(node.func) in ("read_text", "read_bytes", "open") and isinstance(
                node.func, ast.Attribute
            ):
                out.append(node.func.value)  # Path("x").read_text(), (HERE / "x").open()
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            out.append(node)
    return out


def _writes(call: ast.Call) -> bool:
    """``open(path, "w")`` / ``.open(mode="a")``: a write, not a read."""
    if _called_name(call.func) != "open":
        return False
    position = 1 if isinstance(call.func, ast.Name) or len(call.args) > 1 else 0
    modes = [*call.args[position : position + 1], *(k.value for k in call.keywords if k.arg == "mode")]
    return any(
        isinstance(m, ast.Constant) and isinstance(m.value, str) and bool(set(m.value) & set("wax"))
        for m in modes
    )


def resolve_read(tree: ProjectTree, source: str, relative: str) -> str | None:
    """``relative`` from the project root, else from the source's folder or a folder above it."""
    folder = posixpath.dirname(source)
    candidates = [relative]
    while folder:
        candidates.append(posixpath.join(folder, relative))
        folder = posixpath.dirname(folder)
    for candidate in candidates:
        path = posixpath.normpath(candidate)
        if not path.startswith("..") and (tree.is_file(path) or tree.is_dir(path)):
            return path
    return None


def code_sources(tree: ProjectTree, skip_dirs: tuple[str, ...] = ()) -> list[str]:
    """The app's modules whose path expressions :func:`code_reads` reads (at most ``_MAX_FILES``)."""
    skipped = tuple(d.strip("/") + "/" for d in skip_dirs)
    return [
        f
        for f in tree.python_files
        if not f.startswith(skipped)
        and not outside_app(f)
        and not set(f.split("/")[:-1]) & _NOT_APP_DIRS
        and posixpath.basename(f) not in _NOT_APP_FILES
    ][:_MAX_FILES]


def code_reads(
    tree: ProjectTree, skip_dirs: tuple[str, ...] = (), scans: Mapping[str, ModuleScan] | None = None
) -> tuple[Evidence, ...]:
    """Project files and folders the code names in path expressions (detail = the path): the module
    ``scans``' path reads where they gathered them, else the module parsed here."""
    found: dict[str, Evidence] = {}
    for source in code_sources(tree, skip_dirs):
        scan = (scans or {}).get(source)
        if scan is not None and scan.path_reads is not None:
            if not scan.as_written:
                continue  # the host's grammar rejects it as written: not read, as below
            reads = scan.path_reads
        else:
            try:
                reads = path_literals(ast.parse(tree.read_text(source), source))
            except (SyntaxError, ValueError, ProjectError, RecursionError):
                continue
        for relative, line in reads:
            path = resolve_read(tree, source, relative)
            if path and path != source and path not in found and readmittable(path):
                found[path] = Evidence(source, line, path)
    return tuple(found.values())


def anchored_tail(node: ast.expr) -> str | None:
    """The literal relative tail of a path built on a run-time folder (``os.path.join(BASE_DIR,
    "models", "m.pkl")``, ``Path(__file__).parent / "m.pkl"``): ``models/m.pkl``; None when the
    expression is no such path (a bare literal, or nothing literal after the folder)."""
    parts = _parts(node)
    if not parts or _BASE not in parts or isinstance(node, ast.Name):
        return None
    return _relative(parts)


def path_literals(module: ast.Module) -> list[tuple[str, int | None]]:
    """(relative path, line) of each path expression of a module with a literal tail."""
    out: list[tuple[str, int | None]] = []
    for node in _expressions(module):
        parts = _parts(node)
        relative = _relative(parts) if parts else None
        if relative:
            out.append((relative, getattr(node, "lineno", None)))
    return out


_MANIFEST = re.compile(r"^\s*(include)\s+(.+)$", re.MULTILINE)


def build_reads(tree: ProjectTree) -> tuple[Evidence, ...]:
    """Files and folders the package build reads beyond the source: MANIFEST.in, setup.cfg ``file:``
    and ``data_files`` (setup.py's literals come through :func:`code_reads`)."""
    found: dict[str, Evidence] = {}

    def add(path: str, where: str, line: int | None) -> None:
        path = posixpath.normpath(path.strip().strip("'\""))
        if (
            path
            and not path.startswith("..")
            and readmittable(path)
            and (tree.is_file(path) or tree.is_dir(path))
        ):
            found.setdefault(path, Evidence(where, line, path))

    if tree.is_file("MANIFEST.in"):
        text = tree.read_text("MANIFEST.in")
        for match in _MANIFEST.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            # only named files: what recursive-include/graft add outside a package goes into the sdist,
            # never into the wheel the image installs (and inside a package nothing is ignored)
            if match.group(1) == "include":
                for word in match.group(2).split():
                    add(word, "MANIFEST.in", line)
    if tree.is_file("setup.cfg"):
        parser = configparser.ConfigParser(interpolation=None)
        try:
            text = tree.read_text("setup.cfg")
            parser.read_string(text)
        except (configparser.Error, ProjectError):
            return tuple(found.values())
        for section in parser.sections():
            for key, value in parser.items(section):
                files = value.split("file:", 1)[1] if "file:" in value else None
                if section == "options.data_files" or files is not None:
                    at = tree.line_of("setup.cfg", rf"^\s*{re.escape(key)}\s*=")
                    for word in re.split(r"[\s,]+", files if files is not None else value):
                        if word:
                            add(word, "setup.cfg", at)
    return tuple(found.values())
