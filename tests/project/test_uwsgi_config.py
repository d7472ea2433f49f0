"""uWSGI's listener and SIGTERM (project/uwsgi_config.py): the port its command line or ini file listens
on, a note for a uwsgi-protocol or loopback socket, and UWSGI_DIE_ON_TERM when it would reload on
SIGTERM."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.detect import detect_project
from dockwright.project.facts import ProjectFacts

MakeProject = Callable[[dict[str, str | bytes]], Path]

APP = "from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.route('/')\ndef index():\n    return 'hi'\n"


def _facts(make_project: MakeProject, procfile: str, ini: str = "", **files: str) -> ProjectFacts:
    tree: dict[str, str | bytes] = {
        "requirements.txt": "flask\nuwsgi\n",
        "wsgi.py": APP,
        "Procfile": procfile,
    }
    if ini:
        tree["uwsgi.ini"] = ini
    tree.update(files)
    return detect_project(make_project(tree), python="3.13")


def _env(facts: ProjectFacts) -> dict[str, str]:
    return {e.name: e.value for e in facts.app.env}


def test_the_ini_http_socket_gives_the_port(make_project: MakeProject) -> None:
    ini = "[uwsgi]\nmodule = wsgi:app\nmaster = true\nhttp-socket = 0.0.0.0:5000\n"
    facts = _facts(make_project, "web: uwsgi --ini uwsgi.ini\n", ini)
    assert facts.app.port.value == 5000
    ev = facts.app.port.evidence[0]
    assert (ev.file, ev.line) == ("uwsgi.ini", 4)


def test_an_ini_as_argument_and_a_reference_to_another_key(make_project: MakeProject) -> None:
    ini = "[uwsgi]\nmodule = wsgi:app\nport = 9090\nhttp = :%(port)\ndie-on-term = true\n"
    facts = _facts(make_project, "web: uwsgi uwsgi.ini\n", ini)
    assert facts.app.port.value == 9090
    assert "UWSGI_DIE_ON_TERM" not in _env(facts)


def test_the_command_line_wins_over_the_ini(make_project: MakeProject) -> None:
    ini = "[uwsgi]\nmodule = wsgi:app\nhttp = :5000\n"
    facts = _facts(make_project, "web: uwsgi --http-socket=:7000 --ini uwsgi.ini\n", ini)
    assert facts.app.port.value == 7000


def test_without_die_on_term_the_image_sets_it(make_project: MakeProject) -> None:
    facts = _facts(make_project, "web: uwsgi --master --http :8000 --module wsgi:app\n")
    assert _env(facts)["UWSGI_DIE_ON_TERM"] == "1"
    assert facts.app.port.value == 8000


def test_a_port_variable_gets_the_planned_port(make_project: MakeProject) -> None:
    ini = "[uwsgi]\nmodule = wsgi:app\nhttp-socket = :$(PORT)\ndie-on-term = 1\n"
    facts = _facts(make_project, "web: uwsgi --ini uwsgi.ini\n", ini)
    assert _env(facts)["PORT"] == str(facts.app.port.value)


def test_a_uwsgi_protocol_socket_is_said(make_project: MakeProject) -> None:
    ini = "[uwsgi]\nmodule = wsgi:app\nsocket = :3031\n"
    facts = _facts(make_project, "web: uwsgi --ini uwsgi.ini\n", ini)
    assert facts.app.port.value == 3031
    assert any("uwsgi protocol" in n and "uwsgi.ini:3" in n for n in facts.notes)


def test_a_socket_with_the_http_protocol_is_http(make_project: MakeProject) -> None:
    ini = "[uwsgi]\nmodule = wsgi:app\nsocket = 0.0.0.0:5000\nprotocol = http\n"
    facts = _facts(make_project, "web: uwsgi --ini uwsgi.ini\n", ini)
    assert facts.app.port.value == 5000
    assert not any("uwsgi protocol" in n for n in facts.notes)


def test_another_section_of_the_ini(make_project: MakeProject) -> None:
    ini = "[uwsgi]\nhttp = :5000\n\n[prod]\nmodule = wsgi:app\nhttp = :6000\n"
    facts = _facts(make_project, "web: uwsgi --ini uwsgi.ini:prod\n", ini)
    assert facts.app.port.value == 6000


def test_other_servers_are_untouched(make_project: MakeProject) -> None:
    facts = _facts(make_project, "web: gunicorn -b 0.0.0.0:8000 wsgi:app\n")
    assert "UWSGI_DIE_ON_TERM" not in _env(facts)


def test_a_listener_that_is_no_port_gives_none(make_project: MakeProject) -> None:
    # a digit that is no ASCII digit, and a number no TCP port has: the plan's own port, no traceback
    for address in (":8\u00b2", ":99999"):
        ini = f"[uwsgi]\nmodule = wsgi:app\nhttp = {address}\n"
        facts = _facts(make_project, "web: uwsgi --ini uwsgi.ini\n", ini)
        assert facts.app.port.value != 99999
        assert all(e.file != "uwsgi.ini" for e in facts.app.port.evidence)


def test_an_entry_script_starting_uwsgi_without_exec_runs_inline(make_project: MakeProject) -> None:
    # the shape of a Django image's run.sh: migrate, then uWSGI as the shell's child; uWSGI is no
    # server the plan chooses, yet the script's last line is the start (exec added), and the ini gives
    # the port and die-on-term
    ini = "[uwsgi]\nmodule = wsgi:app\nmaster = true\nhttp-socket = 0.0.0.0:5000\n"
    facts = _facts(
        make_project,
        "",
        ini,
        **{
            "Procfile": "",
            "seed.py": "print('seeded')\n",
            "run.sh": "#!/usr/bin/env sh\npython3 seed.py\nuwsgi --ini uwsgi.ini",
            "Dockerfile": 'FROM python:3.12-slim\nCOPY . /srv\nWORKDIR /srv\nCMD ["./run.sh"]\n',
        },
    )
    assert facts.app.command.value == ("/bin/sh", "-c", "python3 seed.py; exec uwsgi --ini uwsgi.ini")
    assert facts.app.port.value == 5000
    assert _env(facts)["UWSGI_DIE_ON_TERM"] == "1"
