"""An entry script with shell structure runs as itself, with its programs installed and a writable
STATIC_ROOT for the collectstatic it runs at start (project/entry_run.py). The Django site is our own
example (examples/django-static-i18n) with entry scripts written after the common wait-for-the-database
pattern."""

from __future__ import annotations

import ast
import shutil
import subprocess
from pathlib import Path

import pytest

from dockwright import api
from dockwright.plan.model import BuildPlan, Step
from dockwright.plan.start import _skip_steps
from dockwright.project.entry_run import _path_of, script_programs, shell_lines
from dockwright.project.facts import Fact

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

# wait for the database, migrate in production only, collect static files, then become the server
WAITING = """#!/bin/sh
set -e

wait_for_db() {
  until pg_isready -h "${DB_HOST:-db}" -p "${DB_PORT:-5432}" -q; do
    echo "database not ready, waiting"
    sleep 1
  done
}

wait_for_db
python - <<PY
import os
print("settings:", os.environ.get("DJANGO_SETTINGS_MODULE"))
PY
if [ "${DJANGO_ENV:-production}" = production ]; then
  python manage.py migrate --noinput
fi
python manage.py collectstatic --noinput
exec gunicorn mysite.wsgi:application --bind 0.0.0.0:8000 --workers 2
"""

# the same as an ENTRYPOINT that passes the command on, waiting with nc
WRAPPING = """#!/bin/bash
set -euo pipefail
while ! nc -z "${DB_HOST:-db}" 5432; do sleep 0.5; done
python manage.py migrate --noinput
python manage.py collectstatic --noinput --clear
exec "$@"
"""


def _site(tmp_path: Path, script: str, name: str = "entrypoint.sh") -> Path:
    root = tmp_path / "site"
    shutil.copytree(EXAMPLES / "django-static-i18n", root, ignore=shutil.ignore_patterns("golden"))
    (root / name).write_text(script, encoding="utf-8")
    return root


def _runtime_apt(plan: BuildPlan) -> list[str]:
    return [a.name for a in plan.runtime_apt]


def test_the_programs_a_script_runs_are_found_in_loops_ifs_and_functions() -> None:
    found = {f.value: [e.line for e in f.evidence] for f in script_programs("entrypoint.sh", WAITING)}
    assert found == {"pg_isready": [5]}
    found = {f.value: [e.line for e in f.evidence] for f in script_programs("entrypoint.sh", WRAPPING)}
    assert found == {"nc": [3]}


@pytest.mark.parametrize(
    "line",
    [
        "# until pg_isready; do sleep 1; done",
        "if command -v pg_isready >/dev/null; then echo yes; fi",
        "python - <<'EOF'\nimport psql\npg_isready = 1\nEOF",
        "/usr/lib/postgresql/16/bin/pg_isready -h db",
    ],
)
def test_comments_checks_heredoc_bodies_and_foreign_paths_are_not_programs_run(line: str) -> None:
    assert script_programs("s.sh", f"#!/bin/sh\n{line}\nexec gunicorn app:app\n") == ()


def test_here_document_bodies_are_not_shell_lines() -> None:
    lines = [text for _, text in shell_lines(WAITING)]
    assert 'print("settings:", os.environ.get("DJANGO_SETTINGS_MODULE"))' not in lines
    assert 'if [ "${DJANGO_ENV:-production}" = production ]; then' in lines


@pytest.mark.parametrize(
    ("expression", "folder"),
    [
        ('BASE_DIR / "staticfiles"', "staticfiles"),
        ('str(BASE_DIR / "static" / "root")', "static/root"),
        ('os.path.join(BASE_DIR, "collected")', "collected"),
        ('"staticfiles"', "staticfiles"),
        ('"/var/www/static"', "/var/www/static"),
        ('env("STATIC_ROOT")', None),
    ],
)
def test_static_root_resolves_to_a_project_folder(expression: str, folder: str | None) -> None:
    node = ast.parse(expression, mode="eval").body
    assert _path_of(node, "") == folder


