"""The repository's own image starting its server at the end of a shell line.

## What it detects
The final command of the repository's own Dockerfile (``project/own_image.py``: the root's, a recipe
folder's, the shipped variant's) when it is a shell line that runs its steps and then starts a known
server or worker: ``CMD python manage.py migrate && gunicorn shop.wsgi``, ``CMD ["sh", "-c", "alembic
upgrade head && uvicorn app.main:app --host 0.0.0.0"]``, also behind a wait wrapper (``wait-for-it.sh
db:5432 -- sh -c "..."``: the wait is the platform's to provide). A line ending in a development server
(``manage.py runserver``, ``flask run``) is not read; a production server's reloader (``gunicorn --reload``,
``data/servers.toml`` ``development``) is left out of the line, with a note; a single command is the other
own-image detectors'.

## Evidence
The ``CMD``/``ENTRYPOINT`` line of that Dockerfile.

## Example
```dockerfile
FROM python:3.12-slim
WORKDIR /app
COPY . .
CMD python manage.py migrate --noinput && gunicorn shop.wsgi -b 0.0.0.0:8000
```

## Start command
The line runs as a Procfile's does: ``sh -c "python manage.py migrate --noinput && exec gunicorn
shop.wsgi -b 0.0.0.0:8000"`` (``exec`` added, so the server gets tini's SIGTERM); its steps run at every
start, as in the repository's image. The port is the line's, else the one the stage ``EXPOSE``s.
"""

from __future__ import annotations

import re
import shlex

from dockwright.project.command_prefixes import unprefixed_steps
from dockwright.project.detectors.base import DEV_SERVER, Candidate, Context, command_env, port_of_command
from dockwright.project.detectors.own_dockerfile import exposed_port
from dockwright.project.detectors.servers import (
    last_command,
    last_words,
    package_of,
    runner_kind,
    table,
    without_development,
)
from dockwright.project.facts import AppKind, Evidence
from dockwright.project.own_image import unwrapped
from dockwright.project.wait_wrappers import split_wait
from dockwright.shell_lists import commands

SOURCE = "own-image-shell"


def detect(ctx: Context) -> list[Candidate]:
    own = ctx.files.own_final
    if own is None:
        return []
    path, _, final = own
    assert final.instruction is not None  # own_final returns a command's instruction
    argv = tuple(unwrapped(list(final.argv)))
    waited = split_wait(argv)
    if final.instruction.json_form or final.entrypoint:
        line = _shell_line(waited[1] if waited else argv)
    else:  # a shell-form CMD: Docker runs its text with `/bin/sh -c`
        line = " ".join(final.instruction.value.split())
        waited = None
    if line is None:
        return []
    line, reloader = _without_reloader(line)
    if DEV_SERVER.search(line):
        return []
    line = unprefixed_steps(line)  # `poetry run alembic upgrade head && poetry run uvicorn ...`
    steps = commands(line)
    if len(steps) < 2:
        return []  # one command: the own-dockerfile and own-image-server detectors read it
    last = last_words(("sh", "-c", line))  # the last step from its program: no `exec`, no `A=1`
    kind = _kind(last_command(last)) if last else None
    if kind is None:
        return []
    port = port_of_command(last)
    port_evidence = None
    if port is None and kind == "web":
        port, port_evidence = exposed_port(final, path)
    text = f"{final.instruction.keyword} {' '.join(final.instruction.value.split())}"
    where = f"{path}:{final.instruction.span.line}"
    ev = Evidence(path, final.instruction.span.line, f"{text[:100]} (the repository's own image runs it)")
    folder = _folder(ctx, final.workdir, line)
    command, env = command_env(f"cd {shlex.quote(folder)} && {line}" if folder else line, where)
    if not command:
        return []
    said = (
        (
            f"{where}: the repository's image runs {last[0]} with {', '.join(reloader)}, a development "
            "option (a reloader watching the files); the image serves without it",
        )
        if reloader
        else ()
    )
    notes = said + (
        (
            f"{where} waits with {' '.join(waited[0])} before its start; the image starts without it: the "
            "platform must start the app after the services it waits for (compose: depends_on with "
            "condition: service_healthy)",
        )
        if waited
        else ()
    )
    return [
        Candidate(
            SOURCE,
            "web" if kind == "web" else "worker",
            kind,
            (ev,),
            command=command,
            port=port,
            port_evidence=port_evidence or (ev if port is not None else None),
            env=env,
            notes=notes,
        )
    ]


