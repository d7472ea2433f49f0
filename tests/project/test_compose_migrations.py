"""A one-shot compose service that migrates the database before the app (project/compose_migrations.py):
the plan runs the migration before the server. The projects are our own small examples."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockwright import api
from dockwright.errors import ProjectError

APP = 'from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get("/")\ndef index():\n    return {}\n'
REQUIREMENTS = "fastapi==0.115.0\nuvicorn==0.30.0\nalembic==1.13.2\n"
SERVICES = """services:
  web:
    build: .
    ports: ["8000:8000"]
    depends_on:
      migrate:
        condition: service_completed_successfully
  migrate:
{migrate}
"""


def _project(tmp_path: Path, migrate: str, **files: str) -> Path:
    root = tmp_path / "tally"
    (root / "migrations").mkdir(parents=True)
    (root / "migrations" / "env.py").write_text("from alembic import context\n", encoding="utf-8")
    (root / "alembic.ini").write_text("[alembic]\nscript_location = migrations\n", encoding="utf-8")
    (root / "main.py").write_text(APP, encoding="utf-8")
    (root / "requirements.txt").write_text(REQUIREMENTS, encoding="utf-8")
    (root / "compose.yaml").write_text(SERVICES.format(migrate=migrate), encoding="utf-8")
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("migrate", "files"),
    [
        ('    build: .\n    command: alembic upgrade head\n    restart: "no"', {}),
        ('    build: .\n    command: ["alembic", "upgrade", "head"]', {}),  # waited for, named so
        # one shell line: its migration, not the line with a quoted "&&" passed to alembic
        ('    build: .\n    command: sh -c "alembic upgrade head && python seed.py"', {}),
        (
            "    build:\n      context: .\n      dockerfile: Dockerfile.migrate",
            {"Dockerfile.migrate": 'FROM python:3.12-slim\nCOPY . .\nCMD ["alembic", "upgrade", "head"]\n'},
        ),
    ],
)
def test_the_migration_service_runs_before_the_server(
    tmp_path: Path, migrate: str, files: dict[str, str]
) -> None:
    plan = api.plan(_project(tmp_path, migrate, **files), syntax_directive=False)
    assert plan.cmd[:2] == ("/bin/sh", "-c")
    assert plan.cmd[2].startswith("alembic upgrade head && exec uvicorn main:app")
    start = next(d for d in plan.decisions if d.topic == "start")
    assert (
        "compose.yaml:8 (service migrate runs alembic upgrade head once before the app starts" in start.reason
    )


@pytest.mark.parametrize(
    "migrate",
    [
        "    image: postgres:16",  # not built from the app
        '    build: .\n    command: python seed.py\n    restart: "no"',  # not a migration
    ],
)
def test_other_services_are_not_migrations(tmp_path: Path, migrate: str) -> None:
    plan = api.plan(_project(tmp_path, migrate), syntax_directive=False)
    assert plan.cmd[0] == "uvicorn"


def test_a_shell_start_that_does_not_migrate_is_told(tmp_path: Path) -> None:
    procfile = "web: uvicorn main:app --host 0.0.0.0 --port $PORT\n"
    plan = api.plan(
        _project(
            tmp_path, '    build: .\n    command: alembic upgrade head\n    restart: "no"', Procfile=procfile
        ),
        syntax_directive=False,
    )
    assert "alembic upgrade head" not in " ".join(plan.cmd)
    assert any(
        "service migrate runs alembic upgrade head" in w and "docker run IMAGE alembic upgrade head" in w
        for w in plan.warnings
    )


def test_a_start_script_that_migrates_itself_is_not_told(tmp_path: Path) -> None:
    entry = "#!/bin/sh\nset -e\nalembic upgrade head\nexec uvicorn main:app --host 0.0.0.0 --port 8000\n"
    migrate = '    build: .\n    command: alembic upgrade head\n    restart: "no"'
    plan = api.plan(_project(tmp_path, migrate, **{"entrypoint.sh": entry}), syntax_directive=False)
    assert "entrypoint.sh" in " ".join(plan.cmd)
    assert not any("service migrate runs" in w for w in plan.warnings)


@pytest.mark.parametrize(
    ("command", "runs"),
    [
        # compose reads `$$` as a `$` and puts its defaults in: the shell of the start reads `$TENANT`;
        # a program compose runs without a shell gets the `$` as written
        ('sh -c "alembic -x tenant=$$TENANT upgrade head"', 'alembic -x "tenant=$TENANT" upgrade head'),
        (
            '["alembic", "-x", "tenant=$${TENANT:-main}", "upgrade", "head"]',
            "alembic -x 'tenant=${TENANT:-main}'",
        ),
        ("alembic -x tenant=${TENANT:-main} upgrade head", "alembic -x tenant=main upgrade head"),
    ],
)
def test_the_migration_service_s_command_is_read_after_compose_s_interpolation(
    tmp_path: Path, command: str, runs: str
) -> None:
    """A `$$` left as written reached the start's shell, which reads `$$` as its process id."""
    plan = api.plan(_project(tmp_path, f"    build: .\n    command: {command}"), syntax_directive=False)
    assert plan.cmd[2].startswith(runs), plan.cmd
    assert "$$" not in plan.cmd[2]


def test_the_migration_service_is_the_release_step_not_another_process(tmp_path: Path) -> None:
    # a one-shot service that migrates runs once before the app: never listed beside the image's other
    # processes, never a long-running start of its own
    root = _project(tmp_path, '    build: .\n    command: alembic upgrade head\n    restart: "no"')
    plan = api.plan(root, syntax_directive=False)
    assert plan.facts.app.other_processes == ()
    processes = next((d for d in plan.decisions if d.topic == "processes"), None)
    assert processes is None or "migrate" not in processes.reason
    with pytest.raises(ProjectError, match=r"--process migrate: .*release step"):
        api.plan(root, syntax_directive=False, process="migrate")
