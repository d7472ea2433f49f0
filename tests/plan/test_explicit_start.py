"""``--start`` as the image runs it: a project manager's runner left out, a line with shell syntax run by
``/bin/sh -c`` (rw40: ``--start "uv run ..."`` kept ``uv``, which the image lacks; ``0.0.0.0:$PORT`` in an
exec-form CMD reached gunicorn unexpanded), and ``flask run`` served as a web process on its port."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dockwright import api
from dockwright.errors import ProjectError

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture
def app(tmp_path: Path) -> Path:
    root = tmp_path / "app"
    shutil.copytree(EXAMPLES / "flask-requirements", root, ignore=shutil.ignore_patterns("golden"))
    return root


def test_a_runner_before_the_start_is_left_out_and_said(app: Path) -> None:
    plan = api.plan(app, start="uv run gunicorn -b 0.0.0.0:8001 app:app")
    assert plan.cmd == ("gunicorn", "-b", "0.0.0.0:8001", "app:app")
    assert plan.expose == 8001
    assert any("--start: uv run left out" in w for w in plan.warnings)


def test_a_start_reading_a_variable_runs_in_a_shell(app: Path) -> None:
    plan = api.plan(app, start="gunicorn -b 0.0.0.0:$PORT app:app")
    assert plan.cmd == ("/bin/sh", "-c", "exec gunicorn -b 0.0.0.0:$PORT app:app")
    assert plan.expose == 8000
    assert {e.name: e.value for e in plan.app_env}["PORT"] == "8000"
    assert any("--start uses shell syntax" in w for w in plan.warnings)


def test_steps_before_the_server_run_first_each_without_its_runner(app: Path) -> None:
    plan = api.plan(app, start="poetry run flask db upgrade && poetry run gunicorn -b :8002 app:app")
    assert plan.cmd == ("/bin/sh", "-c", "flask db upgrade && exec gunicorn -b :8002 app:app")
    assert plan.expose == 8002


def test_a_shell_line_the_user_wrote_is_kept(app: Path) -> None:
    plan = api.plan(app, start="sh -c 'exec gunicorn -b :$PORT app:app'")
    assert plan.cmd == ("sh", "-c", "exec gunicorn -b :$PORT app:app")
    assert not any("--start uses shell syntax" in w for w in plan.warnings)


def test_a_plain_start_is_run_as_given(app: Path) -> None:
    plan = api.plan(app, start="gunicorn --bind 0.0.0.0:8000 app:app")
    assert plan.cmd == ("gunicorn", "--bind", "0.0.0.0:8000", "app:app")
    assert not any(w.startswith("--start") for w in plan.warnings)


def test_an_unsplittable_start_is_one_error(app: Path) -> None:
    with pytest.raises(ProjectError, match="cannot split --start"):
        api.plan(app, start="gunicorn 'app:app")


def test_flask_run_is_a_web_process_on_its_port(app: Path) -> None:
    plan = api.plan(app, start="python -m flask --app app run --host 0.0.0.0 --port=5001")
    assert plan.cmd[-3:] == ("--host", "0.0.0.0", "--port=5001")
    assert plan.expose == 5001
    assert plan.healthcheck is not None and "5001" in " ".join(plan.healthcheck.argv)
    assert any(
        "Flask's development server" in w and "gunicorn --bind 0.0.0.0:5001 app:app" in w
        for w in plan.warnings
    )
    assert not any("loopback" in w for w in plan.warnings)


def test_a_bare_flask_run_listens_on_5000_on_loopback(app: Path) -> None:
    plan = api.plan(app, start="flask run")
    assert plan.expose == 5000
    assert any("flask run listens on 127.0.0.1, a loopback address" in w for w in plan.warnings)


def test_another_flask_command_stays_a_cli(app: Path) -> None:
    plan = api.plan(app, start="flask db upgrade")
    assert (plan.expose, plan.healthcheck) == (None, None)


def test_shell_characters_inside_single_quotes_need_no_shell(app: Path) -> None:
    plan = api.plan(app, start="gunicorn 'app:create_app()'")
    assert plan.cmd == ("gunicorn", "app:create_app()")


def test_a_variable_inside_double_quotes_needs_the_shell(app: Path) -> None:
    plan = api.plan(app, start='gunicorn --bind "0.0.0.0:${PORT:-8000}" app:app')
    assert plan.cmd == ("/bin/sh", "-c", 'exec gunicorn --bind "0.0.0.0:${PORT:-8000}" app:app')


def test_the_server_said_instead_is_added_first_when_the_project_lacks_it(app: Path) -> None:
    (app / "requirements.txt").write_text("flask==3.1.0\n")
    plan = api.plan(app, start="flask run --host 0.0.0.0")
    assert any(
        'gunicorn added to the project\'s dependencies, then --start "gunicorn --bind 0.0.0.0:5000 app:app"'
        in w
        for w in plan.warnings
    )
