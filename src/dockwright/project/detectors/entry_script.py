"""Entry scripts meant for containers, whose last ``exec`` line starts the server.

## What it detects
``docker-entrypoint.sh``, ``entrypoint.sh``, ``boot.sh``, ``start.sh``, ``run.sh``, ``prod.sh``,
``production.sh`` (at the root or under ``docker/``, ``docker/entrypoints/``, ``bin/``, ``deploy/``, or a
service's folder ``docker/<service>/`` and ``docker/<service>/entrypoints/``, beside its Dockerfile and its
``development.sh``, which is not read), or a shell script of any name the repository's own image runs as
its command (``CMD ["./scripts/entry"]``, also after ``ENTRYPOINT ["/bin/sh", "-c"]``), whose last
``exec`` line starts
the server (a program named through the venv, ``"$VIRTUAL_ENV/bin/uvicorn"``, counts: the image sets
``VIRTUAL_ENV`` to its own venv). Such a script usually runs migrations, compiles translations or
writes config first. A script without an ``exec`` line is
not followed: its last command would run as a child of the shell and never see SIGTERM; when that
command starts a worker (``celery ... worker``, ``rq worker``) and the script is a plain sequence of
commands, it runs inline with ``exec`` added (``sh -c "python manage.py migrate && exec celery ..."``),
else the worker runs directly and the plan says which lines of the script do not run. A plain script
whose last line starts a web server without ``exec`` (``alembic upgrade head`` then ``uvicorn
app.main:app ...``) runs inline the same way, the server's options and port as the line gives them;
so does one whose last line runs a Python file of the project (``cd /`` then ``python src/app.py``: a
job or a container action), its ``cd`` to the repository image's folder made the work directory's.
A final ``exec`` of the project's own program (``python3 -m bot -c config.yaml``, ``python app.py``)
is followed: the script takes the kind, framework and port the project's detectors read for that program
(``python -m bot`` whose ``__main__`` serves: project/entry_wrap.py). Through a privilege dropper
(``exec su-exec app python3 -m bot ...``, ``gosu USER``, ``setpriv ...``, ``chroot --userspec=U /``:
data/root_commands.toml), the script is written for an image that starts as root; this one starts as its
non-root user, so the start is the command after the dropper, and the plan says the script's other
lines do not run. A plain script (no shell structure) whose only root-only lines are droppers before
a command (``exec gosu app gunicorn ...``, ``s6-setuidgid app python manage.py migrate``) and
``chown`` lines of folders the image makes its user's already (the app's upload or written folders,
``chown -R app /app/media``) runs inline without them (``sh -c "python manage.py migrate && exec
gunicorn ..."``: project/root_commands.py ``without_root``), the plan saying what was left out; with
shell structure, a server or worker after the dropper is the start, as the project's program is. A
script with a line that needs root for real (``apt-get install``, ``useradd``, a ``chown`` of
another folder) stays refused. A script that installs the dependencies at start (``pip install -r
requirements.txt``, ``poetry install``: a development container's, over bind-mounted source) is not
followed: the image has no pip and installs them at build time. A script
written for the repository's own image (``/venv/*/bin/gunicorn``, ``/home/app/.venv/bin/python``:
programs at paths that image made; ``source /venv/bin/activate``, its venv) cannot run in the image
dockwright plans;
:func:`foreign_program` names the first such line, and the start is then taken from the framework
(the script is noted, not run). A script that runs a build step before its ``exec``
(``manage.py collectstatic``: the image runs it at build time, and at start the non-root app cannot
rewrite its root-owned files) runs inline when its lines are a plain sequence (``sh -c "LINE; LINE;
exec SERVER"``, :mod:`dockwright.project.entry_steps`), and the plan takes the build step out. With
shell structure (a wait-for-the-database loop, ``if``, functions, a here-document) it runs as itself:
the ``STATIC_ROOT`` its collectstatic writes is made the app user's, and the programs it runs that a
Debian package provides (``pg_isready``, ``nc``) are installed (:mod:`dockwright.project.entry_run`);
one that compiles messages (``compilemessages``, ``pybabel compile``: the app's own tree) is noted,
not run. Beside a Django project's ``manage.py`` in a sub-folder (``web/entrypoint.sh`` next to
``web/manage.py``: the repository's image copies that folder as its work directory, ``COPY ./web/ .``,
and the script names ``manage.py`` from there), a plain script that runs inline is read too, and runs
from that folder (``sh -c "cd web && python manage.py migrate; exec daphne ..."``).

## Evidence
The script's ``exec`` line (``exec gunicorn ...``), which also carries the port when it names one.

## Example
```sh
#!/bin/sh
set -e
python manage.py migrate --noinput
exec gunicorn shop.wsgi --bind 0.0.0.0:8000
```

## Start command
The image runs the script itself (with the interpreter of its shebang, so its mode bits do not
matter); the ``exec`` line tells the server and port. When the server's bind address is a variable
whose default is loopback (``HOST="${HOST:-127.0.0.1}"`` then ``exec daphne -b "$HOST" ...``: right
on a developer's machine, unreachable in a container), the image sets that variable to ``0.0.0.0``.
"""

