"""An entry script whose lines run their programs through a project manager (``uv run``, ``poetry run``)
runs inline without that prefix: the image has the programs in its venv, not the manager
(project/entry_steps.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockwright import api
from dockwright.project.entry_steps import inline_line

PYPROJECT = """[project]
name = "ledger"
version = "0.1.0"
requires-python = ">=3.11"
dependencies = ["fastapi", "uvicorn", "alembic", "sqlalchemy"]

[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"
"""

EXEC_SCRIPT = """#!/bin/sh
set -e
uv run alembic upgrade head
exec uv run uvicorn ledger.main:app --host 0.0.0.0 --port 8000 --workers 1
"""


def _project(tmp_path: Path, script: str, name: str = "entrypoint.sh") -> Path:
    root = tmp_path / "ledger"
    (root / "ledger").mkdir(parents=True)
    (root / "ledger" / "__init__.py").write_text("", encoding="utf-8")
    (root / "ledger" / "main.py").write_text(
        "from fastapi import FastAPI\n\napp = FastAPI()\n", encoding="utf-8"
    )
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (root / "alembic.ini").write_text("[alembic]\nscript_location = migrations\n", encoding="utf-8")
    (root / "migrations").mkdir()
    (root / "migrations" / "env.py").write_text("", encoding="utf-8")
    (root / name).write_text(script, encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("script", "line"),
    [
        (
            EXEC_SCRIPT,
            "alembic upgrade head && exec uvicorn ledger.main:app --host 0.0.0.0 --port 8000 --workers 1",
        ),
        (
            "#!/bin/bash\npoetry run python -m ledger.seed\nexec poetry run gunicorn ledger.wsgi -b 0.0.0.0:8000\n",
            "python -m ledger.seed; exec gunicorn ledger.wsgi -b 0.0.0.0:8000",
        ),
        (
            '#!/bin/sh\nset -e\nuv run --frozen alembic upgrade head\nexec uv run -- uvicorn ledger.main:app --port "$PORT"\n',
            'alembic upgrade head && exec uvicorn ledger.main:app --port "$PORT"',
        ),
    ],
)
def test_the_managers_prefix_is_left_out_of_each_line(script: str, line: str) -> None:
    argv = inline_line(script)
    assert argv is not None and argv[1:] == ("-c", line)


def test_a_script_without_a_prefix_or_a_build_step_runs_as_itself() -> None:
    assert inline_line("#!/bin/sh\nset -e\nalembic upgrade head\nexec uvicorn ledger.main:app\n") is None


def test_a_structured_script_with_a_prefix_is_not_rewritten() -> None:
    text = '#!/bin/sh\nif [ "$MIGRATE" = 1 ]; then\n  uv run alembic upgrade head\nfi\nexec uv run uvicorn ledger.main:app\n'
    assert inline_line(text) is None


def test_the_plan_starts_the_scripts_lines_without_uv(tmp_path: Path) -> None:
    plan = api.plan(_project(tmp_path, EXEC_SCRIPT), syntax_directive=False)
    assert plan.cmd == (
        "/bin/sh",
        "-c",
        "alembic upgrade head && exec uvicorn ledger.main:app --host 0.0.0.0 --port 8000 --workers 1",
    )
    assert plan.app_install == "source"  # alembic.ini and migrations/ are read from the work directory


def test_a_wrapper_scripts_prefixed_step_runs_before_the_start(tmp_path: Path) -> None:
    script = '#!/bin/sh\nset -e\nuv run alembic upgrade head\nexec "$@"\n'
    root = _project(tmp_path, script, "docker-entrypoint.sh")
    plan = api.plan(root, syntax_directive=False)
    assert plan.cmd[:2] == ("/bin/sh", "-c")
    assert plan.cmd[2].startswith("alembic upgrade head && exec uvicorn ledger.main:app")
    assert "uv run" not in plan.cmd[2]
