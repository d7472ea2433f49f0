"""What a legacy setuptools project declares, read statically: ``setup.py`` through its AST (never
executed) and ``setup.cfg`` through :mod:`configparser`.

``setup(install_requires=..., setup_requires=..., python_requires=...)`` keywords are resolved when
their value is a literal, a module-level name bound to a literal (``REQUIRES = [...]``), a
concatenation of those, or a call that reads a requirements file named by a string literal
(``read("requirements.txt")``, ``open("requirements.txt").read().splitlines()``). Anything else is
``dynamic``: the lock is then resolved by the build backend's metadata hook (``uv pip compile
setup.py``), and the plan says so.
"""

from __future__ import annotations

import ast
import configparser
from dataclasses import dataclass, field

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


class _Resolver:
    def __init__(self, tree: ProjectTree, module: ast.Module) -> None:
        self.tree = tree
        self.names: dict[str, ast.expr] = {}
        for node in module.body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target = node.targets[0]
                if isinstance(target, ast.Name):
                    self.names[target.id] = node.value
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value:
                self.names[node.target.id] = node.value
        self.via: str | None = None

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
        if isinstance(node, (ast.Call, ast.Attribute, ast.Subscript, ast.ListComp)):
            return self._file_read(node)
        return None

    def _file_read(self, node: ast.expr) -> list[str] | None:
        """A call chain that reads one requirements file named by a literal: its lines."""
        literals = [
            n.value
            for n in ast.walk(node)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value.endswith((".txt", ".in"))
        ]
        for name in dict.fromkeys(literals):
            rel = name.removeprefix("./")
            if self.tree.is_file(rel):
                self.via = rel
                return list(_requirement_lines(self.tree.read_text(rel)))
        return None


def _setup_call(module: ast.Module) -> ast.Call | None:
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


def read_setup_py(tree: ProjectTree) -> dict[str, SetupKeyword]:
    if not tree.is_file("setup.py"):
        return {}
    try:
        module = ast.parse(tree.read_text("setup.py"), "setup.py")
    except (SyntaxError, ValueError):
        return {}
    call = _setup_call(module)
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


def read_setup_cfg(tree: ProjectTree) -> dict[str, SetupKeyword]:
    if not tree.is_file("setup.cfg"):
        return {}
    text = tree.read_text("setup.cfg")
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(text, "setup.cfg")
    except configparser.Error:
        return {}
    if not parser.has_section("options"):
        return {}
    lines = text.splitlines()
    out: dict[str, SetupKeyword] = {}
    for key in _KEYS:
        if not parser.has_option("options", key):
            continue
        raw = parser.get("options", key)
        line = next((i for i, ln in enumerate(lines, 1) if ln.split("=", 1)[0].strip() == key), None)
        if raw.strip().startswith("file:"):
            rel = raw.strip()[5:].strip()
            if tree.is_file(rel):
                values = _requirement_lines(tree.read_text(rel))
                out[key] = SetupKeyword(values, "setup.cfg", line, via=rel)
            continue
        out[key] = SetupKeyword(_requirement_lines(raw), "setup.cfg", line)
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