from __future__ import annotations

import dataclasses
import posixpath
import re
import shlex
from collections.abc import Callable

from dockwright.lazy_re import lazy
from dockwright.project.detectors.base import INSTALLS_AT_START, Candidate, Context, port_of_command, spelled
from dockwright.project.detectors.servers import binds_every_interface, package_of, runner_kind, table
from dockwright.project.django_manage import manage_folder
from dockwright.project.facts import AppKind, Evidence
from dockwright.project.model_files import APP_DIR
from dockwright.project.root_commands import (
    WithoutRoot,
    dropped_command,
    ignored_root_lines,
    root_line,
    without_root,
)
from dockwright.project.script_branch import ARGUMENT_SAID, branch_argument
from dockwright.project.tree import ProjectTree
from dockwright.shell_lists import commands, pipeline

# Where the planned images keep programs: Debian's and the base image's bin directories, the app's venv.
IMAGE_PROGRAM_DIRS = ("/bin/", "/sbin/", "/usr/bin/", "/usr/sbin/", "/usr/local/bin/", "/opt/venv/bin/")
_PREFIX_WORDS = frozenset({"exec", "then", "do", "else", "time", "nohup", "!", "{", "("})

NAMES = (
    "docker-entrypoint.sh",
    "entrypoint.sh",
    "boot.sh",
    "start.sh",
    "run.sh",
    "start-server.sh",
    "prod.sh",
    "production.sh",
)
DIRS = ("", "docker/", "bin/", "deploy/", "docker/entrypoints/")


def script_paths(tree: ProjectTree) -> list[str]:
    """The conventional entry scripts the project has: NAMES in DIRS, then in each service's folder
    under ``docker/`` (``docker/api/``, ``docker/api/entrypoints/``: one image's files per folder)."""
    services = [f"docker/{d}/" for d in tree.listdir("docker") if tree.is_dir(f"docker/{d}")]
    folders = [*DIRS, *(f for s in services if s not in DIRS for f in (s, s + "entrypoints/"))]
    return [f + n for f in dict.fromkeys(folders) for n in NAMES if tree.is_file(f + n)]


# A program named through the venv the image activates (`exec "$VIRTUAL_ENV/bin/uvicorn" ...`): the
# planned image sets VIRTUAL_ENV to its own venv, so the line runs there as it does in the project's image.
_VENV_PROGRAM = lazy(r"^\$\{?VIRTUAL_ENV\}?/bin/[A-Za-z0-9_.-]+$")


# The caller's arguments (`exec gunicorn "$@"`): the line is completed by whatever command runs the script.
_FORWARDED = lazy(r"\$(?:\{)?[@*]")


def exec_line(text: str) -> tuple[int, tuple[str, ...]] | None:
    """The last ``exec CMD ...`` line (1-based) and CMD's argv; ``exec "$@"`` does not count."""
    found: tuple[int, tuple[str, ...]] | None = None
    lines = text.replace("\\\n", " ").splitlines()
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if not stripped.startswith("exec "):
            continue
        try:
            argv = tuple(shlex.split(stripped[5:], comments=True))
        except ValueError:
            continue
        if (
            argv
            and (not argv[0].startswith(("$", '"$')) or _VENV_PROGRAM.match(argv[0]))
            and "$@" not in argv[0]
            and not any(_FORWARDED.search(a) for a in argv[1:])
        ):
            found = (number, argv)
    return found


