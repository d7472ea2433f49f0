"""What every detector receives (:class:`Context`) and returns (:class:`Candidate`)."""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar, cast

from dockwright.lazy_re import lazy
from dockwright.project.command_prefixes import unprefixed_steps
from dockwright.project.deploy_env import DeployEnv
from dockwright.project.detectors.scan import Framework, ModuleScan
from dockwright.project.facts import AppKind, Evidence
from dockwright.project.plan_files import PlanFiles
from dockwright.project.renamed_programs import current_names
from dockwright.project.tree import ProjectTree
from dockwright.shell_lists import has_operator, split_lists

if TYPE_CHECKING:
    from dockwright.project.undeclared_imports import ImportCheck

# Directories whose files are never taken as the app (demo, doc and test code ships beside real apps).
NOT_THE_APP = frozenset(
    {
        "examples",
        "example",
        "docs",
        "doc",
        "tests",
        "test",
        "testing",
        "scripts",
        "script",  # a maintainer's scripts folder (release, code generation), singular too
        "devscripts",
        "extra",  # the same, by another name (beets' extra/release.py)
        "extras",
        "benchmarks",
        "bench",
        "samples",
        "sample",
        "demo",
        "demos",
        "contrib",
        "tools",
        "migrations",
        "alembic",
    }
)
_SCRIPT_PREFERENCE = ("main.py", "app.py", "run.py", "job.py", "server.py", "wsgi.py", "asgi.py", "cli.py")


# Objects only a tool's own run time provides: a module importing one runs under that tool (for Alembic,
# a migrations folder that `script_location` may name anything, e.g. db/), never as the app, even when
# it builds the app to read its settings (`app = create_app()` in an env.py).
# https://alembic.sqlalchemy.org/en/latest/tutorial.html#the-migration-environment
TOOL_RUN_IMPORTS = {
    "alembic.context": "Alembic's migration environment (run by `alembic upgrade`)",
    "alembic.op": "an Alembic migration script (run by `alembic upgrade`)",
}


def run_by_tool(scan: ModuleScan) -> str | None:
    """What runs the module when it imports an object only a tool's run time provides, else None."""
    return next((TOOL_RUN_IMPORTS[i] for i in scan.from_imports.values() if i in TOOL_RUN_IMPORTS), None)


# Detectors whose candidates are commands the repository spells for a platform or a runner (checked
# for a program the image has, a development server, a module the project lacks; wrapped by an entry
# script that execs the same server).
REPOSITORY_COMMANDS = ("procfile", "compose", "deploy", "task-runner", "own-image-shell")

# the port a web start binds when its own is privileged (below 1024): the app runs as a non-root user
UNPRIVILEGED_PORT = 8080

# A development server: Django's runserver, `flask run`, any server with --reload, redash-style dev_server.
DEV_SERVER = lazy(r"manage\.py runserver|\bflask run\b|--reload\b|\bdev_server\b")


def dev_script(tree: ProjectTree, argv: tuple[str, ...]) -> str | None:
    """Why a repository command that runs a shell script of the project (``scripts/start.dev.sh``,
    ``sh run-dev.sh``) is a development start: a line of the script starts a server with reload or the
    framework's development server (its port and command are the dev service's, not production's)."""
    shells = ("sh", "bash", "/bin/sh", "/bin/bash")
    script = argv[1] if argv[0] in shells and len(argv) > 1 else argv[0]
    script = script.removeprefix("./")
    if script.endswith(".py"):
        return None
    for number, line in tree.numbered_lines(script):
        code = line.split("#", 1)[0]
        if DEV_SERVER.search(code):
            return f"it runs {script}, whose line {number} starts a development server ({code.strip()[:60]})"
        if INSTALLS_AT_START.search(code):
            return (
                f"it runs {script}, whose line {number} installs the dependencies at start "
                f"({code.strip()[:60]}): a development container's script (the image installs them at build "
                "time and has no pip or package manager to run it)"
            )
    return None


# A script line that installs the project's dependencies when the container starts (a development
# container's bind-mounted source): `pip install -r requirements.txt`, `poetry install`, `uv sync`.
INSTALLS_AT_START = lazy(
    r"(?:^|[;&|]\s*)(?:python3?\s+-m\s+)?(?:pip3?\s+install|uv\s+(?:pip\s+install|sync)|poetry\s+install"
    r"|pipenv\s+(?:install|sync)|pdm\s+(?:install|sync))\b"
)


