"""Syntax-tree scan of every project module (user code is read with :mod:`ast`, never imported).

Framework knowledge (import names, app constructors, default ports, health paths, route calls) lives in
``project/data/frameworks.toml``; this module only walks the trees and applies that table.
"""

from __future__ import annotations

import ast
import pickle
import posixpath
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from dockwright.lazy_re import lazy
from dockwright.project.ast_names import assignment, is_main_guard
from dockwright.project.ast_names import dotted as names_dotted
from dockwright.project.ast_walk import iter_child_nodes, walk
from dockwright.project.chat_bots import (
    BotLoop,
    ClientRun,
    bot_loops,
    client_runs,
    credential_names,
    credential_reads,
)
from dockwright.project.code_secrets import CodeSecret
from dockwright.project.db_url_defaults import url_default
from dockwright.project.db_urls import ENGINE, EngineCall, engine_call, url_bindings
from dockwright.project.debug_default import debug_only_lines
from dockwright.project.dynaconf_env import required_dynaconf
from dockwright.project.env_wrappers import required_wrapper_reads
from dockwright.project.environ_env import EnvironReads, environ_reads
from dockwright.project.file_writes import FileWrite, module_folder, written_folder
from dockwright.project.import_sites import absolute_sites, import_statements, optional_imports
from dockwright.project.library_storage import storage_path
from dockwright.project.main_only import in_main_only, main_only_lines
from dockwright.project.module_bindings import bound_names, from_sites
from dockwright.project.none_refusing_calls import none_refusing_reads
from dockwright.project.refused_env import refused_env
from dockwright.project.settings_env import required_settings
from dockwright.project.tornado_routes import url_table
from dockwright.project.tree import data_table
from dockwright.project.type_params import parse_as_written


@dataclass(frozen=True)
class Framework:
    name: str
    module: str
    ctor: tuple[str, ...]
    interface: str  # wsgi | asgi | django | aiohttp | streamlit | script | celery ...
    port: int | None
    health: str | None
    factory_ok: bool
    marker: str | None
    source: str
    attribute: str = ""  # served attribute of the app object (Dash: `server`)
    health_call: str = ""  # `health` is served only when the app makes this call (gRPC's health service)
    # (below, path, source): releases older than `below` serve their health at `path`
    health_before: tuple[tuple[str, str, str], ...] = ()
    # the framework's app classes that other distributions provide, by full import name
    # (`fastapi_offline.FastAPIOffline`): they build the app without the framework's own import
    ctor_from: tuple[str, ...] = ()
    # library calls that return a tuple whose first item is the app (`app, rt = fast_app()`)
    tuple_ctor: tuple[str, ...] = ()


@dataclass(frozen=True)
class Signatures:
    frameworks: tuple[Framework, ...]
    health_paths: tuple[str, ...]
    route_calls: frozenset[str]

    def framework(self, name: str) -> Framework:
        for fw in self.frameworks:
            if fw.name == name:
                return fw
        raise KeyError(name)


@lru_cache(maxsize=1)
def signatures() -> Signatures:
    data = data_table("frameworks.toml")
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
            attribute=str(f.get("attribute", "")),
            health_call=str(f.get("health_call", "")),
            ctor_from=tuple(f.get("ctor_from", [])),
            tuple_ctor=tuple(f.get("tuple_ctor", [])),
            health_before=tuple(
                (str(h["below"]), str(h["path"]), str(h["source"])) for h in f.get("health_before", [])
            ),
        )
        for f in data["framework"]
    )
    return Signatures(frameworks, tuple(data["health"]["paths"]), frozenset(data["health"]["route_calls"]))


@dataclass(frozen=True)
class Invocation:
    """A call the start detectors look for (``demo.launch(server_port=7861)``, ``Queue("high")``):
    its dotted name, line, and the literal values of its arguments (None where not a literal)."""

    name: str
    line: int
    args: tuple[object, ...]
    keywords: dict[str, object]
    in_function: bool = False  # inside a function or class body (runs only when called)

    @property
    def last(self) -> str:
        return self.name.rsplit(".", 1)[-1]


# Calls recorded as invocations: serving calls (Flet's app()), Panel's servable(), Bokeh's curdoc(), RQ queues
# and workers, gRPC's health service registration.
WATCHED_CALLS = frozenset(
    {
        *("launch", "run", "run_server", "serve", "servable", "curdoc", "app"),
        *("Dash", "Queue", "Worker", "SimpleWorker", "work"),
        "add_HealthServicer_to_server",
    }
)


class LogFile(NamedTuple):
    """A file a logging handler opens when it is made: its path in the tree (relative to the folder the
    path is rooted at: the work directory for a bare name), the line naming it, whether the handler
    rotates (renames files beside it at rollover), and whether the path is relative to the process's
    working directory (a relative literal: a start that changes directory moves it)."""

    path: str
    line: int
    rotates: bool = False
    cwd: bool = False

    @property
    def folder(self) -> str:
        """The file's folder ("." for the app directory itself)."""
        return self.path.rpartition("/")[0] or "."


@dataclass
class ModuleScan:
    rel: str
    module: str
    # read by the host's grammar as written (False: only with its PEP 695 constructs rewritten): the
    # syntax floor (project/syntax.py) parses it no more
    as_written: bool = True
    # what the steps after the app's detection would parse the module again for, gathered by
    # project/module_scans.py while its tree is at hand; None where they were not looked for:
    # the path expressions with a literal tail (data_files.path_literals: the data files it reads) and the
    # model files it loads at start (model_files.model_loads: (line, loader call, path, anchored))
    path_reads: list[tuple[str, int | None]] | None = None
    model_loads: list[tuple[int, str, str, bool]] | None = None
    # the WSGI Socket.IO servers it builds: (line, async_mode written as a literal) (socketio_server.py)
    socketio: list[tuple[int, str | None]] | None = None
    # its module-level functions that open a path parameter for writing: name -> (parameter position,
    # line) (helper_writes.module_writers)
    written_parameters: dict[str, tuple[int, int]] | None = None
    # the literal secrets its assignments and strings hold: line and name, never the value (code_secrets.py)
    literal_secrets: list[CodeSecret] = field(default_factory=list)
    holds_secret: bool = False  # it may hold a literal secret, noted or not: its scan is never kept
    imports: set[str] = field(default_factory=set)
    apps: list[tuple[str, str, int]] = field(default_factory=list)  # (framework, variable, line)
    factories: list[tuple[str, str, int]] = field(default_factory=list)  # (framework, function, line)
    run_app: list[int] = field(default_factory=list)  # lines calling aiohttp's web.run_app (serves)
    # lines building aiohttp's web.TCPSite (an AppRunner's TCP listener; UnixSite/SockSite are not TCP)
    tcp_sites: list[int] = field(default_factory=list)
    # positional arguments each factory accepts: (required, most; None with *args)
    factory_arity: dict[str, tuple[int, int | None]] = field(default_factory=dict)
    async_factories: set[str] = field(default_factory=set)  # factories defined with `async def`
    # factories whose every `return` is a tuple (`return app, socketio`): the app's position in it, or
    # None when no element is the app the function builds; served bare, the server gets the tuple
    tuple_factories: dict[str, int | None] = field(default_factory=dict)
    # `app, socketio = create_app(...)` at module level: (targets, called function, line, with arguments)
    tuple_calls: list[tuple[tuple[str, ...], str, int, bool]] = field(default_factory=list)
    # `app = create_app(...)` at module level: (variable, called function, line, called with arguments)
    calls: list[tuple[str, str, int, bool]] = field(default_factory=list)
    routes: list[tuple[str, int, str]] = field(default_factory=list)  # (path, line, receiver variable)
    # a module importing tornado that declares routes (URL-table tuples or url() calls): its routes are
    # served by whatever starts the Tornado app, a framework detector's start or a command (celery flower)
    tornado_routes: bool = False
    # URL prefixes: router/blueprint variable -> prefix (APIRouter(prefix=), include_router(prefix=),
    # Blueprint(url_prefix=), register_blueprint(url_prefix=)); Django include("mod.urls") -> prefix.
    prefixes: dict[str, str] = field(default_factory=dict)
    module_prefixes: dict[str, str] = field(default_factory=dict)
    # router/sub-app variable -> the app or router it is included in or mounted on (any prefix aside)
    holders: dict[str, str] = field(default_factory=dict)
    computed_mounts: bool = False  # `app.mount(*apps)`: sub-applications mounted at computed paths
    ports: list[tuple[int, int]] = field(default_factory=list)
    env_required: list[tuple[str, int]] = field(default_factory=list)  # os.environ["X"] (no default)
    # env("X") through the module's own helper that raises when X is unset (env_wrappers.py):
    # (name, line, why)
    env_helper: list[tuple[str, int, str]] = field(default_factory=list)
    # settings classes' fields without a default: (variable, line, what reads it)
    settings_env: list[tuple[str, int, str]] = field(default_factory=list)
    environ: EnvironReads = field(default_factory=EnvironReads)  # django-environ objects and reads
    writes: list[tuple[str, int]] = field(default_factory=list)  # relative dirs made or SQLite files
    # the writes whose path is relative to the process's working directory (a relative literal,
    # os.getcwd()), not to a module's folder: a start that changes directory (gunicorn --chdir) moves them
    cwd_writes: set[tuple[str, int]] = field(default_factory=set)
    # module-level names bound to a relative path literal (`STAMP = Path("state/last.txt")`): name -> path
    path_literals: dict[str, str] = field(default_factory=dict)
    # folders made through a name another module binds (`from config import STAMP`, then
    # `STAMP.parent.mkdir()`): (that name's absolute dotted path, through `.parent`, line)
    imported_dir_makes: list[tuple[str, bool, int]] = field(default_factory=list)
    # environment reads with a fallback (`os.environ.get("DB_PATH", BASE_DIR / "db.sqlite3")`): the
    # variable and the fallback's lines, first and last (a write there is moved by the variable)
    env_fallbacks: list[tuple[str, int, int]] = field(default_factory=list)
    # written on a path built from __file__ (file_writes.py): the folder (from the root), the line, the
    # writer, and the file when the writer may find it made beforehand (open "w"/"a", write_text ...)
    file_writes: list[FileWrite] = field(default_factory=list)
    # the lines that run only when the module is the script: its `if __name__ == "__main__":` block and
    # the module's functions only that block calls (project/main_only.py)
    main_only: tuple[tuple[int, int], ...] = ()
    # files logging's file handlers open at start (dictConfig entries and handler calls), in the tree
    log_files: list[LogFile] = field(default_factory=list)
    subclasses: dict[str, str] = field(default_factory=dict)  # app class name -> framework
    main_guard: bool = False
    # functions that add blueprints/routers to an app (`app.register_blueprint(bp)`, `include_router`):
    # function name -> line; `assembled_at_import` when a module-level statement does it
    assembled_in: dict[str, int] = field(default_factory=dict)
    assembled_at_import: bool = False
    main_calls: set[str] = field(default_factory=set)  # functions the `__main__` block calls (last name)
    # the routes' receivers, by where the route is added: receiver -> the top-level functions that add
    # routes to it in their body (`@app.route` inside `def setup():`), and those named at import
    routed_in: dict[str, set[str]] = field(default_factory=dict)
    routed_at_import: set[str] = field(default_factory=set)
    # top-level function -> the functions its body calls (last names): what a `__main__` block runs
    function_calls: dict[str, set[str]] = field(default_factory=dict)
    # the functions module-level code calls as it is imported (last names; not the `__main__` block's)
    import_calls: set[str] = field(default_factory=set)
    reads_argv: bool = False  # sys.argv is read: the module takes command-line arguments
    strings: dict[str, tuple[str, int]] = field(default_factory=dict)  # module-level NAME = "str"
    # names assigned once in the whole module, functions included, to a path expression
    # (`log_file = os.path.join("logs", f"{name}.log")`): what a handler's `FileHandler(log_file)` opens
    assigned_once: dict[str, ast.expr] = field(default_factory=dict)
    invocations: list[Invocation] = field(default_factory=list)
    attributes: dict[str, tuple[str, int]] = field(default_factory=dict)  # module-level NAME = obj.attr
    # module-level classes: name -> (line, names assigned in the class body) (arq's WorkerSettings)
    classes: dict[str, tuple[int, frozenset[str]]] = field(default_factory=dict)
    redis_urls: list[tuple[str, int]] = field(default_factory=list)  # "redis://..." literals
    redis_env: list[tuple[str, str, int]] = field(default_factory=list)  # os.getenv(NAME, "redis://...")
    db_urls: list[tuple[str, int]] = field(default_factory=list)  # "postgresql+psycopg://..." (db_drivers)
    # dj_database_url.config(default="mysql://...") and the like: (variable, default URL, line)
    db_url_defaults: list[tuple[str, str, int]] = field(default_factory=list)
    db_engines: list[tuple[str, int]] = field(default_factory=list)  # "django.db.backends.mysql" literals
    engine_calls: list[EngineCall] = field(default_factory=list)  # create_engine / create_async_engine
    url_names: dict[str, str] = field(default_factory=dict)  # NAME = "postgresql://..." (db_urls.py)
    names: dict[str, int] = field(default_factory=dict)  # every module-level assigned name -> line
    dict_keys: dict[str, list[str]] = field(default_factory=dict)  # module-level NAME = {"k": ...}: keys
    from_imports: dict[str, str] = field(default_factory=dict)  # local name -> "module.name" (absolute)
    # programs started through subprocess/os: (program as written, line), e.g. ["git", *args] -> "git"
    programs: list[tuple[str, int]] = field(default_factory=list)
    # command lines built as literals in a module that runs programs (`args = ["git", *parts]` handed to
    # a wrapper that calls Popen; `f"exiftool -j {name}"` returned to a `shell=True` call): (program, line)
    commands: list[tuple[str, int]] = field(default_factory=list)
    # lines of program starts (and command lines) inside a `try` whose handler catches the program's
    # absence (FileNotFoundError, OSError, Exception, bare): start line -> the handler's line
    handled_runs: dict[int, int] = field(default_factory=dict)
    # lines of module-level functions decorated as Dramatiq actors (`@dramatiq.actor`, `@actor(...)`)
    actors: list[int] = field(default_factory=list)
    # module-level Celery tasks: (the decorator's receiver, `celery` of `@celery.task(...)`, or
    # "shared_task"; line)
    celery_tasks: list[tuple[str, int]] = field(default_factory=list)
    # (dotted module, line) of the absolute imports that run when the module is imported (import_sites.py)
    import_sites: tuple[tuple[str, int], ...] = ()
    # (absolute module, name, line) of the names its import-time `from` imports take (module_bindings.py)
    from_sites: tuple[tuple[str, str, int], ...] = ()
    # every name it may bind at its top level; None when it may bind others (module_bindings.py)
    bound: frozenset[str] | None = None
    bot_loops: list[BotLoop] = field(default_factory=list)  # calls running a chat bot (chat_bots.py)
    # loop-named calls on clients of classes other project modules define (chat_bots.add_client_loops)
    client_runs: list[ClientRun] = field(default_factory=list)
    # module-level names handed to a bot as its token, (dotted name, line, why): resolved to the
    # variable their module binds them to (chat_bots.add_client_loops)
    credential_names: list[tuple[str, int, str]] = field(default_factory=list)
    # modules imported inside `try: ... except ImportError` (absolute names): optional, maybe never loaded
    optional_imports: frozenset[str] = frozenset()
    # variables the module cannot run without, read in ways the other readers take as optional: a bot's
    # token with no default, a read the module tests and raises on (chat_bots.py, refused_env.py)
    env_refused: list[tuple[str, int, str]] = field(default_factory=list)
    # (variable, dummy row) of those a call at import parses (none_refusing_calls.py): its build-time dummy
    env_dummies: list[tuple[str, str]] = field(default_factory=list)
    # the module's syntax tree, kept only where a detector reads the tree itself (:func:`keeps_tree`);
    # None elsewhere: every tree of a 2,600-module repository held at once is ~240 MB
    syntax: ast.Module | None = field(default=None, repr=False, compare=False)

    # Pickled (the planning memo keeps every module's scan) with ``assigned_once``, AST values three
    # quarters of a kept scan's bytes, as one nested blob read back only when a step asks for it (the
    # scan itself, and helper_writes for the modules calling a writer): a planning after an edit
    # unpickles the other fields of every module it did not scan again.
    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        if "assigned_once" in state:
            state[_ASSIGNED_BLOB] = pickle.dumps(state.pop("assigned_once"), protocol=pickle.HIGHEST_PROTOCOL)
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)

    if not TYPE_CHECKING:  # (a class-wide __getattr__ would let mypy pass any attribute name)

        def __getattr__(self, name: str) -> object:
            blob = self.__dict__.get(_ASSIGNED_BLOB) if name == "assigned_once" else None
            if not isinstance(blob, bytes):
                raise AttributeError(name)
            value = pickle.loads(blob)  # pickled by __getstate__ above
            value = self.__dict__.setdefault("assigned_once", value)  # another thread's, if it was first
            self.__dict__.pop(_ASSIGNED_BLOB, None)
            return value


