"""A requirements file layered on others (project/requirement_layers.py): pip-tools' ``production.in``
compiled under ``-c base.txt``, or the project's own ``pip-sync base.txt production.txt``. The layers
the production install needs are read with it, bottom first, each with why; development layers stay
out, and an import none of the compiled files provides is warned about."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.detect import detect_project
from dockwright.project.requirement_layers import layers
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]
FLASK = "from flask import Flask\n\napp = Flask(__name__)\n"
BASE = "click==8.1.7\nflask==3.0.3\nwerkzeug==3.0.3\n"
PRODUCTION = "gunicorn==23.0.0\npackaging==24.1\n"


def _layered(extra: dict[str, str | bytes] | None = None) -> dict[str, str | bytes]:
    """requirements/production.in constrained on base.txt, a dev layer beside them."""
    return {
        "app.py": FLASK,
        "requirements/base.in": "flask\n",
        "requirements/base.txt": BASE,
        "requirements/production.in": "-c base.txt\ngunicorn\n",
        "requirements/production.txt": PRODUCTION,
        "requirements/dev.in": "-c base.txt\npytest\n",
        "requirements/dev.txt": "iniconfig==2.0.0\npytest==8.3.3\n",
        **(extra or {}),
    }


def test_the_constrained_on_layer_is_read_beneath_the_production_file(make_project: MakeProject) -> None:
    root = make_project(_layered())
    deps = detect_project(root).dependencies
    assert deps.manager.value == "pip-tools"
    assert [f.value for f in deps.layers] == ["requirements/base.txt"]
    evidence = deps.layers[0].evidence[0]
    assert (evidence.file, evidence.line) == ("requirements/production.in", 1)
    assert "`-c base.txt`" in evidence.detail
    assert {p.name for p in deps.locked} >= {"flask", "werkzeug", "gunicorn"}
    assert "pytest" not in {p.name for p in deps.locked}  # the dev layer stays out
    assert deps.input_files[:2] == ("requirements/production.in", "requirements/production.txt")
    assert "requirements/base.txt" in deps.input_files
    assert "requirements/dev.txt" not in deps.input_files


def test_layers_are_followed_down_bottom_first(make_project: MakeProject) -> None:
    root = make_project(
        _layered(
            {
                "requirements/common.in": "click\n",
                "requirements/common.txt": "click==8.1.7\n",
                "requirements/base.in": "-c common.txt\nflask\n",
                "requirements/base.txt": "flask==3.0.3\nwerkzeug==3.0.3\n",
            }
        )
    )
    found = layers(ProjectTree(root), "requirements/production.txt")
    assert [f.value for f in found] == ["requirements/common.txt", "requirements/base.txt"]


def test_an_included_input_whose_pins_are_compiled_in_adds_no_layer(make_project: MakeProject) -> None:
    # `-r base.in`: pip-compile writes base's pins into production.txt itself
    root = make_project(
        _layered(
            {
                "requirements/production.in": "-r base.in\ngunicorn\n",
                "requirements/production.txt": BASE + PRODUCTION,
            }
        )
    )
    assert layers(ProjectTree(root), "requirements/production.txt") == ()


def test_a_hand_written_constraints_file_is_no_layer(make_project: MakeProject) -> None:
    root = make_project(
        {
            "requirements.in": "-c constraints.txt\nflask\n",
            "requirements.txt": "flask==3.0.3\n",
            "constraints.txt": "urllib3<2\n",
        }
    )
    assert layers(ProjectTree(root), "requirements.txt") == ()


def test_the_own_image_installing_several_files_layers_them(make_project: MakeProject) -> None:
    root = make_project(
        {
            "app.py": FLASK,
            "requirements/base.txt": BASE,
            "requirements/production.txt": PRODUCTION,
            "requirements/local.txt": "-r base.txt\ndjango-debug-toolbar==4.4.6\n",
            "Dockerfile": (
                "FROM python:3.12-slim\nWORKDIR /srv\nCOPY requirements ./requirements\n"
                "RUN pip install pip-tools && \\\n    pip-sync requirements/base.txt requirements/production.txt\n"
            ),
            "Makefile": "dev:\n\tpip-sync requirements/base.txt requirements/local.txt\n",
        }
    )
    deps = detect_project(root).dependencies
    assert [f.value for f in deps.layers] == ["requirements/base.txt"]
    evidence = deps.layers[0].evidence[0]
    assert (evidence.file, evidence.line) == ("Dockerfile", 4)
    assert "django-debug-toolbar" not in {p.name for p in deps.locked}


def test_a_script_installing_with_pip_names_the_layers(make_project: MakeProject) -> None:
    root = make_project(
        {
            "app.py": FLASK,
            "requirements/base.txt": BASE,
            "requirements/production.txt": PRODUCTION,
            "requirements/test.txt": "pytest==8.3.3\n",
            "scripts/install.sh": (
                "#!/bin/sh\npip install \\\n  -r requirements/base.txt -r requirements/production.txt "
                "-r requirements/test.txt\n"
            ),
        }
    )
    found = layers(ProjectTree(root), "requirements/production.txt")
    assert [f.value for f in found] == ["requirements/base.txt"]  # test.txt: a development layer
    assert (found[0].evidence[0].file, found[0].evidence[0].line) == ("scripts/install.sh", 2)


def _import_warnings(root: Path) -> list[str]:
    return [n for n in detect_project(root).notes if "ModuleNotFoundError" in n]


def test_an_import_no_compiled_file_provides_is_warned_about(make_project: MakeProject) -> None:
    root = make_project(_layered({"app.py": FLASK + "import requests\n"}))
    (warning,) = _import_warnings(root)
    assert warning.startswith("app.py:4 imports requests, which no distribution requirements/base.txt + ")
    assert "No module named 'requests'" in warning


def test_a_pip_tools_file_alone_is_the_whole_set_it_installs(make_project: MakeProject) -> None:
    # flask is not one of the import table's names: a compiled file lists every distribution installed
    root = make_project(
        {"app.py": FLASK, "requirements.in": "gunicorn\n", "requirements.txt": "gunicorn==23.0.0\n"}
    )
    (warning,) = _import_warnings(root)
    assert "imports flask, which no distribution requirements.txt installs provides" in warning


def test_the_layered_set_provides_the_app_s_imports(make_project: MakeProject) -> None:
    assert _import_warnings(make_project(_layered())) == []
