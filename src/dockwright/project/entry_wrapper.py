"""An entrypoint script that runs its steps and then ``exec "$@"`` wraps the start command.

What it does
    Finds the script the project's ``Dockerfile`` names in ``ENTRYPOINT`` or ``CMD`` (so a second
    ``init`` finds it in the Dockerfile the first wrote), else a conventional ``docker-entrypoint.sh``,
    ``entrypoint.sh`` ... at the root or under ``docker/``, ``bin/``, ``deploy/``, whose last command
    is ``exec "$@"`` and which runs something before it (``alembic upgrade head``, ``python manage.py
    migrate``). The chosen web or worker command then runs through it: ``sh SCRIPT COMMAND...``, as the
    repository's image runs ``ENTRYPOINT ["SCRIPT"]`` with its ``CMD``. A script that runs a program by
    a path only its own image has is not used, and the plan says so; so is a script with a command only
    root can run (``chown``, ``gosu``: ``data/root_commands.toml``). A program a Debian package provides
    (``data/programs.toml``: ``psql``, ``pg_isready``, ``nc`` ...) is installed in the runtime
    (:mod:`dockwright.project.entry_run`). A script with a build step (``collectstatic``: the image runs
    it at build time) runs inline when its lines are a plain sequence (``sh -c "STEP; STEP; exec
    COMMAND..."``, the plan then takes the build step out: :mod:`dockwright.project.entry_steps`); with
    shell structure it runs as itself, its ``STATIC_ROOT`` made the app user's; one that compiles
    messages (``compilemessages``, ``pybabel compile`` rewrite the app's own root-owned tree) runs as
    itself too, the build compiling the catalogs and the image's copy of the script running ``:`` in
    place of that command (``SKIPPED_STEPS``, plan/start.py); a step whose words continue on the next
    line, which that one-line edit cannot reach, keeps the script out. A script the Dockerfile names
    that neither wraps (``exec "$@"`` last) nor starts the server
    (an ``exec`` line: detectors/entry_script.py) is said to be unused (a script that writes config
    from variables, then ``eval``s the start). A path in the repository's image (``/src/conf/x.sh``
    after ``ADD . /src``) is found by its tails in the project.

Why is this bad?
    The script is where such repositories run their migrations; the server started without it serves
    from an empty database (every query a 500) although the image builds and starts.

Example
    ``Dockerfile``: ``ENTRYPOINT ["./init.sh"]``, ``init.sh``: ``alembic upgrade head`` then
    ``exec "$@"``, the app ``uvicorn app.main:app`` -> ``CMD ["sh", "init.sh", "uvicorn", "app.main:app",
    ...]`` under tini (the script's final ``exec`` hands tini's child to the server).

Use instead
    Nothing to change in the repository; ``--start`` gives another start (without the script).
"""

from __future__ import annotations

import json
import posixpath
import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass

from dockwright.lazy_re import lazy
from dockwright.project.detectors.entry_script import DIRS, exec_line, foreign_program, script_paths, shebang
from dockwright.project.facts import Evidence
from dockwright.project.own_image import dockerfile_text, own_dockerfile
from dockwright.project.root_commands import root_line, without_root
from dockwright.project.tree import ProjectTree