def test_a_waiting_script_with_collectstatic_runs_as_itself(tmp_path: Path) -> None:
    plan = api.plan(_site(tmp_path, WAITING))
    assert plan.cmd == ("sh", "entrypoint.sh")
    assert "postgresql-client" in _runtime_apt(plan)
    writable = plan.decision("writable")
    assert writable is not None and writable.choice == "/app/staticfiles"
    assert "entrypoint.sh:19" in writable.reason
    assert plan.decision("start-build-steps") is None  # the script keeps its collectstatic
    collect = plan.decision("collectstatic")
    assert collect is not None and collect.choice.startswith("runtime:")  # and the build still runs it
    step = next(
        s for s in plan.runtime_steps if s.instruction == "RUN" and "collectstatic" in " ".join(s.args)
    )
    # owned by the app user in the collectstatic layer itself (no second copy): the start copies nothing new;
    # made before collectstatic loads the settings
    assert (step.args[0], step.args[-1]) == (
        "mkdir -p /app/staticfiles",
        "chown -R 10001:10001 /app/staticfiles",
    )
    assert "collectstatic" in step.args[1] and len(step.args) == 3


def test_a_wrapping_script_that_waits_with_nc_runs_the_server_through_it(tmp_path: Path) -> None:
    plan = api.plan(_site(tmp_path, WRAPPING, "docker-entrypoint.sh"))
    assert plan.cmd[:3] == ("bash", "docker-entrypoint.sh", "gunicorn")
    assert "netcat-openbsd" in _runtime_apt(plan)
    programs = plan.decision("runtime-programs")
    assert programs is not None and "docker-entrypoint.sh:3" in programs.reason


def test_programs_warn_keeps_the_packages_out_and_says_so(tmp_path: Path) -> None:
    plan = api.plan(_site(tmp_path, WAITING), programs="warn")
    assert "postgresql-client" not in _runtime_apt(plan)
    assert any("pg_isready" in w for w in plan.warnings)


def _settings_static_root(root: Path, expression: str) -> None:
    settings = root / "mysite" / "settings.py"
    text = settings.read_text(encoding="utf-8")
    text = text.replace('STATIC_ROOT = BASE_DIR / "staticfiles"', f"import os\nSTATIC_ROOT = {expression}")
    settings.write_text(text, encoding="utf-8")


def test_an_absolute_static_root_is_made_the_app_users(tmp_path: Path) -> None:
    root = _site(tmp_path, WAITING)
    _settings_static_root(root, '"/vol/web/static"')
    writable = api.plan(root).decision("writable")
    assert writable is not None and writable.choice == "/vol/web/static"


@pytest.mark.parametrize(
    ("expression", "folder"),
    [
        ('os.environ.get("STATIC_ROOT", "/srv/static")', "/srv/static"),
        ('os.path.join(BASE_DIR, env("STATIC_ROOT", "static"))', "static"),  # environs, positional
        ('BASE_DIR / env.str("STATIC_ROOT", default="collected")', "collected"),
        ('os.path.join(BASE_DIR, os.getenv("STATIC_ROOT", "static"))', "static"),
    ],
)
def test_a_static_root_read_with_a_default_is_that_folder(
    tmp_path: Path, expression: str, folder: str
) -> None:
    # the image sets no such variable: the default is the folder collectstatic fills at start
    root = _site(tmp_path, WAITING)
    _settings_static_root(root, expression)
    writable = api.plan(root).decision("writable")
    assert writable is not None and folder in writable.choice


def test_a_static_root_that_cannot_be_resolved_is_said(tmp_path: Path) -> None:
    root = _site(tmp_path, WAITING)
    _settings_static_root(root, 'os.path.join(BASE_DIR, folder_of("static"))')
    facts = api.plan(root).facts
    assert not facts.app.writable
    assert any("entrypoint.sh:19 runs collectstatic at start" in n for n in facts.notes)


def test_a_plain_script_still_runs_inline_without_collectstatic(tmp_path: Path) -> None:
    plain = "#!/bin/sh\npython manage.py migrate\npython manage.py collectstatic --noinput\nexec gunicorn mysite.wsgi\n"
    plan = api.plan(_site(tmp_path, plain))
    assert plan.cmd == ("/bin/sh", "-c", "python manage.py migrate ; exec gunicorn mysite.wsgi")
    assert plan.decision("writable") is None


def test_a_waiting_script_without_a_build_step_gets_its_program(tmp_path: Path) -> None:
    script = (
        '#!/bin/sh\nuntil redis-cli -h "$REDIS_HOST" ping; do sleep 1; done\n'
        "exec gunicorn mysite.wsgi:application --bind 0.0.0.0:8000\n"
    )
    plan = api.plan(_site(tmp_path, script))
    assert plan.cmd == ("sh", "entrypoint.sh")
    assert "redis-tools" in _runtime_apt(plan)
    assert plan.decision("writable") is None


