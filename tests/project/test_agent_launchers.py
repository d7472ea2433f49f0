"""A start run through an APM agent's launcher (project/agent_launchers.py): ``newrelic-admin run-program
CMD``, ``ddtrace-run CMD``, ``opentelemetry-instrument [--opt value]... CMD``. The launcher is kept when the
project installs its agent, and the server is read from the command it wraps. Our own examples."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.project.agent_launchers import split_launcher
from dockwright.project.detect import detect_project

MakeProject = Callable[[dict[str, str | bytes]], Path]

WEB = "from flask import Flask\n\napp = Flask(__name__)\n"
SERVE = "gunicorn --bind 0.0.0.0:5005 --workers 3 web:app"


@pytest.mark.parametrize(
    ("argv", "wrapped"),
    [
        ("newrelic-admin run-program gunicorn web:app", "gunicorn web:app"),
        ("ddtrace-run gunicorn web:app", "gunicorn web:app"),
        (
            "opentelemetry-instrument --traces_exporter console --service_name shop gunicorn web:app",
            "gunicorn web:app",
        ),
        ("opentelemetry-instrument --metrics_exporter=none python app.py", "python app.py"),
    ],
)
def test_the_wrapped_command(argv: str, wrapped: str) -> None:
    found = split_launcher(tuple(argv.split()))
    assert found is not None and found[1] == tuple(wrapped.split())


def test_no_wrapped_command() -> None:
    assert split_launcher(("newrelic-admin", "validate-config", "newrelic.ini")) is None
    assert split_launcher(("ddtrace-run",)) is None
    assert split_launcher(("gunicorn", "web:app")) is None


@pytest.mark.parametrize(
    ("launcher", "agent"),
    [("newrelic-admin run-program", "newrelic"), ("ddtrace-run", "ddtrace")],
)
def test_the_procfile_start_keeps_the_agent_the_project_installs(
    make_project: MakeProject, launcher: str, agent: str
) -> None:
    root = make_project(
        {
            "web.py": WEB,
            "requirements.txt": f"flask\ngunicorn\n{agent}\n",
            "Procfile": f"web: {launcher} {SERVE}\n",
        }
    )
    facts = detect_project(root, python="3.13")
    assert facts.app.command.value == (*launcher.split(), *SERVE.split()), facts.app.command.value
    assert facts.app.port.value == 5005
    assert not any("neither the interpreter" in w for w in facts.notes), facts.notes


def test_a_launcher_whose_agent_is_not_installed_is_not_the_start(make_project: MakeProject) -> None:
    root = make_project(
        {
            "web.py": WEB,
            "requirements.txt": "flask\ngunicorn\n",
            "Procfile": f"web: newrelic-admin run-program {SERVE}\n",
        }
    )
    facts = detect_project(root, python="3.13")
    assert "newrelic-admin" not in facts.app.command.value
    assert any("newrelic-admin" in w and "newrelic" in w for w in facts.notes), facts.notes


def test_the_server_the_launcher_wraps_is_told_to_listen_on_all_interfaces(make_project: MakeProject) -> None:
    root = make_project(
        {
            "web.py": WEB,
            "requirements.txt": "flask\nhypercorn\nddtrace\n",
            "Procfile": "web: ddtrace-run hypercorn web:app\n",
        }
    )
    facts = detect_project(root, python="3.13")
    command = facts.app.command.value
    assert command[:2] == ("ddtrace-run", "hypercorn"), command
    assert "--bind" in command and any(w.startswith("0.0.0.0") for w in command), command
