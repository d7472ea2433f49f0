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

    A script with shell structure (``if``, loops, functions, ``case``, here-documents, a command sent to
    the background, a comment after a command) is not rewritten: it runs as itself, its collectstatic
    writing a ``STATIC_ROOT`` the app user owns (:mod:`dockwright.project.entry_run`); one that compiles
    messages at start stays noted and unused, the start taken from the framework. So is a script with a
    root-only command or a program at a path only the repository's image has (those are reasons of
    their own, said by the plan).

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

import re
import shlex

from dockwright.project.detectors.entry_script import foreign_program, shebang
from dockwright.project.entry_wrapper import build_step_line, wrapper_scripts
from dockwright.project.facts import Evidence
from dockwright.project.root_commands import root_line
from dockwright.project.tree import ProjectTree

# Lines whose first word opens or closes shell structure: the lines are not a plain sequence any more.
_STRUCTURE = frozenset(
    {"if", "then", "elif", "else", "fi", "for", "while", "until", "do", "done", "case", "esac",
     "function", "select", "{", "}", "(", ")", "trap", "return"}
)  # fmt: skip
_MESSAGE = re.compile(r"^(echo|printf)\b|^:$|^:\s")
_PASS_ON = re.compile(r'^exec\s+(?:"\$@"|"\$\{@\}"|\$@|\$\{@\})\s*$')
_ERREXIT = re.compile(r"^set\s+(?:-[A-Za-z]*e[A-Za-z]*\b|.*-o\s+errexit\b)")


def inline_line(text: str) -> tuple[str, ...] | None:
    """The shell argv that runs the script's lines up to its ``exec`` line inline, or None when the
    script has no build step, has structure this does not follow, or cannot run as the app's user."""
    found = _plain_steps(text)
    if found is None or _PASS_ON.match(found[0][-1]):
        return None
    steps, errexit = found
    shell = "/bin/sh" if shebang(text) == "sh" else "bash"
    return (shell, "-c", (" && " if errexit else "; ").join(steps))


def inline_wrapped(tree: ProjectTree, command: tuple[str, ...]) -> tuple[tuple[str, ...], Evidence] | None:
    """``command`` run after the steps of the project's ``exec "$@"`` script that has a build step, in
    one shell line (the build step is then taken out by the plan), with the script's ``exec`` line as
    evidence; None when no such script is plain enough, or the command is itself a shell line."""
    if not command or command[0] in ("sh", "bash", "/bin/sh", "/bin/bash"):
        return None
    for rel in wrapper_scripts(tree):
        text = tree.read_text(rel)
        found = _plain_steps(text)
        if found is None or not _PASS_ON.match(found[0][-1]):
            continue
        steps, errexit = found
        line = (" && " if errexit else "; ").join([*steps[:-1], "exec " + shlex.join(command)])
        shell = "/bin/sh" if shebang(text) == "sh" else "bash"
        number = tree.line_of(rel, r"^\s*exec\s") or None
        return (shell, "-c", line), Evidence(rel, number, 'exec "$@" after the script\'s steps, inline')
    return None


def _plain_steps(text: str) -> tuple[list[str], bool] | None:
    """The script's commands up to and with its first ``exec`` line, and whether it stops at the first
    failure; None without a build step or an ``exec`` line, with shell structure, or with a line the
    app's user cannot run."""
    if build_step_line(text) is None or root_line(text) is not None or foreign_program(text) is not None:
        return None
    errexit = False
    steps: list[str] = []
    for raw in re.sub(r"\s*\\\n\s*", " ", text).splitlines():  # continued lines, indent and all
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("set ") or line == "set":
            errexit = errexit or bool(_ERREXIT.match(line))
            continue
        if _MESSAGE.match(line):
            continue
        words = line.split()
        if (
            words[0] in _STRUCTURE
            or " #" in line
            or "<<" in line
            or re.search(r"(?<![&>])&\s*$", line)
            or re.match(r"^[A-Za-z_][A-Za-z0-9_]*\s*\(\s*\)", line)
            or line.endswith("\\")
        ):
            return None
        steps.append(line)
        if line.startswith("exec "):
            break
    else:
        return None  # no exec line: the last command would not be the server
    return steps, errexit
