"""An entry script the image runs as itself brings what it needs: its programs and a writable STATIC_ROOT.

What it does
    When the start runs a project script as a file (``sh entrypoint.sh``, ``sh docker-entrypoint.sh
    gunicorn ...``) or inline (``sh -c "LINE; LINE; exec SERVER"``), the script's shell structure runs
    as the user wrote it: a wait-for-the-database loop (``until pg_isready -h "$DB_HOST"; do sleep 1;
    done``, ``while ! nc -z db 5432; do sleep 0.5; done``), an ``if [ "$DJANGO_ENV" = production ]``
    block, ``set -e``, functions, a ``python - <<EOF`` probe. Two things must hold in the image for it
    to get past its first lines:

    - every program it runs that a Debian package provides (``pg_isready``, ``psql``, ``nc``: the
      table ``data/programs.toml``, with sources) joins the app's programs
      (``ProjectFacts.app.programs``), which the plan installs in the runtime stage, or names in a
      warning when the runtime has no package manager or ``programs = "warn"``;
    - a ``manage.py collectstatic`` the script runs at start writes ``STATIC_ROOT`` as the app's
      non-root user: that directory (resolved from the settings: ``BASE_DIR / "staticfiles"``,
      ``os.path.join(BASE_DIR, "static")``, a literal path) joins the app's writable directories,
      created owned by the app user after the build-time collectstatic filled it (the start's run then
      copies nothing new). A ``STATIC_ROOT`` this cannot resolve (read from the environment, outside
      the project) is said in a note: the script's collectstatic would stop on ``PermissionError``.

    - a ``compilemessages`` / ``pybabel compile`` the script runs at start is skipped in the image's
      copy of the script (``AppFacts.start_skips``: a ``sed -i -E`` of that line, by our pattern,
      turns the command into ``:``, keeping ``then :`` and ``&& : ||`` valid): the build compiled the
      catalogs, and at start the step needs gettext's ``msgfmt`` (Django raises ``CommandError`` without
      it) and a writable locale folder, which the non-root app has neither of.

    Lines inside a here-document are the document's (Python, SQL), not programs of the shell. A program
    run through another (``timeout 30 sh -c 'until pg_isready ...'``, ``nice``, ``env A=1``,
    ``wait-for-it db:5432 -- psql ...``, ``dockerize -wait tcp://db:5432 CMD``: ``WRAPPERS``) counts as
    run. A program no Debian package provides (``dockerize``: ``data/programs.toml``'s ``unpackaged``)
    is named in a warning with its line and a replacement that one does (``wait-for-it db:5432 -t 60``
    from its ``-wait tcp://`` options): nothing is installed for it, and the script is kept as written
    (the line fails there, and under ``set -e`` stops the container, until it is replaced).

Why is this bad?
    Without ``pg_isready`` the wait loop never ends (``pg_isready: not found`` is a failure, so ``until``
    tries again forever) and the server never starts; under ``set -e`` a missing ``nc`` stops the
    container at once. A root-owned ``STATIC_ROOT`` makes the start's collectstatic exit with
    ``PermissionError`` before the server starts.

Example
    ``entrypoint.sh``: ``until pg_isready -h "$DB_HOST"; do sleep 1; done``, ``python manage.py
    migrate``, ``python manage.py collectstatic --noinput``, ``exec gunicorn shop.wsgi`` with
    ``STATIC_ROOT = BASE_DIR / "staticfiles"`` -> ``CMD ["sh", "entrypoint.sh"]``, the Debian package
    ``postgresql-client`` in the runtime, ``/app/staticfiles`` owned by the app user.

Use instead
    Nothing to change in the repository; ``programs = "warn"`` keeps the packages out (the warning
    stays), ``--start`` gives a start without the script.
"""

from __future__ import annotations

import ast
import dataclasses
import posixpath
import re
from dataclasses import dataclass

from dockwright.project.detectors.servers import runner_programs
from dockwright.project.entry_wrapper import BUILD_STEP_COMMANDS, skipped_steps
from dockwright.project.facts import AppFacts, BuildStepNeed, Evidence, Fact
from dockwright.project.programs import joined, program_table, unpackaged_table
from dockwright.project.static_root_env import env_default
from dockwright.project.tree import ProjectTree

