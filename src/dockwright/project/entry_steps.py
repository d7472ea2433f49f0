"""An entry script that ends by ``exec``-ing the server, with a build step among its lines, runs inline.

What it does
    An entry script (:mod:`dockwright.project.detectors.entry_script`) whose lines are plain commands,
    one after the other (``python manage.py migrate``, ``python manage.py collectstatic --noinput``,
    ``exec gunicorn ...``), and one of them a build step the image runs at build time
    (:data:`dockwright.project.entry_wrapper.BUILD_STEP_COMMANDS`), is started as the same lines in one
    shell command: ``/bin/sh -c "python manage.py migrate && python manage.py collectstatic --noinput &&
    exec gunicorn ..."``, joined with ``&&`` when the script stops at the first failure (``set -e``,
    ``set -o errexit``) and with ``;`` when it goes on. The plan then takes the build step out of that
    line (:mod:`dockwright.plan.start_build_steps`), as it does for a Procfile's line: the migrations and
    the server's own options (workers, threads, timeouts, logs) stay as the project wrote them.

    A script that wraps the start (its last line ``exec "$@"``, :mod:`dockwright.project.entry_wrapper`)
    is inlined the same way, the start command in place of ``"$@"``: ``sh -c "python manage.py migrate;
    python manage.py collectstatic --noinput; exec gunicorn ..."``.

    A plain script whose lines run their programs through a project manager (``uv run alembic upgrade
    head``, ``exec poetry run uvicorn ...``: the prefixes of ``data/command_prefixes.toml``) runs inline
    the same way, each line without its prefix: the image has the programs in its venv, not the
    manager (run as itself, the script stopped on ``uv: not found``).

    A plain script that activates the repository image's venv (``source /venv/bin/activate``: a path
    the planned image has not, so run as itself it stops there) runs inline the same way, without that
    line: the image's own venv is already on ``PATH``, with ``VIRTUAL_ENV`` set.

    A script with shell structure (``if``, loops, functions, ``case``, here-documents, a command sent to
    the background, a comment after a command) is not rewritten: it runs as itself, its collectstatic
    writing a ``STATIC_ROOT`` the app user owns (:mod:`dockwright.project.entry_run`); one that compiles
    messages at start stays noted and unused, the start taken from the framework. So is a script with a
    root-only command or a program at a path only the repository's image has (those are reasons of
    their own, said by the plan).

    A plain script written for an image that starts as root (``chown -R app /app/media``, ``exec gosu
    app gunicorn ...``) runs inline without what only root can do (:func:`freed_inline`, with
    :func:`dockwright.project.root_commands.without_root`): ``sh -c "python manage.py migrate && exec
    gunicorn ..."``; one that needs root for real (``apt-get install`` at start) stays refused. A wrapper
    that drops privileges to pass the start on (``chown -R app /app/data``, ``exec gosu app "$@"``) runs
    inline the same way, the start command in place of ``"$@"`` (:func:`inline_wrapped`); with shell
    structure it is not used, and the plan says so (it would fail at the dropper as itself).

Why is this bad?
    Rejecting the whole script for its ``collectstatic`` line dropped the rest with it: the image started
    the framework's default server command, without the script's migrations and with none of the
    server options the project chose.

Example
    ``entrypoint.sh``: ``python manage.py migrate``, ``python manage.py collectstatic --noinput``,
    ``exec gunicorn shop.wsgi --bind 0.0.0.0:8000 --workers 3`` ->
    ``/bin/sh -c "python manage.py migrate; exec gunicorn shop.wsgi --bind 0.0.0.0:8000 --workers 3"``.

Use instead
    Nothing to change in the repository; ``--start`` still gives a start command of its own.
"""

from __future__ import annotations

import posixpath
import re
import shlex
from collections.abc import Callable