_ASSIGNED_BLOB = "_assigned_once_pickled"


def module_name(
    rel: str, src_package: bool = False, roots: tuple[str, ...] = (), relative_level: int = 0
) -> str:
    """The dotted module of a file: ``src/`` is a layout folder (``src/pkg/a.py`` is ``pkg.a``) unless
    it is a package itself (``src/__init__.py``: ``src.app``, imported from the work directory); a
    deeper import root the build configuration names (``roots``, project/source_roots.py, longest
    first) is stripped the same way (``src/py/pkg/a.py`` is ``pkg.a`` under ``src/py``), unless the
    name left has no package for the module's deepest relative import (``relative_level``: ``from .x``
    in ``main.py`` straight in the root is imported by its path in the tree, ``api.src.main``)."""
    path = rel[:-3]
    root = next((r for r in roots if path.startswith(f"{r}/")), None)
    if root is not None and _package_depth(path[len(root) + 1 :]) >= relative_level:
        path = path[len(root) + 1 :]
    elif path.startswith("src/") and not src_package:
        path = path[4:]
    parts = path.split("/")
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _package_depth(path: str) -> int:
    """How many packages hold a module at ``path`` (``a/b/c``: 2; ``a/__init__``: 1, the package
    itself), the deepest relative import it can make (``from ..x``: 2)."""
    return path.count("/")


def relative_level(tree: ast.Module) -> int:
    """The deepest relative import in a module (``from ..x import y``: 2; none: 0)."""
    return max((n.level for n in walk(tree) if isinstance(n, ast.ImportFrom)), default=0)


def dotted(node: ast.AST) -> str | None:
    """A call's or attribute's name as the scan records it: ``a.b.c``, or the attributes after a
    computed part (``f().x`` -> ``x``)."""
    return names_dotted(node, tail=True)


def _lazy_attributes(function: ast.FunctionDef) -> list[tuple[str, str, int, bool]]:
    """A module's ``__getattr__`` (PEP 562) building a name on first access: ``if name == "app": return
    create_app()`` reads as ``app = create_app()`` (the module's ``calls``): ``pkg.module:app`` is
    served as the assignment would be (rw37: zou's lazily built Flask app, its gunicorn entry)."""
    if not function.args.args:
        return []
    parameter = function.args.args[0].arg
    out: list[tuple[str, str, int, bool]] = []
    for node in ast.walk(function):
        if not (isinstance(node, ast.If) and isinstance(node.test, ast.Compare)):
            continue
        test = node.test
        if not (
            isinstance(test.left, ast.Name)
            and test.left.id == parameter
            and len(test.ops) == 1
            and isinstance(test.ops[0], ast.Eq)
            and isinstance(test.comparators[0], ast.Constant)
            and isinstance(test.comparators[0].value, str)
        ):
            continue
        for stmt in node.body:
            if isinstance(stmt, ast.Return) and isinstance(stmt.value, ast.Call):
                called = dotted(stmt.value.func)
                if called:
                    with_args = bool(stmt.value.args or stmt.value.keywords)
                    out.append((test.comparators[0].value, called, stmt.lineno, with_args))
    return out


def _ctor_framework(call: ast.AST, scan: ModuleScan, frameworks: tuple[Framework, ...]) -> str | None:
    if not isinstance(call, ast.Call):
        return None
    name = dotted(call.func)
    if not name:
        return None
    if name in scan.subclasses:
        return scan.subclasses[name]
    return _framework_class(name, scan, frameworks)


def _framework_class(name: str, scan: ModuleScan, frameworks: tuple[Framework, ...]) -> str | None:
    """The framework whose app class ``name`` (as the module spells it) is: one of its constructors with
    the framework imported, or a class another distribution provides (``ctor_from``)."""
    # `from falcon.asgi import App` ... `App()`: the name as imported (falcon.asgi.App) counts too
    head, _, rest = name.partition(".")
    imported = scan.from_imports.get(head, "")
    names = {name, f"{imported}.{rest}" if rest else imported} - {""}
    for fw in frameworks:
        if fw.ctor and names & set(fw.ctor) and fw.module in scan.imports:
            return fw.name
        if names & set(fw.ctor_from):
            return fw.name
    return None


def _tuple_call(scan: ModuleScan, targets: list[ast.AST], value: ast.AST, line: int) -> None:
    """Record ``a, b = func(...)`` (plain names only) in ``scan.tuple_calls``."""
    if len(targets) != 1 or not isinstance(targets[0], ast.Tuple) or not isinstance(value, ast.Call):
        return
    names = tuple(e.id for e in targets[0].elts if isinstance(e, ast.Name))
    called = dotted(value.func)
    if called and len(names) == len(targets[0].elts):
        scan.tuple_calls.append((names, called, line, bool(value.args or value.keywords)))


def _tuple_return(
    func: ast.FunctionDef | ast.AsyncFunctionDef, scan: ModuleScan, frameworks: tuple[Framework, ...]
) -> int | bool | None:
    """False unless every ``return`` of ``func`` (its own, not nested functions') gives a tuple; then the
    position of the variable ``func`` assigns a framework app to, or None when none is."""
    returns: list[ast.Return] = []
    pending: list[ast.AST] = list(func.body)
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        if isinstance(node, ast.Return) and node.value is not None:
            returns.append(node)
        pending.extend(iter_child_nodes(node))
    if not returns or not all(isinstance(r.value, ast.Tuple) for r in returns):
        return False
    built = {
        t.id
        for n in walk(func)
        if isinstance(n, ast.Assign) and _ctor_framework(n.value, scan, frameworks)
        for t in n.targets
        if isinstance(t, ast.Name)
    }
    first = returns[0].value
    assert isinstance(first, ast.Tuple)
    return next((i for i, e in enumerate(first.elts) if isinstance(e, ast.Name) and e.id in built), None)


