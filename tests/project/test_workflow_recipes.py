"""The Dockerfile the repository's release workflow builds is its own image (project/workflow_recipes.py):
recipes kept in a folder of their own, named with a dash, that no naming rule tells apart."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.project.detect import detect_project
from dockwright.project.own_image import own_dockerfile
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]

APP = "from flask import Flask\n\n\ndef create_app():\n    return Flask(__name__)\n\n\napp = create_app()\n"
START = "#!/bin/sh\ncp -R site/app/assets/* site/assets/\ngunicorn -w 3 -b 0.0.0.0:4000 site.app:app\n"
PROD = 'FROM python:3.11-slim\nWORKDIR /srv\nCOPY site site\nCMD ["site/scripts/start_prod.sh"]\n'
DEV = 'FROM python:3.11\nWORKDIR /srv\nCMD ["flask", "--app", "site.app", "run", "--debug"]\n'


def _action(file: str, context: str = "context: .\n          ") -> str:
    return (
        "name: publish\non:\n  push:\n    tags: ['v*']\njobs:\n  image:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@v4\n      - uses: docker/build-push-action@v6\n        with:\n"
        f"          {context}file: {file}\n          push: true\n"
    )


def _files(workflow: str) -> dict[str, str | bytes]:
    return {
        "requirements.txt": "flask\ngunicorn\n",
        "site/__init__.py": "",
        "site/app/__init__.py": APP,
        "site/scripts/start_prod.sh": START,
        "recipes/web/Dockerfile-prod": PROD,
        "recipes/web/Dockerfile-dev": DEV,
        "recipes/web/Dockerfile-test": DEV,
        ".github/workflows/publish.yml": workflow,
    }


def test_the_published_recipe_s_entry_script_is_the_start(make_project: MakeProject) -> None:
    root = make_project(_files(_action("recipes/web/Dockerfile-prod")))
    assert own_dockerfile(ProjectTree(root)) == "recipes/web/Dockerfile-prod"
    app = detect_project(root, python="3.12").app
    assert app.command.value == (
        "/bin/sh",
        "-c",
        "cp -R site/app/assets/* site/assets/; exec gunicorn -w 3 -b 0.0.0.0:4000 site.app:app",
    )
    assert app.port.value == 4000


@pytest.mark.parametrize(
    "run",
    [
        "docker build -f recipes/web/Dockerfile-prod -t org/site:latest .",
        "docker buildx build --platform linux/amd64 --push \\\n  --file=recipes/web/Dockerfile-prod .",
    ],
)
def test_a_docker_build_line_names_the_recipe(make_project: MakeProject, run: str) -> None:
    workflow = (
        "on: push\njobs:\n  image:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n"
        f"      - run: |\n          {run.replace(chr(10), chr(10) + '          ')}\n"
    )
    assert own_dockerfile(ProjectTree(make_project(_files(workflow)))) == "recipes/web/Dockerfile-prod"


@pytest.mark.parametrize(
    "workflow",
    [
        _action("recipes/web/Dockerfile-test"),  # the tests' image
        _action("recipes/web/Dockerfile-prod", context="context: ./site\n          "),  # another context
        _action("recipes/web/Dockerfile-prod")
        + _action("recipes/web/Dockerfile-worker").split("steps:\n")[1],
        _action("recipes/web/Dockerfile-gone"),  # no such file
    ],
)
def test_no_single_shipped_recipe_from_the_root_names_none(make_project: MakeProject, workflow: str) -> None:
    files = {**_files(workflow), "recipes/web/Dockerfile-worker": PROD}
    assert own_dockerfile(ProjectTree(make_project(files))) is None


def test_a_script_that_is_the_server_s_line_alone_is_the_start(make_project: MakeProject) -> None:
    files = {
        **_files(_action("recipes/web/Dockerfile-prod")),
        "site/scripts/start_prod.sh": "#!/bin/sh\n# the server\ngunicorn -w 3 -b 0.0.0.0:4000 site.app:app\n",
    }
    facts = detect_project(make_project(files), python="3.12")
    assert facts.app.command.value == ("gunicorn", "-w", "3", "-b", "0.0.0.0:4000", "site.app:app")
    assert facts.app.command.evidence[0].file == "site/scripts/start_prod.sh"
    assert not any("is not used" in n for n in facts.notes)


def _run(run: str) -> str:
    return f"on: push\njobs:\n  check:\n    runs-on: ubuntu-latest\n    steps:\n      - run: {run}\n"


@pytest.mark.parametrize(
    "workflow",
    [
        _run("docker build -f recipes/web/Dockerfile-integration ."),  # the integration tests' image
        _action("recipes/web/Dockerfile-prod").replace("push: true", "push: false"),  # built, never published
        _run("docker build-and-push.sh"),  # a script named like the command
        _run("docker build.sh --file recipes/web/Dockerfile-prod ."),
    ],
)
def test_a_check_build_or_a_script_names_no_recipe(make_project: MakeProject, workflow: str) -> None:
    files = {**_files(workflow), "recipes/web/Dockerfile-integration": DEV}
    assert own_dockerfile(ProjectTree(make_project(files))) is None


def test_a_workflow_nested_past_the_parser_s_depth_is_read_as_nothing(make_project: MakeProject) -> None:
    deep = "jobs: " + "[" * 5000 + "]" * 5000 + "\n"
    files = {**_files(deep), ".github/workflows/release.yml": _action("recipes/web/Dockerfile-prod")}
    assert own_dockerfile(ProjectTree(make_project(files))) == "recipes/web/Dockerfile-prod"
