"""A folder the app writes inside one of its packages is made writable where the installed package is
(project/package_folders.py, plan/start.py)."""

from __future__ import annotations

from pathlib import Path

from dockwright.initialize import plan_project
from dockwright.project.detectors.scan import ModuleScan
from dockwright.project.facts import Evidence, Fact
from dockwright.project.package_folders import installed_paths

MAIN = """import time
from pathlib import Path

STAMP = Path(__file__).parent / "state" / "last_run.txt"


def main() -> None:
    STAMP.parent.mkdir(parents=True, exist_ok=True)
    STAMP.write_text(str(time.time()), encoding="utf-8")
    while True:
        time.sleep(60)
"""
PACKAGE = """[project]
name = "statebot"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = []

[project.scripts]
statebot = "statebot.main:main"

[build-system]
requires = ["flit_core<4"]
build-backend = "flit_core.buildapi"
"""


def test_a_wheel_installed_app_writes_beside_its_installed_module(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(PACKAGE, encoding="utf-8")
    (tmp_path / "src" / "statebot").mkdir(parents=True)
    (tmp_path / "src" / "statebot" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "src" / "statebot" / "main.py").write_text(MAIN, encoding="utf-8")
    plan = plan_project(tmp_path, {"python": "3.13"}, env={})
    assert plan.app_install == "wheel"
    assert plan.facts.app.installed_writable == (("src/statebot/state", "statebot/state"),)
    folder = "/opt/venv/lib/python3.13/site-packages/statebot/state"
    run = [s for s in plan.runtime_steps if s.instruction == "RUN" and folder in " ".join(s.args)]
    assert run and f"chown -R 10001:10001 {folder}" in run[0].args
    assert not any("not made the app user's" in w for w in plan.warnings)


def test_installed_paths_take_the_deepest_package_and_leave_the_rest() -> None:
    scans = {
        "src/shop/__init__.py": ModuleScan("src/shop/__init__.py", "shop"),
        "src/shop/cache/store.py": ModuleScan("src/shop/cache/store.py", "shop.cache.store"),
        "main.py": ModuleScan("main.py", "main"),
    }
    why = (Evidence("x.py", 1, "a write"),)
    writable = [Fact(p, why) for p in ("src/shop/cache/blobs", "src/shop/uploads", "data", "/var/run/shop")]
    assert installed_paths(writable, scans) == (
        ("src/shop/cache/blobs", "shop/cache/blobs"),
        ("src/shop/uploads", "shop/uploads"),
    )


def test_only_the_apps_own_installed_folders_below_the_venv_become_the_app_users(tmp_path: Path) -> None:
    import dataclasses

    from dockwright.plan.planner import make_plan

    (tmp_path / "pyproject.toml").write_text(PACKAGE, encoding="utf-8")
    (tmp_path / "src" / "statebot").mkdir(parents=True)
    (tmp_path / "src" / "statebot" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "src" / "statebot" / "main.py").write_text(MAIN, encoding="utf-8")
    plan = plan_project(tmp_path, {"python": "3.13"}, env={})
    facts = plan.facts
    other = Fact(
        "/opt/venv/lib/python3.13/site-packages/django/contrib", (Evidence("x.py", 1, "a made-up write"),)
    )
    app = dataclasses.replace(facts.app, writable=(*facts.app.writable, other))
    replanned = make_plan(dataclasses.replace(facts, app=app))
    chown = " ".join(a for s in replanned.runtime_steps if s.instruction == "RUN" for a in s.args)
    assert "site-packages/statebot/state" in chown and "django/contrib" not in chown
    assert any("django/contrib" in w and "not made the app user's" in w for w in replanned.warnings)
