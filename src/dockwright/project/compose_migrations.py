"""A compose service, or a platform's release step, that migrates the database once before the app
starts: the plan runs it first.

What it does
    The repository's compose file (the app folder's own) has a one-shot service built from the app's
    folder that applies the migrations and exits: its command (``command:``, else the ``CMD`` of the
    Dockerfile its ``build.dockerfile`` names) is ``alembic [-c F] upgrade REV``, ``python manage.py
    migrate`` or ``flask db upgrade``, and it is one-shot (``restart: "no"``, another service waits for
    it with ``condition: service_completed_successfully``, or its name says migrations). Without one, a
    platform's release step that migrates counts the same (the Procfile's ``release:``, fly.toml's
    ``release_command``, Railway's and Render's ``preDeployCommand``, DigitalOcean's ``PRE_DEPLOY`` job:
    ``release_commands.py``). ``docker compose up`` (or the platform) runs it before the app every time;
    one image started on its own has no such step, so the plan
    starts the server after it: ``/bin/sh -c "alembic upgrade head && exec uvicorn ..."``, as for a
    launcher's migration (``launcher_migrations.py``). When the start is already a shell line that does
    not run it, the plan says so instead.

Why is this bad?
    Left out, the image served an app whose tables were never made, and nothing said the repository
    migrates in a service of its own.

Example
    ``migrations: {build: {context: ., dockerfile: Dockerfile.migrations}, restart: "no"}`` with
    ``CMD ["alembic", "upgrade", "head"]`` ->
    ``/bin/sh -c "alembic upgrade head && exec uvicorn app:app --host 0.0.0.0 --port 8000"``.

Use instead
    Nothing to change; ``--start`` gives another start (the migration then runs as its own
    ``docker run IMAGE alembic upgrade head``).

Source: Compose's ``depends_on`` conditions (``service_completed_successfully``: "a dependency is
expected to run to successful completion before starting a dependent service",
https://docs.docker.com/reference/compose-file/services/#depends_on).
"""

from __future__ import annotations

import posixpath
import re
import shlex
from dataclasses import replace
from typing import Any

from dockwright.dockerfile.final_command import final_command
from dockwright.dockerfile.parser import parse
from dockwright.project.compose_interpolation import command_words, double_quoted
from dockwright.project.detectors.compose import builds_here, compose_services, one_shot
from dockwright.project.django_manage import manage_py
from dockwright.project.entry_wrapper import BUILD_STEP_COMMANDS
from dockwright.project.facts import AppFacts, Evidence, Fact
from dockwright.project.launcher_migrations import alembic_upgrade
from dockwright.project.own_image import dockerfile_text
from dockwright.project.plan_files import PlanFiles
from dockwright.project.release_commands import release_commands, split_commands
from dockwright.project.tree import ProjectTree

_SHELLS = ("sh", "bash", "/bin/sh", "/bin/bash")
_MIGRATES = ("alembic upgrade", " upgrade head", "manage.py migrate", "db upgrade")


def _command(tree: ProjectTree, service: dict[str, Any]) -> list[str]:
    """The service's command: ``command:`` after compose's interpolation (``$$`` a ``$``, the defaults
    put in; a host's variable left for the start's shell: compose_interpolation.py), else its
    Dockerfile's final command."""
    raw = service.get("command")
    if isinstance(raw, (str, list)):
        found = command_words([str(w) for w in raw] if isinstance(raw, list) else raw)
        if found.program_needs:
            return []
        if isinstance(found.value, list):
            return found.value
        if found.host:  # the shell of the start reads the host's variables
            return ["sh", "-c", found.value]
        try:
            return shlex.split(found.value)
        except ValueError:
            return []
    build = service.get("build")
    name = build.get("dockerfile") if isinstance(build, dict) else None
    if not isinstance(name, str) or not tree.is_file(name):
        return []
    final = final_command(parse(dockerfile_text(tree, name)))
    return list(final.argv) if final else []


def _migration(
    tree: ProjectTree, words: list[str], depends_on: frozenset[str], folder: str = ""
) -> str | None:
    """The migration command line ``words`` runs, when the planned image can run it; ``folder``: the
    one a ``cd`` before it moved to (``cd web && python manage.py migrate``), kept to the migration by
    a subshell so the server starts where it did."""
    line = _migration_words(tree, words, depends_on, folder)
    return f"(cd {shlex.quote(folder)} && {line})" if line is not None and folder else line


