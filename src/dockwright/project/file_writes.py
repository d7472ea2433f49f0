"""Files and folders the app writes beside its own modules, on a path built from ``__file__``.

``open(os.path.join(os.path.dirname(__file__), "data", "notes.db"), "w")``, ``(Path(__file__).parent /
"uploads").mkdir()``, ``upload.save(os.path.join(os.path.dirname(__file__), "uploads", name))``: the
folder is the module's own folder (or one below or above it), so in the image the root-owned app tree,
where the non-root user cannot create anything. :func:`written_folder` names that folder relative to the
project root, for the runtime-writable folders (``AppFacts.writable``) or, when it holds the app's code,
for a note. Only a path written in the call (or a name bound once to one) counts: a folder read from the
environment, the home or an absolute literal is where the user put it.

Writers (their documentation): ``open``/``io.open``/``Path.open`` with a mode that writes
(https://docs.python.org/3/library/functions.html#open), ``Path.write_text``/``write_bytes``/``touch``
(https://docs.python.org/3/library/pathlib.html), ``os.makedirs``/``os.mkdir``/``Path.mkdir`` (a
folder), ``sqlite3.connect`` (the database file and its journal beside it,
https://www.sqlite.org/tempfiles.html), ``.save(path)`` (werkzeug's ``FileStorage.save``, Pillow's
``Image.save``).
"""

from __future__ import annotations

import ast
import posixpath
from typing import NamedTuple

from dockwright.project.ast_names import dotted

_TRANSPARENT = frozenset({"os.path.abspath", "os.path.realpath", "str", "Path", "pathlib.Path"})
_JOIN = frozenset({"os.path.join", "path.join", "join"})
_OPENERS = frozenset({"open", "io.open", "codecs.open"})
_FILE_METHODS = frozenset({"write_text", "write_bytes", "touch"})
_MAKEDIRS = frozenset({"os.makedirs", "makedirs", "os.mkdir"})


class FileWrite(NamedTuple):
    """A write on a path built from ``__file__``: the folder (relative to the root, "." for the root),
    the line, the writer, and the file (relative to the root) when it may be made beforehand, owned by
    the app user, for the writer to open (``open(..., "w")``/``"a"``, ``write_text``, ``touch``: not a
    new file per call, not SQLite, which writes a journal beside it, not ``"x"``, which wants none)."""

    folder: str
    line: int
    writer: str
    file: str = ""
    main_only: bool = False  # under the module's `if __name__ == "__main__":`: only run as a script


def module_folder(node: ast.expr, rel: str) -> list[str] | None:
    """A folder reached from ``__file__`` by ``os.path.dirname`` or ``.parent`` (``abspath``,
    ``resolve()`` and ``Path()`` between), for the module at ``rel``: ``["."]`` followed by its parts
    below the root; ``[]`` when it is above the root; None when the expression is not such a folder."""
    levels = 0
    while True:
        if isinstance(node, ast.Call) and dotted(node.func) in _TRANSPARENT and len(node.args) == 1:
            node = node.args[0]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "resolve"
        ):
            node = node.func.value
        elif isinstance(node, ast.Call) and dotted(node.func) == "os.path.dirname" and len(node.args) == 1:
            levels, node = levels + 1, node.args[0]
        elif isinstance(node, ast.Attribute) and node.attr == "parent":
            levels, node = levels + 1, node.value
        else:
            break
    if not (isinstance(node, ast.Name) and node.id == "__file__") or levels == 0:
        return None
    folders = rel.split("/")[:-1]
    if levels - 1 > len(folders):
        return []
    return [".", *folders[: len(folders) - (levels - 1)]]


def written_folder(call: ast.Call, rel: str, bound: dict[str, ast.expr]) -> FileWrite | None:
    """What ``call`` writes (:class:`FileWrite`) when it writes on a path built from the module's
    folder; None otherwise. ``bound``: names bound once in the module to their value (a path held in a
    name first)."""
    found = _target(call)
    if found is None:
        return None
    path = found[0]
    if isinstance(path, ast.Name) and path.id in bound:
        path = bound[path.id]
    return written_on(call, path, rel)


def written_on(call: ast.Call, path: ast.expr, rel: str) -> FileWrite | None:
    """What ``call`` writes when its path is ``path``, an expression of the module at ``rel`` (the value
    of a class attribute the call names, in the module defining the class); None as for
    :func:`written_folder`."""
    found = _target(call)
    if found is None:
        return None
    _, is_file, writer = found
    parts = _parts(path, rel, is_file)
    if parts is None:
        return None
    folder = posixpath.normpath("/".join(parts[:-1] if is_file else parts) or ".")
    if folder.startswith(("..", "/")):
        return None
    made = is_file and parts[-1] != "*" and writer in _MADE_BEFOREHAND and _mode(call) != "x"
    file = posixpath.normpath("/".join(parts)) if made else ""
    return FileWrite(folder, call.lineno, writer, file)


