"""A compose file's values are interpolated by compose from the host at `docker compose up`
(``${LOCAL_TIMEZONE}``): the image carries a compose default (``${VAR:-x}``), never the literal text."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.project.apps import detect_app
from dockwright.project.detectors.base import split_command
from dockwright.project.detectors.compose import interpolated
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]

APP = "from flask import Flask\n\napp = Flask(__name__)\n"


@pytest.mark.parametrize(
    ("value", "carried"),
    [
        ("ledger.settings.prod", "ledger.settings.prod"),
        ("${LEDGER_SETTINGS}", None),
        ("$LEDGER_SETTINGS", None),
        ("${LEDGER_SETTINGS:?set it}", None),
        ("${LEDGER_SETTINGS:-ledger.settings.prod}", "ledger.settings.prod"),
        ("${LEDGER_SETTINGS-ledger.settings.prod}", "ledger.settings.prod"),
        ("ledger.settings.${STAGE}", None),
        ("price$$", "price$"),
    ],
)
def test_compose_s_interpolation(value: str, carried: str | None) -> None:
    assert interpolated(value) == carried


def _service(environment: str, command: str = "gunicorn --bind 0.0.0.0:8000 ledger.app:app") -> str:
    return f"services:\n  web:\n    build: .\n    command: {command}\n    environment:\n{environment}"


def _settings_left_out(make_project: MakeProject, environment: str) -> list[str]:
    """The notes of the compose start whose service has ``environment``, which carries no ``$`` and no
    DJANGO_SETTINGS_MODULE."""
    compose = _service(environment)
    root = make_project({"ledger/__init__.py": "", "ledger/app.py": APP, "compose.yaml": compose})
    notes: list[str] = []
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"flask", "gunicorn"}), notes=notes)
    assert app.command.evidence[0].file == "compose.yaml"
    assert all("$" not in e.value for e in app.env)
    assert "DJANGO_SETTINGS_MODULE" not in {e.name for e in app.env}
    return notes


def test_a_host_variable_in_environment_is_not_carried_as_its_text(make_project: MakeProject) -> None:
    """Before: ``DJANGO_SETTINGS_MODULE=${LEDGER_SETTINGS}`` went into the image as that text."""
    notes = _settings_left_out(
        make_project, "      - TZ=${LOCAL_TIMEZONE}\n      - DJANGO_SETTINGS_MODULE=${LEDGER_SETTINGS}\n"
    )
    assert any("DJANGO_SETTINGS_MODULE=${LEDGER_SETTINGS}" in n and "not carried" in n for n in notes)


def test_a_compose_default_is_carried(make_project: MakeProject) -> None:
    compose = _service("      DJANGO_SETTINGS_MODULE: ${LEDGER_SETTINGS:-ledger.settings}\n")
    root = make_project({"ledger/__init__.py": "", "ledger/app.py": APP, "compose.yaml": compose})
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"flask", "gunicorn"}))
    assert {e.name: e.value for e in app.env}["DJANGO_SETTINGS_MODULE"] == "ledger.settings"


def test_variables_assigned_before_the_command_reach_it_through_the_shell(make_project: MakeProject) -> None:
    """Before: ``exec TZ=${LOCAL_TIMEZONE} gunicorn ...``, which sh runs as a program named
    ``TZ=...`` (exit 127 at start); a quoted value was split into an exec form naming ``A=x y``."""
    command = "TZ=${LOCAL_TIMEZONE} MODE=${LEDGER_MODE:-live} gunicorn --bind 0.0.0.0:8000 ledger.app:app"
    files = {
        "ledger/__init__.py": "",
        "ledger/app.py": APP,
        "compose.yaml": _service("      - A=1\n", command),
    }
    app = detect_app(ProjectTree(make_project(files)), None, dependencies=frozenset({"flask", "gunicorn"}))
    # compose puts the default in before the container runs (the host's TZ is left to the image's shell)
    expected = "TZ=${LOCAL_TIMEZONE} MODE=live exec gunicorn --bind 0.0.0.0:8000 ledger.app:app"
    assert app.command.value == ("/bin/sh", "-c", expected)
    assert split_command('A="x y" celery -A ledger worker') == (
        "/bin/sh",
        "-c",
        'A="x y" exec celery -A ledger worker',
    )


def _command_app(
    make_project: MakeProject, command: str, notes: list[str] | None = None
) -> tuple[tuple[str, ...], int | None]:
    files = {
        "ledger/__init__.py": "",
        "ledger/app.py": APP,
        "compose.yaml": _service("      - A=1\n", command),
    }
    deps = frozenset({"flask", "gunicorn"})
    app = detect_app(ProjectTree(make_project(files)), None, dependencies=deps, notes=notes)
    return app.command.value, app.port.value


@pytest.mark.parametrize(
    "command",
    [
        "gunicorn -b 0.0.0.0:${LEDGER_PORT:-5000} ledger.app:app",
        '["gunicorn", "-b", "0.0.0.0:${LEDGER_PORT:-5000}", "ledger.app:app"]',
        "${LEDGER_SERVER:-gunicorn} -b 0.0.0.0:${LEDGER_PORT-5000} ledger.app:app",
    ],
)
def test_command_words_take_compose_s_defaults(make_project: MakeProject, command: str) -> None:
    """Before: a list's ``0.0.0.0:${LEDGER_PORT:-5000}`` went into an exec-form CMD as that text (gunicorn
    stops on it), and ``${LEDGER_SERVER:-gunicorn}`` named no program."""
    assert _command_app(make_project, command) == (("gunicorn", "-b", "0.0.0.0:5000", "ledger.app:app"), 5000)


@pytest.mark.parametrize(
    ("command", "line"),
    [
        (
            "gunicorn -w ${LEDGER_WORKERS} -b 0.0.0.0:5000 ledger.app:app",
            "exec gunicorn -w ${LEDGER_WORKERS}",
        ),
        (
            '["gunicorn", "-w", "${LEDGER_WORKERS}", "-b", "0.0.0.0:5000", "ledger.app:app"]',
            'exec gunicorn -w "${LEDGER_WORKERS}"',
        ),
    ],
)
def test_a_host_variable_of_an_argument_is_read_by_the_shell_at_start(
    make_project: MakeProject, command: str, line: str
) -> None:
    notes: list[str] = []
    argv, port = _command_app(make_project, command, notes)
    assert argv[:2] == ("/bin/sh", "-c") and argv[2].startswith(line) and port == 5000
    assert any("names $LEDGER_WORKERS, the host's value" in n and "docker run -e" in n for n in notes), notes


def test_a_host_variable_as_the_program_is_not_a_start(make_project: MakeProject) -> None:
    notes: list[str] = []
    argv, _ = _command_app(make_project, "${LEDGER_SERVER} -b 0.0.0.0:5000 ledger.app:app", notes)
    assert "${LEDGER_SERVER}" not in " ".join(argv)  # the framework's own start instead
    assert any("${LEDGER_SERVER}" in n and "not used" in n for n in notes), notes


def test_a_doubled_dollar_is_a_literal_dollar_for_the_container_s_shell() -> None:
    """`$$VAR` and `$${VAR:-x}` are compose's way to write a `$`: no host variable, no default put in."""
    from dockwright.project.compose_interpolation import command_words, interpolated

    found = command_words('sh -c "exec gunicorn -b 0.0.0.0:$$PORT -w $${WORKERS:-2} app:app"')
    assert found.value == 'sh -c "exec gunicorn -b 0.0.0.0:$PORT -w ${WORKERS:-2} app:app"'
    assert found.host == () and not found.program_needs
    assert command_words(["alembic", "-x", "t=$$T"]).value == ["alembic", "-x", "t=$T"]
    assert interpolated("pa$$word") == "pa$word"


def test_a_literal_dollar_in_environment_is_not_carried_for_env_to_expand(make_project: MakeProject) -> None:
    """``$$`` is a literal ``$`` to compose, but an ``ENV`` line reads ``$STAGE`` as a variable of the
    build: the value is left out (named in a note), never carried as another value."""
    notes = _settings_left_out(make_project, "      DJANGO_SETTINGS_MODULE: ledger.$$STAGE\n")
    assert any("DJANGO_SETTINGS_MODULE=ledger.$$STAGE" in n and "not carried" in n for n in notes), notes
