"""An entrypoint script that runs its steps and ends by ``exec "$@"`` wraps the chosen start command."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.project.apps import detect_app
from dockwright.project.detectors.servers import last_command
from dockwright.project.entry_wrapper import skip_pattern, skipped_steps
from dockwright.project.facts import AppFacts
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]

API = "from fastapi import FastAPI\n\napi = FastAPI()\n\n@api.get('/healthz')\ndef ok():\n    return 'ok'\n"
FLASK = "from flask import Flask\n\napp = Flask(__name__)\n"
MIGRATING = '#!/bin/bash\nset -e\n\necho "migrating"\nalembic upgrade head\n\nexec "$@"\n'


def app_of(root: Path, deps: tuple[str, ...], notes: list[str] | None = None) -> AppFacts:
    return detect_app(ProjectTree(root), None, dependencies=frozenset(deps), notes=notes)


def test_the_script_the_dockerfile_names_in_entrypoint_wraps_the_server(make_project: MakeProject) -> None:
    dockerfile = (
        'FROM python:3.13-slim\nCOPY . .\nENTRYPOINT ["./prestart.sh"]\nCMD ["uvicorn", "svc.main:api"]\n'
    )
    root = make_project(
        {"Dockerfile": dockerfile, "prestart.sh": MIGRATING, "svc/__init__.py": "", "svc/main.py": API}
    )
    app = app_of(root, ("fastapi", "uvicorn", "alembic"))
    assert app.command.value[:4] == ("bash", "prestart.sh", "uvicorn", "svc.main:api")
    steps = [(e.file, e.line, e.detail) for e in app.command.evidence if e.file == "prestart.sh"]
    assert steps == [("prestart.sh", 5, "alembic upgrade head"), ("prestart.sh", 7, 'exec "$@"')]
    assert last_command(app.command.value)[:2] == ("uvicorn", "svc.main:api")
    assert app.health_path.value == "/healthz"


def test_a_conventional_entrypoint_name_wraps_without_a_dockerfile(make_project: MakeProject) -> None:
    script = '#!/bin/sh\npython manage.py migrate --noinput\nexec "$@"\n'
    root = make_project({"docker/entrypoint.sh": script, "app.py": FLASK})
    app = app_of(root, ("flask", "gunicorn"))
    assert app.command.value[:3] == ("sh", "docker/entrypoint.sh", "gunicorn")
    assert app.command.value[-1] == "app:app"


def test_a_script_that_waits_with_a_program_the_image_lacks_is_used(make_project: MakeProject) -> None:
    """pg_isready comes with the script: project/entry_run.py plans its Debian package (test_entry_run.py)."""
    script = '#!/bin/sh\nuntil pg_isready -h db; do sleep 1; done\nalembic upgrade head\nexec "$@"\n'
    root = make_project({"entrypoint.sh": script, "app.py": FLASK})
    notes: list[str] = []
    app = app_of(root, ("flask", "gunicorn"), notes)
    assert app.command.value[:3] == ("sh", "entrypoint.sh", "gunicorn")
    assert not any("pg_isready" in n for n in notes)


def test_a_script_that_only_passes_the_command_on_changes_nothing(make_project: MakeProject) -> None:
    root = make_project({"entrypoint.sh": '#!/bin/sh\nset -e\necho start\nexec "$@"\n', "app.py": FLASK})
    assert app_of(root, ("flask", "gunicorn")).command.value[0] == "gunicorn"


def test_a_script_that_execs_its_own_server_is_not_a_wrapper(make_project: MakeProject) -> None:
    # the entry-script detector's case: its exec line is the start, run as `sh entrypoint.sh`
    script = "#!/bin/sh\nflask db upgrade\nexec gunicorn -b 0.0.0.0:5000 app:app\n"
    root = make_project({"entrypoint.sh": script, "app.py": FLASK})
    assert app_of(root, ("flask", "gunicorn")).command.value == ("sh", "entrypoint.sh")


def test_a_wrapping_script_that_collects_static_files_runs_inline(make_project: MakeProject) -> None:
    # the non-root app cannot rewrite STATIC_ROOT: the script's lines run in one shell line before the
    # start, and the plan takes collectstatic out of it (project/entry_steps.py, plan/start_build_steps.py)
    script = (
        '#!/bin/sh\npython manage.py migrate\npython manage.py collectstatic --no-input --clear\nexec "$@"\n'
    )
    root = make_project({"entrypoint.sh": script, "app.py": FLASK})
    notes: list[str] = []
    app = app_of(root, ("flask", "gunicorn"), notes)
    assert app.command.value == (
        "/bin/sh",
        "-c",
        "python manage.py migrate; python manage.py collectstatic --no-input --clear; "
        "exec gunicorn --bind 0.0.0.0:8000 app:app",
    )
    assert ("entrypoint.sh", 4) in [(e.file, e.line) for e in app.command.evidence]
    assert not any("rewrites the app's files" in n for n in notes)


def test_a_wrapping_script_with_structure_and_collectstatic_runs_as_itself(make_project: MakeProject) -> None:
    # its STATIC_ROOT becomes the app user's (project/entry_run.py, test_entry_run.py)
    script = (
        '#!/bin/sh\nif [ -n "$MIGRATE" ]; then\n  python manage.py migrate\nfi\n'
        'python manage.py collectstatic --no-input\nexec "$@"\n'
    )
    root = make_project({"entrypoint.sh": script, "app.py": FLASK})
    notes: list[str] = []
    app = app_of(root, ("flask", "gunicorn"), notes)
    assert app.command.value[:3] == ("sh", "entrypoint.sh", "gunicorn")
    assert not any("rewrites the app's files" in n for n in notes)


def test_a_wrapping_script_with_structure_that_compiles_messages_is_used_with_the_step_skipped(
    make_project: MakeProject,
) -> None:
    # compilemessages rewrites the app's own root-owned tree: the image's copy of the script skips it
    # (project/entry_run.py, plan/start.py); the script's other steps still run before the server
    script = (
        '#!/bin/sh\nif [ -n "$MIGRATE" ]; then\n  python manage.py migrate\nfi\n'
        'python manage.py compilemessages\nexec "$@"\n'
    )
    root = make_project({"entrypoint.sh": script, "app.py": FLASK})
    notes: list[str] = []
    app = app_of(root, ("flask", "gunicorn"), notes)
    assert app.command.value[:3] == ("sh", "entrypoint.sh", "gunicorn")
    assert not any("rewrites the app's files at start" in n for n in notes)


def test_a_compilemessages_split_over_lines_still_keeps_the_script_out(make_project: MakeProject) -> None:
    # the image's copy cannot skip a command whose words continue on the next line (sed edits one line)
    script = (
        '#!/bin/sh\nif [ -n "$MIGRATE" ]; then\n  python manage.py migrate\nfi\n'
        'python manage.py \\\n  compilemessages\nexec "$@"\n'
    )
    root = make_project({"entrypoint.sh": script, "app.py": FLASK})
    notes: list[str] = []
    app = app_of(root, ("flask", "gunicorn"), notes)
    assert app.command.value[0] == "gunicorn"
    assert any(n.startswith("entrypoint.sh:5 rewrites the app's files at start") for n in notes)


def test_an_entry_script_that_collects_static_files_before_its_exec_runs_inline(
    make_project: MakeProject,
) -> None:
    # its lines run in one shell line; the plan takes the build step out (project/entry_steps.py)
    script = "#!/bin/sh\npython manage.py migrate\npython manage.py collectstatic --no-input\nexec gunicorn app:app\n"
    root = make_project({"entrypoint.sh": script, "app.py": FLASK})
    notes: list[str] = []
    app = app_of(root, ("flask", "gunicorn"), notes)
    assert app.command.value == (
        "/bin/sh",
        "-c",
        "python manage.py migrate; python manage.py collectstatic --no-input; exec gunicorn app:app",
    )
    assert not any("rewrites the app's files" in n for n in notes)


def test_a_second_init_finds_the_script_in_the_dockerfile_the_first_wrote(make_project: MakeProject) -> None:
    # the generated Dockerfile runs it from CMD; a name outside the conventional ones is found there
    dockerfile = 'FROM base\nENTRYPOINT ["/usr/bin/tini", "--"]\nCMD ["bash", "prestart.sh", "uvicorn", "svc.main:api"]\n'
    root = make_project(
        {"Dockerfile": dockerfile, "prestart.sh": MIGRATING, "svc/__init__.py": "", "svc/main.py": API}
    )
    assert app_of(root, ("fastapi", "uvicorn", "alembic")).command.value[:3] == (
        "bash",
        "prestart.sh",
        "uvicorn",
    )


def test_the_dockerfile_s_script_at_an_image_path_wraps_the_server(make_project: MakeProject) -> None:
    dockerfile = 'FROM python:3.13-slim\nADD . /srv\nENTRYPOINT ["/srv/ops/boot/prestart.sh"]\n'
    root = make_project({"Dockerfile": dockerfile, "ops/boot/prestart.sh": MIGRATING, "svc/main.py": API})
    app = app_of(root, ("fastapi", "uvicorn", "alembic"))
    assert app.command.value[:3] == ("bash", "ops/boot/prestart.sh", "uvicorn")


def test_the_dockerfile_s_script_that_neither_wraps_nor_starts_is_said(make_project: MakeProject) -> None:
    script = (
        "#!/bin/sh\nset -e\necho \"SECRET = '$SECRET'\" > /etc/svc.cfg\n"
        'cmd="exec gunicorn svc:app -b 0.0.0.0:$PORT"\neval "$cmd"\n'
    )
    dockerfile = 'FROM python:3.13-alpine\nADD . /src\nENTRYPOINT ["/src/conf/entrypoint.sh"]\n'
    root = make_project({"Dockerfile": dockerfile, "conf/entrypoint.sh": script, "svc.py": FLASK})
    notes: list[str] = []
    app = app_of(root, ("flask", "gunicorn"), notes)
    assert app.command.value[0] == "gunicorn"
    assert any(
        n.startswith("conf/entrypoint.sh, the script the repository's Dockerfile runs, is not used")
        for n in notes
    )


def test_no_note_when_the_dockerfile_s_script_is_the_start(make_project: MakeProject) -> None:
    dockerfile = 'FROM python:3.13-slim\nCOPY . .\nENTRYPOINT ["./entrypoint.sh"]\n'
    script = "#!/bin/sh\nalembic upgrade head\nexec gunicorn svc:app --bind 0.0.0.0:8000\n"
    root = make_project({"Dockerfile": dockerfile, "entrypoint.sh": script, "svc.py": FLASK})
    notes: list[str] = []
    app_of(root, ("flask", "gunicorn", "alembic"), notes)
    assert not any("is not used" in n for n in notes)


@pytest.mark.parametrize("odd", ["\x0c", "\x1c", "\x85", "\u2028", "\r"])
def test_skipped_step_lines_are_seds_lines(odd: str) -> None:
    """sed counts lines by newline alone: a form feed (or another character Python's ``splitlines`` breaks
    at) inside a line must not shift the number the image's ``sed`` edits."""
    script = f"#!/bin/sh\necho 'a{odd}b'\npython manage.py compilemessages\nexec gunicorn x:app\n"
    assert skipped_steps(script) == [(3, "compilemessages")]