# Build steps (plan/buildsteps.py's decision topics) by the shell command that does each: run at start
# they rewrite the app's root-owned tree, which the non-root app cannot (plan/start_build_steps.py).
BUILD_STEP_COMMANDS = {
    # `manage.py`, `django-admin`, `python -m django`, or the project's own console script that hands its
    # words to Django's management (`[project.scripts] site = ...:main`) as a command's program
    "collectstatic": lazy(
        r"(^|\s|/)(manage\.py|django-admin)\s+collectstatic\b|\s-m\s+django\s+collectstatic\b"
        r"|(^|[;&|(]\s*|\b(?:exec|run)\s+)(?!(?:echo|printf)\b)[\w.-]+\s+collectstatic\b"
    ),
    "compilemessages": lazy(r"(^|\s|/)(manage\.py|django-admin)\s+compilemessages\b"),
    "pybabel-compile": lazy(r"(^|\s|/)pybabel\s+compile\b"),
}
_PIP_INSTALL = lazy(r"(?:^|[\s;&|(])(?:pip3?|python3?\s+-m\s+pip)\s+install\b")  # a start-time install
_PASS_ON = lazy(r'^exec\s+(?:"\$@"|"\$\{@\}"|\$@|\$\{@\})\s*$')
# a privilege drop that passes the start on (`exec gosu app "$@"`, `exec su-exec app:app "$@"`): the planned
# image runs as its own non-root user already, so the start is the words after the wrapper
_DROP_PASS_ON = lazy(r'^exec\s+(?:gosu|su-exec)\s+\S+\s+(?:"\$@"|"\$\{@\}"|\$@|\$\{@\})\s*$')
# lines that prepare nothing: the shell's own options, messages, shell structure
_INERT = lazy(r"^(set\s|echo\b|printf\b|:|true\b|fi\b|then\b|else\b|done\b|esac\b|\}|\)|#)")


@dataclass(frozen=True)
class EntryWrapper:
    """The script, the shell that runs it, and its steps (the lines before ``exec "$@"``) as evidence."""

    rel: str
    shell: str
    evidence: tuple[Evidence, ...]
    # what was left out of a script written for an image that starts as root (`chown -R app /app/media`,
    # `exec gosu app "$@"`): run as itself it would fail here, so it runs inline (entry_steps.py)
    freed: tuple[str, ...] = ()


def build_step_line(script: str) -> tuple[int, str] | None:
    """The first line (1-based) of a shell script that runs a build step (``collectstatic`` ...), and it."""
    for number, line in enumerate(script.replace("\\\n", " ").splitlines(), 1):
        stripped = line.strip()
        if not stripped.startswith("#") and any(p.search(stripped) for p in BUILD_STEP_COMMANDS.values()):
            return number, stripped
    return None


# The build steps a start script may run that the image's copy of the script skips (plan/start.py turns
# the command into `:` there, with `sed -i -E 'LINEs/PATTERN/:/'`): the build did them, and run at start
# they rewrite the app's root-owned tree (Django's compilemessages first needs msgfmt, which the runtime
# has not, and stops on an unwritable locale folder: django/core/management/commands/compilemessages.py).
# One POSIX ERE per step, written with `{S}` for a space outside a bracket class and `{s}` inside one;
# the same text as a Python pattern checks that a line holds exactly the command the RUN rewrites.
_RUNNER = r"((uv|poetry|pipenv|pdm){S}+run{S}+)?"
# the program's directory (`/venv/bin/python`, `$VIRTUAL_ENV/bin/pybabel`); `\/`: sed's `s/.../` delimiter
_PATH = r"([^;&|(){{}}{s}]*\/)?"
_PYTHON = r"(" + _PATH + r"python[0-9.]*({S}+-[^{s}]+)*{S}+)?"
_TAIL = r"((>&|[^;&|(){{}}])*(>&|[^;&|(){{}}{s}]))?"
SKIPPED_STEPS = {
    "compilemessages": _RUNNER
    + _PYTHON
    + r"[^;&|(){{}}{s}]*(manage\.py|django-admin){S}+compilemessages"
    + _TAIL,
    "pybabel-compile": _RUNNER + _PATH + r"pybabel{S}+compile" + _TAIL,
}
# what may come right before a command on its line: an operator, a keyword, an assignment (`LANG=C`)
_COMMAND_START = lazy(r"(^|[;&|(){}!]|\b(then|do|else|elif|if|while|until|time)|[A-Za-z_]\w*=\S*)\s*$")


def skip_pattern(kind: str, *, posix: bool) -> str:
    """The step's command pattern as a POSIX ERE (for sed) or a Python regular expression."""
    if posix:
        return SKIPPED_STEPS[kind].format(S="[[:space:]]", s="[:space:]")
    return SKIPPED_STEPS[kind].format(S=r"\s", s=r"\s")