def _subclasses(tree: ast.Module, scan: ModuleScan, frameworks: tuple[Framework, ...]) -> None:
    """``class CTFdFlask(Flask)`` at module level: calling it builds a Flask app too."""
    for stmt in tree.body:
        if isinstance(stmt, ast.ClassDef):
            for base in stmt.bases:
                framework = _framework_class(dotted(base) or "", scan, frameworks)
                if framework:
                    scan.subclasses[stmt.name] = framework


_ASSEMBLY_CALLS = frozenset({"register_blueprint", "include_router"})


def _called_names(stmt: ast.stmt) -> set[str]:
    return {(dotted(n.func) or "").rsplit(".", 1)[-1] for n in walk(stmt) if isinstance(n, ast.Call)} - {""}


def _assembly(stmt: ast.stmt, scan: ModuleScan) -> None:
    """Where the module adds blueprints/routers to an app: inside which top-level function, or at import."""
    if isinstance(stmt, ast.ClassDef) or is_main_guard(stmt):
        return
    for node in walk(stmt):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in _ASSEMBLY_CALLS
        ):
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                scan.assembled_in.setdefault(stmt.name, node.lineno)
            else:
                scan.assembled_at_import = True
            return


def call_argument(call: ast.Call, index: int, keyword: str) -> ast.expr | None:
    """The argument a call passes at position ``index`` or as ``keyword=`` (``app.run(host, port=...)``)."""
    if len(call.args) > index:
        return call.args[index]
    return next((kw.value for kw in call.keywords if kw.arg == keyword), None)


def parse_source(rel: str, source: str) -> tuple[ast.Module, bool] | None:
    """The module's syntax tree and whether the host's grammar read it as written (False: only with its
    PEP 695 constructs rewritten, :mod:`dockwright.project.type_params`); None when it does not parse.
    An environment read's keyword arguments are made positional (:func:`_positional_env_reads`)."""
    try:
        parsed = parse_as_written(source, filename=rel)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    if _KEYWORD_ENV_READ.search(source):
        _positional_env_reads(parsed[0])
    return parsed


# `os.getenv("K", default=None)`, `os.environ.get(key="K")`: both signatures take them by keyword
_KEYWORD_ENV_READ = re.compile(r"(?:getenv|environ\.get)\(\s*[^()]{0,200}?\b(?:default|key)\s*=")
_ENV_READ_CALLS = frozenset({"os.getenv", "os.environ.get", "getenv", "environ.get"})


def _positional_env_reads(tree: ast.Module) -> None:
    """Rewrite each ``os.getenv``/``os.environ.get`` call whose key or default is given by keyword into
    the positional form every reader of an environment read matches (``os.getenv("K", default=None)``
    -> ``os.getenv("K", None)``): a keyword read was no read at all (a required secret not listed).
    Done before any walk of the tree (project/ast_walk.py keeps walks of unchanged trees)."""
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and node.keywords and dotted(node.func) in _ENV_READ_CALLS):
            continue
        given = {k.arg: k.value for k in node.keywords}
        if not set(given) <= {"key", "default"} or len(node.args) + len(given) > 2:
            continue  # `**kwargs`, another keyword: not a read this rewrite can spell
        if "key" in given and node.args:
            continue  # the key both ways: a TypeError at run time, left as written
        key = node.args[0] if node.args else given["key"]
        node.args = [key, given["default"]] if "default" in given else [key]
        node.keywords = []


def scan_module(
    rel: str, source: str, *, src_package: bool = False, roots: tuple[str, ...] = ()
) -> ModuleScan | None:
    parsed = parse_source(rel, source)
    return None if parsed is None else scan_parsed(rel, source, *parsed, src_package=src_package, roots=roots)


def scan_parsed(
    rel: str,
    source: str,
    tree: ast.Module,
    as_written: bool,
    *,
    src_package: bool = False,
    roots: tuple[str, ...] = (),
) -> ModuleScan:
    """The scan of a module's ``source`` parsed by :func:`parse_source` (``tree``, ``as_written``)."""
    sig = signatures()
    name = module_name(rel, src_package, roots, relative_level(tree) if roots else 0)
    statements = import_statements(tree)  # the import-time imports, read once for both lists below
    scan = ModuleScan(rel, name, import_sites=absolute_sites(statements))
    scan.as_written = as_written
    for node in walk(tree):
        if isinstance(node, ast.Import):
            scan.imports.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            scan.imports.add(node.module.split(".")[0])
        if isinstance(node, ast.ImportFrom):
            base = _absolute(scan, node.module or "", node.level)
            scan.from_imports.update({a.asname or a.name: f"{base}.{a.name}" for a in node.names if base})
    optional: set[str] = set()
    for node in optional_imports(tree):
        if isinstance(node, ast.Import):
            optional.update(a.name for a in node.names)
            continue
        base = _absolute(scan, node.module or "", node.level)
        optional.update(f"{base}.{a.name}" for a in node.names if base)
        if base and node.module:
            optional.add(base)
    scan.optional_imports = frozenset(optional)
    scan.from_sites = from_sites(statements, lambda module, level: _absolute(scan, module, level))
    scan.bound = bound_names(tree)
    _subclasses(tree, scan, sig.frameworks)
    scan.settings_env = required_settings(tree, scan.from_imports) + required_dynaconf(
        tree, scan.from_imports
    )
    scan.environ = environ_reads(tree, scan.from_imports)
    scan.bot_loops = bot_loops(tree, scan.imports)
    if not scan.bot_loops:
        scan.client_runs = client_runs(tree, scan.from_imports, scan.module)
    scan.credential_names = credential_names(tree, scan.imports, scan.module, scan.from_imports)
    refused = none_refusing_reads(tree, scan.from_imports)
    scan.env_refused = (
        credential_reads(tree, scan.imports)
        + refused_env(tree)
        + [(r.variable, r.line, r.why) for r in refused]
    )
    scan.env_dummies = [(r.variable, r.dummy) for r in refused if r.dummy]
    for stmt in tree.body:
        value: ast.AST | None = None
        targets: list[ast.AST] = []
        if isinstance(stmt, ast.Assign):
            value, targets = stmt.value, list(stmt.targets)
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            value, targets = stmt.value, [stmt.target]
        if value is not None:
            fw = _ctor_framework(value, scan, sig.frameworks)
            _tuple_call(scan, targets, value, stmt.lineno)
            for target in targets:
                if not isinstance(target, ast.Name):
                    continue
                scan.names.setdefault(target.id, stmt.lineno)
                if isinstance(value, ast.Dict):
                    keys = [k.value for k in value.keys if isinstance(k, ast.Constant)]
                    scan.dict_keys[target.id] = [k for k in keys if isinstance(k, str)]
                if fw:
                    scan.apps.append((fw, target.id, stmt.lineno))
                elif isinstance(value, ast.Call):
                    called = dotted(value.func)
                    if called:  # `app = create_app(config)`: arguments make it no less the app object
                        scan.calls.append(
                            (target.id, called, stmt.lineno, bool(value.args or value.keywords))
                        )
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    scan.strings[target.id] = (value.value, stmt.lineno)
                if isinstance(value, ast.Attribute) and dotted(value):
                    scan.attributes[target.id] = (str(dotted(value)), stmt.lineno)
        if isinstance(stmt, ast.ClassDef):
            scan.classes[stmt.name] = (stmt.lineno, _class_names(stmt))
        if isinstance(stmt, ast.FunctionDef) and stmt.name == "__getattr__":
            scan.calls += _lazy_attributes(stmt)
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for decorator in stmt.decorator_list:
                name = dotted(decorator.func if isinstance(decorator, ast.Call) else decorator) or ""
                if name.endswith(".task") or name.rsplit(".", 1)[-1] == "shared_task":
                    receiver = "shared_task" if name.endswith("shared_task") else name.rsplit(".", 1)[0]
                    scan.celery_tasks.append((receiver, stmt.lineno))
                    break
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and "dramatiq" in scan.imports:
            for decorator in stmt.decorator_list:
                decorated = decorator.func if isinstance(decorator, ast.Call) else decorator
                if (dotted(decorated) or "").rsplit(".", 1)[-1] == "actor":
                    scan.actors.append(stmt.lineno)
                    break
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            has_return = any(isinstance(n, ast.Return) and n.value is not None for n in walk(stmt))
            for inner in walk(stmt):
                fw = _ctor_framework(inner, scan, sig.frameworks)
                if fw and has_return:
                    scan.factories.append((fw, stmt.name, stmt.lineno))
                    scan.factory_arity[stmt.name] = _arity(stmt.args)
                    if isinstance(stmt, ast.AsyncFunctionDef):
                        scan.async_factories.add(stmt.name)
                    returned = _tuple_return(stmt, scan, sig.frameworks)
                    if returned is not False:
                        scan.tuple_factories[stmt.name] = returned
                    break
        if is_main_guard(stmt):
            scan.main_guard = True
            scan.main_calls.update(_called_names(stmt))
        _assembly(stmt, scan)
    _declared_prefixes(tree, scan)
    if _runs_programs(scan):
        scan.commands = _command_literals(tree, scan)
        scan.handled_runs = _missing_program_handled(tree)
    scan.path_literals = _path_literals(tree)
    made_here = _cwd_made_dirs(tree) + _literal_dir_makes(tree, scan)
    scan.writes.extend(w for w in made_here if w not in scan.writes)
    scan.cwd_writes.update(made_here)
    scan.reads_argv = any(isinstance(n, ast.Attribute) and dotted(n) == "sys.argv" for n in walk(tree))
    scan.assigned_once = _assigned_once(tree)
    scan.file_writes.extend(w for w in _default_file_writes(tree, scan) if w not in scan.file_writes)
    scan.url_names = url_bindings(tree)
    guarded_nodes, guarded_names = _guarded(tree)
    in_bodies = {
        id(n)
        for stmt in tree.body
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        for n in walk(stmt)
    }
    matched = _matched_strings(tree)
    function_of = {  # a node of a top-level function's body (its decorators are the module's) -> name
        id(n): stmt.name
        for stmt in tree.body
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef))
        for inner in stmt.body
        for n in walk(inner)
    }
    scan.function_calls = {
        stmt.name: set().union(*(_called_names(inner) for inner in stmt.body))
        for stmt in tree.body
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef))
    }
    scan.import_calls = set().union(
        *(
            _called_names(stmt)
            for stmt in tree.body
            if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            and not is_main_guard(stmt)
        )
    )
    runs_found, looked_up = False, []  # a program run by a name the code holds; `shutil.which("x")`
    for node in walk(tree):
        if id(node) not in guarded_nodes:
            _scan_env_and_writes(node, scan, matched)
        plumbum = _plumbum_program(node, scan)
        if plumbum:
            scan.programs.append((plumbum, getattr(node, "lineno", 0)))
        if not isinstance(node, ast.Call):
            continue
        name = dotted(node.func) or ""
        last = name.rsplit(".", 1)[-1]
        # the path: the first argument, or the `path=` keyword (`@get(path="/health")`: Litestar, FastAPI)
        first = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "path"), None)
        if (
            last in sig.route_calls
            and first is not None
            and (
                isinstance(first, ast.Constant)
                and isinstance(first.value, str)
                and _route_path(last, first.value)
            )
        ):
            receiver = name.rsplit(".", 1)[0] if "." in name else ""
            scan.routes.append((first.value, node.lineno, receiver))
            if id(node) in function_of:
                scan.routed_in.setdefault(receiver, set()).add(function_of[id(node)])
            else:
                scan.routed_at_import.add(receiver)
            included = node.args[1] if len(node.args) > 1 else None
            if isinstance(included, ast.Call) and (dotted(included.func) or "").endswith("include"):
                urls = included.args[0] if included.args else None
                if isinstance(urls, ast.Constant) and isinstance(urls.value, str):
                    scan.module_prefixes[urls.value] = first.value
        _scan_prefix(node, name, last, scan)
        read = url_default(node)
        if read:
            scan.db_url_defaults.append((*read, node.lineno))
        program = _program_run(node, name, scan)
        if program:
            scan.programs.append((program, node.lineno))
        elif _runs_a_found_program(node, name, scan):
            runs_found = True
        looked = _looked_up(node, name, scan)
        if looked:
            looked_up.append((looked, node.lineno))
        if last in WATCHED_CALLS:
            scan.invocations.append(_invocation(node, name, scan, id(node) in in_bodies))
        # a port literal counts only when it is passed to something that serves (run/serve/launch ...)
        if last == "run_app" and _full_name(name, scan) == "aiohttp.web.run_app":
            scan.run_app.append(node.lineno)
        if last == "TCPSite" and _full_name(name, scan) in _TCP_SITES:
            scan.tcp_sites.append(node.lineno)
        if last in _SERVE_CALLS:
            for kw in node.keywords:
                number = kw.value.value if isinstance(kw.value, ast.Constant) else None
                if kw.arg in ("port", "server_port") and type(number) is int:
                    scan.ports.append((number, node.lineno))
    if runs_found:  # it looks a program up on PATH and runs what it found: that program
        scan.programs += [entry for entry in looked_up if entry not in scan.programs]
    if "tornado" in scan.imports:
        scan.routes += [(path, line, "") for path, line in url_table(tree)]
        scan.tornado_routes = bool(scan.routes)
    scan.env_required = [(n, line) for n, line in scan.env_required if n not in guarded_names]
    debug_only = debug_only_lines(tree)  # `if DEBUG:` with DEBUG off by default: not run in the image
    if debug_only:
        scan.writes = [w for w in scan.writes if w[1] not in debug_only]
        scan.cwd_writes = {w for w in scan.cwd_writes if w[1] not in debug_only}
    scan.env_helper = [read for read in required_wrapper_reads(tree) if read[0] not in guarded_names]
    main_lines = [(stmt.lineno, stmt.end_lineno or stmt.lineno) for stmt in tree.body if is_main_guard(stmt)]
    scan.main_only = main_only_lines(tree) if main_lines else ()
    if main_lines:  # a write under `if __name__ == "__main__":` runs only when the module is the script
        scan.file_writes = [
            w._replace(main_only=True) if in_main_only(w.line, tuple(main_lines)) else w
            for w in scan.file_writes
        ]
    if keeps_tree(scan, source):
        scan.syntax = tree
    return scan