_TEMPLATE_MARKS = ("{{", "{%")  # Jinja placeholders in a path: cookiecutter, copier


# A folder named in words (`websocket examples`, `e2e-tests`) is no package; one of these words marks
# demo, doc or test code as surely as the bare name does.
_NOT_THE_APP_WORDS = frozenset(
    {"examples", "example", "tests", "test", "docs", "samples", "benchmarks", "e2e"}
)
# of the words between underscores only these: `tests_e2e`, `integration_tests` are tests, while a
# package may be named `uv_docker_example` or `test_bench_app`
_NOT_THE_APP_SNAKE_WORDS = frozenset({"tests", "e2e"})


# Files pytest collects or loads by name wherever they sit (its default ``python_files = test_*.py
# *_test.py``, and ``conftest.py`` fixtures), and the ``tests.py`` Django's ``startapp`` puts in every
# app (its test runner discovers ``test*.py``): test code beside the app's modules, never run by the app.
# https://docs.pytest.org/en/stable/reference/reference.html#confval-python_files
# https://docs.pytest.org/en/stable/reference/fixtures.html#conftest-py-sharing-fixtures-across-multiple-files
# https://docs.djangoproject.com/en/5.2/topics/testing/overview/#writing-tests
_PYTEST_FILE = lazy(r"^(?:conftest|tests|test_\w*|\w+_test)\.py$")


def outside_app(rel: str) -> bool:
    """True when a file sits under a directory that holds examples, docs, tests, scripts or benchmarks,
    is a test file by its name (``conftest.py``, ``test_*.py``, ``*_test.py``, a Django app's
    ``tests.py``, wherever it sits), or
    is part of a project template (a ``{{ cookiecutter.name }}`` / copier path), which a generator
    renders and never runs as it is."""
    parts = [p.lower() for p in rel.split("/")[:-1]]
    worded = any(
        _NOT_THE_APP_WORDS & set(re.split(r"[\s-]+", p)) or _NOT_THE_APP_SNAKE_WORDS & set(p.split("_"))
        for p in parts
    )
    if _PYTEST_FILE.match(rel.rsplit("/", 1)[-1]):
        return True
    return any(p in NOT_THE_APP for p in parts) or worded or any(m in rel for m in _TEMPLATE_MARKS)


# a module named for development (`debug.py` building the app to run it with the reloader, `dev.py`):
# the production entry is another module of the same app (rw37: zou's debug.py, gevent-patched, before
# the package's own app)
_DEVELOPMENT_NAMES = frozenset({"debug.py", "dev.py", "develop.py", "development.py", "devserver.py"})


def scan_rank(scan: ModuleScan) -> tuple[bool, int, int, str]:
    """Modules named for development last; then shallow files first, then conventional names (main.py,
    app.py ...), then by path."""
    name = scan.rel.rsplit("/", 1)[-1]
    preferred = _SCRIPT_PREFERENCE.index(name) if name in _SCRIPT_PREFERENCE else len(_SCRIPT_PREFERENCE)
    depth = scan.rel.count("/") - (1 if scan.rel.startswith("src/") else 0)
    return name in _DEVELOPMENT_NAMES, depth, preferred, scan.rel


_T = TypeVar("_T")


@dataclass(frozen=True)
class Context:
    """The project as detectors see it: the tree, pyproject, module scans and dependency names."""

    tree: ProjectTree
    pyproject: dict[str, object] | None
    scans: tuple[ModuleScan, ...]  # app candidates only (not under examples/, tests/ ...), best first
    by_rel: dict[str, ModuleScan]  # every scanned module
    dependencies: frozenset[str]  # canonical names the project depends on (locked or declared)
    deploy_env: DeployEnv  # the deploy descriptors' run-time settings (project/deploy_env.py)
    # what the dependencies were read from (a whole lock, else the declarations), when known
    imports: ImportCheck | None = None
    # what several detectors derive from the project, computed once (:meth:`once`)
    memo: dict[object, object] = field(default_factory=dict, compare=False, repr=False)

    @property
    def files(self) -> PlanFiles:
        """The plan's reads of the files several steps read (project/plan_files.py)."""
        return self.deploy_env.files

    def once(self, compute: Callable[[Context], _T]) -> _T:
        """``compute(self)``, worked out on the first call only: for a value several detectors read (the
        own image's served app: own-image-server takes it, own-dockerfile leaves its case alone)."""
        if compute not in self.memo:
            self.memo[compute] = compute(self)
        return cast(_T, self.memo[compute])