def _joined(words: list[str], shell: bool) -> str:
    """``words`` as one line of the start's shell: each quoted as it is, but for a word of a shell line
    that holds a ``$`` (``tenant=$TENANT``), double-quoted so the shell still reads its variable."""
    if not shell:
        return shlex.join(words)
    return " ".join(double_quoted(w) if "$" in w else shlex.quote(w) for w in words)


def _migration_words(
    tree: ProjectTree, words: list[str], depends_on: frozenset[str], folder: str, shell: bool = False
) -> str | None:
    """``shell``: ``words`` are a command of a shell line, whose variables the shell reads."""
    if len(words) == 3 and words[0] in _SHELLS and words[1] == "-c":
        # a shell line: its migrating command (`sh -c "alembic upgrade head && python seed.py"`), never
        # the whole line as one command (alembic would get '&&' and the rest as arguments)
        inners = split_commands(words[2])
        lines = (_migration_words(tree, inner, depends_on, folder, shell=True) for inner in inners)
        return next((line for line in lines if line is not None), None)
    upgrade = alembic_upgrade(words)
    if upgrade is not None:
        found = tree.is_file(posixpath.join(folder, upgrade[0]))
        return _joined(words, shell) if "alembic" in depends_on and found else None
    plain = [w for w in words if w not in ("-u",)]
    if plain and plain[0].rsplit("/", 1)[-1].startswith("python"):
        plain = plain[1:]
    # manage.py at the root, or in the project's folder (python web/manage.py migrate, cd web && ...)
    if len(plain) >= 2 and plain[0].rsplit("/", 1)[-1] == "manage.py" and plain[1] == "migrate":
        if "django" not in depends_on:
            return None
        if tree.is_file(posixpath.normpath(posixpath.join(folder, plain[0]))):
            return _joined(words, shell)
        if folder or plain[0].removeprefix("./") != "manage.py":
            return None
        # a Procfile at the root whose app sits in a folder (backend/manage.py): the app's manage.py
        manage = manage_py(tree)
        return _joined(words, shell).replace(plain[0], manage, 1) if manage is not None else None
    if plain[:3] in (["flask", "db", "upgrade"], ["-m", "flask", "db"]) and "upgrade" in plain:
        return _joined(words, shell) if "flask-migrate" in depends_on else None
    return None


def _service_line(text: str, name: str) -> int | None:
    """The line of the service's key: the least indented ``NAME:`` line (a ``depends_on`` entry of the
    same name sits deeper)."""
    found = [
        (len(m.group(1)), number)
        for number, line in enumerate(text.splitlines(), 1)
        if (m := re.match(rf"^(\s+){re.escape(name)}:\s*$", line))
    ]
    return min(found)[1] if found else None


# a release step's command (words), the line that runs it and the folder a `cd` before it moved to
ReleaseSteps = tuple[tuple[list[str], Evidence, str], ...]


def compose_migration(
    tree: ProjectTree, depends_on: frozenset[str], steps: ReleaseSteps
) -> tuple[str, Evidence] | None:
    """The migration a one-shot compose service runs before the app, else the one a platform's release
    step runs (``release: python manage.py migrate``: ``steps``, from :func:`release_steps`), with its
    evidence, or None."""
    return _service_migration(tree, depends_on) or _release_migration(tree, depends_on, steps)


def release_steps(files: PlanFiles) -> ReleaseSteps:
    """The release steps' commands (release_commands.py, read once per plan) with the folder a ``cd DIR``
    before them in the same step moved to (``cd web && python manage.py migrate``: "web"); the ``cd``
    itself is no command of its own."""
    out: list[tuple[list[str], Evidence, str]] = []
    folder, step = "", None
    for words, evidence in release_commands(files):
        if evidence != step:  # a step's own `cd DIR` moves its later commands only
            folder, step = "", evidence
        if words[0] == "cd" and len(words) == 2:
            folder = posixpath.normpath(posixpath.join(folder, words[1]))
            continue
        out.append((words, evidence, folder))
    return tuple(out)


def _release_migration(
    tree: ProjectTree, depends_on: frozenset[str], steps: ReleaseSteps
) -> tuple[str, Evidence] | None:
    for words, evidence, folder in steps:
        migrate = _migration(tree, words, depends_on, folder)
        if migrate is not None:
            why = f"{evidence.detail}: the platform runs {migrate} once per deploy, before the release serves"
            return migrate, replace(evidence, detail=why)
    return None


