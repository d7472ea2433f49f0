"""What a repository's ``gunicorn.conf.py`` does to the container gunicorn runs in.

gunicorn loads ``./gunicorn.conf.py`` from its working directory unless ``-c``/``--config`` names
another file (https://docs.gunicorn.org/en/stable/configure.html#configuration-file), and the image's
working directory is the project root, so the repository's file is in effect whatever command the plan
writes. Command-line flags win over it (``--bind``), but three of its settings stop a container, and
are read here without running it:

- ``daemon = True``: gunicorn forks into the background and PID 1 exits, so the container stops;
- ``accesslog``/``errorlog`` at an absolute path (``/var/log/app/info.log``): the non-root user cannot
  create it, so the server fails at start (``-`` is stdout/stderr, what a container wants);
- a ``raise`` at module level (``else: raise ValueError(...)`` when a variable is unset): the server
  stops before it serves; the variables the file reads are named.

Settings under an ``if`` are reported with their condition's line: they apply only when it holds.
"""

from __future__ import annotations

import ast

from dockwright.project.tree import ProjectTree

CONFIG = "gunicorn.conf.py"
_WRITABLE_PREFIXES = ("/tmp/", "/dev/")


def _module_level(body: list[ast.stmt], guard: int | None = None) -> list[tuple[ast.stmt, int | None]]:
    """Statements run when the file is loaded (module body and its if/else/try branches, not functions),
    each with the line of the innermost ``if`` that guards it."""
    out: list[tuple[ast.stmt, int | None]] = []
    for stmt in body:
        out.append((stmt, guard))
        if isinstance(stmt, ast.If):
            out += _module_level(stmt.body, stmt.lineno) + _module_level(stmt.orelse, stmt.lineno)
        elif isinstance(stmt, ast.Try):
            for block in (stmt.body, stmt.orelse, stmt.finalbody):
                out += _module_level(block, guard)
    return out


def _env_names(tree: ast.Module) -> list[str]:
    names: list[str] = []
    for node in ast.walk(tree):
        key: ast.AST | None = None
        if isinstance(node, ast.Call) and node.args:
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if called in ("getenv", "get") and (called == "getenv" or "environ" in ast.unparse(func)):
                key = node.args[0]
        elif isinstance(node, ast.Subscript) and "environ" in ast.unparse(node.value):
            key = node.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str) and key.value not in names:
            names.append(key.value)
    return names


def _where(line: int, guard: int | None) -> str:
    return f"{CONFIG}:{line}" + (f" (in a branch of the if at line {guard})" if guard else "")


def config_notes(tree: ProjectTree, argv: tuple[str, ...]) -> list[str]:
    """Warnings about the ``gunicorn.conf.py`` that the gunicorn command ``argv`` loads, if any."""
    if not argv or argv[0].rsplit("/", 1)[-1] != "gunicorn" or not tree.is_file(CONFIG):
        return []
    if any(a in ("-c", "--config") or a.startswith("--config=") for a in argv[1:]):
        return []
    try:
        module = ast.parse(tree.read_text(CONFIG), filename=CONFIG)
    except (SyntaxError, ValueError, RecursionError):
        return [f"{CONFIG}: gunicorn loads it from the working directory, but it is not valid Python"]
    notes: list[str] = []
    for stmt, guard in _module_level(module.body):
        if isinstance(stmt, ast.Raise):
            read = _env_names(module)
            reads = f"; it reads {', '.join(read)} (docker run -e)" if read else ""
            notes.append(
                f"{_where(stmt.lineno, guard)}: gunicorn loads this file from the working directory and "
                f"it raises there, so the server stops before it serves{reads}"
            )
        if not isinstance(stmt, ast.Assign) or not isinstance(stmt.value, ast.Constant):
            continue
        value = stmt.value.value
        for target in stmt.targets:
            name = target.id if isinstance(target, ast.Name) else ""
            if name == "daemon" and value is True:
                notes.append(
                    f"{_where(stmt.lineno, guard)}: daemon = True makes gunicorn fork into the background, "
                    "so PID 1 exits and the container stops; a container runs gunicorn in the foreground"
                )
            elif (
                name in ("accesslog", "errorlog")
                and isinstance(value, str)
                and value.startswith("/")
                and not value.startswith(_WRITABLE_PREFIXES)
            ):
                notes.append(
                    f"{_where(stmt.lineno, guard)}: {name} = {value!r}, which the non-root user cannot "
                    f"create; '-' logs to the container's output"
                )
    return notes


def served_argv(tree: ProjectTree, command: tuple[str, ...]) -> tuple[str, ...]:
    """The server command a start command runs: its last command, or an entry script's ``exec`` line."""
    from dockwright.project.detectors.entry_script import exec_line
    from dockwright.project.detectors.servers import last_command

    argv = last_command(command)
    if len(argv) == 2 and argv[0].rsplit("/", 1)[-1] in ("sh", "bash") and tree.is_file(argv[1]):
        found = exec_line(tree.read_text(argv[1]))
        return found[1] if found else ()
    return argv