@pytest.mark.parametrize(
    "line",
    [
        'python manage.py compilemessages --ignore "venv;node_modules"',
        'pybabel compile -d "i18n (main)" && echo done',
        'python manage.py compilemessages -l "fr" --ignore "a|b" || true',
        "python manage.py compilemessages -l $(cat langs.txt)",
        "python manage.py compilemessages -l ${LOCALES} && echo ok",
    ],
)
def test_a_step_whose_quoted_word_holds_a_shell_operator_is_not_skipped(line: str) -> None:
    """The skip edit replaces the command up to the first shell operator: one inside double quotes would
    leave half of the quoted word (``:;node_modules"``), an unterminated quote in the image's copy, and
    one of an expansion (``$(...)``, ``${...}``) a command ``:(...)`` / ``:{...}``."""
    script = f"#!/bin/sh\nset -e\n{line}\nexec gunicorn x:app\n"
    found = skipped_steps(script)
    if found is not None:  # skipped: the edited line must still be valid shell
        match = re.search(skip_pattern(found[0][1], posix=False), line)
        assert match is not None
        edited = line[: match.start()] + ":" + line[match.end() :]
        assert edited.count('"') % 2 == 0 and ":(" not in edited and ":{" not in edited, edited


def test_a_step_with_plain_double_quotes_is_still_skipped() -> None:
    script = '#!/bin/sh\npython manage.py compilemessages --ignore "venv/*"\nexec gunicorn x:app\n'
    assert skipped_steps(script) == [(2, "compilemessages")]