from dockwright.lazy_re import lazy
from dockwright.project.command_prefixes import ASSIGNMENTS as _ASSIGNMENTS
from dockwright.project.command_prefixes import unprefixed
from dockwright.project.detectors.base import INSTALLS_AT_START
from dockwright.project.detectors.entry_script import foreign_program, shebang, venv_activation
from dockwright.project.detectors.servers import package_of, runner_programs, table
from dockwright.project.entry_wrapper import build_step_line, wrapper_scripts
from dockwright.project.facts import Evidence
from dockwright.project.manage_servers import as_server
from dockwright.project.model_files import APP_DIR
from dockwright.project.root_commands import root_line, without_root
from dockwright.project.tree import ProjectTree
from dockwright.python_program import PYTHON_PROGRAM
from dockwright.shell_lists import cd_folder

# Lines whose first word opens or closes shell structure: the lines are not a plain sequence any more.
_STRUCTURE = frozenset(
    {"if", "then", "elif", "else", "fi", "for", "while", "until", "do", "done", "case", "esac",
     "function", "select", "{", "}", "(", ")", "trap", "return"}
)  # fmt: skip
_MESSAGE = lazy(r"^(echo|printf)\b|^:$|^:\s")
_PASS_ON = lazy(r'^exec\s+(?:"\$@"|"\$\{@\}"|\$@|\$\{@\})\s*$')
_ERREXIT = lazy(r"^set\s+(?:-[A-Za-z]*e[A-Za-z]*\b|.*-o\s+errexit\b)")


def inline_line(text: str) -> tuple[str, ...] | None:
    """The shell argv that runs the script's lines up to its ``exec`` line inline, or None when the
    script has no build step, has structure this does not follow, or cannot run as the app's user."""
    found = _plain_steps(text)
    if found is None or _PASS_ON.match(found[0][-1]):
        return None
    steps, errexit = found
    shell = "/bin/sh" if shebang(text) == "sh" else "bash"
    return (shell, "-c", (" && " if errexit else "; ").join(unprefixed(s) for s in steps))


def inline_wrapped(
    tree: ProjectTree, command: tuple[str, ...], writable: Callable[[str], bool] | None = None
) -> tuple[tuple[str, ...], Evidence] | None:
    """``command`` run after the steps of the project's ``exec "$@"`` script that has a build step, in
    one shell line (the build step is then taken out by the plan), with the script's ``exec`` line as
    evidence; None when no such script is plain enough, or the command is itself a shell line. A script
    written for an image that starts as root (``exec gosu app "$@"``) is read without what only root can
    do (``writable``: root_commands.without_root), and runs inline whatever its steps."""
    if not command or command[0] in ("sh", "bash", "/bin/sh", "/bin/bash"):
        return None
    for rel in wrapper_scripts(tree):
        text = tree.read_script(rel)
        freed = without_root(text, writable) if writable is not None else None
        text = freed.text if freed is not None else text
        found = _plain_steps(text, any_steps=freed is not None)
        if found is None or not _PASS_ON.match(found[0][-1]):
            continue
        steps, errexit = found
        line = (" && " if errexit else "; ").join(
            [*map(unprefixed, steps[:-1]), "exec " + shlex.join(command)]
        )
        shell = "/bin/sh" if shebang(text) == "sh" else "bash"
        number = tree.line_of(rel, r"^\s*exec\s") or None
        return (shell, "-c", line), Evidence(rel, number, 'exec "$@" after the script\'s steps, inline')
    return None


def _last_command(text: str) -> tuple[int, str] | None:
    """The script's last command (1-based line, text) when it runs in the foreground without ``exec``."""
    last: tuple[int, str] | None = None
    for number, raw in enumerate(text.replace("\\\n", " ").splitlines(), 1):
        line = raw.strip()
        if line and not line.startswith("#") and not _MESSAGE.match(line):
            last = (number, line)
    if last is None or last[1].startswith("exec ") or last[1].rstrip().endswith("&"):
        return None
    return last