@dataclass(frozen=True)
class Candidate:
    """One way the project could start, as one detector saw it.

    ``command`` is the argv when the source spells it (Procfile, compose, entry script, console
    script); framework detectors leave it empty and give ``framework`` + ``target`` (``module:attr``,
    ``factory`` when the target is a function returning the app) so the server table builds it.
    """

    source: str  # detector name (registry key)
    process: str  # process name: "web", "worker", a Procfile/compose name ...
    kind: AppKind
    evidence: tuple[Evidence, ...]
    command: tuple[str, ...] = ()
    framework: Framework | None = None
    target: str = ""
    interface: str = ""  # wsgi / asgi when it differs from the framework's (ASGI-only Django)
    factory: bool = False
    chdir: str = ""  # directory the target's modules import from (Django under src/ or a sub-directory)
    module: str | None = None
    rel: str = ""  # the file the app lives in
    port: int | None = None
    port_evidence: Evidence | None = None
    env: tuple[tuple[str, str, str], ...] = field(default=())  # (name, value, why) the app needs set
    notes: tuple[str, ...] = ()  # what the plan should tell the user when this candidate is chosen
    # the start takes its arguments at `docker run` (the own image's ENTRYPOINT with no CMD): ENTRYPOINT
    run_arguments: bool = False
    # a one-shot service that migrates before the app (compose's `restart: "no"` migration): the plan's
    # release step, run before the server (compose_migrations.py), never a process of its own
    release_step: bool = False

    @property
    def summary(self) -> str:
        what = (
            " ".join(self.command)
            if self.command
            else f"{self.framework.name if self.framework else ''} {self.target}"
        )
        return f"{self.process}: {what.strip()} ({self.evidence[0]})" if self.evidence else what


def move_before(
    ranked: list[Candidate], candidate: Candidate, outranked: Callable[[Candidate], bool]
) -> Candidate | None:
    """Move ``candidate`` in ``ranked`` (in place) before the first candidate above it that ``outranked``
    selects, and return that one; None (nothing moved) when there is none. The one reordering of the
    ranking's promotions: an entry script before the command it wraps (entry_wrap), a supervisord
    program before the start the own image does not run (supervisord_choice)."""
    above = ranked[: ranked.index(candidate)]
    found = next((c for c in above if outranked(c)), None)
    if found is not None:
        ranked.remove(candidate)
        ranked.insert(ranked.index(found), candidate)
    return found


def spelled(
    source: str,
    kind: AppKind,
    ev: Evidence,
    command: tuple[str, ...],
    *,
    port: int | None = None,
    target: str = "",
    env: tuple[tuple[str, str, str], ...] = (),
    notes: tuple[str, ...] = (),
    process: str = "",
) -> Candidate:
    """A start one line of a file spells (``ev``, which is the port's evidence too when the command names
    one): the ``web`` process for a web kind, else ``process`` (a platform's name for it), else
    ``worker``."""
    port_evidence = ev if port else None
    return Candidate(
        source,
        "web" if kind == "web" else process or "worker",
        kind,
        (ev,),
        command=command,
        port=port,
        port_evidence=port_evidence,
        target=target,
        env=env,
        notes=notes,
    )


_SHELL = lazy(r"[;&|<>`$(){}*?~]|\b(cd|export|source)\b")


def needs_shell(line: str) -> bool:
    """True when a command line uses shell syntax (``&&``, ``;``, ``$VAR``, redirects, globs ...)."""
    return bool(_SHELL.search(line))