@pytest.mark.parametrize(
    ("line", "edited"),
    [
        ("/venv/bin/python manage.py compilemessages", ":"),
        ("$VIRTUAL_ENV/bin/python3 manage.py compilemessages && x", ": && x"),
        ("/usr/local/bin/pybabel compile -d t", ":"),
        ("python -W ignore manage.py compilemessages", None),  # an option's value: not cut in two
        ("exec python manage.py compilemessages", None),  # `exec :` finds no program `:`
        ("then python manage.py compilemessages", "then :"),
        ("LANG=C python manage.py compilemessages; echo", "LANG=C :; echo"),
    ],
)
def test_the_skip_edit_replaces_the_whole_command(line: str, edited: str | None) -> None:
    """The edit turns the whole command into ``:``, its program's path too (``/venv/bin/:`` is no command),
    and only a command: a match that starts inside one (after ``python -W ignore``) is not skipped."""
    found = skipped_steps(f"#!/bin/sh\n{line}\n")
    if edited is None:
        assert found is None
        return
    assert found is not None
    match = re.search(skip_pattern(found[0][1], posix=False), line)
    assert match is not None and line[: match.start()] + ":" + line[match.end() :] == edited


def test_seds_edit_of_a_program_by_path(tmp_path: Path) -> None:
    """The POSIX form of the pattern, with its escaped ``/``, is what sed runs: the whole path goes."""
    script = tmp_path / "start.sh"
    script.write_text("set -e\n/venv/bin/python manage.py compilemessages && echo ok\n", encoding="utf-8")
    pattern = skip_pattern("compilemessages", posix=True)
    subprocess.run(["sed", "-i", "-E", f"2s/{pattern}/:/", str(script)], check=True)
    assert script.read_text(encoding="utf-8") == "set -e\n: && echo ok\n"