# Route calls whose name a mapping's or a client's method shares (`form.cleaned_data.get("up")`,
# `requests.get(url)`): their first argument is a route only when it is a path from the root, as every
# framework that routes with them writes it (Flask, FastAPI, Starlette, aiohttp, Litestar, Sanic), or
# the empty path of a router mounted under a prefix
_SHARED_ROUTE_NAMES = frozenset({"get", "head", "view"})


def _route_path(call: str, first: str) -> bool:
    return call not in _SHARED_ROUTE_NAMES or first.startswith("/") or not first  # "": the router's prefix


# Imports (top names) of the modules whose detectors walk the tree beyond the scan's records: robyn_app,
# solara_app, klein_app, tornado_app and grpc_server (serving_call), cloud_function, scrapy_project,
# luigi_tasks, saq_worker (and taskiq_worker, for every taskiq* package: keeps_tree); and the words the
# mcp_app and asgi_callable detectors test a module's text for before they read its tree.
TREE_IMPORTS = frozenset(
    {"robyn", "solara", "klein", "tornado", "grpc", "functions_framework", "scrapy", "luigi", "saq"}
)
MCP_WORDS = ("FastMCP", "MCPServer", "mcp.server")  # the MCP server classes' names (data/mcp_apps.toml)
ASGI_WORDS = ("async def", "scope", "receive", "send")


def keeps_tree(scan: ModuleScan, source: str) -> bool:
    """True when a detector reads this module's tree: the scan keeps it for them, so no detector parses
    a module again, and holds no tree that none reads."""
    heads = scan.imports | {v.split(".", 1)[0] for v in scan.from_imports.values()}
    return bool(
        heads & TREE_IMPORTS
        or any(h.startswith("taskiq") for h in heads)  # taskiq's broker packages: taskiq_redis ...
        or scan.run_app
        or scan.tcp_sites
        or any(w in source for w in MCP_WORDS)
        or all(w in source for w in ASGI_WORDS)
    )


_PREFIX_KEYWORDS = ("prefix", "url_prefix")
# Calls that start a program: its argv (a list/tuple) or a shell command line is the first argument.
_RUNS_PROGRAM = frozenset(
    {
        *(f"subprocess.{f}" for f in ("run", "call", "check_call", "check_output", "Popen", "getoutput")),
        *(f"subprocess.{f}" for f in ("getstatusoutput",)),
        "os.system",
        "os.popen",
        "asyncio.create_subprocess_exec",
        "asyncio.create_subprocess_shell",
    }
)


def _full_name(name: str, scan: ModuleScan) -> str:
    """A called name through the module's imports (``web.run_app`` -> ``aiohttp.web.run_app``)."""
    head, _, rest = name.partition(".")
    base = scan.from_imports.get(head, head)
    return base + (f".{rest}" if rest else "")


def _imported_call(name: str, scan: ModuleScan) -> str:
    """A called name as the module imported it (``check_output`` -> ``subprocess.check_output``); a
    dotted name as written."""
    return scan.from_imports.get(name, name) if "." not in name else name


def _program_run(node: ast.Call, name: str, scan: ModuleScan) -> str | None:
    """The program a subprocess/os call starts, when its first word is a literal."""
    full = _imported_call(name, scan)
    if full not in _RUNS_PROGRAM or not node.args:
        return None
    first = node.args[0]
    word: object = None
    if isinstance(first, (ast.List, ast.Tuple)) and first.elts and isinstance(first.elts[0], ast.Constant):
        word = first.elts[0].value
    elif isinstance(first, ast.Constant) and isinstance(first.value, str):
        word = first.value.split()[0] if first.value.split() else None
    elif isinstance(first, ast.JoinedStr) and first.values and isinstance(first.values[0], ast.Constant):
        head = str(first.values[0].value)  # f"ffmpeg -i {path}": the word before the first space
        word = head.split()[0] if " " in head.strip(" ") or head.endswith(" ") else None
    if full == "asyncio.create_subprocess_exec" and isinstance(first, ast.Constant):
        word = first.value
    return word if isinstance(word, str) and word else None


def _looked_up(node: ast.Call, name: str, scan: ModuleScan) -> str | None:
    """The program ``shutil.which("ffmpeg")`` looks up on PATH by a literal name."""
    full = _imported_call(name, scan)
    first = node.args[0] if full == "shutil.which" and node.args else None
    found = first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else ""
    return found if found and "/" not in found and " " not in found else None


def _runs_a_found_program(node: ast.Call, name: str, scan: ModuleScan) -> bool:
    """A subprocess/os call whose program is not a literal (``[ffmpeg_path, "-i", src]``, ``str(exe)``):
    one the code found, e.g. with ``shutil.which``."""
    full = _imported_call(name, scan)
    if full not in _RUNS_PROGRAM or not node.args:
        return False
    first = node.args[0]
    if isinstance(first, (ast.List, ast.Tuple)):
        return bool(first.elts) and _found_program(first.elts[0])
    return full == "asyncio.create_subprocess_exec" and _found_program(first)


def _found_program(word: ast.expr) -> bool:
    """A program word the code holds (``ffmpeg_path``, ``str(self.ffmpeg)``), not a literal nor the
    interpreter itself (``sys.executable``: a Python module run, no program found on PATH)."""
    if isinstance(word, ast.Constant):
        return False
    return not any(
        (dotted(n) or "").startswith("sys.") for n in ast.walk(word) if isinstance(n, ast.Attribute)
    )


_PLUMBUM_LOCAL = frozenset({"plumbum.local", "plumbum.machines.local"})
"""plumbum's local machine: ``local["git"]`` and ``local.get("git")`` look a program up on PATH
(https://plumbum.readthedocs.io/en/latest/local_commands.html)."""


def _plumbum_program(node: ast.AST, scan: ModuleScan) -> str | None:
    """The program a plumbum lookup names as a literal: ``local["git"]``, ``local.get("git")``."""
    key: ast.expr | None
    if isinstance(node, ast.Subscript):
        machine, key = node.value, node.slice
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get":
        machine, key = node.func.value, (node.args[0] if node.args else None)
    else:
        return None
    name = dotted(machine) or ""
    if _full_name(name, scan) not in _PLUMBUM_LOCAL:
        return None
    if isinstance(key, ast.Constant) and isinstance(key.value, str) and key.value.strip():
        return key.value.strip()
    return None


# `ffmpeg -i`, `exiftool -time:all`: a program name followed by an option opens a command line (prose
# such as "git failed" does not)
_COMMAND_HEAD = lazy(r"^([A-Za-z0-9][\w.+-]*) +-")


def _program_constants(tree: ast.Module) -> dict[str, tuple[str, ...]]:
    """Module-level ``NAME = "word"`` and ``NAME = "a" if test else "b"``: the words NAME may hold."""
    out: dict[str, tuple[str, ...]] = {}
    for stmt in tree.body:
        if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1):
            continue
        target, value = stmt.targets[0], stmt.value
        if not isinstance(target, ast.Name):
            continue
        options = [value.body, value.orelse] if isinstance(value, ast.IfExp) else [value]
        words = tuple(o.value for o in options if isinstance(o, ast.Constant) and isinstance(o.value, str))
        if words and len(words) == len(options):
            out[target.id] = words
    return out


def _runs_programs(scan: ModuleScan) -> bool:
    """The module imports subprocess (or a project wrapper module named ``subprocess``) or asyncio's."""
    modules = scan.imports | {v.rsplit(".", 1)[0] for v in scan.from_imports.values()}
    return any(m == "subprocess" or m.endswith(".subprocess") or m == "asyncio" for m in modules) or any(
        v.startswith("subprocess.") or v in _RUNS_PROGRAM for v in scan.from_imports.values()
    )


