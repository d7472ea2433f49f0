"""What a legacy setuptools project declares, read statically: ``setup.py`` through its AST (never
executed) and ``setup.cfg`` through :mod:`configparser`.

``setup(install_requires=..., setup_requires=..., python_requires=...)`` keywords are resolved when
their value is a literal, a module-level name bound to a literal (``REQUIRES = [...]``, also inside a
top-level ``with``/``if``/``try`` block, grown by ``+=``, ``.append()`` or ``.extend()``), a
concatenation of those, ``list()``/``sorted()``/``tuple()`` of one, a list comprehension over one that
only strips its lines or drops blank and comment lines (``[r.strip() for r in REQUIRES if r]``), or
something that reads a requirements file named by a string literal: a call (``read("requirements.txt")``,
``open("requirements.txt").read().splitlines()``), the file object of ``with open("requirements.txt")
as f`` (``f.read().splitlines()``, ``[line.strip() for line in f]``), or a setup.py function whose body
names one (``install_requires=read_requirements()``), or the folder the file name it is given sits in
(``get_requirements("default.txt")`` opening ``"requirements/" + filename``). Anything else is
``dynamic``: the lock is then resolved by the build backend's metadata hook (``uv pip compile
setup.py``), and the plan says so.
"""

from __future__ import annotations

import ast
import configparser
import copy
from dataclasses import dataclass, field

from dockwright.errors import ProjectError
from dockwright.project.ast_names import assignment
from dockwright.project.tree import ProjectTree

_KEYS = ("install_requires", "setup_requires", "python_requires")


@dataclass(frozen=True)
class SetupKeyword:
    """One ``setup()`` keyword: its requirement lines, where it was read, or why it could not be."""

    values: tuple[str, ...]
    file: str
    line: int | None
    dynamic: bool = False  # present, but not resolvable without running code
    via: str | None = None  # the requirements file the value reads, when it reads one


@dataclass(frozen=True)
class SetupDeclaration:
    keywords: dict[str, SetupKeyword] = field(default_factory=dict)

    def get(self, key: str) -> SetupKeyword | None:
        return self.keywords.get(key)


def _requirement_lines(text: str) -> tuple[str, ...]:
    out = []
    for raw in text.splitlines():
        line = raw.split(" #", 1)[0].strip()
        if line and not line.startswith(("#", "-")):
            out.append(line)
    return tuple(out)


_BLOCKS = (ast.With, ast.If, ast.Try)
_COPIES = ("list", "tuple", "sorted", "set")  # builtins that give the same lines back
_STR_METHODS = ("strip", "rstrip", "lstrip")