# words before a command's program: `until pg_isready ...; do`, `if ! nc -z ...; then`, `timeout 30 ...`
_KEYWORDS = frozenset(
    {"if", "elif", "while", "until", "then", "do", "else", "!", "exec", "time", "{", "(", "nohup", "command"}
)
_HEREDOC = re.compile(r"<<-?\s*(['\"]?)([A-Za-z_][A-Za-z0-9_]*)\1")
_SEPARATORS = re.compile(r"&&|\|\||;|\||\$\(|`|\(")
_SHELLS = ("sh", "bash", "/bin/sh", "/bin/bash")


def shell_lines(text: str) -> list[tuple[int, str]]:
    """The script's lines the shell runs (1-based), comments and here-document bodies left out."""
    out: list[tuple[int, str]] = []
    ending: str | None = None
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if ending is not None:
            if line == ending:
                ending = None
            continue
        if not line or line.startswith("#"):
            continue
        out.append((number, line))
        match = _HEREDOC.search(line)
        if match:
            ending = match.group(2)
    return out


# an assignment whose value is a command substitution, unquoted or double-quoted: the program it runs
_SUBSTITUTION = re.compile(r"""^[A-Za-z_][A-Za-z0-9_]*="?(?:\$\(|`)([^\s()`"';|&]+)""")