def _start_text(tree: ProjectTree, command: tuple[str, ...]) -> str:
    """The start's words and the scripts of the project it runs (``sh entrypoint.sh gunicorn ...``)."""
    scripts = [w for w in command[:3] if not w.startswith("-") and tree.is_file(w.removeprefix("./"))]
    return " ".join(command) + "".join("\n" + tree.read_script(w.removeprefix("./")) for w in scripts)


_INTERPRETER = re.compile(r"python(?:\d+(?:\.\d+)*)?")


def _said(words: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """A command's words as compared with a script's: ``python3``/``python`` alike."""
    return tuple("python" if _INTERPRETER.fullmatch(w.rsplit("/", 1)[-1]) else w for w in words)


def _run_by(start_text: str) -> set[tuple[str, ...]]:
    """The commands of the start and its scripts (each line split at its lists), as :func:`_said`."""
    found: set[tuple[str, ...]] = set()
    for line in start_text.splitlines():
        for part in split_commands(line):
            found.add(_said(part))
    return found


def release_leftovers(
    tree: ProjectTree, depends_on: frozenset[str], steps: ReleaseSteps, start_text: str = ""
) -> list[str]:
    """Notes for the release steps' commands (``steps``) the image runs nowhere: neither the migration run
    before the server, a build step (collectstatic, compilemessages: the build runs those) nor a command
    of the start or the project's script it runs (``start_text``)."""
    notes: list[str] = []
    started = _run_by(start_text)
    for words, evidence, folder in steps:
        text = shlex.join(words)
        if _migration(tree, words, depends_on, folder) or any(
            p.search(text) for p in BUILD_STEP_COMMANDS.values()
        ):
            continue
        if not folder and _said(words) in started:
            continue  # the own image's entry script runs it before `exec "$@"`
        if any(m in f" {text}" for m in _MIGRATES):
            notes.append(
                f"{evidence.file}:{evidence.line or 1}: the release step migrates with {text}, which the "
                "image cannot run as written (its manage.py, alembic.ini or Flask-Migrate is not where the "
                "command looks): migrate before the app starts"
            )
            continue
        run = f"sh -c {shlex.quote(f'cd {shlex.quote(folder)} && {text}')}" if folder else text
        notes.append(
            f"{evidence.file}:{evidence.line or 1}: the release step also runs {text}, which the image runs "
            f"nowhere; run it once per deploy (docker run IMAGE {run})"
        )
    return notes


def _service_migration(tree: ProjectTree, depends_on: frozenset[str]) -> tuple[str, Evidence] | None:
    found = compose_services(tree)
    if found is None:
        return None
    file, services = found
    for name, service in services.items():
        if not isinstance(service, dict) or not builds_here(service, tree):
            continue
        if service.get("ports") or not one_shot(str(name), service, services):
            continue
        migrate = _migration(tree, _command(tree, service), depends_on)
        if migrate is None:
            continue
        line = _service_line(tree.read_text(file), str(name))
        why = f"service {name} runs {migrate} once before the app starts (a one-shot service)"
        return migrate, Evidence(file, line, why)
    return None


def with_compose_migration(
    files: PlanFiles, app: AppFacts, depends_on: frozenset[str], notes: list[str]
) -> AppFacts:
    """``app`` whose web start runs the compose file's migration service first (module docstring)."""
    command = app.command.value
    if app.kind.value != "web" or not command:
        return app
    tree = files.tree
    steps = release_steps(files)
    leftovers = release_leftovers(tree, depends_on, steps, _start_text(tree, command))
    notes += [n for n in leftovers if n not in notes]
    found = compose_migration(tree, depends_on, steps)
    if found is None:
        return app
    migrate, evidence = found
    if command[0] in _SHELLS:
        text = _start_text(tree, command)  # `sh entrypoint.sh gunicorn ...`
        if migrate in text or any(m in text for m in _MIGRATES):
            return app  # the start migrates already
        notes.append(
            f"{evidence}: the planned start does not run it; run it before the app starts "
            f"(docker run IMAGE {migrate})"
        )
        return app
    started = ("/bin/sh", "-c", f"{migrate} && exec {shlex.join(command)}")
    why = replace(evidence, detail=f"{evidence.detail}: run before the server here too")
    return replace(app, command=Fact(started, (*app.command.evidence, why)))