class _Resolver:
    def __init__(self, tree: ProjectTree, module: ast.Module) -> None:
        self.tree = tree
        self.names: dict[str, ast.expr] = {}
        self.functions: dict[str, ast.FunctionDef] = {}
        self._handles: dict[str, ast.expr] = {}  # `with open(...) as f` targets bound so far
        self._bind(module.body)
        self.via: str | None = None

    def _bind(self, body: list[ast.stmt]) -> None:
        """Module-level bindings, those of top-level ``with``/``if``/``try`` blocks too (a function's or
        a class's body is not the module's)."""
        for node in body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target = node.targets[0]
                if isinstance(target, ast.Name):
                    self.names[target.id] = self._at_this_point(node.value)
                    self._handles.pop(target.id, None)  # `f = "requirements.txt"`: no file handle now
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value:
                self.names[node.target.id] = self._at_this_point(node.value)
                self._handles.pop(node.target.id, None)
            elif isinstance(node, ast.AugAssign) and isinstance(node.op, ast.Add):
                if isinstance(node.target, ast.Name) and node.target.id in self.names:
                    self._grow(node.target.id, node.value)
            elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
                if isinstance(node.value.func, ast.Name) and node.value.func.id == "exec":
                    self._exec(node.value)
                else:
                    self._method_growth(node.value)
            elif isinstance(node, ast.FunctionDef):
                self.functions[node.name] = node
            if isinstance(node, ast.With):
                for item in node.items:  # `with open("requirements.txt") as f`: f reads that file
                    if isinstance(item.optional_vars, ast.Name):
                        self.names[item.optional_vars.id] = item.context_expr
                        self._handles[item.optional_vars.id] = item.context_expr
            if isinstance(node, _BLOCKS):
                self._bind(node.body)
                if isinstance(node, ast.Try):
                    self._bind(node.orelse)

    def _at_this_point(self, value: ast.expr) -> ast.expr:
        """``value`` with each ``with ... as f`` handle it reads replaced by the file it stands for at
        this statement: two blocks reading ``f`` (requirements.txt, then requirements-dev.txt) each
        give their own file's lines, not the last block's."""
        handles = self._handles
        if not any(isinstance(n, ast.Name) and n.id in handles for n in ast.walk(value)):
            return value

        class Opened(ast.NodeTransformer):
            def visit_Name(self, node: ast.Name) -> ast.AST:
                return handles.get(node.id, node) if isinstance(node.ctx, ast.Load) else node

        opened: ast.expr = Opened().visit(copy.deepcopy(value))
        return ast.fix_missing_locations(opened)

    def _exec(self, call: ast.Call) -> None:
        """``exec(f.read())`` of a project file (``with open("pkg/__meta__.py") as f``, or
        ``exec(open("pkg/version.py").read())``): the file's module-level string literals rebind their
        names (``__version__ = "2.4.1"`` over a ``"UNKNOWN"`` placeholder); an exec of anything else may
        rebind them, so no string bound before it is known any more (an exec into a namespace of its
        own, ``exec(code, about)``, binds none of the module's)."""
        if len(call.args) != 1 or call.keywords:
            return
        source = call.args[0]
        read = source.func if isinstance(source, ast.Call) and not source.args else None
        opened = read.value if isinstance(read, ast.Attribute) and read.attr == "read" else None
        if isinstance(opened, ast.Name):
            opened = self._handles.get(opened.id)
        path = (
            opened.args[0].value
            if isinstance(opened, ast.Call)
            and isinstance(opened.func, ast.Name)
            and opened.func.id == "open"
            and opened.args
            and isinstance(opened.args[0], ast.Constant)
            and isinstance(opened.args[0].value, str)
            else None
        )
        try:
            module = ast.parse(self.tree.read_text(path)) if path else None
        except (ProjectError, SyntaxError, ValueError, RecursionError):
            module = None
        if module is None:
            strings = [n for n, v in self.names.items() if isinstance(v, ast.Constant)]
            for name in strings:
                del self.names[name]
            return
        for stmt in module.body:
            targets, value = assignment(stmt)
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                self.names.update({t.id: value for t in targets if isinstance(t, ast.Name)})

    def _grow(self, name: str, value: ast.expr) -> None:
        self.names[name] = ast.BinOp(self.names[name], ast.Add(), value)

    def _method_growth(self, call: ast.Call) -> None:
        """``REQUIRES.append("x")`` / ``REQUIRES.extend([...])`` at module level."""
        func = call.func
        if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and len(call.args) == 1):
            return
        name = func.value.id
        if name not in self.names:
            return
        if func.attr == "append":
            self._grow(name, ast.List([call.args[0]], ast.Load()))
        elif func.attr == "extend":
            self._grow(name, call.args[0])

    def text(self, node: ast.expr, depth: int = 0) -> str | None:
        """The one string ``node`` is (a literal, or a name bound to one), or None."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.Name) and node.id in self.names and depth < 8:
            return self.text(self.names[node.id], depth + 1)
        return None

    def strings(self, node: ast.expr, depth: int = 0) -> list[str] | None:
        """The string list ``node`` evaluates to, or None when only running it would tell."""
        if depth > 8:
            return None
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return list(_requirement_lines(node.value))
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            out: list[str] = []
            for item in node.elts:
                got = self.strings(item, depth + 1)
                if got is None:
                    return None
                out.extend(got)
            return out
        if isinstance(node, ast.Name) and node.id in self.names:
            return self.strings(self.names[node.id], depth + 1)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left, right = self.strings(node.left, depth + 1), self.strings(node.right, depth + 1)
            return None if left is None or right is None else left + right
        if isinstance(node, ast.Call) and _is_copy(node):
            return self.strings(node.args[0], depth + 1)
        if isinstance(node, ast.ListComp):
            # one that filters otherwise but reads a requirements file: its lines (a superset)
            return self._comprehension(node, depth) or self._file_read(node)
        if isinstance(node, (ast.Call, ast.Attribute, ast.Subscript)):
            return self._file_read(node)
        return None

    def _comprehension(self, node: ast.ListComp, depth: int) -> list[str] | None:
        """``[r.strip() for r in LINES if r and not r.startswith("#")]``: LINES, when the element is the
        line itself (stripped) and the conditions only drop blank and comment lines (which reading the
        lines drops anyway)."""
        if len(node.generators) != 1:
            return None
        gen = node.generators[0]
        if not isinstance(gen.target, ast.Name) or gen.is_async:
            return None
        line = gen.target.id
        if not _is_line(node.elt, line) or not all(_drops_only_blank_or_comment(c, line) for c in gen.ifs):
            return None
        return self.strings(gen.iter, depth + 1) or self._file_read(gen.iter)

    def _file_read(self, node: ast.expr) -> list[str] | None:
        """Something that reads one requirements file named by a literal (in the expression, in the ``with
        open(...)`` its names stand for, or in the body of the setup.py function it calls): its lines."""
        names = list(dict.fromkeys(self._file_literals(node)))
        # `get_requirements("default.txt")` whose body opens `"requirements/" + filename`: the folder
        # literals of the function it calls, joined with the file name
        folders = [f.strip("/") for f in dict.fromkeys(self._folder_literals(node)) if f.strip("/")]
        for rel in [n.removeprefix("./") for n in names] + [
            f"{f.removeprefix('./')}/{n.removeprefix('./')}" for f in folders for n in names
        ]:
            if self.tree.is_file(rel):
                self.via = rel
                return list(_requirement_lines(self.tree.read_text(rel)))
        return None

    def _folder_literals(self, node: ast.AST) -> list[str]:
        """String literals naming a folder of the tree in the bodies of the functions ``node`` calls."""
        out = []
        for n in ast.walk(node):
            function = self.functions.get(n.id) if isinstance(n, ast.Name) else None
            if function is None:
                continue
            out += [
                c.value
                for c in ast.walk(function)
                if isinstance(c, ast.Constant)
                and isinstance(c.value, str)
                and 0 < len(c.value) < 200
                and self.tree.is_dir(c.value.removeprefix("./").strip("/") or "-")
            ]
        return out

    def _file_literals(self, node: ast.AST, depth: int = 0) -> list[str]:
        out = []
        for n in ast.walk(node):
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value.endswith((".txt", ".in")):
                out.append(n.value)
            elif isinstance(n, ast.Name) and depth < 4:
                bound = self.names.get(n.id)
                function = self.functions.get(n.id)
                if bound is not None and bound is not node:
                    out += self._file_literals(bound, depth + 1)
                elif function is not None:
                    out += self._file_literals(function, depth + 1)
        return out


def _is_copy(node: ast.Call) -> bool:
    """``list(X)``, ``sorted(X)``, ...: the same lines as ``X``."""
    return (
        isinstance(node.func, ast.Name)
        and node.func.id in _COPIES
        and len(node.args) == 1
        and not node.keywords
    )


def _is_line(node: ast.expr, line: str) -> bool:
    """``line`` itself, or ``line.strip()`` (any of the strip methods, chained)."""
    while isinstance(node, ast.Call) and not node.args and isinstance(node.func, ast.Attribute):
        if node.func.attr not in _STR_METHODS:
            return False
        node = node.func.value
    return isinstance(node, ast.Name) and node.id == line


def _drops_only_blank_or_comment(node: ast.expr, line: str) -> bool:
    """A comprehension condition that keeps every requirement line: ``line``, ``line.strip()``, ``not
    line.startswith("#")`` (or ``"-"``: option lines, which reading requirement lines drops too),
    ``and`` of those."""
    if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.And):
        return all(_drops_only_blank_or_comment(v, line) for v in node.values)
    if _is_line(node, line):
        return True
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        call = node.operand
        if (
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Attribute)
            and call.func.attr == "startswith"
            and _is_line(call.func.value, line)
            and len(call.args) == 1
        ):
            arg = call.args[0]
            prefixes = arg.elts if isinstance(arg, ast.Tuple) else [arg]
            return all(isinstance(p, ast.Constant) and p.value in ("#", "-", "-e", "--") for p in prefixes)
    return False


def setup_call(module: ast.Module) -> ast.Call | None:
    """The first ``setup(...)`` / ``setuptools.setup(...)`` call of a setup.py, if any."""
    for node in ast.walk(module):
        if isinstance(node, ast.Call):
            func = node.func
            name = (
                func.id
                if isinstance(func, ast.Name)
                else func.attr
                if isinstance(func, ast.Attribute)
                else ""
            )
            if name == "setup":
                return node
    return None


def setup_keyword(tree: ProjectTree, name: str) -> tuple[ast.Module, ast.expr] | None:
    """setup.py parsed and the value its ``setup(name=...)`` passes, or None (no setup.py, unreadable or
    not Python, no ``setup()`` call, no such keyword)."""
    if not tree.is_file("setup.py"):
        return None
    try:
        module = ast.parse(tree.read_text("setup.py"), "setup.py")
    except (ProjectError, SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    call = setup_call(module)
    value = next((kw.value for kw in call.keywords if kw.arg == name), None) if call else None
    return (module, value) if value is not None else None


def read_setup_py(tree: ProjectTree) -> dict[str, SetupKeyword]:
    if not tree.is_file("setup.py"):
        return {}
    try:
        module = ast.parse(tree.read_text("setup.py"), "setup.py")
    except (SyntaxError, ValueError):
        return {}
    call = setup_call(module)
    if call is None:
        return {}
    resolver = _Resolver(tree, module)
    out: dict[str, SetupKeyword] = {}
    for kw in call.keywords:
        if kw.arg not in _KEYS:
            continue
        resolver.via = None
        values = resolver.strings(kw.value)
        if values is None:
            out[kw.arg] = SetupKeyword((), "setup.py", kw.value.lineno, dynamic=True)
        else:
            out[kw.arg] = SetupKeyword(tuple(values), "setup.py", kw.value.lineno, via=resolver.via)
    return out


_METADATA_KEYS = ("name", "version", "description")


def setup_py_metadata(tree: ProjectTree) -> dict[str, tuple[str, int]]:
    """setup.py's ``setup(name=..., version=..., description=...)`` where each is a string literal, or a
    module-level name bound to one (``version=VERSION``): key -> (value, line). What only running the
    file tells (``version=get_version()``) is left out."""
    if not tree.is_file("setup.py"):
        return {}
    try:
        module = ast.parse(tree.read_text("setup.py"), "setup.py")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return {}
    call = setup_call(module)
    if call is None:
        return {}
    resolver = _Resolver(tree, module)
    out: dict[str, tuple[str, int]] = {}
    for kw in call.keywords:
        if kw.arg in _METADATA_KEYS:
            value = resolver.text(kw.value)
            if value and value.strip():
                out[kw.arg] = (value.strip(), kw.value.lineno)
    return out


def _setup_cfg_section(
    tree: ProjectTree, section: str, *, keep_case: bool = False
) -> tuple[configparser.ConfigParser, list[str]] | None:
    """setup.cfg parsed (``keep_case``: option names as written) and its lines, when it has ``section``."""
    if not tree.is_file("setup.cfg"):
        return None
    text = tree.read_text("setup.cfg")
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    if keep_case:
        parser.optionxform = str  # type: ignore[assignment,method-assign]
    try:
        parser.read_string(text, "setup.cfg")
    except configparser.Error:
        return None
    return (parser, text.splitlines()) if parser.has_section(section) else None


def _key_line(lines: list[str], key: str) -> int | None:
    """The line setting ``key`` (``key = ...``) in setup.cfg's ``lines``."""
    return next((i for i, ln in enumerate(lines, 1) if ln.split("=", 1)[0].strip() == key), None)