def shell_argv(line: str) -> tuple[str, ...]:
    """``/bin/sh -c`` with ``exec`` before the last command, so the server replaces the shell (PID 2)."""
    parts = split_lists(line)
    last = parts[-1].strip()
    pairs: list[tuple[str, str]] = []
    program = last
    while match := _SHELL_ASSIGNMENT.match(program):  # any value a shell word holds: `TZ=${TZ:-UTC}`
        pairs.append((match.group(1), match.group(2)))
        program = program[match.end() :]
    if last and not program.startswith("exec ") and not has_operator(last, "|"):
        # `A=1 exec prog`: the assignments reach prog; `exec A=1 prog` would look for a program `A=1`
        parts[-1] = " " + "".join(f"{n}={v} " for n, v in pairs) + "exec " + program
    return ("/bin/sh", "-c", "".join(parts).strip())


# `NAME=value` words before the program (POSIX "variable assignments" of a simple command): the shell
# sets them in the program's environment only; an exec-form argv would run `NAME=value` as the program.
# https://pubs.opengroup.org/onlinepubs/9799919799/utilities/V3_chap02.html#tag_19_09_01
_ASSIGNMENT = lazy(r"^([A-Za-z_][A-Za-z0-9_]*)=([^\s;&|<>`$(){}*?~\\\"']*)\s+(?=\S)")


# the same words with a value the shell expands or quotes (`TZ=${LOCAL_TZ:-UTC}`, `A="x y"`, `D=$(date)`)
_SHELL_ASSIGNMENT = re.compile(
    r"""^([A-Za-z_][A-Za-z0-9_]*)=((?:[^\s;&|<>()'"\\`]|\\.|\$\([^()]*\)|'[^']*'|"(?:[^"\\`]|\\.)*")*)\s+(?=\S)"""
)


def split_assignments(line: str) -> tuple[tuple[tuple[str, str], ...], str]:
    """The leading ``NAME=value`` assignments of a command line (literal values only) and the rest:
    ``REMAP_SIGTERM=SIGQUIT celery -A app worker`` -> ``((("REMAP_SIGTERM", "SIGQUIT"),), "celery ...")``.
    A value with quotes, ``$`` or other shell syntax is left in the line (the shell form keeps it)."""
    pairs: list[tuple[str, str]] = []
    rest = line.strip()
    while match := _ASSIGNMENT.match(rest):
        pairs.append((match.group(1), match.group(2)))
        rest = rest[match.end() :]
    return tuple(pairs), rest


def command_env(line: str, where: str) -> tuple[tuple[str, ...] | None, tuple[tuple[str, str, str], ...]]:
    """argv of a repository command line without its leading assignments, and those assignments as the
    candidate's environment (``ENV`` in the image: the container runs that one process)."""
    pairs, rest = split_assignments(line)
    if not pairs or needs_shell(rest):
        return split_command(line), ()  # the shell form keeps assignments to the command they precede
    env = tuple((name, value, f"{where} sets it for the command") for name, value in pairs)
    return split_command(rest), env


def split_command(line: str) -> tuple[str, ...] | None:
    """argv of a plain command, the ``sh -c`` form of one with shell syntax, None when unsplittable. A
    project manager's prefix before a command (``poetry run``, ``uv run``) is left out: the image's venv is
    on PATH and the manager is not in it."""
    line = without_script_chmod(line.strip())
    inner = _shell_c(line)
    if inner is not None:  # `sh -c "a && b"` (compose's folded `command: >`): the line is the quoted one
        return split_command(inner)
    line = current_names(unprefixed_steps(line))
    if needs_shell(line) or _SHELL_ASSIGNMENT.match(line):
        return shell_argv(line)  # `A=1 prog` too: exec form would run a program named `A=1`
    try:
        return tuple(shlex.split(line))
    except ValueError:
        return None


_CHMOD = lazy(r"^chmod\s+(?:[augo]*\+x|0?[0-7]{3})\s+(\S+)$")
_RUN_SHELLS = frozenset({"sh", "bash", "/bin/sh", "/bin/bash", "/usr/bin/bash", "dash"})


