"""What the app is and how it starts: framework, production command, port and health path.

Source is read with :mod:`ast` (user code is never imported). Framework knowledge — import names,
app constructors, default ports, built-in health paths, the route-declaring calls — lives in
``data/frameworks.toml``; this module only walks the syntax trees and applies that table.

Order of decision (first that applies wins): ``--start``; a ``Procfile`` ``web:`` line; the
frameworks of the table in their order (Django via ``manage.py``, then app objects or factories of
FastAPI, Starlette, Flask, Bottle, aiohttp; Streamlit scripts; Celery apps as workers); a
``console_scripts`` entry point; a package ``__main__``; a single script with a ``__main__`` guard.
"""

from __future__ import annotations

import ast
import re
import shlex
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, cast

from dockwright.errors import ProjectError
from dockwright.project.facts import AppFacts, AppKind, Evidence, Fact
from dockwright.project.tree import ProjectTree, parse_toml

_WEB_SERVERS = frozenset(
    {"gunicorn", "uvicorn", "hypercorn", "daphne", "waitress-serve", "streamlit", "granian"}
)
_SCRIPT_PREFERENCE = ("main.py", "app.py", "run.py", "job.py", "server.py", "cli.py", "__main__.py")


@dataclass(frozen=True)
class Framework:
    name: str
    module: str
    ctor: tuple[str, ...]
    interface: str
    port: int | None
    health: str | None
    factory_ok: bool
    marker: str | None
    source: str


@dataclass(frozen=True)
class Signatures:
    frameworks: tuple[Framework, ...]
    health_paths: tuple[str, ...]
    route_calls: frozenset[str]


@lru_cache(maxsize=1)
def signatures() -> Signatures:
    text = resources.files("dockwright.project").joinpath("data/frameworks.toml").read_text("utf-8")
    data = parse_toml(text)
    frameworks = tuple(
        Framework(
            name=str(f["name"]),
            module=str(f["module"]),
            ctor=tuple(f.get("ctor", [])),
            interface=str(f["interface"]),
            port=f.get("port"),
            health=f.get("health"),
            factory_ok=bool(f.get("factory_ok", False)),
            marker=f.get("marker"),
            source=str(f["source"]),
        )
        for f in data["framework"]
    )
    return Signatures(frameworks, tuple(data["health"]["paths"]), frozenset(data["health"]["route_calls"]))


# ---------------------------------------------------------------------------------------------- scanning


@dataclass
class ModuleScan:
    rel: str
    module: str
    imports: set[str] = field(default_factory=set)
    apps: list[tuple[str, str, int]] = field(default_factory=list)  # (framework, variable, line)
    factories: list[tuple[str, str, int]] = field(default_factory=list)  # (framework, function, line)
    routes: list[tuple[str, int]] = field(default_factory=list)
    ports: list[tuple[int, int]] = field(default_factory=list)
    main_guard: bool = False
    strings: dict[str, tuple[str, int]] = field(default_factory=dict)  # module-level NAME = "str"


def module_name(rel: str) -> str:
    path = rel[:-3]
    if path.startswith("src/"):
        path = path[4:]
    parts = path.split("/")
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _dotted(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr}" if base else node.attr
    return None


def _ctor_framework(call: ast.AST, scan: ModuleScan, frameworks: tuple[Framework, ...]) -> str | None:
    if not isinstance(call, ast.Call):
        return None
    name = _dotted(call.func)
    if not name:
        return None
    for fw in frameworks:
        if fw.ctor and name in fw.ctor and fw.module in scan.imports:
            return fw.name
    return None


def scan_module(rel: str, source: str) -> ModuleScan | None:
    try:
        tree = ast.parse(source, filename=rel)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    sig = signatures()
    scan = ModuleScan(rel, module_name(rel))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            scan.imports.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            scan.imports.add(node.module.split(".")[0])
    for stmt in tree.body:
        value: ast.AST | None = None
        targets: list[ast.AST] = []
        if isinstance(stmt, ast.Assign):
            value, targets = stmt.value, list(stmt.targets)
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            value, targets = stmt.value, [stmt.target]
        if value is not None:
            fw = _ctor_framework(value, scan, sig.frameworks)
            for target in targets:
                if isinstance(target, ast.Name):
                    if fw:
                        scan.apps.append((fw, target.id, stmt.lineno))
                    if isinstance(value, ast.Constant) and isinstance(value.value, str):
                        scan.strings[target.id] = (value.value, stmt.lineno)
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            has_return = any(isinstance(n, ast.Return) and n.value is not None for n in ast.walk(stmt))
            for inner in ast.walk(stmt):
                fw = _ctor_framework(inner, scan, sig.frameworks)
                if fw and has_return:
                    scan.factories.append((fw, stmt.name, stmt.lineno))
                    break
        if isinstance(stmt, ast.If):
            test = stmt.test
            if (
                isinstance(test, ast.Compare)
                and isinstance(test.left, ast.Name)
                and test.left.id == "__name__"
                and any(isinstance(c, ast.Constant) and c.value == "__main__" for c in test.comparators)
            ):
                scan.main_guard = True
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _dotted(node.func) or ""
        last = name.rsplit(".", 1)[-1]
        if last in sig.route_calls and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                scan.routes.append((first.value, node.lineno))
        for kw in node.keywords:
            if kw.arg == "port" and isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, int):
                scan.ports.append((kw.value.value, node.lineno))
    return scan