def read_setup_cfg(tree: ProjectTree) -> dict[str, SetupKeyword]:
    found = _setup_cfg_section(tree, "options")
    if found is None:
        return {}
    parser, lines = found
    out: dict[str, SetupKeyword] = {}
    for key in _KEYS:
        if not parser.has_option("options", key):
            continue
        raw = parser.get("options", key)
        line = _key_line(lines, key)
        if raw.strip().startswith("file:"):
            rel = raw.strip()[5:].strip()
            if tree.is_file(rel):
                values = _requirement_lines(tree.read_text(rel))
                out[key] = SetupKeyword(values, "setup.cfg", line, via=rel)
            continue
        out[key] = SetupKeyword(_requirement_lines(raw), "setup.cfg", line)
    return out


def extras_require(tree: ProjectTree) -> dict[str, SetupKeyword]:
    """Each optional extra a setuptools project declares (name as written -> its requirement lines and
    where): setup.py's ``extras_require=`` (a dict literal, ``dict(...)`` or a module-level name bound
    to one, each value resolved as ``install_requires`` is), else setup.cfg's ``[options.extras_require]``
    (setuptools skips setup.cfg's option when setup() sets it). An extra whose value only running setup.py
    tells is ``dynamic``."""
    from_setup_py = _setup_py_extras(tree)
    return from_setup_py if from_setup_py is not None else _setup_cfg_extras(tree)