DEV_WRAPPER = (
    "#!/bin/sh\nset -e\nalembic upgrade head\nnpm run watch &\npython manage.py runserver 0.0.0.0:9001\n"
    'exec "$@"\n'
)
PROD_WRAPPER = '#!/bin/sh\nalembic upgrade head\nexec "$@"\n'


def test_a_wrapper_that_starts_a_development_server_first_is_not_used(make_project: MakeProject) -> None:
    """The development image's script runs the framework's development server before ``exec "$@"``:
    the server stays in the foreground, so the command passed on never runs (was: the image served the
    development server, on its own port). The production image's script is used instead."""
    dev_image = 'FROM python:3.13-slim\nCOPY . .\nENTRYPOINT ["/srv/deploy/dev-entry.sh"]\n'
    prod_image = 'FROM python:3.13-slim\nCOPY . .\nENTRYPOINT ["/srv/deploy/prod/entry.sh"]\n'
    files: dict[str, str | bytes] = {
        "deploy/Dockerfile": dev_image,
        "deploy/dev-entry.sh": DEV_WRAPPER,
        "app.py": FLASK,
        "Procfile": "web: gunicorn app:app\n",
    }
    notes: list[str] = []
    app = app_of(make_project(files), ("flask", "gunicorn", "alembic"), notes)
    assert "deploy/dev-entry.sh" not in app.command.value, app.command.value
    assert any("deploy/dev-entry.sh:5" in n and "development server" in n for n in notes), notes
    files.update({"deploy/prod/Dockerfile": prod_image, "deploy/prod/entry.sh": PROD_WRAPPER})
    app = app_of(make_project(files), ("flask", "gunicorn", "alembic"))
    assert app.command.value[:3] == ("sh", "deploy/prod/entry.sh", "gunicorn"), app.command.value