def _command_literals(tree: ast.Module, scan: ModuleScan) -> list[tuple[str, int]]:
    """First words of command lines written as literals: ``["git", *parts]`` lists and tuples, and strings
    or f-strings that start with a program and an option (``f"exiftool -j {path}"``)."""
    found: list[tuple[str, int]] = []
    prose = {id(n.value) for n in walk(tree) if isinstance(n, ast.Expr)}  # docstrings, bare strings
    named = _program_constants(tree)
    # the first argument of a subprocess/os call is already its program (ModuleScan.programs)
    direct = {
        id(n.args[0])
        for n in walk(tree)
        if isinstance(n, ast.Call) and _program_run(n, dotted(n.func) or "", scan)
    }
    for node in walk(tree):
        head: object = None
        if id(node) in prose or id(node) in direct:
            continue
        if isinstance(node, (ast.List, ast.Tuple)) and node.elts and isinstance(node.elts[0], ast.Name):
            # [GS, "-q", ...] with GS = "gs" (or "gswin64c" if os.name == "nt" else "gs") at module level
            for word in named.get(node.elts[0].id, ()):
                if (word, node.lineno) not in found:
                    found.append((word, node.lineno))
        elif isinstance(node, (ast.List, ast.Tuple)) and node.elts and isinstance(node.elts[0], ast.Constant):
            rest = node.elts[1:]
            # the program, then arguments: a list of names such as ["git", "hg"] is no command
            if (
                not rest
                or not all(isinstance(e, ast.Constant) for e in rest)
                or str(getattr(rest[0], "value", "")).startswith("-")
            ):
                head = node.elts[0].value
        elif isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
            match = _COMMAND_HEAD.match(str(node.values[0].value))
            head = match.group(1) if match else None
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            match = _COMMAND_HEAD.match(node.value)
            head = match.group(1) if match else None
        line = getattr(node, "lineno", 0)
        if isinstance(head, str) and head and (head, line) not in found:
            found.append((head, line))
    return found


def _keyword_string(call: ast.Call, names: tuple[str, ...]) -> str | None:
    for kw in call.keywords:
        if kw.arg in names and isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str):
            return kw.value.value
    return None


def _scan_prefix(node: ast.Call, name: str, last: str, scan: ModuleScan) -> None:
    """Where routers and blueprints are mounted, so a route's served path carries its prefix; and what
    holds each (``app.include_router(router)``, ``outer.mount("/api/v1", inner)``: a sub-application),
    so a router inside a mounted app carries the mount's path too."""
    receiver = name.rsplit(".", 1)[0] if "." in name else ""
    if last in ("include_router", "register_blueprint") and node.args:
        router = dotted(node.args[0])
        prefix = _keyword_string(node, _PREFIX_KEYWORDS)
        if router and prefix:
            # `summaries.router`: keyed with its module, so another module's `router` does not take it
            scan.prefixes[router] = prefix
        if router and receiver:
            scan.holders.setdefault(router, receiver)
    if last == "mount" and any(isinstance(a, ast.Starred) for a in node.args):
        scan.computed_mounts = True  # `app.mount(*apps)`: sub-applications at paths only running tells
    if last == "mount" and node.args and isinstance(node.args[0], ast.Constant):
        path = node.args[0].value
        inner = (
            node.args[1]
            if len(node.args) > 1
            else next((k.value for k in node.keywords if k.arg == "app"), None)
        )
        mounted = dotted(inner) if isinstance(inner, (ast.Name, ast.Attribute)) else None
        if isinstance(path, str) and mounted:
            scan.prefixes[mounted] = path
            if receiver:
                scan.holders.setdefault(mounted, receiver)


def _declared_prefixes(tree: ast.Module, scan: ModuleScan) -> None:
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call):
            called = (dotted(stmt.value.func) or "").rsplit(".", 1)[-1]
            prefix = _keyword_string(stmt.value, _PREFIX_KEYWORDS)
            if called in ("APIRouter", "Blueprint", "Router") and prefix:
                for target in stmt.targets:
                    if isinstance(target, ast.Name):
                        scan.prefixes.setdefault("@" + target.id, prefix)


_MAKEDIRS = frozenset({"os.makedirs", "makedirs", "os.mkdir", "mkdir"})
_CWD_CALLS = frozenset({"os.getcwd", "getcwd", "Path.cwd", "pathlib.Path.cwd"})
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


def _own_nodes(scope: ast.AST, kinds: tuple[type[ast.AST], ...] = (ast.AST,)) -> list[ast.AST]:
    """The nodes of ``scope``'s body (of ``kinds`` only), not those of the functions and classes nested
    in it, in source order."""
    out: list[ast.AST] = []
    pending = list(iter_child_nodes(scope))
    while pending:
        node = pending.pop()
        if isinstance(node, kinds):
            out.append(node)
        if not isinstance(node, _SCOPES):
            pending.extend(iter_child_nodes(node))
    return sorted(out, key=lambda n: (getattr(n, "lineno", 0), getattr(n, "col_offset", 0)))


def _makes_dir(node: ast.AST) -> ast.AST | None:
    """The folder ``node`` creates: ``os.makedirs(folder)``, ``folder.mkdir()``; else None."""
    if not isinstance(node, ast.Call):
        return None
    if (dotted(node.func) or "") in _MAKEDIRS and node.args:
        return node.args[0]
    if isinstance(node.func, ast.Attribute) and node.func.attr == "mkdir":
        return node.func.value
    return None


def _is_cwd(node: ast.AST, names: set[str]) -> bool:
    if isinstance(node, ast.Call) and not node.args and (dotted(node.func) or "") in _CWD_CALLS:
        return True
    if isinstance(node, ast.Call) and dotted(node.func) in ("os.path.abspath", "str") and len(node.args) == 1:
        return _is_cwd(node.args[0], names)
    return isinstance(node, ast.Name) and node.id in names


def _under_cwd(node: ast.AST, names: set[str], paths: dict[str, str] | None = None) -> str | None:
    """``os.path.join(os.getcwd(), "logs")``, ``Path.cwd() / "logs"`` (or through a name bound to the
    working directory, or below a relative folder a name of ``paths`` holds: ``Path(folder) / "daily"``):
    the relative folder, else None."""
    parts: list[ast.AST] = []
    if (
        isinstance(node, ast.Call)
        and dotted(node.func) in ("os.path.join", "join", "path.join")
        and node.args
    ):
        base, parts = node.args[0], list(node.args[1:])
    elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        base, parts = node.left, [node.right]
        while isinstance(base, ast.BinOp) and isinstance(base.op, ast.Div):
            parts.insert(0, base.right)
            base = base.left
    else:
        return None
    start = "" if _is_cwd(base, names) else _path_of(base, paths or {})
    if not parts or start is None:
        return None
    words = [p.value for p in parts if isinstance(p, ast.Constant) and isinstance(p.value, str)]
    return _relative_dir("/".join([start, *words] if start else words)) if len(words) == len(parts) else None


def _cwd_made_dirs(tree: ast.Module) -> list[tuple[str, int]]:
    """Folders under the working directory (the image's root-owned app directory) that the app creates:
    ``os.makedirs(os.path.join(os.getcwd(), "logs"))``, or the same path held in a variable or a config
    key first (``cfg["UPLOADS"] = os.path.join(base, "uploads")`` with ``base = os.getcwd()``, later
    ``os.makedirs(cfg["UPLOADS"])``), or ``(Path.cwd() / "cache").mkdir()``."""
    found: list[tuple[str, int]] = []
    if not any(_makes_dir(n) is not None for n in walk(tree)):
        return found
    module_names: set[str] = set()
    module_paths: dict[str, str] = {}
    scopes: list[ast.AST] = [tree] + [
        n for n in walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
    ]
    for scope in scopes:
        names = set(module_names)
        paths = {**module_paths, **_default_dirs(scope)}
        for node in _own_nodes(scope, (ast.Assign, ast.Call)):
            if isinstance(node, ast.Assign):
                if _is_cwd(node.value, names):
                    names.update(t.id for t in node.targets if isinstance(t, ast.Name))
                rel = _under_cwd(node.value, names, paths) or _path_of(node.value, paths)
                if rel:
                    paths.update({ast.unparse(t): rel for t in node.targets})
            elif isinstance(node, ast.Call):
                target = _makes_dir(node)
                if target is not None:
                    rel = _under_cwd(target, names, paths) or _path_of(target, paths)
                    if rel and (rel, node.lineno) not in found:
                        found.append((rel, node.lineno))
        if scope is tree:
            module_names, module_paths = names, paths
    return found


def _path_literals(tree: ast.Module) -> dict[str, str]:
    """Module-level names bound to ``Path("relative/literal")`` (a path under the working directory)."""
    out: dict[str, str] = {}
    for stmt in tree.body:
        targets, value = assignment(stmt)
        if (
            isinstance(value, ast.Call)
            and (dotted(value.func) or "").rsplit(".", 1)[-1] in ("Path", "PurePath")
            and len(value.args) == 1
            and not value.keywords
            and isinstance(value.args[0], ast.Constant)
            and isinstance(value.args[0].value, str)
        ):
            out.update({t.id: value.args[0].value for t in targets if isinstance(t, ast.Name)})
    return out


def _literal_dir_makes(tree: ast.Module, scan: ModuleScan) -> list[tuple[str, int]]:
    """Folders made through a name bound to a relative path literal: ``STAMP.parent.mkdir()`` with
    ``STAMP = Path("state/last.txt")`` (``state``), ``CACHE.mkdir()`` with ``CACHE = Path("cache")``;
    a name another module binds is kept in ``scan.imported_dir_makes`` for apps.py to resolve."""
    found: list[tuple[str, int]] = []
    for node in walk(tree):
        target = _makes_dir(node)
        if target is None:
            continue
        parent = isinstance(target, ast.Attribute) and target.attr == "parent"
        name = target.value if isinstance(target, ast.Attribute) and parent else target
        if not isinstance(name, ast.Name):
            continue
        assert isinstance(node, ast.Call)
        if name.id in scan.path_literals:
            folder = made_folder(scan.path_literals[name.id], parent)
            if folder and (folder, node.lineno) not in found:
                found.append((folder, node.lineno))
        elif name.id in scan.from_imports:
            scan.imported_dir_makes.append((scan.from_imports[name.id], parent, node.lineno))
    return found


def made_folder(literal: str, parent: bool) -> str | None:
    """The project-relative folder a ``mkdir`` makes of a path literal: the literal's own (``CACHE.mkdir()``)
    or its parent's (``STAMP.parent.mkdir()``); None for an absolute or parent path."""
    return _relative_dir(posixpath.dirname(literal) if parent else literal)


def _default_dirs(scope: ast.AST) -> dict[str, str]:
    """A function's parameters whose default is a relative folder (``storage_path: str = "offline"``):
    a caller that leaves it out makes the function create that folder in the working directory."""
    if not isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return {}
    out: dict[str, str] = {}
    for arg, default in _defaults(scope):
        if isinstance(default, ast.Constant) and isinstance(default.value, str):
            rel = _relative_dir(default.value)
            if rel and rel != ".":
                out[arg.arg] = rel
    return out


def _defaults(scope: ast.FunctionDef | ast.AsyncFunctionDef) -> list[tuple[ast.arg, ast.expr]]:
    """A function's parameters with their defaults."""
    args = scope.args
    positional = [*args.posonlyargs, *args.args]
    return [
        *zip(positional[len(positional) - len(args.defaults) :], args.defaults, strict=True),
        *((a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True) if d is not None),
    ]


def _default_file_writes(tree: ast.Module, scan: ModuleScan) -> list[FileWrite]:
    """Writes on a parameter whose default is built from ``__file__`` (``def __init__(self,
    folder=Path(__file__).parent / "cache"): folder.mkdir()``): the parameter is bound to its default
    as a module name is to its value (file_writes.written_folder's ``bound``), the other parameters
    hide the module's names they share."""
    found: list[FileWrite] = []
    for scope in walk(tree):
        if not isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        defaults = {arg.arg: default for arg, default in _defaults(scope) if _uses_file(default)}
        if not defaults:
            continue
        params = {a.arg for a in (*scope.args.posonlyargs, *scope.args.args, *scope.args.kwonlyargs)}
        bound = {k: v for k, v in scan.assigned_once.items() if k not in params} | defaults
        for node in _own_nodes(scope, (ast.Call,)):
            written = written_folder(node, scan.rel, bound) if isinstance(node, ast.Call) else None
            if written is not None and written not in found:
                found.append(written)
    return found


