"""The repository's own image running its server with a reloader (``gunicorn --reload``, ``uvicorn
--reload-dir app``): a development option of a production server. The planned start keeps what the line
does (its steps before the server, the server's other options) and serves without the reloader
(data/servers.toml ``development``; detectors/own_image_shell.py, project/own_server_options.py).
Examples of our own."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.project.detect import detect_project

MakeProject = Callable[[dict[str, str | bytes]], Path]

WEB = "from flask import Flask\n\napp = Flask(__name__)\n"
STEP = "import os\n\nif __name__ == '__main__':\n    print('views', os.environ.get('VIEWS_URL'))\n"


def _files(cmd: str) -> dict[str, str | bytes]:
    return {
        "requirements.txt": "flask\ngunicorn\n",
        "board/__init__.py": "",
        "board/web.py": WEB,
        "board/setup_views.py": STEP,
        "Dockerfile": f"FROM python:3.12\nWORKDIR /srv\nCOPY . .\n{cmd}\n",
    }


@pytest.mark.parametrize(
    "cmd",
    [
        "CMD python -m board.setup_views; gunicorn --reload -b 0.0.0.0:8050 board.web:app",
        'CMD ["sh", "-c", "python -m board.setup_views; gunicorn --reload-engine poll --reload -b 0.0.0.0:8050 board.web:app"]',
    ],
)
def test_the_steps_run_and_the_server_serves_without_its_reloader(
    make_project: MakeProject, cmd: str
) -> None:
    facts = detect_project(make_project(_files(cmd)), python="3.12")
    app = facts.app
    assert app.command.value == (
        "/bin/sh",
        "-c",
        "python -m board.setup_views; exec gunicorn -b 0.0.0.0:8050 board.web:app",
    )
    assert (app.kind.value, app.port.value) == ("web", 8050)
    assert any("--reload" in n and "development" in n for n in facts.notes)


def test_a_single_command_s_reloader_is_not_carried(make_project: MakeProject) -> None:
    cmd = 'CMD ["gunicorn", "--reload", "-w", "3", "-b", "0.0.0.0:8050", "board.web:app"]'
    app = detect_project(make_project(_files(cmd)), python="3.12").app
    assert "--reload" not in app.command.value
    assert "-w" in app.command.value  # the image's other options are still carried


def test_a_development_server_line_is_still_not_read(make_project: MakeProject) -> None:
    cmd = "CMD python -m board.setup_views; flask --app board.web run --reload"
    app = detect_project(make_project(_files(cmd)), python="3.12").app
    assert app.command.value[0] != "/bin/sh"


def test_the_reloader_is_cut_out_and_every_other_word_stays_as_written() -> None:
    """Only the development options leave the line: a variable, a default, a quoted word and a
    redirection stay as the shell reads them (review28 F2: the line was quoted again word by word, so
    `'${WORKERS:-2}'` reached gunicorn as it is and `>` became an argument)."""
    from dockwright.project.detectors.own_image_shell import _without_reloader

    line = 'python -c "print(1)" && gunicorn --reload -w ${WORKERS:-2} -b 0.0.0.0:$PORT app:app > log 2>&1'
    assert _without_reloader(line) == (
        'python -c "print(1)" && gunicorn -w ${WORKERS:-2} -b 0.0.0.0:$PORT app:app > log 2>&1',
        ("--reload",),
    )
    assert _without_reloader("uvicorn app:app --reload-dir src --reload --port $PORT") == (
        "uvicorn app:app --port $PORT",
        ("--reload-dir src", "--reload"),
    )
    assert _without_reloader("gunicorn 'unclosed app:app --reload") == (
        "gunicorn 'unclosed app:app --reload",
        (),
    )