def without_script_chmod(line: str) -> str:
    """``line`` without a ``chmod +x SCRIPT &&`` (or ``;``) before a command that runs SCRIPT with its
    shell (``sh ./entrypoint.sh``): the image runs the start as a non-root user, whose chmod of the
    root-owned copy fails and stops the ``&&`` list, while a script run by its shell needs no mode bit.
    A SCRIPT run as itself (``./entrypoint.sh``) keeps its chmod."""
    parts = split_lists(line)
    for at in range(0, len(parts) - 2, 2):
        match = _CHMOD.match(parts[at].strip())
        if match is None or parts[at + 1] not in ("&&", ";"):
            continue
        script = match.group(1).strip("'\"").removeprefix("./")
        for later in parts[at + 2 :: 2]:
            try:
                words = shlex.split(later)
            except ValueError:
                break
            words = words[1:] if words[:1] == ["exec"] else words
            if words[:1] and words[0] in _RUN_SHELLS and words[1:2] and words[1].removeprefix("./") == script:
                return without_script_chmod("".join(parts[:at] + parts[at + 2 :]).strip())
    return line


def _shell_c(line: str) -> str | None:
    """The command string of a line that is only ``sh -c "..."`` (or bash, by path or not), else None."""
    try:
        words = shlex.split(line)
    except ValueError:
        return None
    if len(words) == 3 and words[0].rsplit("/", 1)[-1] in ("sh", "bash") and words[1] == "-c":
        # a line break after an operator (or escaped) only continues the command: one line reads better
        return re.sub(
            r"(&&|\|\||;|\|)[ \t]*\n\s*|[ \t]*\\\n\s*", lambda m: (m.group(1) or "") + " ", words[2]
        )
    return None


PORT_FLAGS = ("--bind", "-b", "--port", "-p", "--server.port", "-P", "--listen", "--server-port")


def port_of_command(argv: tuple[str, ...] | list[str]) -> int | None:
    """The port a server command line asks for (``-b :5000``, ``--port=8001``, ``--listen=*:8080`` ...;
    ``-b0.0.0.0:5000`` too after a server whose bind rows read it so: servers.attached_option)."""
    from dockwright.project.detectors.servers import attached_option, table

    servers = {b.program for b in table().binds if b.attached}
    words: list[str] = []
    program = ""  # the last server of those rows named so far (`python -m hypercorn`, `sh -c "... gunicorn`)
    for arg in argv:
        for word in shlex.split(arg) if " " in arg else [arg]:
            flag = attached_option(program, word) if program and word.startswith("-") else None
            words += [word] if flag is None else [flag, word[len(flag) :]]
            program = word.rsplit("/", 1)[-1] if word.rsplit("/", 1)[-1] in servers else program
    for i, arg in enumerate(words):
        value: str | None = None
        if arg in PORT_FLAGS and i + 1 < len(words):
            value = words[i + 1]
        elif arg.startswith(tuple(f"{f}=" for f in PORT_FLAGS if f.startswith("--"))):
            value = arg.split("=", 1)[1]
        if value:
            match = re.search(r"(?::|^)(\d{2,5})$", value)
            if match:
                return int(match.group(1))
            env = re.search(r"\$\{?\w+:-(\d{2,5})\}?", value)
            if env:
                return int(env.group(1))
    return None


_PORT_VALUE = re.compile(r"^([^$]*:)?(\d{2,5})$")  # `0.0.0.0:80`, `:80`, `*:80`, `80`; not `${PORT:-80}`
_SCRIPT_PORT = re.compile(
    r"(?<![\w-])(" + "|".join(re.escape(f) for f in PORT_FLAGS) + r")(=|\s+)([\"']?)([^\s\"'$]*:)?(\d{2,5})"
    r"(?=[\"'\s;&|)]|$)"
)


def with_port(argv: tuple[str, ...], port: int) -> tuple[str, ...] | None:
    """``argv`` with every port its server is told (the options :func:`port_of_command` reads, in a
    ``sh -c`` script too) replaced by ``port``, the host part kept (``--bind 0.0.0.0:80`` ->
    ``--bind 0.0.0.0:8080``); None when it tells none, or only through a variable (``${PORT:-80}``: the
    plan sets the variable)."""
    from dockwright.project.detectors.servers import attached_option, table

    old = port_of_command(argv)
    if old is None or old == port:
        return None
    servers = {b.program for b in table().binds if b.attached}
    out = list(argv)
    program = ""
    for i, word in enumerate(argv):
        if " " in word:  # a shell script's text: its port options rewritten in place
            out[i] = _SCRIPT_PORT.sub(
                lambda m: (
                    m.group(0)[: m.start(5) - m.start(0)] + str(port)
                    if m.group(5) == str(old)
                    else m.group(0)
                ),
                word,
            )
            continue
        previous = argv[i - 1] if i else ""
        flag, eq, value = word.partition("=")
        attached = attached_option(program, word) if program and word.startswith("-") else None
        if previous in PORT_FLAGS:
            out[i] = _new_port(word, old, port)
        elif eq and flag in PORT_FLAGS and flag.startswith("--"):
            out[i] = f"{flag}={_new_port(value, old, port)}"
        elif attached is not None:
            out[i] = attached + _new_port(word[len(attached) :], old, port)
        program = word.rsplit("/", 1)[-1] if word.rsplit("/", 1)[-1] in servers else program
    return tuple(out) if tuple(out) != argv else None