def _folder(ctx: Context, workdir: str, line: str) -> str:
    """The project folder the image's work directory is, when the line's files are there and not at the
    root (``WORKDIR /app/backend`` and ``python manage.py`` with ``backend/manage.py``); "" otherwise."""
    try:
        files = [w for w in shlex.split(line) if w.endswith((".py", ".ini", ".cfg", ".toml"))]
    except ValueError:
        return ""
    parts = [p for p in workdir.split("/") if p]
    for start in range(len(parts)):
        folder = "/".join(parts[start:])
        if (
            ctx.tree.is_dir(folder)
            and files
            and all(ctx.tree.is_file(f"{folder}/{f}") and not ctx.tree.is_file(f) for f in files)
        ):
            return folder
    return ""


def _without_reloader(line: str) -> tuple[str, tuple[str, ...]]:
    """``line`` with the development options of the server its last step runs taken out (``...;
    gunicorn --reload -b :8050 app:server`` -> ``...; gunicorn -b :8050 app:server``), and those
    options; every other word stays as written (``$PORT``, ``"${WORKERS:-2}"``, ``> log 2>&1``: the
    shell still reads them). The line as it is when it has none or its last step cannot be split."""
    last = commands(line)[-1]
    at = line.rfind(last)
    spans = _word_spans(last)
    if at < 0 or spans is None:
        return line, ()
    try:
        words = [shlex.split(last[a:b])[0] for a, b in spans]
    except (ValueError, IndexError):
        return line, ()
    start = 0
    while start < len(words) and (words[start] == "exec" or re.match(r"^[A-Za-z_]\w*=", words[start])):
        start += 1
    kept, dropped = without_development(tuple(words[start:]))
    if not dropped:
        return line, ()
    gone: list[int] = []  # the words not kept, found in order (kept is a subsequence of the words)
    position = 0
    for index in range(start, len(words)):
        if position < len(kept) and words[index] == kept[position]:
            position += 1
        else:
            gone.append(index)
    text = last
    for index in reversed(gone):  # each dropped word cut out with the blank before it
        a, b = spans[index]
        while a > 0 and text[a - 1] in " \t":
            a -= 1
        text = text[:a] + text[b:]
    return line[:at] + text + line[at + len(last) :], dropped


def _word_spans(text: str) -> list[tuple[int, int]] | None:
    """Where each shell word of ``text`` starts and ends (quotes and backslashes kept inside a word);
    None for an unclosed quote."""
    spans: list[tuple[int, int]] = []
    index, size = 0, len(text)
    while index < size:
        if text[index].isspace():
            index += 1
            continue
        begin = index
        while index < size and not text[index].isspace():
            char = text[index]
            if char == "\\":
                index += 2
            elif char == "'":
                close = text.find("'", index + 1)
                if close < 0:
                    return None
                index = close + 1
            elif char == '"':
                index += 1
                while index < size and text[index] != '"':
                    index += 2 if text[index] == "\\" else 1
                if index >= size:
                    return None
                index += 1
            else:
                index += 1
        spans.append((begin, min(index, size)))
    return spans


def _shell_line(argv: tuple[str, ...]) -> str | None:
    """The shell text an exec-form command runs (``sh -c "TEXT"``), None for any other command."""
    if len(argv) >= 3 and argv[0].rsplit("/", 1)[-1] in ("sh", "bash") and argv[1] == "-c":
        return argv[2]
    return None


def _kind(argv: tuple[str, ...]) -> AppKind | None:
    """web for a server the servers table knows (uWSGI among them), worker for a worker runner; None
    for anything else (a script, a tool)."""
    if not argv:
        return None
    servers = table()
    program = argv[0].rsplit("/", 1)[-1]
    package = package_of(program)
    if runner_kind(package) == "worker":
        return "worker"
    known = package in {s.package for s in servers.servers} or program in servers.own_only
    return "web" if known or runner_kind(package) == "web" else None