def normalise_route(path: str) -> str:
    path = path.strip().lstrip("^").rstrip("$")
    path = "/" + path.lstrip("/")
    return path.rstrip("/") if len(path) > 1 else path


# ---------------------------------------------------------------------------------------------- decisions


def _port_from_command(argv: list[str]) -> int | None:
    for i, arg in enumerate(argv):
        value: str | None = None
        if arg in ("--bind", "-b", "--port", "-p", "--server.port", "-P") and i + 1 < len(argv):
            value = argv[i + 1]
        elif arg.startswith(("--bind=", "--port=", "--server.port=")):
            value = arg.split("=", 1)[1]
        if value:
            match = re.search(r"(\d+)$", value)
            if match:
                return int(match.group(1))
    return None


def _procfile(tree: ProjectTree) -> tuple[str, list[str], int] | None:
    if not tree.is_file("Procfile"):
        return None
    entries: dict[str, tuple[list[str], int]] = {}
    for number, line in enumerate(tree.read_text("Procfile").splitlines(), 1):
        match = re.match(r"^([A-Za-z0-9_-]+):\s*(.+)$", line.strip())
        if match:
            try:
                entries.setdefault(match.group(1), (shlex.split(match.group(2)), number))
            except ValueError as exc:
                raise ProjectError(
                    f"cannot split Procfile command: {exc}", file="Procfile", line=number
                ) from exc
    for kind in ("web", "worker"):
        if kind in entries:
            return kind, *entries[kind]
    return None


def _rank(scan: ModuleScan) -> tuple[int, int, str]:
    name = scan.rel.rsplit("/", 1)[-1]
    preferred = _SCRIPT_PREFERENCE.index(name) if name in _SCRIPT_PREFERENCE else len(_SCRIPT_PREFERENCE)
    return scan.rel.count("/"), preferred, scan.rel


def _server_command(fw: Framework, target: str, port: int, rel: str) -> tuple[str, ...]:
    if fw.interface in ("wsgi", "django"):
        return ("gunicorn", "--bind", f"0.0.0.0:{port}", target)
    if fw.interface == "asgi":
        return ("uvicorn", target, "--host", "0.0.0.0", "--port", str(port))
    if fw.interface == "aiohttp":
        return ("python", "-m", "aiohttp.web", "-H", "0.0.0.0", "-P", str(port), target)
    if fw.interface == "streamlit":
        return (
            "streamlit",
            "run",
            rel,
            "--server.port",
            str(port),
            "--server.address",
            "0.0.0.0",
            "--server.headless",
            "true",
        )
    module, _, var = target.partition(":")
    # celery finds an attribute named `app` or `celery` by itself; name any other one
    app = module if var in ("app", "celery") else target
    return ("celery", "-A", app, "worker", "--loglevel", "INFO")


@dataclass(frozen=True)
class _Found:
    framework: Framework
    kind: AppKind
    target: str
    module: str
    rel: str
    line: int | None
    detail: str


def _django(tree: ProjectTree, scans: dict[str, ModuleScan], fw: Framework) -> _Found | None:
    if not tree.is_file("manage.py"):
        return None
    settings_module: str | None = None
    manage = tree.read_text("manage.py")
    match = re.search(r"DJANGO_SETTINGS_MODULE['\"]\s*,\s*['\"]([\w.]+)['\"]", manage)
    if match:
        settings_module = match.group(1)
    wsgi: str | None = None
    line: int | None = None
    rel = "manage.py"
    if settings_module:
        for candidate in (
            settings_module.replace(".", "/") + ".py",
            "src/" + settings_module.replace(".", "/") + ".py",
        ):
            scan = scans.get(candidate)
            if scan and "WSGI_APPLICATION" in scan.strings:
                value, line = scan.strings["WSGI_APPLICATION"]
                module, _, attr = value.rpartition(".")
                wsgi, rel = f"{module}:{attr}", candidate
                break
    if wsgi is None:
        for scan in sorted(scans.values(), key=_rank):
            if scan.rel.endswith("/wsgi.py"):
                wsgi, rel, line = f"{scan.module}:application", scan.rel, None
                break
    if wsgi is None:
        raise ProjectError(
            "Django project without a WSGI module (no WSGI_APPLICATION, no wsgi.py); pass --start"
        )
    return _Found(fw, "web", wsgi, wsgi.split(":")[0], rel, line, f"Django WSGI application {wsgi}")