def test_a_plain_wrapping_script_run_inline_still_gets_its_program(tmp_path: Path) -> None:
    script = (
        '#!/bin/sh\nset -e\nnc -z "$DB_HOST" 5432\npython manage.py migrate\n'
        'python manage.py collectstatic --noinput\nexec "$@"\n'
    )
    plan = api.plan(_site(tmp_path, script, "docker-entrypoint.sh"))
    assert plan.cmd[:2] == ("/bin/sh", "-c")
    assert "collectstatic" not in plan.cmd[2]
    assert "netcat-openbsd" in _runtime_apt(plan)


@pytest.mark.parametrize(
    ("line", "programs"),
    [
        ("timeout 30 sh -c 'until pg_isready -h \"$DB_HOST\" -q; do sleep 1; done'", ["pg_isready"]),
        ('until timeout -s KILL 2 bash -c "nc -z db 5432"; do sleep 1; done', ["nc"]),
        ("wait-for-it db:5432 -t 30 -- psql -c 'select 1'", ["wait-for-it", "psql"]),
        ("env PGCONNECT_TIMEOUT=3 nice -n 5 pg_isready -h db", ["pg_isready"]),
        ("dockerize -wait tcp://db:5432 -timeout 60s redis-cli -h cache ping", ["redis-cli"]),
        ("timeout 5 python manage.py check", []),
    ],
)
def test_programs_behind_wrappers_are_found(line: str, programs: list[str]) -> None:
    found = script_programs("entrypoint.sh", f"#!/bin/sh\n{line}\nexec gunicorn w:app\n")
    assert [f.value for f in found] == programs
    assert all(e.line == 2 for f in found for e in f.evidence)


def test_dockerize_is_named_with_a_replacement(tmp_path: Path) -> None:
    script = (
        "#!/bin/sh\nset -e\ndockerize -wait tcp://db:5432 -wait tcp://cache:6379 -timeout 45s\n"
        "timeout 30 sh -c 'until pg_isready -h db -q; do sleep 1; done'\n"
        "python manage.py migrate --noinput\nexec gunicorn mysite.wsgi:application --bind 0.0.0.0:8000\n"
    )
    plan = api.plan(_site(tmp_path, script), syntax_directive=False)
    assert plan.cmd == ("sh", "entrypoint.sh")
    assert _runtime_apt(plan) == ["postgresql-client"]  # behind timeout and sh -c
    warned = [w for w in plan.warnings if "dockerize" in w]
    assert len(warned) == 1 and warned[0].startswith("entrypoint.sh:3 runs dockerize")
    assert "no Debian package provides it" in warned[0] and "set -e" in warned[0]
    assert "wait-for-it db:5432 -t 45; wait-for-it cache:6379 -t 45" in warned[0]
    assert not [a for a in plan.runtime_apt if a.name == "dockerize"]


def test_a_log_file_owned_in_the_collectstatic_layer_is_not_called_a_static_root(tmp_path: Path) -> None:
    root = _site(tmp_path, "")
    (root / "entrypoint.sh").unlink()
    settings = root / "mysite" / "settings.py"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(
        text + '\nLOGGING = {"version": 1, "handlers": {"file": {"class": "logging.FileHandler", '
        '"filename": BASE_DIR / "site.log"}}}\n',
        encoding="utf-8",
    )
    plan = api.plan(root)
    step = next(
        s for s in plan.runtime_steps if s.instruction == "RUN" and "collectstatic" in " ".join(s.args)
    )
    assert (step.args[0], step.args[-1]) == ("touch /app/site.log", "chown -R 10001:10001 /app/site.log")
    assert "collects into it again" not in step.why  # no start script collects: a log file is not STATIC_ROOT
    assert "then /app/site.log owned by the app user, which writes there at run time" in step.why
    assert step.why.endswith("(made first: the settings may open files there when they load)")


