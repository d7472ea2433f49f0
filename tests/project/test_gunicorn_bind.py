"""The ``bind`` of a repository's gunicorn config decides the port the image serves, exposes and probes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.facts import AppFacts, Evidence, Fact
from dockwright.project.gunicorn_bind import with_config_bind
from dockwright.project.gunicorn_config import Bind, config_bind
from dockwright.project.plan_files import PlanFiles
from dockwright.project.tree import ProjectTree
from wording import nests_parentheses

MakeProject = Callable[[dict[str, str | bytes]], Path]

FLASK = "from flask import Flask\n\nserver = Flask(__name__)\n"
REQS = "flask==3.0.3\ngunicorn==23.0.0\n"


def _binds(
    make_project: MakeProject, text: str, argv: tuple[str, ...] = ("gunicorn", "w:server")
) -> list[object]:
    tree = ProjectTree(make_project({"gunicorn.conf.py": text, "deploy/gun.py": text}))
    found, _ = config_bind(PlanFiles(tree), argv)
    return [b.addresses for b in found]


def test_bind_forms_are_read(make_project: MakeProject) -> None:
    assert _binds(make_project, 'bind = "0.0.0.0:6100"\n') == [(Bind("0.0.0.0", 6100),)]
    assert _binds(make_project, "bind = ['127.0.0.1:6101', '[::]:6102']\n") == [
        (Bind("127.0.0.1", 6101), Bind("[::]", 6102))
    ]
    env_f = "import os\nbind = f\"0.0.0.0:{os.environ.get('APP_PORT', '6103')}\"\n"
    assert _binds(make_project, env_f) == [(Bind("0.0.0.0", 6103, "APP_PORT"),)]
    via_name = "from os import getenv\nport = int(getenv('PORT', 6104))\nbind = '0.0.0.0:' + str(port)\n"
    assert _binds(make_project, via_name) == [(Bind("0.0.0.0", 6104, "PORT"),)]
    # -c FILE names another file, when the tree holds it
    assert _binds(
        make_project, 'bind = "0.0.0.0:6105"\n', ("gunicorn", "-c", "deploy/gun.py", "w:server")
    ) == [(Bind("0.0.0.0", 6105),)]
    assert (
        _binds(make_project, 'bind = "0.0.0.0:6105"\n', ("gunicorn", "--config=missing.py", "w:server")) == []
    )


def test_unreadable_binds_are_left_out_and_said(make_project: MakeProject) -> None:
    tree = ProjectTree(
        make_project({"gunicorn.conf.py": "import os\nbind = '0.0.0.0:' + os.environ['PORT']\n"})
    )
    found, notes = config_bind(PlanFiles(tree), ("gunicorn", "w:server"))
    assert [b.addresses for b in found] == [()]
    assert notes and notes[0].startswith("gunicorn.conf.py:2: bind = ") and "--port" in notes[0]
    sock = ProjectTree(make_project({"gunicorn.conf.py": "bind = 'unix:/run/app.sock'\n"}))
    assert [b.addresses for b in config_bind(PlanFiles(sock), ("gunicorn", "w:server"))[0]] == [()]


def _project(make_project: MakeProject, config: str, **more: str) -> Path:
    return make_project({"w.py": FLASK, "requirements.txt": REQS, "gunicorn.conf.py": config, **more})


def test_the_planned_bind_gives_way_to_the_config(make_project: MakeProject) -> None:
    from dockwright.project.detect import detect_project

    config = "import os\n\nbind = f\"0.0.0.0:{os.getenv('PORT', '6200')}\"\nworkers = 3\n"
    app = detect_project(_project(make_project, config)).app
    assert app.command.value == ("gunicorn", "w:server")
    assert app.port.value == 6200 and str(app.port.evidence[0]).startswith("gunicorn.conf.py:3")
    assert [(e.name, e.value) for e in app.env if e.name == "PORT"] == [("PORT", "6200")]
    constant = detect_project(_project(make_project, 'bind = "0.0.0.0:6201"\n')).app
    assert constant.command.value == ("gunicorn", "w:server") and constant.port.value == 6201


def test_a_loopback_bind_is_warned_and_replaced_on_its_port(make_project: MakeProject) -> None:
    from dockwright.project.detect import detect_project

    facts = detect_project(_project(make_project, "if True:\n    bind = 'localhost:6300'\n"))
    assert facts.app.command.value == ("gunicorn", "--bind", "0.0.0.0:6300", "w:server")
    assert facts.app.port.value == 6300
    warned = [n for n in facts.notes if "localhost only" in n]
    assert warned and warned[0].startswith("gunicorn.conf.py:2 (in a branch of the if at line 1)"), (
        facts.notes
    )


def test_the_repository_command_keeps_its_own_bind_and_reads_its_config(make_project: MakeProject) -> None:
    from dockwright.project.detect import detect_project

    config = "import os\nbind = '0.0.0.0:' + os.environ.get('PORT', '6400')\n"
    named = {"Procfile": "web: gunicorn -c deploy/gun.py w:server\n", "deploy/gun.py": config}
    app = detect_project(_project(make_project, "", **named)).app
    assert app.command.value == ("gunicorn", "-c", "deploy/gun.py", "w:server")
    assert app.port.value == 6400 and str(app.port.evidence[0]).startswith("deploy/gun.py:2")
    assert [(e.name, e.value) for e in app.env if e.name == "PORT"] == [("PORT", "6400")]
    # no --bind: the plan's PORT (gunicorn's default bind) would point the probe elsewhere
    bare = detect_project(
        _project(make_project, 'bind = "0.0.0.0:6403"\n', Procfile="web: gunicorn w:server\n")
    ).app
    assert bare.port.value == 6403 and [e.value for e in bare.env if e.name == "PORT"] == ["6403"]
    flagged = {"Procfile": "web: gunicorn --bind 0.0.0.0:6401 w:server\n"}
    app = detect_project(_project(make_project, 'bind = "0.0.0.0:6402"\n', **flagged)).app
    assert app.command.value == ("gunicorn", "--bind", "0.0.0.0:6401", "w:server") and app.port.value == 6401


def test_user_choices_and_wheel_apps_are_left_alone(make_project: MakeProject) -> None:
    from dockwright.project.detect import detect_project

    root = _project(make_project, 'bind = "0.0.0.0:6500"\n')
    assert detect_project(root, port=7000).app.port.value == 7000
    started = detect_project(root, start="gunicorn --bind 0.0.0.0:7001 w:server").app
    assert started.port.value == 7001
    # a wheel app runs from site-packages: the working directory holds no gunicorn.conf.py
    wheel = {
        "pyproject.toml": '[project]\nname = "shop"\nversion = "1"\ndependencies = ["flask", "gunicorn"]\n'
        '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n',
        "shop/__init__.py": FLASK,
        "gunicorn.conf.py": 'bind = "0.0.0.0:6501"\n',
        "requirements.txt": REQS,
    }
    assert detect_project(make_project(wheel)).app.port.value != 6501


def test_a_wrapping_entry_script_gets_the_config_port(make_project: MakeProject) -> None:
    tree = ProjectTree(make_project({"gunicorn.conf.py": 'bind = "0.0.0.0:6600"\n', "entry.sh": ""}))
    ev = (Evidence("w.py", 3, "flask app"),)
    app = AppFacts(
        kind=Fact("web", ev),
        framework=Fact("flask", ev),
        command=Fact(("sh", "entry.sh", "gunicorn", "--bind", "0.0.0.0:8000", "w:server"), ev),
        port=Fact(8000, ev),
        health_path=Fact(None),
    )
    notes: list[str] = []
    done = with_config_bind(PlanFiles(tree), app, notes, ours=True)
    assert done.command.value == ("sh", "entry.sh", "gunicorn", "w:server") and done.port.value == 6600
    assert with_config_bind(PlanFiles(tree), app, notes, ours=False) == app  # the repository's --bind wins
    inline = Fact(("sh", "-c", "python m.py; exec gunicorn --bind 0.0.0.0:8000 w:server"), ev)
    done = with_config_bind(
        PlanFiles(tree), AppFacts(**{**app.__dict__, "command": inline}), notes, ours=True
    )
    assert done.command.value == ("sh", "-c", "python m.py; exec gunicorn w:server")


def test_a_python_module_config_is_read_as_its_file(make_project: MakeProject) -> None:
    from dockwright.project.detect import detect_project
    from dockwright.project.gunicorn_config import config_file, config_notes

    config = "import os\n\nbind = '0.0.0.0:' + os.environ.get('APP_PORT', '6700')\nworkers = 3\n"
    files = {
        "Procfile": "web: gunicorn -c python:deploy.gun_conf w:server\n",
        "deploy/__init__.py": "",
        "deploy/gun_conf.py": config,
    }
    root = _project(make_project, "", **files)
    tree = ProjectTree(root)
    assert config_file(tree, ("gunicorn", "-c", "python:deploy.gun_conf", "w:server")) == "deploy/gun_conf.py"
    assert config_file(tree, ("gunicorn", "--config=python:deploy", "w:server")) == "deploy/__init__.py"
    # a module the tree does not hold (an installed distribution's), or no module name at all
    assert config_file(tree, ("gunicorn", "-c", "python:other.conf", "w:server")) is None
    assert config_file(tree, ("gunicorn", "-c", "python:../x", "w:server")) is None
    app = detect_project(root).app
    assert app.command.value == ("gunicorn", "-c", "python:deploy.gun_conf", "w:server")
    assert app.port.value == 6700 and str(app.port.evidence[0]).startswith("deploy/gun_conf.py:3")
    assert [(e.name, e.value) for e in app.env if e.name == "APP_PORT"] == [("APP_PORT", "6700")]
    # the settings that stop a container are read in it as in a file
    (root / "deploy" / "gun_conf.py").write_text("daemon = True\n", encoding="utf-8")
    notes = config_notes(
        PlanFiles(ProjectTree(root)), ("gunicorn", "-c", "python:deploy.gun_conf", "w:server")
    )
    assert notes and notes[0].startswith("deploy/gun_conf.py:1: daemon = True")


def test_a_port_variable_without_a_default_gets_the_planned_port(make_project: MakeProject) -> None:
    from dockwright.project.detect import detect_project

    for config in (
        "import os\nbind = f\"0.0.0.0:{os.environ['PORT']}\"\n",
        "import os\nbind = '0.0.0.0:' + os.getenv('PORT')\n",
        "from os import environ\nport = int(environ.get('PORT'))\nbind = f'[::]:{port}'\n",
    ):
        facts = detect_project(_project(make_project, config))
        app = facts.app
        assert app.command.value == ("gunicorn", "w:server"), config
        # flask's default port (the frameworks table): the container starts, -e PORT moves it
        assert app.port.value == 8000
        port = [e for e in app.env if e.name == "PORT"]
        assert [e.value for e in port] == ["8000"]
        assert "with no default" in port[0].why and "container stops" in port[0].why
        assert "flask default port 8000" in port[0].why
        assert "ENV PORT=8000" in str(app.port.evidence[0])
        assert not [n for n in facts.notes if "is not read" in n]
    # another variable than PORT: set as well
    named = "import os\nbind = '0.0.0.0:' + os.environ['WEB_PORT']\n"
    app = detect_project(_project(make_project, named)).app
    assert [(e.name, e.value) for e in app.env if e.name == "WEB_PORT"] == [("WEB_PORT", "8000")]
    # the repository's own --bind wins, but the config still loads: the variable is still set
    flagged = {"Procfile": "web: gunicorn --bind 0.0.0.0:6801 w:server\n"}
    app = detect_project(_project(make_project, named, **flagged)).app
    assert app.command.value == ("gunicorn", "--bind", "0.0.0.0:6801", "w:server") and app.port.value == 6801
    assert [(e.name, e.value) for e in app.env if e.name == "WEB_PORT"] == [("WEB_PORT", "6801")]
    # a loopback bind on such a port: rebound on 0.0.0.0 at the planned port, the variable set
    loop = "import os\nbind = '127.0.0.1:' + os.environ['PORT']\n"
    app = detect_project(_project(make_project, loop)).app
    assert app.command.value == ("gunicorn", "--bind", "0.0.0.0:8000", "w:server")
    assert [e.value for e in app.env if e.name == "PORT"] == ["8000"]


def test_a_packaged_apps_module_config_is_read_too(make_project: MakeProject) -> None:
    # the wheel is installed, so gunicorn imports `python:depot.gun_conf` from site-packages: the same
    # module, whose loopback bind nothing outside the container reaches
    from dockwright.project.detect import detect_project

    files = {
        "pyproject.toml": (
            '[project]\nname = "depot"\nversion = "1.0"\ndependencies = ["flask==3.0.3", "gunicorn==23.0.0"]\n'
            '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n'
        ),
        "depot/__init__.py": "",
        "depot/web.py": FLASK,
        "depot/gun_conf.py": "bind = ['127.0.0.1:6800']\nworkers = 2\n",
        "Procfile": "web: gunicorn --config python:depot.gun_conf depot.web:server\n",
    }
    facts = detect_project(make_project(files))
    assert facts.layout.is_package.value
    app = facts.app
    assert app.command.value == (
        "gunicorn",
        "--bind",
        "0.0.0.0:6800",
        "--config",
        "python:depot.gun_conf",
        "depot.web:server",
    )
    assert app.port.value == 6800


def test_the_config_of_the_folder_gunicorn_is_launched_in(make_project: MakeProject) -> None:
    from dockwright.project.detect import detect_project

    for start in ("env -C site gunicorn w:server", "sh -c 'cd site && exec gunicorn w:server'"):
        root = make_project(
            {
                "site/w.py": FLASK,
                "site/gunicorn.conf.py": 'bind = "0.0.0.0:6110"\n',
                "gunicorn.conf.py": 'bind = "0.0.0.0:6111"\n',
                "requirements.txt": REQS,
                "Procfile": f"web: {start}\n",
            }
        )
        app = detect_project(root, python="3.13").app
        assert app.port.value == 6110, start


def test_the_repositorys_attached_bind_wins_over_its_config(make_project: MakeProject) -> None:
    from dockwright.project.detect import detect_project

    flagged = {"Procfile": "web: gunicorn -b0.0.0.0:6404 w:server\n"}
    app = detect_project(_project(make_project, 'bind = "127.0.0.1:6405"\n', **flagged)).app
    assert app.command.value == ("gunicorn", "-b0.0.0.0:6404", "w:server") and app.port.value == 6404


def test_a_guarded_bind_s_reasons_nest_no_parentheses(make_project: MakeProject) -> None:
    """The reason cites the port's source and the guard's line without a parenthesis in a parenthesis."""
    from dockwright.project.detect import detect_project

    config = "import os\nif os.environ.get('X'):\n    bind = '0.0.0.0:' + os.environ['PORT']\n"
    app = detect_project(_project(make_project, config)).app
    (port,) = [e for e in app.env if e.name == "PORT"]
    assert port.value == "8000" and "flask default port 8000" in port.why and "if at line 2" in port.why
    assert "if at line 2" in str(app.port.evidence[0])
    assert not nests_parentheses(port.why), port.why
    assert not nests_parentheses(str(app.port.evidence[0])), app.port.evidence