def _framework_app(fw: Framework, scans: list[ModuleScan]) -> _Found | None:
    if fw.interface == "streamlit":
        for scan in scans:
            if fw.module in scan.imports and "/" not in scan.rel:
                return _Found(fw, "web", scan.rel, scan.module, scan.rel, None, "imports streamlit")
        return None
    kind: AppKind = "worker" if fw.interface == "celery" else "web"
    for scan in scans:
        for name, var, line in scan.apps:
            if name == fw.name:
                return _Found(
                    fw, kind, f"{scan.module}:{var}", scan.module, scan.rel, line, f"{fw.name} app `{var}`"
                )
    if fw.factory_ok:
        for scan in scans:
            for name, func, line in scan.factories:
                if name == fw.name:
                    target = f"{scan.module}:{func}()" if fw.interface == "wsgi" else f"{scan.module}:{func}"
                    return _Found(
                        fw, kind, target, scan.module, scan.rel, line, f"{fw.name} app factory `{func}()`"
                    )
    return None


def _health(scans: list[ModuleScan], fw: Framework | None) -> Fact[str | None]:
    sig = signatures()
    found: dict[str, tuple[str, int]] = {}
    # Routes of the detected framework's modules (its routers, blueprints, urlconfs) count first.
    relevant = [s for s in scans if fw and fw.module in s.imports] or scans
    for scan in relevant:
        for path, line in scan.routes:
            found.setdefault(normalise_route(path), (scan.rel, line))
    for path in sig.health_paths:
        if path in found:
            rel, line = found[path]
            return Fact(path, (Evidence(rel, line, f"route {path}"),))
    if fw and fw.health:
        return Fact(fw.health, (Evidence("frameworks table", None, f"{fw.name} serves {fw.health} itself"),))
    return Fact(None, (Evidence("source scan", None, "no health route found; a TCP probe will do"),))


def detect_app(
    tree: ProjectTree,
    pyproject: dict[str, Any] | None,
    *,
    start: str | None = None,
    port: int | None = None,
    notes: list[str] | None = None,
) -> AppFacts:
    sig = signatures()
    notes = [] if notes is None else notes
    scans_by_rel: dict[str, ModuleScan] = {}
    for rel in tree.python_files:
        try:
            text = tree.read_text(rel)
        except ProjectError as exc:
            notes.append(f"skipped {exc}")
            continue
        scan = scan_module(rel, text)
        if scan is None:
            notes.append(f"{rel}: not valid Python syntax; skipped")
            continue
        scans_by_rel[rel] = scan
    scans = sorted(scans_by_rel.values(), key=_rank)

    found: _Found | None = None
    for candidate in sig.frameworks:
        if candidate.marker == "manage.py":
            found = _django(tree, scans_by_rel, candidate)
        else:
            found = _framework_app(candidate, scans)
        if found:
            break
    fw = found.framework if found else None

    # Port: command line > explicit in code > framework default.
    port_fact: Fact[int | None]
    if port is not None:
        port_fact = Fact(port, (Evidence("command line", None, f"--port {port}"),))
    else:
        explicit = [(p, s.rel, ln) for s in scans for p, ln in s.ports if found and s.rel == found.rel]
        if explicit:
            p, rel, ln = explicit[0]
            port_fact = Fact(p, (Evidence(rel, ln, f"port={p} in code"),))
        elif fw and fw.port:
            port_fact = Fact(
                fw.port, (Evidence("frameworks table", None, f"{fw.name} default port {fw.port}"),)
            )
        else:
            port_fact = Fact(None, (Evidence("default", None, "no listening port"),))

    kind: Fact[AppKind]
    command: Fact[tuple[str, ...]]
    module: Fact[str | None] = Fact(None)
    framework: Fact[str | None] = Fact(
        None, (Evidence("source scan", None, "no framework signature matched"),)
    )
    if found:
        ev = Evidence(found.rel, found.line, found.detail)
        framework = Fact(
            found.framework.name, (ev, Evidence("frameworks table", None, found.framework.source))
        )
        kind = Fact(found.kind, (ev,))
        module = Fact(found.module, (ev,))
        command = Fact(
            _server_command(found.framework, found.target, port_fact.value or 8000, found.rel), (ev,)
        )
    else:
        kind, command, module = _fallback(tree, pyproject, scans)

    procfile = _procfile(tree)
    if procfile and start is None:
        pkind, argv, line = procfile
        ev = Evidence("Procfile", line, f"{pkind}: {' '.join(argv)}")
        command = Fact(tuple(argv), (ev,))
        kind = Fact("web" if pkind == "web" else "worker", (ev,))
        explicit_port = _port_from_command(argv)
        if explicit_port and port is None:
            port_fact = Fact(explicit_port, (ev,))
    if start is not None:
        try:
            argv = shlex.split(start)
        except ValueError as exc:
            raise ProjectError(f"cannot split --start {start!r}: {exc}") from exc
        if not argv:
            raise ProjectError("--start is empty")
        ev = Evidence("command line", None, f"--start {start}")
        command = Fact(tuple(argv), (ev,))
        if argv[0] in _WEB_SERVERS or port is not None:
            kind = Fact("web", (ev,))
        if _port_from_command(argv) and port is None:
            port_fact = Fact(_port_from_command(argv), (ev,))

    if kind.value != "web":
        port_fact = (
            Fact(None, (Evidence("default", None, f"{kind.value} app: no listening port"),))
            if port is None
            else port_fact
        )
        health: Fact[str | None] = Fact(
            None, (Evidence("default", None, f"{kind.value} app: no health probe"),)
        )
    else:
        if port_fact.value is None:
            port_fact = Fact(8000, (Evidence("default", None, "web app without a known port; 8000"),))
        health = _health(scans, fw)
    return AppFacts(
        kind=kind,
        framework=framework,
        command=command,
        port=port_fact,
        health_path=health,
        module=module,
        entry_point=_entry_point(tree, pyproject, command.value),
    )


