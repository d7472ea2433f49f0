"""A package whose Alembic configuration sits at the root (alembic.ini and the migrations folder it
names) keeps its wheel, and the runtime copies the two into the work directory, so `docker run IMAGE
alembic upgrade head` finds them; the plan says how to migrate when the start does not
(project/alembic_config.py, plan/migration_files.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockwright import api
from dockwright.plan.model import BuildPlan

PYPROJECT = """[project]
name = "tasks"
version = "0.1.0"
requires-python = ">=3.11"
dependencies = [{deps}]

[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[tool.hatch.build.targets.wheel]
packages = ["src/tasks"]
"""

FACTORY = """from litestar import Litestar


def get_app() -> Litestar:
    return Litestar(route_handlers=[])
"""


def _project(
    tmp_path: Path,
    ini: str | None = "[alembic]\nscript_location = ./migrations\n",
    deps: str = '"litestar", "uvicorn", "alembic", "sqlalchemy"',
) -> Path:
    root = tmp_path / "tasks"
    (root / "src" / "tasks").mkdir(parents=True)
    (root / "src" / "tasks" / "__init__.py").write_text("", encoding="utf-8")
    (root / "src" / "tasks" / "main.py").write_text(FACTORY, encoding="utf-8")
    (root / "pyproject.toml").write_text(PYPROJECT.format(deps=deps), encoding="utf-8")
    (root / "Procfile").write_text(
        "web: uvicorn --factory tasks.main:get_app --host 0.0.0.0 --port 8000\n", encoding="utf-8"
    )
    (root / "migrations" / "versions").mkdir(parents=True)
    (root / "migrations" / "env.py").write_text("from alembic import context\n", encoding="utf-8")
    if ini is not None:
        (root / "alembic.ini").write_text(ini, encoding="utf-8")
    return root


@pytest.mark.parametrize(
    "ini",
    [
        "[alembic]\nscript_location = ./migrations\nprepend_sys_path = .\n",
        "[alembic]\nscript_location = %(here)s/migrations\n",
        "[alembic]\nscript_location = migrations\n",
    ],
)
def test_the_root_alembic_configuration_is_copied_beside_the_wheel(tmp_path: Path, ini: str) -> None:
    plan = api.plan(_project(tmp_path, ini), syntax_directive=False)
    assert plan.app_install == "wheel"
    assert _copied(plan) == [("alembic.ini", "./"), ("migrations/", "migrations/")]
    decision = next(d for d in plan.decisions if d.topic == "migrations")
    assert (
        decision.choice == "alembic.ini and migrations/ copied to /app" and "alembic.ini:2" in decision.reason
    )
    assert plan.cmd[0] == "uvicorn"  # the start itself is unchanged
    said = [w for w in plan.warnings if "alembic.ini" in w]
    assert said and "docker run IMAGE alembic upgrade head" in said[0]


def _copied(plan: BuildPlan) -> list[tuple[str, ...]]:
    return [s.args for s in plan.runtime_steps if s.instruction == "COPY" and not s.flags]


def test_without_alembic_among_the_dependencies_nothing_is_copied(tmp_path: Path) -> None:
    plan = api.plan(_project(tmp_path, deps='"litestar", "uvicorn"'), syntax_directive=False)
    assert plan.app_install == "wheel" and _copied(plan) == []


def test_without_alembic_ini_nothing_is_copied(tmp_path: Path) -> None:
    plan = api.plan(_project(tmp_path, ini=None), syntax_directive=False)
    assert plan.app_install == "wheel" and _copied(plan) == []
    assert not [w for w in plan.warnings if "alembic" in w]


def test_a_script_location_that_is_no_folder_of_the_tree_keeps_the_wheel(tmp_path: Path) -> None:
    # `tasks:migrations`: a package resource, carried by the wheel and found through the package
    plan = api.plan(
        _project(tmp_path, "[alembic]\nscript_location = tasks:migrations\n"), syntax_directive=False
    )
    assert plan.app_install == "wheel"


def test_a_password_in_the_copied_alembic_ini_is_said_without_its_value(tmp_path: Path) -> None:
    """``sqlalchemy.url`` with a literal password: the image copies alembic.ini, so the plan says so
    (the value redacted)."""
    ini = "[alembic]\nscript_location = ./migrations\nsqlalchemy.url = postgresql://app:s3cr3t-77@db/tasks\n"
    plan = api.plan(_project(tmp_path, ini), syntax_directive=False)
    said = [w for w in plan.warnings if "holds a database password" in w]
    assert said and "alembic.ini:3" in said[0] and "s3cr3t-77" not in said[0]
    placeholder = (
        "[alembic]\nscript_location = ./migrations\nsqlalchemy.url = driver://user:pass@localhost/dbname\n"
    )
    plan = api.plan(_project(tmp_path / "b", placeholder), syntax_directive=False)
    assert not any("holds a database password" in w for w in plan.warnings)


def test_a_start_script_that_upgrades_first_needs_no_migrate_note(tmp_path: Path) -> None:
    """The start runs a script that applies the migrations, then execs the server: nothing to say."""
    root = _project(tmp_path)
    (root / "Procfile").unlink()
    (root / "start.sh").write_text(
        "#!/bin/sh\nset -e\nalembic upgrade head\n"
        "exec uvicorn --factory tasks.main:get_app --host 0.0.0.0 --port 8000\n",
        encoding="utf-8",
    )
    plan = api.plan(root, syntax_directive=False)
    assert plan.cmd == ("sh", "start.sh")
    assert not [w for w in plan.warnings if "once per deploy" in w]


def test_a_comment_naming_alembic_in_the_start_script_keeps_the_migrate_note(tmp_path: Path) -> None:
    """A script that only mentions Alembic in a comment does not migrate: the note stays."""
    root = _project(tmp_path)
    (root / "Procfile").unlink()
    (root / "start.sh").write_text(
        "#!/bin/sh\nset -e\n# the schema: alembic upgrade head, run by hand\n"
        "exec uvicorn --factory tasks.main:get_app --host 0.0.0.0 --port 8000  # no alembic here\n",
        encoding="utf-8",
    )
    plan = api.plan(root, syntax_directive=False)
    assert plan.cmd == ("sh", "start.sh")
    assert [w for w in plan.warnings if "once per deploy" in w]


@pytest.mark.parametrize(
    "line",
    [
        "set -e; (cd boot; . ./prestart.sh); exec uvicorn --factory tasks.main:get_app --port 8000",
        "cd 'boot' && sh prestart.sh && exec uvicorn --factory tasks.main:get_app --port 8000",
    ],
)
def test_a_shell_start_sourcing_a_migrating_script_from_a_folder_needs_no_note(
    tmp_path: Path, line: str
) -> None:
    """`sh -c` starts that enter a folder and run its script: the script's `alembic upgrade` is read."""
    root = _project(tmp_path)
    (root / "Procfile").write_text(f'web: sh -c "{line}"\n', encoding="utf-8")
    (root / "boot").mkdir()
    (root / "boot" / "prestart.sh").write_text("#!/bin/sh\nalembic upgrade head\n", encoding="utf-8")
    plan = api.plan(root, syntax_directive=False)
    assert plan.cmd[1] == "-c"
    assert not [w for w in plan.warnings if "once per deploy" in w]