def skipped_steps(script: str) -> list[tuple[int, str]] | None:
    """(line, step) of every compilemessages / pybabel compile the script runs, each on one physical line
    the image's copy can skip; None when one cannot be (its words continue on the next line, the line
    holds a single quote, or a shell operator inside a double-quoted word or an expansion ends the
    command early)."""
    out: list[tuple[int, str]] = []
    for number, line in enumerate(script.split("\n"), 1):  # sed's lines: a form feed or U+2028 is no break
        stripped = line.strip()
        if stripped.startswith("#"):
            continue
        for kind, pattern in BUILD_STEP_COMMANDS.items():
            if kind == "collectstatic" or not pattern.search(stripped):
                continue
            match = re.search(skip_pattern(kind, posix=False), line)
            if "'" in line or match is None or not _whole_words(line, match):
                return None
            out.append((number, kind))
    if len(out) != len(start_rewrite_lines(script)):
        return None  # a step whose words continue on the next line
    return out


def _whole_words(line: str, match: re.Match[str]) -> bool:
    """The command the skip edit replaces is a whole command: it starts one (after an operator, a
    keyword or an assignment) and ends at a word's end, not inside a double-quoted word
    (``"a;b"``) nor an expansion (``$(cat langs)``, ``${LOCALES}``), whose rest would stay (``:;b"``,
    ``:(cat langs)``)."""
    if not _COMMAND_START.search(line[: match.start()]):
        return False  # inside a command (`python -W ignore manage.py ...`) or after `exec`
    return not (
        match[0].count('"') % 2 or "\\" in match[0] or line[match.end() : match.end() + 1] in ("(", "{")
    )


def start_rewrite_lines(script: str) -> list[int]:
    """Lines (of the script with its continuation lines joined) that run compilemessages / pybabel."""
    return [
        number
        for number, line in enumerate(script.replace("\\\n", " ").split("\n"), 1)
        if not line.strip().startswith("#")
        and any(p.search(line) for t, p in BUILD_STEP_COMMANDS.items() if t != "collectstatic")
    ]


