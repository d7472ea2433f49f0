"""setuptools' optional extras (setup.cfg ``[options.extras_require]``, setup.py ``extras_require=``)
are read like PEP 621's (project/optional_extras.py): asked for, installed as the project's own image
installs them, taken when the start imports from one (through a project module it loads), and counted
as installed when a requirements line installs the project with them (``-e .[all]``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.errors import ProjectError
from dockwright.initialize import plan_project
from dockwright.project.optional_extras import optional_extras, self_extras
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]

SETUP_CFG = """\
[metadata]
name = mockery
version = 1.0

[options]
packages = find:
install_requires =
    click

[options.extras_require]
all =
    PyYAML
server =
    flask
    flask-cors

[options.entry_points]
console_scripts =
    mockery_server = mockery.server:main
"""

SETUP_PY = "from setuptools import setup\n\nsetup()\n"
SERVER = "from mockery.web import create_app\n\n\ndef main():\n    create_app().run(host='0.0.0.0')\n"
WEB = "import flask\n\n\ndef create_app():\n    return flask.Flask(__name__)\n"


def _files(**more: str) -> dict[str, str | bytes]:
    return {
        "setup.cfg": SETUP_CFG,
        "setup.py": SETUP_PY,
        "mockery/__init__.py": "",
        "mockery/server.py": SERVER,
        "mockery/web.py": WEB,
        **more,
    }


def test_setup_cfg_and_setup_py_extras_are_read(make_project: MakeProject) -> None:
    root = make_project(_files())
    extras = optional_extras(ProjectTree(root), None)
    assert {k: (e.lines, e.file, e.line) for k, e in extras.items()} == {
        "all": (("PyYAML",), "setup.cfg", 11),
        "server": (("flask", "flask-cors"), "setup.cfg", 13),
    }
    setup_py = (
        "from setuptools import setup\n\nEXTRAS = {'web': ['flask'], 'fast': WHEELS}\n"
        "setup(name='m', extras_require=EXTRAS)\n"
    )
    root = make_project({"setup.py": setup_py})
    extras = optional_extras(ProjectTree(root), None)
    assert extras["web"].lines == ("flask",) and extras["web"].file == "setup.py"
    assert extras["fast"].dynamic  # only running setup.py tells


def test_an_asked_setuptools_extra_is_installed(make_project: MakeProject) -> None:
    root = make_project(_files())
    plan = plan_project(root, {"python": "3.12", "extras": ["server"], "start": "mockery_server"})
    assert plan.facts.dependencies.declared[-2:] == ("flask", "flask-cors")
    with pytest.raises(ProjectError, match=r"no optional extra gpu in setup.cfg \[options.extras_require\]"):
        plan_project(root, {"python": "3.12", "extras": ["gpu"]})


def test_the_extra_the_own_image_installs_after_pip_options(make_project: MakeProject) -> None:
    dockerfile = (
        "FROM python:3.12-alpine\nADD . /srv/\nWORKDIR /srv\n"
        'RUN pip3 --no-cache-dir install --editable ".[server]"\n'
        'ENTRYPOINT ["/usr/local/bin/mockery_server"]\nEXPOSE 5000\n'
    )
    root = make_project(_files(Dockerfile=dockerfile))
    plan = plan_project(root, {"python": "3.12"})
    assert "flask" in plan.facts.dependencies.declared
    assert any("as the project's own image: Dockerfile:4" in n for n in plan.facts.notes)


def test_the_start_needs_the_extra_a_module_it_loads_imports(make_project: MakeProject) -> None:
    root = make_project(_files())
    plan = plan_project(root, {"python": "3.12", "start": "mockery_server"})
    assert "flask" in plan.facts.dependencies.declared
    note = next(n for n in plan.facts.notes if "the start needs it" in n)
    assert "mockery/web.py:1" in note and "loaded at import" in note


def test_a_requirements_line_installing_the_project_with_extras_counts_them(
    make_project: MakeProject,
) -> None:
    assert self_extras(("-e .[all,server]", ".[dev]", "flask", "./lib[x]")) == ("all", "server", "dev")
    files = _files(**{"requirements.txt": "-e .[all]\n", "mockery/web.py": "import yaml\n" + WEB})
    root = make_project(files)
    plan = plan_project(root, {"python": "3.12", "start": "mockery_server", "manager": "requirements"})
    assert not [n for n in plan.facts.notes if "imports yaml" in n]


def test_poetry_2_extras_beside_a_project_table_and_a_malformed_extra(make_project: MakeProject) -> None:
    poetry2 = (
        '[project]\nname = "svc"\nversion = "1.0"\nrequires-python = ">=3.11"\n\n'
        '[tool.poetry.dependencies]\nflask = "^3.1"\ngunicorn = { version = "^23.0", optional = true }\n\n'
        '[tool.poetry.extras]\nserver = ["gunicorn"]\n'
    )
    extras = optional_extras(ProjectTree(make_project({"pyproject.toml": poetry2})), _toml(poetry2))
    assert extras["server"].lines == ("gunicorn<24.0,>=23.0",)
    broken = '[project]\nname = "svc"\nversion = "1.0"\n\n[project.optional-dependencies]\na = "flask"\n'
    root = make_project({"pyproject.toml": broken, "app.py": "print('x')\n"})
    with pytest.raises(ProjectError, match=r"\[project.optional-dependencies\] a must be a list of strings"):
        plan_project(root, {"python": "3.12", "extras": ["a"]})


def _toml(text: str) -> dict[str, object]:
    import tomllib

    return tomllib.loads(text)


def test_setup_pys_extras_replace_setup_cfgs(make_project: MakeProject) -> None:
    """setuptools skips setup.cfg's ``extras_require`` when setup() passes one."""
    setup_py = "from setuptools import setup\n\nsetup(extras_require={'web': ['flask']})\n"
    root = make_project({"setup.cfg": SETUP_CFG, "setup.py": setup_py})
    assert list(optional_extras(ProjectTree(root), None)) == ["web"]
