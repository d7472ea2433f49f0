"""Build steps a repository's start line repeats (collectstatic, compilemessages) leave the image's start
when the plan already runs them at build time; the rest of the line stays as written."""

from __future__ import annotations

import shutil
from pathlib import Path

from dockwright import api

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _site(tmp_path: Path, procfile: str) -> Path:
    root = tmp_path / "site"
    shutil.copytree(EXAMPLES / "django-static-i18n", root, ignore=shutil.ignore_patterns("golden"))
    (root / "Procfile").write_text(procfile, encoding="utf-8")
    return root


def test_collectstatic_and_compilemessages_leave_the_start_and_migrate_stays(tmp_path: Path) -> None:
    root = _site(
        tmp_path,
        "web: python manage.py migrate && python manage.py collectstatic --no-input"
        " && python manage.py compilemessages && gunicorn mysite.wsgi\n",
    )
    plan = api.plan(root)
    assert plan.cmd == ("/bin/sh", "-c", "python manage.py migrate && exec gunicorn mysite.wsgi")
    decision = plan.decision("start-build-steps")
    assert decision is not None
    assert decision.choice == (
        "dropped: python manage.py collectstatic --no-input; python manage.py compilemessages"
    )
    assert "Procfile:1" in decision.reason
    assert "runtime: manage.py collectstatic --noinput already does it at build time" in decision.reason
    start = plan.decision("start")
    assert start is not None and start.choice == " ".join(plan.cmd)
    # the build still runs both steps
    assert any("collectstatic" in " ".join(s.args) for s in plan.runtime_steps)
    assert any("compilemessages" in " ".join(s.args) for s in plan.builder_steps)


def test_a_start_left_with_the_server_alone_is_exec_form(tmp_path: Path) -> None:
    root = _site(
        tmp_path, "web: python manage.py collectstatic --noinput; gunicorn mysite.wsgi --workers 2\n"
    )
    plan = api.plan(root)
    assert plan.cmd == ("gunicorn", "mysite.wsgi", "--workers", "2")


def test_a_step_the_build_does_not_run_stays_in_the_start(tmp_path: Path) -> None:
    # without STATIC_ROOT collectstatic is not planned: the start line is the only place it runs
    root = _site(tmp_path, "web: python manage.py collectstatic --no-input && gunicorn mysite.wsgi\n")
    settings = root / "mysite" / "settings.py"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace('STATIC_ROOT = BASE_DIR / "staticfiles"\n', ""),
        encoding="utf-8",
    )
    plan = api.plan(root)
    assert plan.cmd == (
        "/bin/sh",
        "-c",
        "python manage.py collectstatic --no-input && exec gunicorn mysite.wsgi",
    )
    assert plan.decision("start-build-steps") is None