def _stages(words: list[str]) -> list[list[str]]:
    """The programs a command runs, each with its words: past shell keywords and variable assignments,
    the wrapper first, then what it runs (``timeout 30 sh -c '...'``, ``nice -n 5``, ``env A=1``,
    ``wait-for-it db:5432 -- CMD``, ``dockerize -wait tcp://db:5432 CMD``: ``WRAPPERS``); a ``sh -c``
    string's first command (the line is split at ``;``, ``&&``, ``|`` before)."""
    out: list[list[str]] = []
    for _ in range(8):
        while words and (words[0] in _KEYWORDS or re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", words[0])):
            substituted = _SUBSTITUTION.match(words[0])  # `X=$(free -m)`: free runs
            words = [substituted.group(1), *words[1:]] if substituted else words[1:]
        if not words:
            break
        words = [words[0].strip("'\""), *words[1:]]
        name = words[0].rsplit("/", 1)[-1]
        if name in _SHELLS and words[1:2] == ["-c"] and len(words) > 2:
            words = [words[2].lstrip("'\""), *words[3:]]
            continue
        out.append(words)
        wrapper = WRAPPERS.get(name)
        if wrapper is None:
            break
        rest = words[1:]
        if wrapper.until_dashes:
            words = rest[rest.index("--") + 1 :] if "--" in rest else []
            continue
        while rest and rest[0].startswith("-") and rest[0] != "-":
            flag = rest.pop(0)
            if "=" not in flag and flag.lstrip("-") in wrapper.valued:
                rest = rest[1:]
        words = rest[1:] if wrapper.positional else rest  # timeout's DURATION
    return out


@dataclass(frozen=True)
class Wrapper:
    """A program that runs the command after its own options: the options that take a value (given as
    the next word), whether a positional value (a duration) comes first, whether the command follows a
    ``--`` word only."""

    valued: frozenset[str] = frozenset()
    positional: bool = False
    until_dashes: bool = False


WRAPPERS = {
    "timeout": Wrapper(frozenset({"s", "signal", "k", "kill-after"}), positional=True),
    "nice": Wrapper(frozenset({"n", "adjustment"})),
    "ionice": Wrapper(frozenset({"c", "class", "n", "classdata", "p", "pid", "P", "pgid", "u", "uid"})),
    "stdbuf": Wrapper(frozenset({"i", "o", "e"})),
    "env": Wrapper(frozenset({"u", "unset", "C", "chdir", "S", "split-string"})),
    "setsid": Wrapper(),
    "chronic": Wrapper(),
    "wait-for-it": Wrapper(until_dashes=True),
    # https://github.com/jwilder/dockerize#usage: -wait/-timeout/-template ... then the command
    "dockerize": Wrapper(
        frozenset({"wait", "timeout", "template", "stdout", "stderr", "delims"})
        | {"wait-retry-interval", "wait-http-header"}
    ),
}


def script_programs(rel: str, text: str) -> tuple[Fact[str], ...]:
    """The table's programs (``pg_isready``, ``nc`` ...) the script runs, each with the lines that run it:
    directly or through a program that runs another (``timeout 30 sh -c 'until pg_isready ...'``)."""
    table = program_table()
    found: dict[str, list[Evidence]] = {}
    for number, line in shell_lines(text):
        for segment in _SEPARATORS.split(line):
            for argv in _stages(segment.split()):
                name = argv[0].rsplit("/", 1)[-1]
                if name in table and not (argv[0].startswith("/") and not argv[0].startswith("/usr/bin/")):
                    why = f"the start script runs {name} (Debian {table[name].apt})"
                    evidence = found.setdefault(name, [])
                    if all(e.line != number for e in evidence):
                        evidence.append(Evidence(rel, number, why))
    return tuple(Fact(name, tuple(evidence)) for name, evidence in found.items())


def unpackaged_notes(rel: str, text: str) -> list[str]:
    """Notes on the programs the script runs that no Debian package provides (``dockerize``), each with
    its line and a replacement (``data/programs.toml``'s ``unpackaged``)."""
    table = unpackaged_table()
    errexit = bool(re.search(r"^\s*set\s+(-[A-Za-z]*e|.*-o\s+errexit)", text, re.M))
    notes: list[str] = []
    for number, line in shell_lines(text):
        for segment in _SEPARATORS.split(line):
            for argv in _stages(segment.split()):
                name = argv[0].rsplit("/", 1)[-1]
                row = table.get(name)
                if row is None or argv[0].startswith("/"):
                    continue
                waits = [
                    argv[i + 1].split("://", 1)[1]
                    for i, word in enumerate(argv[:-1])
                    if row.waits and word.lstrip("-") == row.waits and argv[i + 1].startswith("tcp://")
                ]
                timeout = next(
                    (argv[i + 1] for i, w in enumerate(argv[:-1]) if w.lstrip("-") == "timeout"), "10s"
                )
                seconds = re.sub(r"s$", "", timeout) if re.fullmatch(r"\d+s?", timeout) else "60"
                here = (
                    f" (here: {'; '.join(f'wait-for-it {w} -t {seconds}' for w in waits)})" if waits else ""
                )
                stops = "the shell stops the script there (set -e)" if errexit else "the line fails"
                notes.append(
                    f"{rel}:{number} runs {name}, which {row.does} ({row.source}); no Debian package "
                    f"provides it, so the image does not have it and {stops} ({name}: not found); replace "
                    "it with "
                    f"{row.replacement}{here}"
                )
    return notes


def background_workers(rel: str, text: str) -> list[str]:
    """Notes on the workers the script sends to the background (``celery -A app worker &``) before it
    becomes the server: two processes in one container, the worker stopped without its warm shutdown."""
    notes = []
    for number, line in shell_lines(text):
        if not re.search(r"(?<![&>])&\s*$", line):
            continue
        # the whole list goes to the background: `cd /srv && celery ... worker &`, `celery ... | tee log &`
        programs = [
            stages[-1][0].rsplit("/", 1)[-1]
            for segment in _SEPARATORS.split(line.rstrip("& "))
            if (stages := _stages(segment.split()))
        ]
        program = next((p for p in programs if p in runner_programs("worker")), None)
        if program is not None:
            notes.append(
                f"{rel}:{number} starts the {program} worker in the background beside the server: on `docker "
                "stop` tini signals the server only, and the worker is killed when it exits, without its "
                "warm shutdown (tasks in progress lost); the image keeps the script as written, run the "
                "worker as a container of its own instead (`dockwright plan --process` lists it)"
            )
    return notes


def start_script(tree: ProjectTree, command: tuple[str, ...], evidence: tuple[Evidence, ...]) -> str | None:
    """The project script the start runs: as a file (``sh SCRIPT ...``) or inline (``sh -c`` from a
    script's lines, named by the command's evidence); None for any other start."""
    if len(command) >= 2 and command[0] in _SHELLS and command[1].endswith(".sh"):
        rel = command[1].removeprefix("./")
        return rel if tree.is_file(rel) else None
    if len(command) == 3 and command[0] in _SHELLS and command[1] == "-c":
        return next((e.file for e in evidence if e.file.endswith(".sh") and tree.is_file(e.file)), None)
    return None


def _path_of(node: ast.expr, base: str) -> str | None:
    """The project-relative directory an expression of a settings file names: ``BASE_DIR / "x"``,
    ``os.path.join(BASE_DIR, "x")``, ``str(...)``, ``"x"``; ``base`` is what ``BASE_DIR`` stands for."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return posixpath.normpath(node.value)  # an absolute folder (/vol/web/static) is the image's own
    if isinstance(node, ast.Name) and re.match(r"^(BASE|ROOT|PROJECT|APP)(_ROOT)?(_DIR|_PATH)?$", node.id):
        return base or "."
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        left, right = _path_of(node.left, base), _path_of(node.right, base)
        return posixpath.normpath(posixpath.join(left, right)) if left and right else None
    if isinstance(node, ast.Call):
        default = env_default(node)  # `env("STATIC_ROOT", "static")`: the image sets no such variable
        if default is not None:
            return _path_of(default, base)
        name = ast.unparse(node.func)
        if name in ("str", "Path", "os.fspath") and len(node.args) == 1:
            return _path_of(node.args[0], base)
        if name in ("os.path.join", "Path", "pathlib.Path", "join") and node.args:
            parts = [_path_of(a, base) for a in node.args]
            if any(p is None for p in parts):
                return None
            return posixpath.normpath(posixpath.join(*[p for p in parts if p is not None]))
    return None


def static_root(tree: ProjectTree, need: BuildStepNeed) -> str | None:
    """The project-relative ``STATIC_ROOT`` of a planned collectstatic, or None when it cannot be told."""
    ev = next((e for e in need.evidence if e.detail.startswith("STATIC_ROOT =")), None)
    if ev is None or ev.line is None:
        return None
    try:
        module = ast.parse(tree.read_text(ev.file))
    except SyntaxError:
        return None
    base = posixpath.dirname(need.script)  # Django's BASE_DIR: the folder of manage.py
    for node in ast.walk(module):
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.lineno == ev.line and node.value:
            found = _path_of(node.value, base)
            return None if found is None or found.startswith("..") or found in (".", "/") else found
    return None


def _with_skips(app: AppFacts, rel: str, text: str, build_steps: tuple[BuildStepNeed, ...]) -> AppFacts:
    """``app`` whose image skips the script's compilemessages / pybabel compile lines (the build did the
    step: its catalogs are in the image; run at start the step rewrites the root-owned tree)."""
    skips = []
    for line, kind in skipped_steps(text) or []:
        need = next((s for s in build_steps if s.kind == kind), None)
        done = (
            "the build compiles the catalogs"
            if need is not None and need.ready
            else "no catalog of the project for it to compile"
        )
        why = (
            f"runs {kind} at start, which rewrites the app's root-owned tree (and needs gettext's msgfmt, "
            f"which the runtime has not); {done}, so the image's copy of the script skips it"
        )
        skips.append(Fact((rel, line, kind), (Evidence(rel, line, why),)))
    return dataclasses.replace(app, start_skips=(*app.start_skips, *skips)) if skips else app


def with_start_script(
    tree: ProjectTree, app: AppFacts, build_steps: tuple[BuildStepNeed, ...], notes: list[str]
) -> AppFacts:
    """``app`` with the programs its start script runs, the build steps its image's copy skips
    (compilemessages, pybabel compile) and, when that script runs collectstatic at start, a writable
    ``STATIC_ROOT``."""
    rel = start_script(tree, app.command.value, app.command.evidence)
    if rel is None:
        return app
    text = tree.read_script(rel)
    app = dataclasses.replace(app, programs=joined(app.programs, script_programs(rel, text)))
    notes += [n for n in unpackaged_notes(rel, text) + background_workers(rel, text) if n not in notes]
    if app.command.value[1:2] == ("-c",):
        return app  # inline: the plan took its build step out (plan/start_build_steps.py)
    app = _with_skips(app, rel, text, build_steps)
    collect = next(
        ((n, line) for n, line in shell_lines(text) if BUILD_STEP_COMMANDS["collectstatic"].search(line)),
        None,
    )
    if collect is None:
        return app
    need = next((s for s in build_steps if s.kind == "collectstatic" and s.ready), None)
    root = static_root(tree, need) if need else None
    if root is None:
        notes.append(
            f"{rel}:{collect[0]} runs collectstatic at start, as the app's non-root user, and STATIC_ROOT "
            "could not be resolved to a folder of the project to make writable: that step stops on "
            "PermissionError unless STATIC_ROOT is a volume or a folder the app user owns"
        )
        return app
    if any(f.value == root for f in app.writable):
        return app
    settings = next(e for e in need.evidence if e.detail.startswith("STATIC_ROOT =")) if need else None
    why = f"runs collectstatic at start, as the app user, into STATIC_ROOT ({settings})"
    return dataclasses.replace(app, writable=(*app.writable, Fact(root, (Evidence(rel, collect[0], why),))))