def _program(line: str) -> str:
    """The program a command line runs: its first word after ``NAME=value`` assignments and a project
    manager's runner (``poetry run gunicorn``: gunicorn, which the image runs from its venv), by
    basename; ``python -m mod`` is ``mod``."""
    words = [w for w in unprefixed(line).split() if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", w)]
    program = words[0].rsplit("/", 1)[-1] if words else ""
    if program in ("python", "python3") and words[1:2] == ["-m"] and len(words) > 2:
        program = words[2]
    served = as_server(tuple(words))  # `python manage.py pyuwsgi ...`: uwsgi (project/manage_servers.py)
    return served[0] if served and served != tuple(words) else program


def child_worker(text: str) -> tuple[int, str] | None:
    """The script's last command (1-based line, text) when it starts a worker (``celery ... worker``,
    ``rq worker``, ``dramatiq``: the runner table's worker programs) without ``exec``: the worker is then
    a child of the shell, which tini's SIGTERM stops, not the worker."""
    last = _last_command(text)
    return last if last is not None and _program(last[1]) in runner_programs("worker") else None


def child_server(text: str) -> tuple[int, str] | None:
    """The script's last command (1-based line, text) when it starts a web server (a program of the
    server table, ``uvicorn``, ``gunicorn``, ``hypercorn`` ..., a web runner, ``streamlit``, ``panel``,
    or one only a project's own command line starts, ``uwsgi``)
    without ``exec``: the server is then a child of the shell, as :func:`child_worker`'s worker is."""
    last = _last_command(text)
    if last is None:
        return None
    program = _program(last[1])
    known = table()
    servers = {s.package for s in known.servers}
    web = package_of(program) in servers or program in runner_programs("web") or program in known.own_only
    return last if web else None


# the script's own path: `$0`, `${0}`, `${BASH_SOURCE[0]}`, `$BASH_SOURCE`
_SELF_PATH = lazy(r"\$\{?0\b|\bBASH_SOURCE\b")


def _exec_inline(text: str, found: tuple[int, str] | None) -> tuple[str, ...] | None:
    """The shell argv that runs a plain script (no shell structure, no root-only or foreign line) whose
    last command is ``found``, with ``exec`` added to that command; None otherwise."""
    if found is None or root_line(text) is not None or foreign_program(text) is not None:
        return None
    if any(INSTALLS_AT_START.search(line.split("#", 1)[0]) for line in text.splitlines()):
        return None  # a development container's script: no pip in the image, dependencies installed
    if _SELF_PATH.search(text):
        return None  # finds its own folder (`cd "$(dirname "$0")"`): under `sh -c`, $0 is the shell
    steps = _steps(text)
    if steps is None or not steps[0] or steps[0][-1].split() != found[1].split():
        return None  # (a line continued with `\` keeps its indentation in `found`)
    lines, errexit = steps
    shell = "/bin/sh" if shebang(text) == "sh" else "bash"
    return (
        shell,
        "-c",
        (" && " if errexit else "; ").join([*map(unprefixed, lines[:-1]), _exec(unprefixed(lines[-1]))]),
    )


def manager_prefixed(text: str) -> bool:
    """Whether a line of the script runs its program through a project manager's prefix."""
    steps = _steps(text)
    return steps is not None and any(unprefixed(s) != s for s in steps[0])


def _exec(line: str) -> str:
    """``line`` with ``exec`` before its command, after the variable assignments that lead it
    (``NAME=value exec prog``: ``exec NAME=value prog`` would run a program named "NAME=value")."""
    match = _ASSIGNMENTS.match(line)
    return f"{match.group(1)}exec {match.group(2)}" if match else "exec " + line


def worker_inline(text: str) -> tuple[str, ...] | None:
    """The shell argv that runs a plain script whose last command starts a worker without ``exec``
    (:func:`child_worker`), with ``exec`` added to that command: the worker replaces the shell and gets
    tini's SIGTERM (a warm shutdown); None otherwise."""
    return _exec_inline(text, child_worker(text))


def server_inline(text: str) -> tuple[str, ...] | None:
    """The same for a plain script whose last command starts a web server without ``exec``
    (:func:`child_server`): its earlier lines (``alembic upgrade head``, a seed script) run first, then
    the server replaces the shell and gets tini's SIGTERM (a graceful shutdown); None otherwise, and for
    a script that is the server's line alone (the framework detectors read that launch line)."""
    inline = _exec_inline(text, child_server(text))
    return None if inline is None or inline[2].startswith("exec ") else inline


def branch_inline(text: str) -> tuple[str, ...] | None:
    """The argv that runs a plain script (a script's branch with the lines around it) ending by its web
    server, with ``exec`` or without (then added): its steps, then the server replacing the shell; the
    server's own argv when it is the script's one line. None for anything else."""
    steps = _steps(text)
    if steps is None or not steps[0]:
        return None
    last = steps[0][-1]
    if last.startswith("exec "):  # read as the child it would be, then given its `exec` again
        last = last[5:]
        text = text.replace("exec " + last, last, 1)
    inline = _exec_inline(text, child_server(text))
    if inline is None:
        return None
    if len(steps[0]) == 1:
        try:
            return tuple(shlex.split(unprefixed(last)))
        except ValueError:
            return None
    return inline


def server_alone(text: str) -> bool:
    """A plain script that is nothing but its web server's line without ``exec`` (``gunicorn -w 4 -b
    0.0.0.0:3000 site.app:app``): that line is the start, run without the shell."""
    inline = _exec_inline(text, child_server(text))
    return inline is not None and inline[2].startswith("exec ")


def server_line_shell(text: str) -> tuple[str, ...] | None:
    """The shell argv of a plain script that is its web server's line alone (``bash -c "exec panel serve
    ... --prefix \"$PREFIX\""``): for a line whose variables the shell must expand; None otherwise."""
    inline = _exec_inline(text, child_server(text))
    return inline if inline is not None and inline[2].startswith("exec ") else None


def _job_file(line: str) -> str | None:
    """The project path a ``python [options] FILE.py ...`` / ``python -m MODULE ...`` line runs, relative
    to its working directory (``pkg/mod.py`` for a module), else None."""
    match = _ASSIGNMENTS.match(line)
    try:
        words = shlex.split(match.group(2) if match else line)
    except ValueError:
        return None
    if not words or not PYTHON_PROGRAM.match(posixpath.basename(words[0])) or "/" in words[0]:
        return None
    rest = words[1:]
    while rest and rest[0] in ("-u", "-B", "-O", "-OO", "-E", "-s"):
        rest = rest[1:]
    if rest[:1] == ["-m"] and len(rest) > 1:
        return rest[1].replace(".", "/") + ".py"
    return rest[0] if rest and rest[0].endswith(".py") and not rest[0].startswith("/") else None


def job_inline(tree: ProjectTree, text: str) -> tuple[str, ...] | None:
    """The shell argv that runs a plain script whose last command runs a Python file of the project (a
    job) without ``exec``, with ``exec`` added; a ``cd`` to an absolute folder before it (where the
    repository's own image keeps the project: the file is found from there) becomes ``cd`` to the
    planned image's work directory. None for any other script."""
    last = _last_command(text)
    if last is None or root_line(text) is not None or foreign_program(text) is not None:
        return None
    if any(INSTALLS_AT_START.search(line.split("#", 1)[0]) for line in text.splitlines()):
        return None
    steps = _steps(text)
    if steps is None or not steps[0] or steps[0][-1] != last[1]:
        return None
    lines, errexit = steps
    ran = _job_file(unprefixed(lines[-1]))
    if ran is None:
        return None
    folder, out = "", []
    for line in lines[:-1]:
        entered = cd_folder(line)
        if entered is not None and entered.startswith("/"):
            folder, line = "", f"cd {APP_DIR}"
        elif entered is not None:
            folder = posixpath.normpath(posixpath.join(folder, entered))
        out.append(unprefixed(line))
    path = posixpath.normpath(posixpath.join(folder, ran))
    if path.startswith("..") or not (
        tree.is_file(path) or tree.is_file(path[: -len(".py")] + "/__main__.py")
    ):
        return None
    shell = "/bin/sh" if shebang(text) == "sh" else "bash"
    return (shell, "-c", (" && " if errexit else "; ").join([*out, _exec(unprefixed(lines[-1]))]))


def child_worker_notes(tree: ProjectTree) -> list[str]:
    """Notes on the conventional entry scripts whose last line starts a worker without ``exec`` and
    that cannot run inline (shell structure): the image runs the worker directly, without their steps."""
    from dockwright.project.detectors.entry_script import exec_line, script_paths

    notes = []
    for rel in script_paths(tree):
        text = tree.read_script(rel)
        found = child_worker(text) if exec_line(text) is None else None
        if found is None or worker_inline(text) is not None:
            continue
        notes.append(
            f"{rel}:{found[0]} starts the worker ({found[1][:60]}) without exec, as a child of the shell: "
            "on `docker stop` tini's SIGTERM would stop the shell and the worker would be killed without "
            "its warm shutdown (tasks in progress lost), so the image runs the worker directly and the "
            "script's other lines do not run; write `exec` before that line to have the script used"
        )
    return notes


def _steps(text: str, *, to_exec: bool = False) -> tuple[list[str], bool] | None:
    """The script's commands, in order (``to_exec``: up to and with its first ``exec`` line, None
    without one), and whether it stops at the first failure; None with shell structure this does not
    follow."""
    errexit = False
    steps: list[str] = []
    for raw in re.sub(r"\s*\\\n\s*", " ", text).splitlines():  # continued lines, indent and all
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("set ") or line == "set":
            errexit = errexit or bool(_ERREXIT.match(line))
            continue
        if _MESSAGE.match(line) or venv_activation(line):
            continue  # an activation: the image's own venv is already on PATH, VIRTUAL_ENV set
        if _structured(line):
            return None
        steps.append(line)
        if to_exec and line.startswith("exec "):
            return steps, errexit
    return None if to_exec else (steps, errexit)


def _structured(line: str) -> bool:
    """Whether a script line opens or closes shell structure, or is more than one plain command."""
    words = line.split()
    return bool(
        words[0] in _STRUCTURE
        or " #" in line
        or "<<" in line
        or re.search(r"(?<![&>])&\s*$", line)
        or re.match(r"^[A-Za-z_][A-Za-z0-9_]*\s*\(\s*\)", line)
        or line.endswith("\\")
    )


def freed_inline(text: str) -> tuple[str, ...] | None:
    """The shell argv that runs a script inline, up to and with its ``exec`` line, when it has been
    read without what only root can do (:func:`dockwright.project.root_commands.without_root`: run as
    itself it would still fail there): its lines a plain sequence ending with that ``exec`` line, with
    no line the app's user cannot run; None otherwise (a script with shell structure, one that runs its
    own path, installs at start, or wraps the start with ``exec "$@"``)."""
    lines = text.split("\n")
    rest = "\n".join(line for line in lines if not venv_activation(line))
    if root_line(text) is not None or foreign_program(rest) is not None or _SELF_PATH.search(text):
        return None
    if any(INSTALLS_AT_START.search(line.split("#", 1)[0]) for line in lines):
        return None
    found, whole = _steps(text, to_exec=True), _steps(text)
    if found is None or whole is None or found[0] != whole[0] or _PASS_ON.match(found[0][-1]):
        return None  # lines after the `exec`, or `exec "$@"`
    steps, errexit = found
    shell = "/bin/sh" if shebang(text) == "sh" else "bash"
    return (shell, "-c", (" && " if errexit else "; ").join(unprefixed(s) for s in steps))


def _plain_steps(text: str, *, any_steps: bool = False) -> tuple[list[str], bool] | None:
    """The script's commands up to and with its first ``exec`` line, and whether it stops at the first
    failure; None without a build step or a manager's prefix (``uv run``) unless ``any_steps``, without an
    ``exec`` line, with shell structure, or with a line the app's user cannot run."""
    lines = text.split("\n")
    activations = [line for line in lines if venv_activation(line)]
    rest = "\n".join(line for line in lines if not venv_activation(line))
    if root_line(text) is not None or foreign_program(rest) is not None:
        return None
    if not any_steps and build_step_line(text) is None and not manager_prefixed(text) and not activations:
        return None
    return _steps(text, to_exec=True)