def _uses_file(value: ast.expr) -> bool:
    """Whether ``value`` uses ``__file__`` (a path built from the module's own folder)."""
    return any(isinstance(n, ast.Name) and n.id == "__file__" for n in walk(value))


def _path_of(value: ast.AST, paths: dict[str, str]) -> str | None:
    """The folder ``value`` holds when it is a name (or key) of ``paths`` or ``Path(name)``."""
    if isinstance(value, ast.Call) and (dotted(value.func) or "").endswith("Path") and len(value.args) == 1:
        value = value.args[0]
    return (
        paths.get(ast.unparse(value)) if isinstance(value, (ast.Name, ast.Attribute, ast.Subscript)) else None
    )


_SQLITE = lazy(r"^sqlite(?:\+\w+)?:///(?!/)([\w./-]+)$")


def _relative_dir(path: str) -> str | None:
    """A project-relative directory (``data``, ``./uploads``), never an absolute or parent path."""
    path = path.strip().removeprefix("./").rstrip("/")
    if not path or path.startswith(("/", "~", "$")) or ".." in path.split("/") or path == ".":
        return None
    return path if re.fullmatch(r"[\w.-]+(?:/[\w.-]+)*", path) else None


_ENV_NAME = lazy(r"^[A-Z][A-Z0-9_]*$")
_REDIS_URL = lazy(r"^(rediss?|unix)://\S*$")
# SQLAlchemy's dialects, and the schemes dj-database-url / django-environ map to Django's backends
_DB_URL = lazy(
    r"^(?:postgres(?:ql)?|pgsql|psql|postgis|mysql2?|mysqlgis|mysql-connector|mariadb|mssql|oracle|sqlite)"
    r"(?:\+\w+)?://"
)


def _literal(node: ast.AST, scan: ModuleScan) -> object:
    """A literal argument's value (a module-level string constant counts too), else None."""
    if isinstance(node, ast.Name) and node.id in scan.strings:
        return scan.strings[node.id][0]
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None


def _absolute(scan: ModuleScan, module: str, level: int) -> str:
    """The absolute module a ``from`` import names (``from .app import x`` in ``pkg.index``: ``pkg.app``)."""
    if level == 0:
        return module
    package = scan.module.split(".")
    if not scan.rel.endswith("__init__.py"):
        package = package[:-1]
    if level - 1 > len(package):
        return ""
    base = package[: len(package) - (level - 1)]
    return ".".join([*base, module] if module else base)


def _invocation(node: ast.Call, name: str, scan: ModuleScan, in_function: bool) -> Invocation:
    keywords = {kw.arg: _literal(kw.value, scan) for kw in node.keywords if kw.arg}
    args = tuple(_literal(a, scan) for a in node.args)
    return Invocation(name, node.lineno, args, keywords, in_function)


def _arity(args: ast.arguments) -> tuple[int, int | None]:
    """(positional arguments without a default, positional arguments at most; None with ``*args``)."""
    positional = len(args.posonlyargs) + len(args.args)
    return positional - len(args.defaults), None if args.vararg else positional


def _class_names(cls: ast.ClassDef) -> frozenset[str]:
    names: set[str] = set()
    for stmt in cls.body:
        if isinstance(stmt, ast.Assign):
            names.update(t.id for t in stmt.targets if isinstance(t, ast.Name))
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            names.add(stmt.target.id)
    return frozenset(names)


# What `subprocess.run(["prog", ...])` raises when prog is not installed, and the classes above it.
_MISSING_PROGRAM = frozenset(
    {"FileNotFoundError", "OSError", "IOError", "EnvironmentError", "Exception", "BaseException"}
)


def _missing_program_handled(tree: ast.Module) -> dict[int, int]:
    """Lines inside a ``try`` body whose handler catches a missing program's ``FileNotFoundError`` (or
    a class above it, or everything), each with the handler's line."""
    lines: dict[int, int] = {}
    for node in walk(tree):
        if not isinstance(node, ast.Try):
            continue
        for handler in node.handlers:
            caught = handler.type
            names = (
                (
                    {dotted(e) or "" for e in caught.elts}
                    if isinstance(caught, ast.Tuple)
                    else {dotted(caught) or ""}
                )
                if caught is not None
                else {"BaseException"}
            )
            if {n.rsplit(".", 1)[-1] for n in names} & _MISSING_PROGRAM:
                for stmt in node.body:
                    for inner in walk(stmt):
                        if hasattr(inner, "lineno"):
                            lines.setdefault(inner.lineno, handler.lineno)
                break
    return lines


def _guarded(tree: ast.Module) -> tuple[set[int], set[str]]:
    """Nodes inside ``try: ... except KeyError`` or ``TypeError`` (ids) and names tested with ``"X" in
    os.environ`` or read with ``os.environ.get``/``os.getenv`` in an ``if``/``while`` test, or given a
    default by the module itself (:func:`_defaulted`)."""
    nodes: set[int] = set()
    names: set[str] = _defaulted(tree)
    for node in walk(tree):
        if isinstance(node, ast.Try) and any(
            # KeyError: `os.environ["X"]`; TypeError: `int(os.getenv("X"))` given None for an unset X
            h.type is None or any(e in ast.dump(h.type) for e in ("KeyError", "TypeError", "Exception"))
            for h in node.handlers
        ):
            nodes.update(id(n) for stmt in node.body for n in walk(stmt))
        tested = isinstance(node, ast.Compare) and isinstance(node.left, ast.Constant)
        if tested and any(dotted(c) == "os.environ" for c in node.comparators):  # type: ignore[attr-defined]
            names.add(str(node.left.value))  # type: ignore[attr-defined]
        if isinstance(node, ast.If) and _presence_test(node.test):
            # `if "TOKEN" in os.environ: ZONE = os.environ["ZONE"]`: read only when the user sets TOKEN
            nodes.update(id(n) for stmt in node.body for n in walk(stmt))
        if isinstance(node, (ast.If, ast.IfExp, ast.While)):
            # `if not os.environ.get("X", "").isnumeric(): ... else: int(os.environ["X"])`: the branch
            # that reads X runs only after the test looked at it
            # (a value used at once in the test, `os.environ.get("X").lower()`, is itself a required read)
            used = {id(n.value) for n in walk(node.test) if isinstance(n, ast.Attribute)}
            for inner in walk(node.test):
                if (
                    isinstance(inner, ast.Call)
                    and (id(inner) not in used or len(inner.args) > 1)
                    and dotted(inner.func) in ("os.environ.get", "os.getenv")
                    and inner.args
                    and isinstance(inner.args[0], ast.Constant)
                ):
                    names.add(str(inner.args[0].value))
    return nodes, names


def _presence_test(test: ast.expr) -> bool:
    """A test that is true only when environment variables are set: ``"X" in os.environ``,
    ``os.environ.get("X")``, ``os.getenv("X")``, or such tests joined by ``and``/``or`` (not a comparison
    of the value, which may hold when the variable is unset)."""
    if isinstance(test, ast.BoolOp):
        return all(_presence_test(value) for value in test.values)
    if isinstance(test, ast.Compare):
        return (
            len(test.ops) == 1
            and isinstance(test.ops[0], ast.In)
            and isinstance(test.left, ast.Constant)
            and dotted(test.comparators[0]) == "os.environ"
        )
    return (
        isinstance(test, ast.Call)
        and dotted(test.func) in ("os.environ.get", "os.getenv")
        and len(test.args) == 1
        and not test.keywords
    )


def _defaulted(tree: ast.Module) -> set[str]:
    """Variables the module gives a default itself: ``os.environ.setdefault("X", ...)``,
    ``os.environ.update({"X": ...})``, or ``os.environ.setdefault(key, value)`` in a loop over a dict
    literal of the module (``for key, value in DEFAULTS.items()``)."""
    dicts = {
        target.id: {
            k.value for k in stmt.value.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)
        }
        for stmt in tree.body
        if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Dict)
        for target in stmt.targets
        if isinstance(target, ast.Name)
    }
    names: set[str] = set()
    for node in walk(tree):
        if isinstance(node, ast.Call) and dotted(node.func) in ("os.environ.setdefault", "os.environ.update"):
            first = node.args[0] if node.args else None
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                names.add(first.value)
            elif isinstance(first, ast.Dict):
                names.update(
                    k.value for k in first.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)
                )
        if isinstance(node, ast.For) and isinstance(node.iter, ast.Call):
            source = node.iter.func.value if isinstance(node.iter.func, ast.Attribute) else None
            sets = any(
                isinstance(n, ast.Call) and dotted(n.func) == "os.environ.setdefault" for n in walk(node)
            )
            if sets and isinstance(source, ast.Name) and source.id in dicts:
                names.update(dicts[source.id])
    return names


def _env_get_without_default(node: ast.AST) -> str | None:
    """``os.environ.get("NAME")`` / ``os.getenv("NAME")`` with no default: the NAME, else None."""
    if not isinstance(node, ast.Call) or len(node.args) != 1 or node.keywords:
        return None
    if dotted(node.func) not in ("os.environ.get", "os.getenv"):
        return None
    arg = node.args[0]
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and _ENV_NAME.match(arg.value):
        return arg.value
    return None


def _env_default(node: ast.expr) -> ast.expr | None:
    """The value an environment read falls back to: ``os.environ.get("K", D)``, ``os.getenv("K") or D``
    -> D; None for anything else."""
    if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or) and len(node.values) == 2:
        read, fallback = node.values
        return fallback if _env_get_without_default(read) else None
    if not (isinstance(node, ast.Call) and len(node.args) == 2 and not node.keywords):
        return None
    return node.args[1] if _env_get_without_default(ast.Call(node.func, node.args[:1], [])) else None


def _falsy_fallback(node: ast.AST) -> ast.AST:
    """The read itself when its fallback is empty, as a secret key's must not be (Django refuses an
    empty one): ``os.environ.get("K") or None``, ``os.getenv("K", "")`` -> ``os.environ.get("K")``."""
    if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or) and len(node.values) == 2:
        first, fallback = node.values
        if isinstance(fallback, ast.Constant) and not fallback.value:
            return first
    if isinstance(node, ast.Call) and len(node.args) == 2 and not node.keywords:
        fallback = node.args[1]
        if isinstance(fallback, ast.Constant) and not fallback.value:
            return ast.Call(node.func, node.args[:1], [])
    return node


# conversions that raise TypeError on None (what os.getenv returns for an unset variable)
_FAILS_ON_NONE = frozenset(
    {"int", "float", "complex", "Decimal", "decimal.Decimal", "json.loads", "Path", "pathlib.Path"}
)


def _is_key(key: ast.expr | None, name: str) -> bool:
    return isinstance(key, ast.Constant) and key.value == name


def _env_read_name(node: ast.expr) -> str | None:
    """The variable of an environment read with a fallback (:func:`_env_default`), else None."""
    if _env_default(node) is None:
        return None
    if isinstance(node, ast.BoolOp):
        return _env_get_without_default(node.values[0])
    assert isinstance(node, ast.Call)  # _env_default reads a call or an `or`
    return _env_get_without_default(ast.Call(node.func, node.args[:1], []))


# string methods whose first argument is a pattern matched against a value, not a value the app uses
_MATCHING_METHODS = frozenset({"replace", "startswith", "endswith", "removeprefix", "removesuffix"})