def _entry_point(
    tree: ProjectTree, pyproject: dict[str, Any] | None, command: tuple[str, ...]
) -> Fact[str | None]:
    """``module:function`` behind the start command when it is one of the project's console scripts."""
    target = _declared_scripts(pyproject).get(command[0]) if command else None
    if not isinstance(target, str) or ":" not in target:
        return Fact(None)
    return Fact(target, (_script_evidence(tree, command[0], target),))


def _declared_scripts(pyproject: dict[str, Any] | None) -> dict[str, Any]:
    """Console scripts from ``[project.scripts]`` and ``[tool.poetry.scripts]`` (name -> target)."""
    pyproject = pyproject or {}
    project = pyproject.get("project") if isinstance(pyproject.get("project"), dict) else {}
    scripts = dict(cast(dict[str, Any], project).get("scripts") or {})
    scripts.update(pyproject.get("tool", {}).get("poetry", {}).get("scripts") or {})
    return scripts


def _script_evidence(tree: ProjectTree, name: str, target: object) -> Evidence:
    line = tree.line_of("pyproject.toml", rf"^[\"']?{re.escape(name)}[\"']?\s*=")
    return Evidence("pyproject.toml", line, f"console script {name} = {target}")


def _fallback(
    tree: ProjectTree, pyproject: dict[str, Any] | None, scans: list[ModuleScan]
) -> tuple[Fact[AppKind], Fact[tuple[str, ...]], Fact[str | None]]:
    for name, target in _declared_scripts(pyproject).items():
        ev = _script_evidence(tree, name, target)
        mod = str(target).split(":")[0] if isinstance(target, str) else None
        return Fact("cli", (ev,)), Fact((name,), (ev,)), Fact(mod, (ev,))
    if tree.is_file("setup.cfg"):
        text = tree.read_text("setup.cfg")
        match = re.search(r"console_scripts\s*=\s*\n\s+([\w.-]+)\s*=\s*([\w.:]+)", text)
        if match:
            ev = Evidence("setup.cfg", None, f"console script {match.group(1)}")
            return (
                Fact("cli", (ev,)),
                Fact((match.group(1),), (ev,)),
                Fact(match.group(2).split(":")[0], (ev,)),
            )
    for scan in scans:
        if scan.rel.endswith("/__main__.py") and scan.rel.count("/") <= 2:
            pkg = scan.module.rsplit(".", 1)[0]
            ev = Evidence(scan.rel, None, f"package {pkg} has __main__")
            return Fact("cli", (ev,)), Fact(("python", "-m", pkg), (ev,)), Fact(pkg, (ev,))
    top = [s for s in scans if "/" not in s.rel and s.rel not in ("setup.py", "manage.py", "conftest.py")]
    guarded = [s for s in top if s.main_guard]
    # one guarded script, or one script at all; several candidates are ambiguous (ask for --start)
    pick = guarded[0] if len(guarded) == 1 else (top[0] if len(top) == 1 and not guarded else None)
    if pick:
        why = "script with a __main__ guard" if pick.main_guard else "the only top-level script"
        ev = Evidence(pick.rel, None, why)
        return Fact("script", (ev,)), Fact(("python", pick.rel), (ev,)), Fact(pick.module, (ev,))
    raise ProjectError(
        "cannot tell how the app starts (no framework, entry point or script found); pass --start"
    )
