"""A repository start wrapped in a wait for another service (project/wait_wrappers.py): the start is the
wrapped command; the wait stays only when its program is a file of the project. Our own examples."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.project.detect import detect_project
from dockwright.project.wait_wrappers import split_wait

MakeProject = Callable[[dict[str, str | bytes]], Path]

WEB = "from flask import Flask\n\napp = Flask(__name__)\n"
SERVE = "gunicorn --bind 0.0.0.0:5005 web:app"


def _compose(command: str) -> str:
    return (
        "services:\n  db:\n    image: postgres:16\n  web:\n    build: .\n"
        f"    command: {command}\n    ports:\n      - '5005:5005'\n    depends_on:\n      - db\n"
    )


@pytest.mark.parametrize(
    ("argv", "wrapped"),
    [
        ("wait-for-it db:5432 -t 60 -- gunicorn web:app", "gunicorn web:app"),
        ("./wait-for.sh db:5432 -- python app.py", "python app.py"),
        ("dockerize -wait tcp://db:5432 -timeout 60s -wait=http://api/ gunicorn web:app", "gunicorn web:app"),
    ],
)
def test_the_wrapped_command(argv: str, wrapped: str) -> None:
    found = split_wait(tuple(argv.split()))
    assert found is not None and found[1] == tuple(wrapped.split())


def test_no_wrapped_command() -> None:
    assert split_wait(("wait-for-it", "db:5432")) is None
    assert split_wait(("gunicorn", "web:app")) is None


@pytest.mark.parametrize(
    "command",
    [
        f"dockerize -wait tcp://db:5432 -timeout 60s {SERVE}",
        f"wait-for-it db:5432 -t 60 -- {SERVE}",
        f"sh -c 'wait-for db:5432 -- {SERVE}'",
    ],
)
def test_a_wait_the_image_does_not_have_is_left_to_the_platform(
    make_project: MakeProject, command: str
) -> None:
    root = make_project(
        {"web.py": WEB, "requirements.txt": "flask\ngunicorn\n", "compose.yaml": _compose(command)}
    )
    facts = detect_project(root, python="3.13")
    assert facts.app.command.value[-4:] == tuple(SERVE.split())
    assert "wait" not in " ".join(facts.app.command.value)
    assert facts.app.port.value == 5005
    assert any("the platform must start the app after" in n for n in facts.notes)


def test_the_project_s_own_wait_script_is_kept(make_project: MakeProject) -> None:
    command = f"./wait-for-it.sh db:5432 -t 60 -- {SERVE}"
    root = make_project(
        {
            "web.py": WEB,
            "wait-for-it.sh": "#!/bin/sh\nexit 0\n",
            "requirements.txt": "flask\ngunicorn\n",
            "compose.yaml": _compose(command),
        }
    )
    facts = detect_project(root, python="3.13")
    assert facts.app.command.value == tuple(command.split())
    assert facts.app.port.value == 5005
    assert not any("the platform must start the app after" in n for n in facts.notes)


def test_a_quoted_separator_in_the_wrapped_command_is_no_cut(make_project: MakeProject) -> None:
    # the shell's lists are read outside quotes (shell_lists): `'a;b'` is one word of the wrapped server
    line = f"cd /srv && wait-for db:5432 -- {SERVE} --access-logformat 'x;y'"
    root = make_project(
        {"web.py": WEB, "requirements.txt": "flask\ngunicorn\n", "compose.yaml": _compose(f'sh -c "{line}"')}
    )
    facts = detect_project(root, python="3.13")
    shell = facts.app.command.value
    assert shell[1] == "-c" and "wait-for" not in shell[2], shell
    assert shell[2].endswith(f"exec {SERVE} --access-logformat 'x;y'"), shell
    assert facts.app.port.value == 5005


def test_the_last_command_of_a_shell_line_is_read_outside_quotes() -> None:
    from dockwright.project.detectors.servers import last_command

    line = "python manage.py migrate && exec gunicorn --access-logformat 'x;y' web:app"
    assert last_command(("sh", "-c", line)) == ("gunicorn", "--access-logformat", "x;y", "web:app")