def test_a_wrapper_dropping_privileges_to_pass_the_start_on_is_stepped_over(
    make_project: MakeProject,
) -> None:
    """``exec gosu app "$@"`` in the container branch of a wrapper: the planned image is non-root already,
    so the start is the own image's CMD (a vendored package's ``__main__`` was taken instead)."""
    wrapper = (
        '#!/bin/bash\nif [[ "$IN_DOCKER" == "True" ]]; then\n    usermod -o -u "$PUID" app\n'
        '    exec gosu app "$@"\nelse\n    python3 scheduler.py --daemon\n    exit\nfi\n'
    )
    dockerfile = (
        "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n"
        'ENTRYPOINT ["./start.sh"]\nCMD ["python", "scheduler.py", "--datadir", "/config"]\n'
    )
    root = make_project(
        {
            "Dockerfile": dockerfile,
            "start.sh": wrapper,
            "scheduler.py": "import argparse\n\nargparse.ArgumentParser().parse_args()\n",
            "lib/vendored/__init__.py": "",
            "lib/vendored/__main__.py": "print('vendored')\n",
        }
    )
    app = detect_app(ProjectTree(root), None)
    assert app.command.value == ("python", "scheduler.py", "--datadir", "/config")


GOSU_WRAPPER = '#!/bin/sh\nset -e\nflask --app app seed\nchown -R app:app /app/data\nexec gosu app "$@"\n'
WRITES_DATA = FLASK + "import os\n\nos.makedirs('data', exist_ok=True)\n"
GOSU_IMAGE = (
    "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n"
    'ENTRYPOINT ["/app/docker-entrypoint.sh"]\nCMD ["gunicorn", "-b", "0.0.0.0:5000", "app:app"]\n'
)


def test_a_wrapper_written_for_a_root_start_runs_inline_without_its_dropper(
    make_project: MakeProject,
) -> None:
    """``chown`` of a folder the image makes its user's, then ``exec gosu app "$@"``: the steps run inline
    before the start, the dropper and the ``chown`` left out and said (rw40: refused as root-only, and the
    image started without the script's steps)."""
    root = make_project(
        {"Dockerfile": GOSU_IMAGE, "docker-entrypoint.sh": GOSU_WRAPPER, "app.py": WRITES_DATA}
    )
    notes: list[str] = []
    app = app_of(root, ("flask", "gunicorn"), notes)
    assert app.command.value[0] == "/bin/sh" and app.command.value[1] == "-c"
    assert app.command.value[2].startswith("flask --app app seed && exec gunicorn ")
    assert "gosu" not in app.command.value[2] and "chown" not in app.command.value[2]
    said = next(
        n for n in notes if n.startswith("docker-entrypoint.sh: written for an image that starts as root")
    )
    assert "chown -R app:app /app/data" in said and "gosu app before $@" in said


def test_a_root_wrapper_that_gives_away_another_folder_stays_unused(make_project: MakeProject) -> None:
    """The ``chown`` names a folder the image does not make its user's: root is needed for real."""
    root = make_project({"Dockerfile": GOSU_IMAGE, "docker-entrypoint.sh": GOSU_WRAPPER, "app.py": FLASK})
    notes: list[str] = []
    app = app_of(root, ("flask", "gunicorn"), notes)
    assert "seed" not in " ".join(app.command.value)
    assert any("docker-entrypoint.sh:4 runs chown" in n for n in notes)


def test_a_root_wrapper_with_shell_structure_is_not_used_and_said(make_project: MakeProject) -> None:
    structured = GOSU_WRAPPER.replace(
        "flask --app app seed\n", 'if [ -n "$SEED" ]; then\n  flask --app app seed\nfi\n'
    )
    root = make_project({"Dockerfile": GOSU_IMAGE, "docker-entrypoint.sh": structured, "app.py": WRITES_DATA})
    notes: list[str] = []
    app = app_of(root, ("flask", "gunicorn"), notes)
    assert app.command.value[0] == "gunicorn"
    assert any("shell structure is not rewritten: the script is not used" in n for n in notes)