def _setup_cfg_extras(tree: ProjectTree) -> dict[str, SetupKeyword]:
    found = _setup_cfg_section(tree, "options.extras_require", keep_case=True)  # extras keep their case
    if found is None:
        return {}
    parser, lines = found
    return {
        key: SetupKeyword(
            _requirement_lines(parser.get("options.extras_require", key)), "setup.cfg", _key_line(lines, key)
        )
        for key in parser.options("options.extras_require")
    }


def _setup_py_extras(tree: ProjectTree) -> dict[str, SetupKeyword] | None:
    """setup.py's extras, None when it passes no ``extras_require``."""
    if not tree.is_file("setup.py"):
        return None
    try:
        module = ast.parse(tree.read_text("setup.py"), "setup.py")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    call = setup_call(module)
    value = next((kw.value for kw in call.keywords if kw.arg == "extras_require"), None) if call else None
    if value is None:
        return None
    resolver = _Resolver(tree, module)
    for _ in range(8):  # EXTRAS = {...}; setup(extras_require=EXTRAS)
        if isinstance(value, ast.Name) and value.id in resolver.names:
            value = resolver.names[value.id]
    pairs: list[tuple[ast.expr | None, ast.expr]] = []
    if isinstance(value, ast.Dict):
        pairs = list(zip(value.keys, value.values, strict=True))
    elif isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "dict":
        pairs = [(ast.Constant(kw.arg), kw.value) for kw in value.keywords if kw.arg]
    out: dict[str, SetupKeyword] = {}
    for key, item in pairs:
        if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
            continue
        resolver.via = None
        values = resolver.strings(item)
        line = getattr(item, "lineno", None)
        if values is None:
            out[key.value] = SetupKeyword((), "setup.py", line, dynamic=True)
        else:
            out[key.value] = SetupKeyword(tuple(values), "setup.py", line, via=resolver.via)
    return out


def read_setuptools(tree: ProjectTree) -> SetupDeclaration:
    """setup.py's keywords win over setup.cfg's (setuptools applies setup.cfg first, then setup())."""
    merged = {**read_setup_cfg(tree), **read_setup_py(tree)}
    return SetupDeclaration(merged)


def setup_cfg_declares_package(tree: ProjectTree) -> bool:
    """True when setup.cfg has packaging sections ([metadata]/[options]), not only tool config."""
    if not tree.is_file("setup.cfg"):
        return False
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(tree.read_text("setup.cfg"), "setup.cfg")
    except configparser.Error:
        return False
    return parser.has_section("metadata") or parser.has_section("options")
