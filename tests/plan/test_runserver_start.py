"""``--start`` running Django's runserver is a web process: its port exposed and probed, the start in CMD
(rw40 start-port-ignored: it was a CLI, ``python manage.py`` its ENTRYPOINT, no port, no probe)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dockwright import api

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(EXAMPLES / "django-static-i18n", root, ignore=shutil.ignore_patterns("golden"))
    return root


def test_a_runserver_start_is_served_on_its_port_with_a_probe(site: Path) -> None:
    plan = api.plan(site, start="python manage.py runserver 0.0.0.0:8001")
    assert plan.cmd == ("python", "manage.py", "runserver", "0.0.0.0:8001")
    assert "manage.py" not in plan.entrypoint
    assert plan.expose == 8001
    assert plan.healthcheck is not None and "8001" in " ".join(plan.healthcheck.argv)
    assert any("Django's development server" in w for w in plan.warnings)
    assert not any("loopback" in w for w in plan.warnings)


def test_a_bare_runserver_start_says_it_listens_on_loopback(site: Path) -> None:
    plan = api.plan(site, start="python manage.py runserver")
    assert plan.expose == 8000
    assert any("runserver without an address listens on 127.0.0.1" in w for w in plan.warnings)


def test_another_management_command_stays_a_cli(site: Path) -> None:
    plan = api.plan(site, start="python manage.py migrate")
    assert (plan.entrypoint[-2:], plan.cmd, plan.expose, plan.healthcheck) == (
        ("python", "manage.py"),
        ("migrate",),
        None,
        None,
    )