# writers that open a file made beforehand as they would a new one
_MADE_BEFOREHAND = frozenset({"open", "Path.open", "Path.write_text", "Path.write_bytes", "Path.touch"})


def written_path(call: ast.Call) -> ast.expr | None:
    """The path of the file ``call`` opens for writing (any path: a parameter, a name), else None."""
    found = _target(call)
    return found[0] if found is not None and found[1] else None


def write_target(call: ast.Call) -> ast.expr | None:
    """The path (file or folder) ``call`` writes, else None."""
    found = _target(call)
    return found[0] if found is not None else None


def _mode(call: ast.Call) -> str:
    """ "x" when an opener's mode is exclusive (the file must not exist), else "w"."""
    name = dotted(call.func) or ""
    method = call.func.attr if isinstance(call.func, ast.Attribute) else ""
    if name not in _OPENERS and method != "open":
        return "w"
    at = 1 if name in _OPENERS else 0
    mode = (
        call.args[at]
        if len(call.args) > at
        else next((k.value for k in call.keywords if k.arg == "mode"), None)
    )
    text = mode.value if isinstance(mode, ast.Constant) and isinstance(mode.value, str) else ""
    return "x" if "x" in text else "w"


def _target(call: ast.Call) -> tuple[ast.expr, bool, str] | None:
    """The path ``call`` writes, whether it is a file (else a folder), and the writer's name."""
    name = dotted(call.func) or ""
    method = call.func.attr if isinstance(call.func, ast.Attribute) else ""
    if name in _OPENERS and call.args:
        mode = (
            call.args[1]
            if len(call.args) > 1
            else next((k.value for k in call.keywords if k.arg == "mode"), None)
        )
        return (call.args[0], True, "open") if _writes(mode) else None
    if name == "sqlite3.connect" and call.args:
        return call.args[0], True, "sqlite3.connect"
    if name in _MAKEDIRS and call.args:
        return call.args[0], False, name
    if not isinstance(call.func, ast.Attribute):
        return None
    receiver = call.func.value
    if method == "open":
        mode = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "mode"), None)
        return (receiver, True, "Path.open") if _writes(mode) else None
    if method in _FILE_METHODS:
        return receiver, True, f"Path.{method}"
    if method == "mkdir":
        return receiver, False, "Path.mkdir"
    if method == "save" and call.args:
        return call.args[0], True, name or ".save"
    return None


def _writes(mode: ast.expr | None) -> bool:
    return (
        isinstance(mode, ast.Constant) and isinstance(mode.value, str) and bool(set(mode.value) & set("wax+"))
    )


def _parts(path: ast.expr, rel: str, is_file: bool) -> list[str] | None:
    """The path's parts below the root when it starts at the module's folder: its literal parts after
    it, the last one (a file's name) of any value; None for any other path."""
    while isinstance(path, ast.Call) and dotted(path.func) in ("str", "os.fspath") and len(path.args) == 1:
        path = path.args[0]
    head: ast.expr
    tail: list[ast.expr]
    if isinstance(path, ast.Call) and (dotted(path.func) or "") in _JOIN and path.args:
        head, tail = path.args[0], list(path.args[1:])
    elif isinstance(path, ast.BinOp) and isinstance(path.op, ast.Div):
        head, tail = path.left, [path.right]
        while isinstance(head, ast.BinOp) and isinstance(head.op, ast.Div):
            inner: ast.BinOp = head
            head, tail = inner.left, [inner.right, *tail]
    elif isinstance(path, ast.Call) and isinstance(path.func, ast.Attribute) and path.func.attr == "joinpath":
        head, tail = path.func.value, list(path.args)
    else:
        head, tail = path, []
    folder = module_folder(head, rel)
    if not folder:
        return None
    words = [t.value if isinstance(t, ast.Constant) and isinstance(t.value, str) else None for t in tail]
    if is_file and words and words[-1] is None:
        words[-1] = "*"  # a file name the code computes: its folder is what counts
    if any(w is None for w in words) or (is_file and not words):
        return None
    return [*folder, *(w for w in words if w is not None)]


def path_parts(path: ast.expr, rel: str) -> list[str] | None:
    """A folder's parts below the root (``["."]`` first) when ``path`` starts at the folder of the module
    at ``rel`` (``os.path.join(os.path.dirname(__file__), "site")``, ``Path(__file__).parent / "site"``)
    with literal parts after it; None for any other path."""
    return _parts(path, rel, False)
