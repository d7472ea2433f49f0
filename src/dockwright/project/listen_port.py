"""The port a self-serving script listens on, read from the argument of its listen call.

Tornado's ``app.listen(PORT)`` and gRPC's ``server.add_insecure_port("[::]:PORT")`` take the port
as an expression; in real services it is a literal, a module or function variable holding one, a
variable read from the environment with a default (``os.environ.get("PORT", "8080")``), Tornado's
``options.port`` declared by ``define("port", default=8888)``, or an address string built from one
of those (``"[::]:" + port``, ``f"[::]:{port}"``). Anything else is unknown (None): the framework's
default port applies then.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from dockwright.project.detectors.scan import dotted


@dataclass(frozen=True)
class ListenPort:
    port: int
    line: int  # the line the value was read from
    variable: str = ""  # the environment variable that overrides it, when read from one


# an environment variable's name (POSIX "Name"): the only text of the read that may go into the start's
# `${NAME:-port}` or an ENV line; anything else in that argument is no variable the start can name
# https://pubs.opengroup.org/onlinepubs/9799919799/basedefs/V1_chap03.html#tag_03_216
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


_ENV_READS = frozenset({"os.environ.get", "environ.get", "os.getenv", "getenv"})


def _text(node: ast.AST) -> str:
    """A string literal's value, else ""."""
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else ""


def _number(value: object) -> int | None:
    if type(value) is int and 0 < value < 65536:
        return value
    if isinstance(value, str):
        match = re.search(r"(?:^|:)(\d{2,5})$", value.strip())
        if match and 0 < int(match.group(1)) < 65536:
            return int(match.group(1))
    return None


class _Resolver:
    def __init__(self, tree: ast.Module) -> None:
        self.assigned: dict[str, list[ast.Assign | ast.AnnAssign]] = {}
        self.defines: dict[str, ast.Call] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        self.assigned.setdefault(target.id, []).append(node)
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value:
                self.assigned.setdefault(node.target.id, []).append(node)
            elif isinstance(node, ast.Call) and (dotted(node.func) or "").rsplit(".", 1)[-1] == "define":
                first = node.args[0] if node.args else None
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    self.defines[first.value] = node

    def port(self, node: ast.AST, depth: int = 0) -> ListenPort | None:
        if depth > 4:
            return None
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Constant):
            number = _number(node.value)
            return ListenPort(number, line) if number else None
        if isinstance(node, ast.Call):
            name = dotted(node.func) or ""
            if name in _ENV_READS and len(node.args) >= 2:
                default = self.port(node.args[1], depth + 1)
                first = node.args[0]
                variable = _text(first) if _NAME.match(_text(first)) else ""
                return ListenPort(default.port, line, variable) if default else None
            if name in ("int", "str") and node.args:
                return self.port(node.args[0], depth + 1)
            if name.rsplit(".", 1)[-1] == "format" and node.args:  # "[::]:{}".format(port)
                return self.port(node.args[-1], depth + 1)
            return None
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
            return self.port(node.right, depth + 1)  # "[::]:" + port, "[::]:%s" % port
        if isinstance(node, ast.JoinedStr):
            values = [v for v in node.values if isinstance(v, ast.FormattedValue)]
            return self.port(values[-1].value, depth + 1) if values else self.port_text(node)
        if isinstance(node, ast.Name):
            for assign in reversed(self.assigned.get(node.id, [])):
                if assign.value is not None and (found := self.port(assign.value, depth + 1)):
                    return found
            return None
        if isinstance(node, ast.Attribute) and node.attr in self.defines:  # tornado options.port
            define = self.defines[node.attr]
            for kw in define.keywords:
                if kw.arg == "default":
                    return self.port(kw.value, depth + 1)
        return None

    def port_text(self, node: ast.JoinedStr) -> ListenPort | None:
        text = "".join(
            v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)
        )
        number = _number(text)
        return ListenPort(number, node.lineno) if number else None


def listen_port(tree: ast.Module, argument: ast.AST) -> ListenPort | None:
    """The port ``argument`` (a listen call's port or address argument) names in ``tree``, else None."""
    return _Resolver(tree).port(argument)