def _matched_strings(tree: ast.Module) -> set[int]:
    """The string literals a value is matched against (``url.replace("postgresql://", ...)``'s first
    argument, ``url.startswith(("postgres://", ...))``, ``url == "sqlite://"``): a scheme the code tests
    for or rewrites away is not a URL it connects with."""
    out: set[int] = set()
    for node in walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args:
            if node.func.attr in _MATCHING_METHODS:
                first = node.args[0]
                out.update(id(n) for n in (first.elts if isinstance(first, ast.Tuple) else [first]))
        elif isinstance(node, ast.Compare):
            out.update(id(n) for n in (node.left, *node.comparators) if isinstance(n, ast.Constant))
    return out


# the node types _scan_env_and_writes reads: every other node (names, contexts, operators: most of a
# tree) returns after one check instead of nine
_ENV_AND_WRITE_NODES = (
    ast.Call,
    ast.BoolOp,
    ast.Attribute,
    ast.Assign,
    ast.Subscript,
    ast.Constant,
    ast.BinOp,
    ast.JoinedStr,
    ast.Dict,
)


def _scan_env_and_writes(node: ast.AST, scan: ModuleScan, matched: set[int]) -> None:
    if not isinstance(node, _ENV_AND_WRITE_NODES):
        return
    if isinstance(node, (ast.Call, ast.BoolOp)):
        fallback = _env_default(node)
        variable = _env_read_name(node)
        if fallback is not None and variable:
            scan.env_fallbacks.append((variable, fallback.lineno, fallback.end_lineno or fallback.lineno))
    # a value used at once (`os.environ.get("HOSTS").split()`) or a secret key with no default: required
    if isinstance(node, ast.Attribute):
        name = _env_get_without_default(node.value)
        if name:
            scan.env_required.append((name, node.lineno))
    # converted at once (`int(os.getenv("TOKEN_MINUTES"))`): None, the value when unset, raises TypeError
    if isinstance(node, ast.Call) and (dotted(node.func) or "") in _FAILS_ON_NONE and len(node.args) == 1:
        name = _env_get_without_default(node.args[0])
        if name:
            scan.env_required.append((name, node.lineno))
    if isinstance(node, ast.Assign) and any(
        isinstance(t, ast.Name) and t.id == "SECRET_KEY" for t in node.targets
    ):
        name = _env_get_without_default(_falsy_fallback(node.value))
        if name:
            scan.env_required.append((name, node.lineno))
    if isinstance(node, ast.Subscript) and dotted(node.value) == "os.environ":
        key = node.slice
        if (
            isinstance(key, ast.Constant)
            and isinstance(key.value, str)
            and isinstance(node.ctx, ast.Load)
            and _ENV_NAME.match(key.value)
        ):
            scan.env_required.append((key.value, node.lineno))
    if isinstance(node, ast.Call):
        name = dotted(node.func) or ""
        if name in ("os.getenv", "os.environ.get", "getenv", "environ.get") and len(node.args) == 2:
            var, default = node.args
            url = default.value if isinstance(default, ast.Constant) else None
            name_ok = isinstance(var, ast.Constant) and isinstance(var.value, str)
            if name_ok and isinstance(url, str) and _REDIS_URL.match(url):
                scan.redis_env.append((str(var.value), url, node.lineno))  # type: ignore[attr-defined]
        written = written_folder(node, scan.rel, scan.assigned_once)
        if written is not None:
            scan.file_writes.append(written)
        engine = engine_call(node)
        if engine is not None:
            scan.engine_calls.append(engine)
        log_call = _log_file_call(node, name, scan)
        if log_call is not None:
            scan.log_files.append(log_call)
        stored = storage_path(node, name, scan.assigned_once)  # a queue's files (project/library_storage.py)
        if stored is not None:
            path, is_folder = stored
            parent = path if is_folder else path.strip().removeprefix("./").rpartition("/")[0]
            found = _relative_dir(parent) if parent else (None if is_folder else ".")
            if found:
                scan.writes.append((found, node.lineno))
                scan.cwd_writes.add((found, node.lineno))
        first = node.args[0] if node.args else None
        literal = first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else None
        if name in _MAKEDIRS and literal:
            found = _relative_dir(literal)
            if found:
                scan.writes.append((found, node.lineno))
                scan.cwd_writes.add((found, node.lineno))
        elif name.endswith(".mkdir") and isinstance(node.func, ast.Attribute):
            inner = node.func.value
            if isinstance(inner, ast.Call) and (dotted(inner.func) or "").endswith("Path") and inner.args:
                arg = inner.args[0]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found = _relative_dir(arg.value)
                    if found:
                        scan.writes.append((found, node.lineno))
                        scan.cwd_writes.add((found, node.lineno))
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        if _REDIS_URL.match(node.value):
            scan.redis_urls.append((node.value, node.lineno))
        if _DB_URL.match(node.value) and id(node) not in matched:
            scan.db_urls.append((node.value, node.lineno))
        elif ENGINE.match(node.value):
            scan.db_engines.append((node.value, node.lineno))
        match = _SQLITE.match(node.value)
        if match:
            parent = match.group(1).rpartition("/")[0]
            scan.writes.append((parent or ".", node.lineno))
            scan.cwd_writes.add((parent or ".", node.lineno))
    if isinstance(node, (ast.BinOp, ast.JoinedStr)):
        joined = _sqlite_beside_module(node, scan)
        if joined is not None:
            scan.writes.append((joined, node.lineno))
    if isinstance(node, ast.Dict):
        django = _django_sqlite(node, scan)
        if django is not None:
            scan.writes.append((django, node.lineno))
            if _django_sqlite_literal(node):
                scan.cwd_writes.add((django, node.lineno))
            db_name = next(
                (v for k, v in zip(node.keys, node.values, strict=True) if _is_key(k, "NAME")), None
            )
            moved = _env_read_name(db_name) if db_name is not None else None
            if moved:  # the write is recorded at the dict's line: the variable moves it
                scan.env_fallbacks.append((moved, node.lineno, node.lineno))
        log = _log_file_handler(node, scan)
        if log is not None:
            scan.log_files.append(log)


_SQLITE_PREFIX = lazy(r"^sqlite(?:\+\w+)?:///$")


def _sqlite_beside_module(node: ast.AST, scan: ModuleScan) -> str | None:
    """``"sqlite:///" + os.path.join(basedir, "app.db")`` (or the f-string form): a database file next to
    a module (``basedir`` = the folder of ``__file__``, the tutorials' pattern), so in the app's
    root-owned tree. The folder it sits in, relative to that module's ("." for the same one)."""
    parts: list[ast.AST] = []
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        parts = [node.left, node.right]
    elif isinstance(node, ast.JoinedStr) and len(node.values) == 2:
        second = node.values[1]
        parts = [node.values[0], second.value if isinstance(second, ast.FormattedValue) else second]
    if len(parts) != 2:
        return None
    prefix, path = parts
    if not (isinstance(prefix, ast.Constant) and isinstance(prefix.value, str)):
        return None
    if not _SQLITE_PREFIX.match(prefix.value):
        return None
    return _file_in_tree(path, scan)


def _file_in_tree(path: ast.AST, scan: ModuleScan) -> str | None:
    """The folder of a file path joined to a variable folder (``os.path.join(basedir, "app.db")``,
    ``BASE_DIR / "db.sqlite3"``, ``Path(basedir).joinpath(NAME)``, ``str(...)`` of those), relative to
    that folder ("." for the same one); None for anything else."""
    parts = _joined_parts(path, scan)
    # a part may hold folders of its own: `os.path.join(BASE_DIR, "data/db.sqlite3")`
    return None if parts is None else (_relative_dir("/".join(parts).rpartition("/")[0]) or ".")


def _file_path_in_tree(path: ast.AST, scan: ModuleScan) -> str | None:
    """The file path itself of :func:`_file_in_tree` (``var/app.log``), None outside the tree."""
    parts = _joined_parts(path, scan)
    return None if parts is None else _relative_dir("/".join(parts))


def _joined_parts(path: ast.AST, scan: ModuleScan, depth: int = 0) -> list[str] | None:
    """The literal parts of a file path joined to a variable folder, the file's name last (with the
    folders that variable stands for, :func:`_folder_parts`)."""
    pathlib = _pathlib_parts(path, scan, depth)
    if pathlib:
        return pathlib
    if not isinstance(path, ast.Call):
        return None
    if (dotted(path.func) or "") not in ("os.path.join", "path.join", "join") or len(path.args) < 2:
        return None
    head = path.args[0]
    # a path may start at the module's folder, os.path.join(os.path.dirname(__file__), "logs") (its real
    # place, below the root), and a followed value at the work directory too (os.getcwd())
    followed = _module_folder(head, scan)
    if not (isinstance(head, ast.Name) or (depth and _is_cwd(head, set())) or followed is not None):
        return None
    rest = [a.value for a in path.args[1:] if isinstance(a, ast.Constant) and isinstance(a.value, str)]
    folder = _folder_parts(head, scan, depth) if followed is None else (followed[1:] if followed else None)
    if folder is None or len(rest) != len(path.args) - 1:
        return None
    return [*folder, *rest]