# the waiting script compiling its catalogs at start, in a structured block and on a one-line `if`
COMPILING = WAITING.replace(
    "python manage.py collectstatic --noinput\n",
    'if [ -d locale ]; then\n  python manage.py compilemessages --ignore "venv/*"\nfi\n'
    '[ -z "$SKIP_I18N" ] && ./manage.py compilemessages -l fr > /dev/null 2>&1 || echo "no catalogs"\n'
    "python manage.py collectstatic --noinput\n",
)


def test_a_structured_script_that_compiles_messages_runs_with_the_step_done_at_build(tmp_path: Path) -> None:
    root = _site(tmp_path, COMPILING)
    plan = api.plan(root)
    assert plan.cmd == ("sh", "entrypoint.sh")  # the script runs as itself, its wait and migrate kept
    assert plan.decision("compilemessages") is not None  # the build compiles the catalogs
    step = next(s for s in plan.runtime_steps if s.instruction == "RUN" and "sed -i" in s.args[0])
    lines = COMPILING.splitlines()
    numbers = [n for n, line in enumerate(lines, 1) if "compilemessages" in line]
    assert len(step.args) == len(numbers)
    assert all(
        f"'{n}s/" in a and a.endswith(" /app/entrypoint.sh") for n, a in zip(numbers, step.args, strict=True)
    )
    decision = plan.decision("start-script-steps")
    assert decision is not None and "entrypoint.sh:20" in decision.reason
    # the image's copy of the script, as that RUN leaves it: valid shell, no compilemessages, the rest kept
    script = tmp_path / "copy.sh"
    script.write_text(COMPILING, encoding="utf-8")
    for arg in step.args:
        subprocess.run(["sh", "-c", arg.replace("/app/entrypoint.sh", str(script))], check=True)
    edited = script.read_text(encoding="utf-8")
    assert "compilemessages" not in edited and edited.count("\n") == COMPILING.count("\n")
    assert "then\n  :\nfi" in edited and '[ -z "$SKIP_I18N" ] && : || echo "no catalogs"' in edited
    subprocess.run(["sh", "-n", str(script)], check=True)


def test_a_wrapping_script_that_compiles_messages_is_skipped_in_the_image_too(tmp_path: Path) -> None:
    script = WRAPPING.replace("python manage.py migrate --noinput\n", "python manage.py compilemessages\n")
    plan = api.plan(_site(tmp_path, script, "docker-entrypoint.sh"))
    assert plan.cmd[:3] == ("bash", "docker-entrypoint.sh", "gunicorn")
    step = next(s for s in plan.runtime_steps if s.instruction == "RUN" and "sed -i" in s.args[0])
    assert step.args[0].startswith("sed -i -E '4s/") and step.args[0].endswith(" /app/docker-entrypoint.sh")


def test_the_skip_edit_quotes_the_scripts_path(tmp_path: Path) -> None:
    """The ``sed`` that skips a step is a shell line: a script path with a space or a quote stays one word."""
    plan = api.plan(_site(tmp_path, COMPILING))
    steps: list[Step] = []
    skips = (Fact(("bin/run app's.sh", 2, "compilemessages"), ()),)
    _skip_steps(plan, skips, steps, [], [])
    (edit,) = steps[0].args
    folder = tmp_path / "bin"
    folder.mkdir()
    script = folder / "run app's.sh"
    script.write_text("set -e\npython manage.py compilemessages\nexec gunicorn x:app\n", encoding="utf-8")
    subprocess.run(["sh", "-c", edit.replace(plan.workdir, str(tmp_path))], check=True)
    assert script.read_text(encoding="utf-8") == "set -e\n:\nexec gunicorn x:app\n"


# reads the host's figures into variables through programs the slim base lacks (procps, iproute2)
FIGURES = """#!/bin/bash
set -e
MEMORY=$(free -m)
LINK=$(ip -brief link | head -n 1)
python manage.py migrate --noinput
exec gunicorn mysite.wsgi:application --bind 0.0.0.0:8000
"""


def test_programs_run_in_command_substitutions_are_installed(tmp_path: Path) -> None:
    """``X=$(free -m)`` runs free: missing, the substitution fails and ``set -e`` (or the inlined
    start's ``&&``) stops the script before the server."""
    found = {f.value for f in script_programs("entrypoint.sh", FIGURES)}
    assert found == {"free", "ip"}, found
    plan = api.plan(_site(tmp_path, FIGURES))
    assert {"procps", "iproute2"} <= set(_runtime_apt(plan)), plan.cmd