def _new_port(value: str, old: int, port: int) -> str:
    match = _PORT_VALUE.match(value)
    if match is None or int(match.group(2)) != old:
        return value
    return f"{match.group(1) or ''}{port}"


def import_dir(tree: ProjectTree, scan: ModuleScan) -> tuple[str, str]:
    """(directory to import from, module name) for serving a module: a file in a folder that is not a
    package (``dashboard/app.py``, no ``__init__.py``) is imported as ``app`` from ``dashboard``, so its
    own sibling imports resolve; anything else as its dotted name from the work directory."""
    folder = scan.rel.rpartition("/")[0]
    if folder and not folder.startswith("src") and not tree.is_file(f"{folder}/__init__.py"):
        return folder, scan.module.rsplit(".", 1)[-1]
    return neighbours_folder(tree, scan)


def neighbours_folder(tree: ProjectTree, scan: ModuleScan) -> tuple[str, str]:
    """:func:`sibling_folder` for a served module: through a package folder too when the module imports
    nothing relatively (written as a script of its folder, ``python app/app.py``, which puts app/ on
    sys.path: its bare imports of neighbours resolve there only, and ``app.app`` from the root stops with
    ``No module named ...``); a module that imports relatively keeps its dotted name."""
    scripted = not tree.line_of(scan.rel, r"^\s*from\s+\.")
    return sibling_folder(tree, scan, packages=scripted)


def importable(rel: str, module: str) -> tuple[str, str]:
    """(directory to import from, module name) for a module under a folder whose name is no Python
    identifier (``my-service/api/app.py``): no import from the work directory can name it
    (``my-service.api.app``), so the server imports ``api.app`` from ``my-service``, as the project's
    own image does by copying that folder's content. Else ("", ``module``)."""
    parts = rel[:-3].split("/")
    if parts[-1] == "__init__":
        parts = parts[:-1]
    bad = [i for i, part in enumerate(parts[:-1]) if not part.isidentifier()]
    if not bad:
        return "", module
    return "/".join(parts[: bad[-1] + 1]), ".".join(parts[bad[-1] + 1 :])


def installs_as_package(ctx: Context) -> bool:
    """The project builds a wheel of its own (``setup.py``, a ``[build-system]``, or console scripts a
    ``[project]`` declares without one, which pip builds with setuptools' legacy backend), unless its
    manager keeps it virtual (Poetry's ``package-mode = false``, uv's ``package = false``, Rye's
    ``virtual = true``, PDM's ``distribution = false``): its modules under ``src/`` import from
    site-packages; without one they stay in the tree, under ``src/`` (as project/metadata.py's layout)."""
    pyproject = ctx.pyproject or {}
    tool = pyproject.get("tool")
    tables = tool if isinstance(tool, dict) else {}

    def setting(table: str, key: str) -> object:
        found = tables.get(table)
        return found.get(key) if isinstance(found, dict) else None

    if (
        setting("poetry", "package-mode") is False
        or setting("uv", "package") is False
        or setting("rye", "virtual") is True
        or setting("pdm", "distribution") is False
    ):
        return False
    if ctx.tree.is_file("setup.py") or "build-system" in pyproject:
        return True
    project = pyproject.get("project")
    if not isinstance(project, dict):
        return False
    groups = project.get("entry-points")
    console = groups.get("console_scripts") if isinstance(groups, dict) else None
    if not (project.get("scripts") or project.get("gui-scripts") or console):
        return False
    packaged = setting("uv", "package")  # uv leaves a project without a build system uninstalled
    return bool(packaged) if ctx.tree.is_file("uv.lock") or isinstance(packaged, bool) else True