def tree_path(node: ast.expr, scan: ModuleScan) -> list[str] | None:
    """A file path's parts below the code's tree (the file's name last) when the expression is one: a
    relative literal (the work directory is the tree's root), a join or ``/`` of a folder in the tree and
    literal parts; None for anything else (an absolute literal, the environment, the home)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
        if not text or text.startswith(("/", "~", "$")):
            return None
        return [p for p in text.split("/") if p not in ("", ".")] or None
    return _joined_parts(node, scan)


def _folder_parts(node: ast.expr, scan: ModuleScan, depth: int) -> list[str] | None:
    """The folders below the code's tree a path's head names: none for the tree itself (a folder variable
    of unknown value, ``os.path.dirname(__file__)``, the work directory); those of the path a name bound
    once stands for (``folder = os.path.join(os.getcwd(), "logs")``, ``folder = "logs"``); None for a
    folder outside the tree (an absolute literal, the environment, the home or temporary folder)."""
    if not isinstance(node, ast.Name) or depth > 3:
        return []
    value: ast.expr | None = scan.assigned_once.get(node.id)
    text = scan.strings[node.id][0] if node.id in scan.strings else None
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        text = value.value
    if text is not None:
        if text.startswith(("/", "~", "$")):
            return None
        return [p for p in text.split("/") if p not in ("", ".")]
    if value is None:
        return []
    followed = _module_folder(value, scan)  # HERE = os.path.dirname(__file__): the module's own folder
    if followed is not None:
        return followed[1:] if followed else None
    if isinstance(value, ast.Name):  # folder = LOG_DIR
        return _folder_parts(value, scan, depth + 1)
    parts = _joined_parts(value, scan, depth + 1)
    if parts is not None:
        return parts
    if _is_cwd(value, set()):
        return []
    return [] if _tree_root(value, scan) and not _outside(value) else None


def _module_folder(node: ast.expr, scan: ModuleScan) -> list[str] | None:
    """A folder reached from ``__file__`` (project/file_writes.py ``module_folder``), for this module."""
    return module_folder(node, scan.rel)


def _path_of_name(node: ast.expr, scan: ModuleScan) -> ast.Name | None:
    """The name of ``folder`` or ``Path(folder)`` (not a module-level string constant's)."""
    if isinstance(node, ast.Call) and (dotted(node.func) or "").endswith("Path") and len(node.args) == 1:
        node = node.args[0]
    return node if isinstance(node, ast.Name) and node.id not in scan.strings else None


def _outside(node: ast.expr) -> bool:
    """A value read from the environment or the home folder anywhere in the expression."""
    for sub in walk(node):
        if isinstance(sub, ast.Subscript) and dotted(sub.value) == "os.environ":
            return True
        if isinstance(sub, ast.Call):
            called = str(dotted(sub.func) or getattr(sub.func, "attr", "")).rsplit(".", 1)[-1]
            if called in _OUTSIDE_ROOTS:
                return True
    return False


def _pathlib_parts(node: ast.AST, scan: ModuleScan, depth: int = 0) -> list[str] | None:
    """The literal parts after a variable root of ``root / "a" / "b"`` or ``root.joinpath("a", "b")``
    (a module-level string constant counts as literal); None when it is not such a path."""
    if isinstance(node, ast.Call) and dotted(node.func) == "str" and len(node.args) == 1:
        return _pathlib_parts(node.args[0], scan, depth)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        head, tail = node.left, [node.right]
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "joinpath":
        head, tail = node.func.value, list(node.args)
    else:
        return None
    words = [_literal(t, scan) for t in tail]
    if not words or not all(isinstance(w, str) for w in words):
        return None
    inner = _pathlib_parts(head, scan, depth)
    if inner is None:  # Path(__file__).parent / "logs" is the module's folder's
        followed = _module_folder(head, scan)
        if followed is not None:
            return [*followed[1:], *(str(w) for w in words)] if followed else None
    folder = _path_of_name(head, scan)  # folder / "x", Path(folder) / "x"
    if inner is None and folder is not None:
        inner = _folder_parts(folder, scan, depth)
        if inner is None:
            return None
    if inner is None and not _tree_root(head, scan):
        return None
    return [*(inner or []), *(str(w) for w in words)]


_OUTSIDE_ROOTS = frozenset({"home", "gettempdir", "mkdtemp", "getenv", "get", "expanduser", "user_data_dir"})


def _tree_root(node: ast.AST, scan: ModuleScan) -> bool:
    """A folder variable or ``Path(__file__)...``: the code's tree. Not a literal ("/data"), the home or
    temporary folder, nor a value read from the environment, which are where the user put them."""
    if isinstance(node, ast.Name):
        return node.id not in scan.strings
    if isinstance(node, ast.Attribute):
        return True
    if not isinstance(node, ast.Call):
        return False
    called = str(dotted(node.func) or getattr(node.func, "attr", "")).rsplit(".", 1)[-1]
    if called in _OUTSIDE_ROOTS:
        return False
    if called.endswith("Path") and node.args:  # Path(x): where x points
        first = _literal(node.args[0], scan)
        if isinstance(first, str):
            return not first.startswith(("/", "~"))
        return _tree_root(node.args[0], scan)
    return True


def _django_sqlite(node: ast.Dict, scan: ModuleScan) -> str | None:
    """``{"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}`` (Django's
    startproject default): the database file in the project tree. The folder, as for the URLs above."""
    items = {k.value: v for k, v in zip(node.keys, node.values, strict=True) if isinstance(k, ast.Constant)}
    engine, name = items.get("ENGINE"), items.get("NAME")
    engine = _env_default(engine) or engine if engine is not None else None
    if not (isinstance(engine, ast.Constant) and str(engine.value).endswith("sqlite3")) or name is None:
        return None
    # `os.getenv("DB_PATH", BASE_DIR / "db.sqlite3")`: the file is there unless the variable is set
    name = _env_default(name) or name
    if isinstance(name, ast.Constant) and isinstance(name.value, str):
        return (
            None
            if name.value.startswith(("/", ":memory:"))
            else (_relative_dir(name.value.rpartition("/")[0]) or ".")
        )
    return _file_in_tree(name, scan)


def _django_sqlite_literal(node: ast.Dict) -> bool:
    """The database entry's NAME is a relative literal (``"db.sqlite3"``): opened from the working
    directory."""
    name = next((v for k, v in zip(node.keys, node.values, strict=True) if _is_key(k, "NAME")), None)
    name = (_env_default(name) or name) if name is not None else None
    return isinstance(name, ast.Constant) and isinstance(name.value, str)


# logging's handlers that open their file when they are made (delay=False, the default); the rotating
# ones rename the file (and its older copies) in its folder at rollover
# https://docs.python.org/3/library/logging.handlers.html#filehandler
# https://docs.python.org/3/library/logging.config.html#dictionary-schema-details
_FILE_HANDLERS = ("FileHandler", "RotatingFileHandler", "TimedRotatingFileHandler", "WatchedFileHandler")
_ROTATING = ("RotatingFileHandler", "TimedRotatingFileHandler")


def _log_file_handler(node: ast.Dict, scan: ModuleScan) -> LogFile | None:
    """``{"class": "logging.FileHandler", "filename": BASE_DIR / "app.log"}`` (a ``dictConfig`` handler,
    Django's ``LOGGING``): the file in the project tree that the handler opens at start; None for an
    absolute path, another handler or a delayed open."""
    items = {k.value: v for k, v in zip(node.keys, node.values, strict=True) if isinstance(k, ast.Constant)}
    cls, filename, delay = items.get("class"), items.get("filename"), items.get("delay")
    if not (isinstance(cls, ast.Constant) and isinstance(cls.value, str)) or filename is None:
        return None
    return _log_file(cls.value.rsplit(".", 1)[-1], filename, delay, scan)


# loguru's file sink: `logger.add(path)` opens the file (making its folders) unless delay=True; these
# options and a `{time}` in the name write other files beside it
# https://loguru.readthedocs.io/en/stable/api/logger.html#loguru._logger.Logger.add
_LOGURU_MORE_FILES = ("rotation", "retention", "compression")


def _loguru_sink(node: ast.Call, name: str, scan: ModuleScan) -> LogFile | None:
    """``logger.add("logs/bot.log", rotation="1 day")`` on loguru's logger: the file it opens at once."""
    owner, _, method = name.rpartition(".")
    if method != "add" or (scan.from_imports.get(owner) or owner) != "loguru.logger":
        return None
    keywords = {k.arg: k.value for k in node.keywords if k.arg}
    sink = node.args[0] if node.args else keywords.get("sink")
    if sink is None:
        return None
    if isinstance(sink, ast.Constant) and isinstance(sink.value, str) and "{" in sink.value:
        head, slash, _ = sink.value.rpartition("/")  # `logs/{time}.log`: a new file each run
        folder = _relative_dir(head) if slash else "."
        delay = keywords.get("delay")
        delayed = isinstance(delay, ast.Constant) and delay.value is True
        path = "*" if folder == "." else f"{folder}/*"
        return LogFile(path, sink.lineno, True, True) if folder and not delayed else None
    more = any(k in keywords for k in _LOGURU_MORE_FILES)
    return _log_file("RotatingFileHandler" if more else "FileHandler", sink, keywords.get("delay"), scan)


def _log_file_call(node: ast.Call, name: str, scan: ModuleScan) -> LogFile | None:
    """``logging.FileHandler("app.log")`` (any of the file handlers, by logging's name for it) and
    ``logging.basicConfig(filename="app.log")``, which makes a FileHandler: the file in the project tree
    (a bare name is opened in the work directory, the app directory), as for a dictConfig entry; and a
    loguru file sink, which opens its file the same way."""
    if "loguru" in scan.imports:
        found = _loguru_sink(node, name, scan)
        if found is not None:
            return found
    if "logging" not in scan.imports:
        return None
    called = name.rsplit(".", 1)[-1]
    keywords = {k.arg: k.value for k in node.keywords if k.arg}
    if called == "basicConfig":
        filename = keywords.get("filename")
        return _log_file("FileHandler", filename, None, scan) if filename is not None else None
    if called not in _FILE_HANDLERS:
        return None
    filename = node.args[0] if node.args else keywords.get("filename")
    if filename is None:
        return None
    return _log_file(called, filename, keywords.get("delay"), scan)


def _log_file(handler: str, filename: ast.AST, delay: ast.AST | None, scan: ModuleScan) -> LogFile | None:
    if handler not in _FILE_HANDLERS:
        return None
    if isinstance(delay, ast.Constant) and delay.value is True:
        return None  # opened at the first record, not at start
    line = getattr(filename, "lineno", 0)
    if (
        isinstance(filename, ast.Name)
        and filename.id not in scan.strings
        and filename.id in scan.assigned_once
    ):
        filename = scan.assigned_once[filename.id]
    literal = _literal(filename, scan)
    if isinstance(literal, str):
        path = None if literal.startswith(("/", "~", "$")) else _relative_dir(literal)
        cwd = True
    else:
        path = _file_path_in_tree(filename, scan)
        cwd = path is None
        path = path or _in_literal_folder(filename)
    if path is None:
        return None
    return LogFile(path, line, handler in _ROTATING, cwd)


def _assigned_once(tree: ast.Module) -> dict[str, ast.expr]:
    """Names bound exactly once in the module (any scope) by a plain ``NAME = value``, to that value."""
    values: dict[str, ast.expr] = {}
    seen: dict[str, int] = {}
    for node in walk(tree):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign, ast.For, ast.AsyncFor, ast.NamedExpr)):
            targets = [node.target]
        elif isinstance(node, ast.withitem) and node.optional_vars is not None:
            targets = [node.optional_vars]
        for target in targets:
            for name in (n.id for n in walk(target) if isinstance(n, ast.Name)):
                seen[name] = seen.get(name, 0) + 1
                if isinstance(node, ast.Assign) and isinstance(target, ast.Name):
                    values[name] = node.value
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):  # parameters are bound per call
            for arg in [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]:
                seen[arg.arg] = seen.get(arg.arg, 0) + 2
    return {name: value for name, value in values.items() if seen.get(name) == 1}


def _in_literal_folder(path: ast.AST) -> str | None:
    """A file path whose folder is literal and whose name is not (one log file per module or per day):
    ``os.path.join("logs", f"{name}.log")``, ``f"logs/{name}.log"``, ``Path("logs") / f"{day}.log"``;
    the path with ``*`` for the name, relative to the work directory; None for anything else."""
    folder: str | None = None
    if (
        isinstance(path, ast.Call)
        and (dotted(path.func) or "") in ("os.path.join", "path.join")
        and path.args
    ):
        head = path.args[:-1]
        if head and all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in head):
            folder = "/".join(str(a.value) for a in head)  # type: ignore[attr-defined]
    elif isinstance(path, ast.JoinedStr) and path.values:
        first = path.values[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str) and "/" in first.value:
            folder = first.value.rpartition("/")[0]
    elif isinstance(path, ast.BinOp) and isinstance(path.op, ast.Div):
        left = path.left
        if isinstance(left, ast.Call) and (dotted(left.func) or "").endswith("Path") and len(left.args) == 1:
            arg = left.args[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                folder = arg.value
    found = _relative_dir(folder) if folder else None
    return f"{found}/*" if found else None


# aiohttp's TCP site, by the names it is imported under (aiohttp.web re-exports aiohttp.web_runner's)
_TCP_SITES = frozenset({"aiohttp.web.TCPSite", "aiohttp.web_runner.TCPSite"})
_SERVE_CALLS = frozenset({"run", "serve", "launch", "run_app", "run_server", "run_simple", "listen"})


def normalise_route(path: str) -> str:
    """A declared route as a request path; a trailing slash is kept (Django redirects without it)."""
    path = path.strip().lstrip("^").rstrip("$")
    return "/" + path.lstrip("/")