# `PORT="${PORT:-9090}"`, `export PORT=${PORT:-9090}`, `: "${PORT:=9090}"`: the script's own default
_SELF_DEFAULT = lazy(
    r"""^(?:export\s+)?(?P<a>[A-Za-z_]\w*)=["']?\$\{(?P=a):?-(?P<d>[^}$`]*)\}["']?\s*(?:#.*)?$"""
    r"""|^:\s+["']?\$\{(?P<b>[A-Za-z_]\w*):?=(?P<e>[^}$`]*)\}["']?\s*(?:#.*)?$"""
)
_REFERENCE = lazy(r"\$\{(\w+)(?::?-([^}$`]*))?\}|\$(\w+)")


def script_defaults(text: str) -> dict[str, str]:
    """The defaults a script gives its variables at its top level (``PORT="${PORT:-9090}"``): what the
    variable holds when the image's environment does not set it."""
    out: dict[str, str] = {}
    for line in text.splitlines():
        match = _SELF_DEFAULT.match(line)
        if match:
            out[match.group("a") or match.group("b")] = match.group("d") or match.group("e") or ""
    return out


def with_defaults(argv: tuple[str, ...], defaults: dict[str, str]) -> tuple[str, ...]:
    """``argv`` with the references to variables the script defaults (or that give their own default,
    ``${PORT:-8000}``) replaced by that default; other references stay as written."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(3)
        if name in defaults:
            return defaults[name]
        return match.group(2) if match.group(2) is not None else match.group(0)

    return tuple(_REFERENCE.sub(value, arg) for arg in argv)


_HEREDOC = lazy(r"<<-?\s*['\"]?([A-Za-z_]\w*)['\"]?")


def _text_lines(lines: list[str]) -> frozenset[int]:
    """The lines (1-based) that begin inside a quoted string or a bash array an earlier line opened
    (``MSG=(`` then ``"/srv/state does not exist"``, one element a line), or a here-document's body:
    text, no command of the script. Quotes pair per character (a ``"`` inside a string's ``$(...)``
    pairs with the next one)."""
    inside: set[int] = set()
    quote, array, heredoc = "", False, ""
    for number, line in enumerate(lines, 1):
        if heredoc:  # a here-document's body is text up to its delimiter line (quotes in it pair nothing)
            inside.add(number)
            heredoc = "" if line.strip() == heredoc else heredoc
            continue
        if quote or array:
            inside.add(number)
        opened = _HEREDOC.search(line)
        heredoc = opened.group(1) if opened and not quote else ""
        i = 0
        while i < len(line):
            char = line[i]
            if quote:
                if char == "\\" and quote == '"':
                    i += 1
                elif char == quote:
                    quote = ""
            elif char == "#" and (i == 0 or line[i - 1].isspace()):
                break  # a comment to the line's end
            elif char == "\\":
                i += 1
            elif char in "'\"":
                quote = char
            elif char == "(" and i and line[i - 1] == "=":
                array = True
            elif char == ")" and array:
                array = False
            i += 1
    return frozenset(inside)


def foreign_program(text: str) -> tuple[int, str] | None:
    """The first line (1-based) that runs a program by an absolute path outside the planned image's
    program directories, and that path; None when every program could be found there. Lines inside
    quoted text or an array spread over lines (``_text_lines``) run nothing."""
    lines = text.replace("\\\n", " ").splitlines()
    text_lines = _text_lines(lines)
    for number, line in enumerate(lines, 1):
        if line.lstrip().startswith("#") or number in text_lines:
            continue
        for segment in (piece for command in commands(line) for piece in pipeline(command)):
            try:  # shell words: `X="$(cat /run/secrets/x)"` is one assignment, not a program at /run
                words = shlex.split(segment)
            except ValueError:
                words = segment.split()  # a quote a later line closes (`python -c "` and its code)
            while words and (words[0] in _PREFIX_WORDS or re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", words[0])):
                words = _after_substitution(words)
            if words:  # a subshell's parentheses touching the program: `(/srv/run)`, `(cd x && /srv/run)`
                words = [words[0].lstrip("(").rstrip(")"), *words[1:]]
            if words and words[0].startswith("/") and not words[0].startswith(IMAGE_PROGRAM_DIRS):
                return number, words[0]
            if venv_activation(" ".join(words)) and not words[1].startswith(IMAGE_PROGRAM_DIRS):
                return number, words[1]  # `source /venv/bin/activate`: a venv only that image made
    return None


def _after_substitution(words: list[str]) -> list[str]:
    """``words`` after their first, with the rest of a command substitution that word opens unquoted
    (``X=$(cat /proc/cpuinfo)`` splits into ``X=$(cat`` and ``/proc/cpuinfo)``, ``X=`stat f```): the
    substitution's words are its command's arguments, not the line's program."""
    depth, ticks = words[0].count("$(") and words[0].count("(") - words[0].count(")"), words[0].count("`") % 2
    rest = words[1:]
    while rest and (depth > 0 or ticks):
        depth += rest[0].count("(") - rest[0].count(")")
        ticks = (ticks + rest[0].count("`")) % 2
        rest = rest[1:]
    return rest


_ACTIVATE = lazy(r"^(?:source|\.)\s+(/\S*/bin/activate)\s*$")


def venv_activation(line: str) -> bool:
    """Whether a script line activates a virtualenv by its absolute path (``source /venv/bin/activate``,
    ``. /srv/env/bin/activate``)."""
    return bool(_ACTIVATE.match(line.strip()))


# Options naming the address a server binds (daphne/gunicorn -b, uvicorn --host, hypercorn --bind ...).
_BIND_FLAGS = ("-b", "--bind", "--host", "-H", "--address", "--listen", "--interface")
_LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")


def _bind_variable(argv: tuple[str, ...]) -> tuple[str, str] | None:
    """(variable, inline default) of the address a bind option takes from a variable: ``-b $HOST``,
    ``--bind ${HOST:-127.0.0.1}:$PORT`` -> ("HOST", "127.0.0.1"); None when the address is written out."""
    for i, arg in enumerate(argv):
        value = None
        if arg in _BIND_FLAGS and i + 1 < len(argv):
            value = argv[i + 1]
        elif arg.startswith(tuple(f"{f}=" for f in _BIND_FLAGS if f.startswith("--"))):
            value = arg.split("=", 1)[1]
        if value is None:
            continue
        match = re.match(r"^\$\{?([A-Za-z_][A-Za-z0-9_]*)(?::?[-=]([^}]*))?\}?", value)
        if match:
            return match.group(1), match.group(2) or ""
    return None


def loopback_variable(text: str, argv: tuple[str, ...]) -> tuple[str, int | None] | None:
    """The variable whose loopback default the ``exec`` line's bind address takes, with the line that
    sets the default (None when inline): the container must set it to 0.0.0.0 to be reachable."""
    found = _bind_variable(argv)
    if found is None:
        return None
    name, inline = found
    if inline in _LOOPBACK:
        return name, None
    default = re.compile(
        rf"""^\s*(?:export\s+)?{name}=["']?\$\{{{name}:?-([^}}]*)\}}|^\s*:\s+["']?\$\{{{name}:?=([^}}]*)\}}"""
    )
    for number, line in enumerate(text.splitlines(), 1):
        match = default.match(line)
        if match and (match.group(1) or match.group(2) or "").strip("'\"") in _LOOPBACK:
            return name, number
    return None


def shebang(text: str) -> str:
    """The shell a script asks for: ``bash`` when its shebang says so, else ``sh``."""
    first = text.splitlines()[0] if text else ""
    return "bash" if first.startswith("#!") and "bash" in first else "sh"


def detect(ctx: Context) -> list[Candidate]:
    out: list[Candidate] = []
    paths = script_paths(ctx.tree)
    own = ctx.once(own_image_script)  # the script the repository's image runs comes first
    for rel in [own, *(p for p in paths if p != own)] if own else paths:
        out += script_candidates(ctx, rel)
    folder = manage_folder(ctx.tree)  # a Django project in a sub-folder: its scripts beside manage.py
    if folder:
        for rel in (f"{folder}/{n}" for n in NAMES if ctx.tree.is_file(f"{folder}/{n}")):
            out += [_from_folder(c, folder) for c in script_candidates(ctx, rel) if _inline(c)]
    return out


_SHELL_SHEBANG = lazy(r"^#!\s*(?:/usr)?/bin/(?:env\s+)?(?:ba|da)?sh\b")


def own_image_script(ctx: Context) -> str | None:
    """The project shell script the repository's own image runs as its command, whatever its name
    (``CMD ["./scripts/entry"]``, ``ENTRYPOINT ["/bin/sh", "-c"]`` with it as the CMD, ``bash
    scripts/entry``, its path under the stage's ``WORKDIR``): read as the conventional entry scripts
    are. Only a script whose shebang names a POSIX shell or bash, or named ``*.sh``."""
    from dockwright.project.own_image import unwrapped

    own = ctx.files.own_final  # read once per plan (plan_files.py)
    if own is None:
        return None
    _, _, final = own
    argv = unwrapped(list(final.argv))
    if len(argv) == 3 and argv[0].rsplit("/", 1)[-1] in ("sh", "bash") and argv[1] == "-c":
        try:
            argv = shlex.split(argv[2])
        except ValueError:
            return None
    workdir = final.workdir.rstrip("/") + "/"
    argv = [f"./{a[len(workdir) :]}" if a.startswith(workdir) else a for a in argv]
    rel = run_script(ctx, tuple(argv)) or _copied_script(ctx, argv, final.workdir)
    if rel is None or rel.endswith(".py"):
        return None
    if not (_SHELL_SHEBANG.match(ctx.tree.read_script(rel)) or rel.endswith(".sh")):
        return None
    return rel


def _copied_script(ctx: Context, argv: list[str], workdir: str) -> str | None:
    """The project script the own image's command runs from where its recipe copied it
    (``COPY deploy/docker/entrypoint.sh /opt/app/`` and ``ENTRYPOINT ["./entrypoint.sh"]`` under
    ``WORKDIR /opt/app``: project/own_copies.py), or None."""
    from dockwright.project.own_copies import placed

    shell = len(argv) == 2 and argv[0].rsplit("/", 1)[-1] in ("sh", "bash")
    if ctx.files.own_final is None or not (shell or len(argv) == 1) or argv[-1].startswith("$"):
        return None
    found = placed(ctx.files.tree, ctx.files.own_copies, posixpath.join(workdir, argv[-1]))
    return run_script(ctx, (*argv[:-1], f"./{found}")) if found else None


def _inline(candidate: Candidate) -> bool:
    """A script's start run inline (``sh -c "LINE; exec SERVER"``), which can run from the script's
    folder; a script run as itself is not (its steps would run from the image's work directory)."""
    return len(candidate.command) == 3 and candidate.command[1] == "-c"


def _from_folder(candidate: Candidate, folder: str) -> Candidate:
    """The inline start run from the script's folder (``sh -c "cd web && LINE; exec SERVER"``): its
    lines name ``manage.py`` and the app's modules relative to it, as in the repository's image."""
    shell, flag, line = candidate.command
    return dataclasses.replace(candidate, command=(shell, flag, f"cd {shlex.quote(folder)} && {line}"))


def script_candidates(ctx: Context, rel: str) -> list[Candidate]:
    """The start a project shell script makes, read as an entry script: its ``exec`` line (the script
    runs as itself), else a server or worker on its last line without ``exec`` (run inline with
    ``exec`` added); nothing for a development container's script or any other script."""
    text = ctx.tree.read_script(rel)
    if any(INSTALLS_AT_START.search(line.split("#", 1)[0]) for line in text.splitlines()):
        return []  # installs the dependencies at start: a development container's script
    found = exec_line(text)
    if not found:
        alone = ctx.once(own_image_script) == rel  # the own image's script may be the server's line alone
        return _child_worker(rel, text) or _child_server(rel, text, alone) or _child_job(ctx, rel, text)
    line, argv = found
    freed = without_root(text, made_writable(ctx))  # `exec gosu app gunicorn ...`: `exec gunicorn ...`
    inline = _freed_inline(freed.text) if freed is not None else None
    if freed is not None and inline is not None:
        return [_freed_start(rel, text, freed, line, argv, inline)]
    dropped = _dropped_program(ctx, argv, freed.text if freed is not None else text)
    if dropped is not None:
        return [_dropped_start(rel, text, line, argv, *dropped)]
    ev = Evidence(rel, line, f"exec {' '.join(argv)}")
    kind, port, env = _served(rel, text, line, argv)
    branch = branch_argument(text, line)  # `if [ "$1" = run ]`: the word the script serves for
    command = (shebang(text), rel, *((branch,) if branch else ()))
    if branch:
        ev = Evidence(rel, line, f"exec {' '.join(argv)} ({ARGUMENT_SAID} {branch})")
    notes = tuple(
        f"{rel}:{r.line} runs {r.program}, which fails in this image (it starts as its non-root user): the "
        "script goes on after a failed command (no `set -e`), so it prints the error and starts the server; "
        "the folders the app writes are its user's already"
        for r in ignored_root_lines(text)
    )
    return [
        spelled("entry-script", kind, ev, command, port=port, target=" ".join(argv), env=env, notes=notes)
    ]


def project_program(ctx: Context, argv: tuple[str, ...]) -> bool:
    """Whether ``argv`` runs a module or script of the project with the interpreter (``python3 -m bot
    -c config.yaml``, ``python app.py``): the program the project itself is, which its own detectors
    read (a server, a worker) and the script's ``exec`` line follows."""
    from dockwright.project.own_image import python_args

    rest = python_args(argv)
    if not rest:
        return False
    if rest[0] == "-m" and len(rest) > 1:
        module = rest[1]
        return any(s.module in (module, f"{module}.__main__") for s in ctx.by_rel.values())
    script = rest[0].removeprefix("./")
    return script.endswith(".py") and not script.startswith("/") and ctx.tree.is_file(script)


def _dropped_program(ctx: Context, argv: tuple[str, ...], freed: str) -> tuple[str, tuple[str, ...]] | None:
    """The privilege dropper an ``exec`` line runs (``su-exec app python -m bot``: data/root_commands.toml)
    and the project program it runs as that user, or the server or worker (``gosu app gunicorn ...``)
    when the script (``freed``: read without the dropper) has no other line only root can run (one
    with ``apt-get install`` stays refused, its start taken from elsewhere); else None."""
    dropped = dropped_command(argv)
    if dropped is None:
        return None
    runs = dropped[1]
    if project_program(ctx, runs):
        return dropped
    return dropped if _kind(runs, port_of_command(runs)) != "script" and root_line(freed) is None else None


def made_writable(ctx: Context) -> Callable[[str], bool]:
    """Whether the planned image makes a path a script gives to an owner (``chown -R app /app/media``)
    its user's already: a folder the app's code writes or saves uploads in (project/local_state.py), or
    one inside it, by its path in the image (under ``/app`` or the repository image's work directory)
    or relative to it. A path with a variable or a pattern is not known to be."""
    folders = ctx.once(_writable_folders)
    own = ctx.files.own_final
    roots = tuple(dict.fromkeys(r.rstrip("/") + "/" for r in (APP_DIR, *((own[2].workdir,) if own else ()))))

    def writable(path: str) -> bool:
        if re.search(r"[$*?\[`]", path) or not path:
            return False
        path = posixpath.normpath(next((path[len(r) :] for r in roots if path.startswith(r)), path))
        return any(path == f or path.startswith(f + "/") for f in folders)

    return writable


def _writable_folders(ctx: Context) -> frozenset[str]:
    """The project's folders the image makes its user's, as the app's modules say: the folders they
    write at run time and those an upload setting names (project-relative, or absolute)."""
    from dockwright.project.local_state import upload_folders

    written = {posixpath.normpath(path) for scan in ctx.scans for path, _ in scan.writes}
    uploads = {f.value for f in upload_folders(ctx.tree, ctx.scans)}
    return frozenset(f for f in written | uploads if f != ".")


def _freed_inline(text: str) -> tuple[str, ...] | None:
    """The shell line that runs a script read without its root-only parts, when it is plain enough."""
    from dockwright.project.entry_steps import freed_inline

    return freed_inline(text)


def _served(
    rel: str, text: str, line: int, argv: tuple[str, ...]
) -> tuple[AppKind, int | None, tuple[tuple[str, str, str], ...]]:
    """(kind, port, env) of the program a script's ``exec`` line runs: its port with the script's own
    defaults filled, and a bind-address variable the script defaults to loopback set to 0.0.0.0."""
    port = port_of_command(with_defaults(argv, script_defaults(text)))
    kind = _kind(argv, port)
    loopback = loopback_variable(text, argv) if kind == "web" else None
    if not loopback:
        return kind, port, ()
    name, where = loopback
    why = (
        f"{rel}:{where or line} defaults {name} (the server's bind address) to loopback, "
        "unreachable from outside the container"
    )
    return kind, port, ((name, "0.0.0.0", why),)


def _freed_start(
    rel: str, text: str, freed: WithoutRoot, line: int, argv: tuple[str, ...], inline: tuple[str, ...]
) -> Candidate:
    """The start of a script written for an image that starts as root (``chown -R app /app/media``,
    ``exec gosu app gunicorn ...``), run inline without what only root can do (``sh -c "...; exec
    gunicorn ..."``, project/entry_steps.py): this image starts as its non-root user and makes the
    folders the app writes its user's at build time. The kind and port are the exec line's without
    its dropper; the plan says what was left out."""
    runs = dropped_command(argv)
    words = runs[1] if runs else argv
    kind, port, env = _served(rel, text, line, words)
    left = "; ".join(freed.dropped)
    ev = Evidence(rel, line, f"exec {' '.join(argv)} (run inline without what only root can do)")
    note = (
        f"{rel}: written for an image that starts as root; this one starts as its non-root user, so the "
        f"script runs inline without what only root can do there: {left}"
    )
    target = " ".join(words)
    return spelled("entry-script", kind, ev, inline, port=port, target=target, env=env, notes=(note,))


def _dropped_start(
    rel: str, text: str, line: int, argv: tuple[str, ...], dropper: str, runs: tuple[str, ...]
) -> Candidate:
    """The project program (or server, worker) a script execs through a privilege dropper, when the
    script cannot run inline without it (shell structure: :func:`_freed_start`), run as the image's start: the
    script is written for an image that starts as root, and this one starts as its non-root user (the
    dropper would fail). A reference the script defaults is its default; another one the image's shell
    expands. Its kind is the program's, which ranking reads from the project's own detectors
    (project/entry_wrap.py)."""
    words = with_defaults(runs, script_defaults(text))
    command = words
    if any("$" in w for w in words):
        quoted = [f'"{w}"' if "$" in w and '"' not in w else shlex.quote(w) for w in words]
        command = ("sh", "-c", "exec " + " ".join(quoted))
    shown = shlex.join(runs)
    what = "the project's program" if _kind(words, None) == "script" or "python" in words[0] else runs[0]
    ev = Evidence(rel, line, f"exec {' '.join(argv)} ({what}, run as {dropper}'s user)")
    note = (
        f"{rel}:{line} runs {shown} through {dropper}, which only root can (the script is written for an "
        "image that starts as root): this image starts as its non-root user already, so it runs that "
        f"command itself, and the script's other lines do not run (do what they do another way)"
    )
    port = port_of_command(words)
    return spelled("entry-script", _kind(words, port), ev, command, port=port, target=shown, notes=(note,))


def run_script(ctx: Context, argv: tuple[str, ...]) -> str | None:
    """The project shell script a command runs and nothing else: ``bash start.sh``, ``sh bin/boot``,
    ``./start.sh``, ``scripts/start.sh`` (a relative path with a slash runs from the work directory, as
    ``./`` does: execve does not search PATH for it) (no arguments: with them the script is a wrapper of
    its own)."""
    rel = argv[1] if len(argv) == 2 and argv[0].rsplit("/", 1)[-1] in ("sh", "bash") else None
    if len(argv) == 1 and (
        argv[0].startswith("./") or ("/" in argv[0] and not argv[0].startswith(("/", "$")))
    ):
        rel = argv[0]
    if rel is None:
        return None
    rel = rel.removeprefix("./")
    if rel.endswith(".py") or not ctx.tree.is_file(rel):
        return None
    return rel


def _child_worker(rel: str, text: str) -> list[Candidate]:
    """A plain script whose last line starts a worker without ``exec``: run inline with ``exec`` added,
    so the worker, not the shell, gets tini's SIGTERM (project/entry_steps.py)."""
    from dockwright.project.entry_steps import child_worker, worker_inline

    found = child_worker(text)
    inline = worker_inline(text) if found else None
    if found is None or inline is None:
        return []
    why = f"{found[1]} (run without exec, as a child of the shell: exec added, so the worker gets SIGTERM)"
    return [spelled("entry-script", "worker", Evidence(rel, found[0], why), inline, target=found[1])]


def _child_server(rel: str, text: str, alone: bool = False) -> list[Candidate]:
    """A plain script whose last line starts a web server without ``exec`` (``alembic upgrade head``,
    then ``uvicorn app.main:app ...``): run inline with ``exec`` added, its earlier lines first. With
    ``alone`` (the script the repository's own image runs), a script that is the server's line alone,
    bound to every interface (``-b 0.0.0.0:3000``, or a server that listens there unless told, ``panel
    serve``): that line, without the shell unless a variable needs it; a conventional
    ``run.sh`` of that one line is a launch line the framework detectors read (they add the bind
    address a developer's line leaves out)."""
    from dockwright.project.entry_steps import child_server, server_alone, server_inline, server_line_shell

    found = child_server(text)
    inline = server_inline(text) if found else None
    if found is None:
        return []
    try:
        argv = tuple(w for w in shlex.split(found[1]) if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", w))
    except ValueError:
        return []
    every = bool(_ALL_INTERFACES.search(found[1])) or bool(argv and binds_every_interface(argv[0]))
    if inline is None and not (alone and every and server_alone(text)):
        return []
    if inline is None and "=" in found[1].split()[0]:
        return []  # `VAR=x gunicorn ...` alone: the variable needs the shell's line
    if inline is None and "$" in found[1]:
        inline = server_line_shell(text)  # `--prefix "$PREFIX"`: the image's shell expands it
    inline = inline or argv
    port = port_of_command(argv)
    line = " ".join(found[1].split())  # a line continued with `\` keeps its indentation
    why = f"{line} (run without exec, as a child of the shell: exec added, so the server gets SIGTERM)"
    return [spelled("entry-script", "web", Evidence(rel, found[0], why), inline, port=port, target=found[1])]


_ALL_INTERFACES = lazy(r"(?:^|[\s=:'\"])(?:0\.0\.0\.0|\[::\]|::)(?::\d+)?(?=$|[\s'\"])")


def _child_job(ctx: Context, rel: str, text: str) -> list[Candidate]:
    """A plain script whose last line runs a Python file of the project without ``exec`` (``cd /`` then
    ``python src/app.py``: a job, a container action): run inline with ``exec`` added, its ``cd`` to the
    repository image's folder made the planned work directory's (project/entry_steps.py)."""
    from dockwright.project.entry_steps import job_inline

    inline = job_inline(ctx.tree, text)
    if inline is None:
        return []
    last = inline[2].rsplit("exec ", 1)[-1]
    number = next((n for n, line in enumerate(text.splitlines(), 1) if line.strip().endswith(last)), None)
    why = f"{last} (run without exec, as a child of the shell: exec added, so the job gets SIGTERM)"
    return [spelled("entry-script", "script", Evidence(rel, number, why), inline, target=last)]


def _kind(argv: tuple[str, ...], port: int | None) -> AppKind:
    package = package_of(argv[0])
    if runner_kind(package) == "worker":
        return "worker"
    servers = table()
    if (
        port is not None
        or package in {s.package for s in servers.servers}
        or argv[0].rsplit("/", 1)[-1] in servers.own_only
        or runner_kind(package) == "web"
    ):
        return "web"
    return "script"