def as_imported(scan: ModuleScan) -> str:
    """The module's name as the project's own code imports it: ``src.app`` for ``src/app.py`` when its
    imports name ``src.`` (``from src import settings``: the code runs from the root, with ``src`` a
    folder of it, not a src layout's import root), else the scan's name."""
    folder = scan.rel.split("/", 1)[0]
    if "/" not in scan.rel or scan.module.startswith(f"{folder}."):
        return scan.module
    if any(name == folder or name.startswith(f"{folder}.") for name, _ in scan.import_sites):
        return f"{folder}.{scan.module}"
    return scan.module


def src_tree_module(ctx: Context, scan: ModuleScan) -> tuple[str, str]:
    """(folder to import from, module name) of a module under ``src/`` that the project does not install
    (no wheel of its own, and ``src/`` no package): the scan names it as a src layout would (``main`` for
    ``src/main.py``), but the image runs it from the tree, where ``main`` is found under ``src/`` only.
    Its code's own ``from src.core import x`` says it runs from the root (``src.main``); otherwise it is
    imported from ``src`` (``--app-dir src main:app``). ("", module) for any other module."""
    if not scan.rel.startswith("src/") or scan.module.startswith("src.") or installs_as_package(ctx):
        return "", scan.module
    spelled = as_imported(scan)
    return ("", spelled) if spelled != scan.module else ("src", scan.module)


def import_folder(ctx: Context, scan: ModuleScan) -> tuple[str, str]:
    """(folder to put on the import path, module name there) for a worker's module: a folder whose name
    is no identifier (:func:`importable`); ``src`` for a src layout the project does not install; else
    the folder above the module its own absolute imports resolve from (``service/billing/actors.py``
    importing ``shared``, which only ``service/shared`` provides: ``billing.actors`` from ``service``,
    as the project runs it from there). ("", module) when the work directory serves."""
    chdir, module = importable(scan.rel, scan.module)
    if chdir:
        return chdir, module
    chdir, module = src_tree_module(ctx, scan)
    if chdir or module != scan.module:
        return chdir, module
    return sibling_folder(ctx.tree, scan)


def sibling_folder(tree: ProjectTree, scan: ModuleScan, *, packages: bool = True) -> tuple[str, str]:
    """(folder, module name there) when the module's own absolute imports resolve only from a folder
    above it (``app/main.py`` doing ``from interfaces import x`` beside ``app/interfaces.py``), not from
    the work directory: imported as ``app.main`` from the root, ``interfaces`` is not found. ("",
    module) when none is; ``packages=False``: only a folder chain without ``__init__.py`` (a module of
    a package may import its neighbours relatively, which a top-level name would break)."""
    tops = {name.split(".", 1)[0] for name, _ in scan.import_sites} - {scan.module.split(".", 1)[0]}
    here = [t for t in tops if tree.is_dir(t) or tree.is_file(f"{t}.py")]
    parts = scan.rel.split("/")[:-1]
    for depth in range(1, len(parts) + 1):
        folder = "/".join(parts[:depth])
        # the module's own file is no neighbour: `from celery import Celery` in proj/celery.py names the
        # installed package, which it would shadow from its folder
        found = [
            t
            for t in tops
            if t not in here
            and (
                tree.is_dir(f"{folder}/{t}")
                or (tree.is_file(f"{folder}/{t}.py") and f"{folder}/{t}.py" != scan.rel)
            )
        ]
        if found:
            chain = ["/".join(parts[:d]) for d in range(depth, len(parts) + 1)]
            if not packages and any(tree.is_file(f"{c}/__init__.py") for c in chain):
                return "", scan.module
            rest = scan.rel[len(folder) + 1 : -3].split("/")
            return folder, ".".join(rest[:-1] if rest[-1] == "__init__" else rest)
    return "", scan.module


def script_target(tree: ProjectTree, scan: ModuleScan) -> str:
    """How ``python`` runs a module's file: ``-m pkg.mod`` when its folder is a package (its absolute
    imports resolve from the work directory), else the file's path (its folder goes on sys.path)."""
    folder = scan.rel.rpartition("/")[0]
    if folder and tree.is_file(f"{folder}/__init__.py"):
        return f"-m {scan.module}"
    return shlex.quote(scan.rel)