def start_rewrite(script: str) -> tuple[int, str] | None:
    """The first line (1-based) of a build step the script cannot run at start as the app's user and the
    image's copy cannot skip, and it: ``collectstatic`` does not count (:mod:`dockwright.project.entry_run`
    makes ``STATIC_ROOT`` the app user's), nor a ``compilemessages`` / ``pybabel compile`` on a line of
    its own command (``skipped_steps``: the build compiles the catalogs, the image's copy skips it)."""
    if skipped_steps(script) is not None:
        return None
    for number, line in enumerate(script.replace("\\\n", " ").splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("#"):
            continue
        if any(p.search(stripped) for t, p in BUILD_STEP_COMMANDS.items() if t != "collectstatic"):
            return number, stripped
    return None


def _named_by_dockerfile(tree: ProjectTree) -> list[str]:
    """Project paths of the ``.sh`` scripts the project's own Dockerfile names in ENTRYPOINT or CMD."""
    path = own_dockerfile(tree, generated=True)
    if path is None:
        return []
    out: list[str] = []
    for line in dockerfile_text(tree, path).splitlines():
        # CMD too: the Dockerfile `init` writes runs the script as `CMD ["sh", "init.sh", ...]`
        match = re.match(r"^\s*(?:ENTRYPOINT|CMD)\s+(.+)$", line, re.IGNORECASE)
        if not match:
            continue
        try:
            words = json.loads(match.group(1)) if match.group(1).lstrip().startswith("[") else None
            words = words if isinstance(words, list) else shlex.split(match.group(1))
        except (ValueError, json.JSONDecodeError):
            continue
        for word in map(str, words):
            if not word.endswith(".sh"):
                continue
            base = word.rsplit("/", 1)[-1]
            # an absolute path in the image (`/src/conf/entrypoint.sh` after `ADD . /src`): its tails
            parts = word.strip("/").split("/")
            tails = [("/".join(parts[i:])) for i in range(1, len(parts) - 1)] if word.startswith("/") else []
            for rel in (word.removeprefix("./"), *tails, *(folder + base for folder in DIRS)):
                if not rel.startswith("/") and tree.is_file(rel):
                    out.append(rel)
                    break
    return out


def _command_lines(text: str) -> list[tuple[int, str]]:
    """A script's lines that run something, stripped, with their numbers (continuations joined:
    numbered as the lines of the joined text), blank and comment lines left out."""
    lines = [(n, line.strip()) for n, line in enumerate(text.replace("\\\n", " ").splitlines(), 1)]
    return [(n, line) for n, line in lines if line and not line.startswith("#")]


def passes_on(tree: ProjectTree, word: str) -> bool:
    """Is ``word`` (``/docker-entrypoint.sh``, ``./entrypoint.sh``: an ENTRYPOINT's first word) one of the
    project's wrapper scripts, whose last command passes the start on (``exec "$@"``), or one of whose
    commands drops privileges to pass it on (``exec gosu app "$@"``: the planned image is non-root
    already)? The start is then the words after it (the wrapper's own steps are :func:`find_wrapper`'s)."""
    name = posixpath.basename(word)
    if not name.endswith(".sh"):
        return False
    for rel in wrapper_scripts(tree):
        if posixpath.basename(rel) != name:
            continue
        commands = _command_lines(tree.read_script(rel))
        if commands and _PASS_ON.match(commands[-1][1]) is not None:
            return True
        return any(_DROP_PASS_ON.match(line) for _, line in commands)
    return False


def wrapper_scripts(tree: ProjectTree) -> list[str]:
    """The scripts that may wrap the start, the Dockerfile's first, then the conventional names."""
    candidates = _named_by_dockerfile(tree) + script_paths(tree)
    return list(dict.fromkeys(candidates))


_WAIT = lazy(r"^wait(?:\s+-n)?\s*(?:;.*)?$")


def _backgrounded(commands: list[str]) -> list[str]:
    """The commands a script starts in the background (``CMD &``), when it has two or more and then
    ``wait``s for them: a shell acting as a process supervisor. Empty otherwise."""
    started = [c.removesuffix("&").strip() for c in commands if c.endswith("&") and not c.endswith("&&")]
    return started if len(started) >= 2 and any(_WAIT.match(c) for c in commands) else []


def unused_dockerfile_script(tree: ProjectTree, started_by: frozenset[str] = frozenset()) -> str | None:
    """A note when the script the repository's Dockerfile runs is neither a wrapper (``exec "$@"``
    last) nor a start (an ``exec SERVER`` line, or a last line run inline when the start chosen is the
    script's: ``started_by`` holds the files the start's evidence names): the image starts without it,
    and without its steps."""
    from dockwright.project.entry_steps import server_alone, server_inline, worker_inline

    for rel in _named_by_dockerfile(tree):
        text = tree.read_script(rel)
        commands = [line for _, line in _command_lines(text)]
        if not commands or _PASS_ON.match(commands[-1]) or exec_line(text):
            return None
        if rel in started_by and (
            server_inline(text) is not None or worker_inline(text) is not None or server_alone(text)
        ):
            return None  # runs inline, exec added to its last line; or it is the server's line alone
        root = root_line(text)
        if root:  # the reason whatever its last line (`exec gosu app gunicorn ... "$@"` execs a server)
            return (
                f"{rel}:{root.line} runs {root.program} ({root.does}), and this image starts as its non-root "
                "user: the script the repository's Dockerfile runs is not used, so the image starts the app "
                "itself and the script's other steps (migrations ...) do not run; run them another way"
            )
        side_by_side = _backgrounded(commands)
        if side_by_side:
            started = "; ".join(c[:60] for c in side_by_side)
            steps = [c for c in commands if not c.endswith("&") and not _WAIT.match(c)]
            kept = (
                f"; its other steps ({'; '.join(s[:50] for s in steps)}) run as a one-off "
                "`docker run IMAGE ...`"
                if steps
                else ""
            )
            return (
                f"{rel}, the script the repository's Dockerfile runs, is not used: it starts "
                f"{len(side_by_side)} processes in the background and waits ({started}), a shell as their "
                "supervisor: on `docker stop` none of them gets SIGTERM, and when one dies the others run on "
                "unwatched. An image runs one process: this one the app's server; each other process is a "
                "container of its own from the same image (`dockwright init --process NAME`, or another "
                f"command at `docker run`){kept}"
            )
        return (
            f"{rel}, the script the repository's Dockerfile runs, is not used: its last line neither passes "
            f'the command on (exec "$@") nor execs the server, so the image starts the app itself and the '
            f"script's other steps (config it writes, migrations) do not run; run them another way"
        )
    return None


def find_wrapper(
    tree: ProjectTree, writable: Callable[[str], bool] | None = None
) -> tuple[EntryWrapper | None, str | None]:
    """The wrapping entrypoint script, or None with a note when one exists that the image cannot run.
    ``writable``: whether the image makes a path its user's, for a script written for an image that
    starts as root (read without its privilege dropper and its ``chown`` of such paths: root_commands)."""
    from dockwright.project.detectors.base import DEV_SERVER

    skipped: str | None = None  # a development image's script, when no other wraps the start
    for rel in wrapper_scripts(tree):
        text = tree.read_script(rel)
        freed = without_root(text, writable) if writable is not None else None
        text = freed.text if freed is not None else text
        commands = _command_lines(text)
        if not commands or not _PASS_ON.match(commands[-1][1]):
            continue
        steps = [(n, line) for n, line in commands[:-1] if not _INERT.match(line)]
        if not steps:
            continue  # passes the command on and does nothing else: nothing to keep
        dev = next(
            ((n, line) for n, line in steps if DEV_SERVER.search(line) and not line.endswith("&")), None
        )
        if dev:  # the development server holds the foreground: `exec "$@"` is never reached
            skipped = skipped or (
                f"{rel}:{dev[0]} starts a development server ({dev[1][:60]}) before it passes the command "
                f'on (exec "$@"), which then never runs: a development image\'s script, not used'
            )
            continue
        found = start_rewrite(text)
        rewrites = found[0] if found else 0
        if rewrites:
            return None, (
                f"{rel}:{rewrites} rewrites the app's files at start, which the non-root app cannot (the "
                f'image does that step at build time): the script that wraps the start (exec "$@") is not '
                f"used, so its other steps do not run either; run them another way (lines "
                f"{', '.join(str(n) for n, _ in steps if n != rewrites)})"
            )
        root = root_line(text)
        if root:
            return None, (
                f"{rel}:{root.line} runs {root.program} ({root.does}), and this image starts as its non-root "
                f'user: the script that wraps the start (exec "$@") is not used; run its steps another way'
            )
        foreign = foreign_program(text)
        if foreign:
            return None, (
                f"{rel}:{foreign[0]} runs {foreign[1]}, a path only the repository's own image has: the "
                f'script that wraps the start (exec "$@") is not used; run its steps another way'
            )
        evidence = (
            *(Evidence(rel, n, line[:80]) for n, line in steps),
            Evidence(rel, commands[-1][0], commands[-1][1]),
        )
        installs = next(((n, line) for n, line in steps if _PIP_INSTALL.search(line)), None)
        said = (
            f"{rel}:{installs[0]} installs packages with pip at start ({installs[1][:60]}): the planned "
            "image has no pip, and its venv is root's, so that step fails whenever it runs; put the "
            "packages in the lock (they are then in the image) instead"
            if installs
            else None
        )
        return EntryWrapper(rel, shebang(text), evidence, freed.dropped if freed else ()), said
    return None, skipped
