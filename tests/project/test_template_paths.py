"""A project generator (cookiecutter, copier) ships its templates as files under placeholder paths
(``{{cookiecutter.project_name}}/app.py``): Jinja text, not Python, and never the app. They are
neither candidates nor a "not valid Python syntax" note each (a generator CLI got 63 of them)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.detect import detect_project
from dockwright.project.detectors.base import outside_app

MakeProject = Callable[[dict[str, str | bytes]], Path]

TEMPLATE_APP = """
from fastapi import FastAPI
{% if cookiecutter.db %}
from .db import engine
{% endif %}
app = FastAPI(title="{{ cookiecutter.project_name }}")
"""


def test_placeholder_paths_are_outside_the_app() -> None:
    assert outside_app("gen/template/{{cookiecutter.project_name}}/app.py")
    assert outside_app("template/{% if db %}db{% endif %}/models.py")
    assert outside_app("template/{{ copier_module }}.py")
    assert not outside_app("gen/cli.py")


def test_a_generator_cli_is_planned_without_its_templates(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": (
                '[project]\nname = "gen"\nversion = "1.0"\ndependencies = ["cookiecutter"]\n'
                '[project.scripts]\ngen = "gen.cli:main"\n'
                '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
            ),
            "gen/__init__.py": "",
            "gen/cli.py": "def main():\n    print('generate')\n",
            "gen/template/{{cookiecutter.project_name}}/app.py": TEMPLATE_APP,
            "gen/template/{{cookiecutter.project_name}}/requirements.txt": "fastapi\n",
        }
    )
    facts = detect_project(root, python="3.12")
    assert facts.app.command.value == ("gen",)
    assert not [n for n in facts.notes if "not valid Python syntax" in n]
