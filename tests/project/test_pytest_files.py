"""pytest's own files (``conftest.py``, ``test_*.py``, ``*_test.py``) beside the app's modules are test
code: what they read from the environment is no setting the image needs, and none of them is the app."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.project.apps import detect_app
from dockwright.project.detectors.base import outside_app
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]

SETTINGS = (
    "import os\n\nfrom fastapi import FastAPI\n\n"
    "TOKEN = os.environ['ORCHARD_TOKEN']\n\n"
    "def build() -> FastAPI:\n    return FastAPI()\n\n"
    "app = build()\n"
)
FIXTURES = (
    "import os\n\nimport pytest\n\n"
    "@pytest.fixture\ndef broker_image() -> str:\n"
    "    return 'queue:' + os.environ['ORCHARD_QUEUE_TAG']\n"
)


@pytest.mark.parametrize(
    "rel",
    [
        "conftest.py",
        "orchard/conftest.py",
        "orchard/test_routes.py",
        "orchard/routes_test.py",
        "test_.py",
        "orchard/tests_e2e/e2e_test_login.py",  # a folder whose name's words say tests
        "e2e/login_flow.py",
        "aggregator/tests.py",  # the tests.py Django's startapp writes in every app
    ],
)
def test_pytest_files_are_outside_the_app(rel: str) -> None:
    assert outside_app(rel)


@pytest.mark.parametrize(
    "rel",
    [
        "orchard/testing_tools.py",
        "orchard/latest.py",
        "contest.py",
        "tester.py",
        "contests_app/views.py",
        "src/uv_docker_example/__init__.py",  # a package named with an example word
        "test_bench_app/views.py",
        "orchard/tests_helpers.py",
        "orchard/testsuite.py",
    ],
)
def test_names_that_only_look_like_tests_stay_in(rel: str) -> None:
    assert not outside_app(rel)


def test_a_conftest_beside_the_services_asks_for_no_env(make_project: MakeProject) -> None:
    root = make_project(
        {
            "main.py": SETTINGS,
            "orchard/__init__.py": "",
            "orchard/conftest.py": FIXTURES,
            "orchard/test_orders.py": "import os\n\nSEED = os.environ['ORCHARD_TEST_SEED']\n",
        }
    )
    app = detect_app(ProjectTree(root), None)
    assert [f.value for f in app.required_env] == ["ORCHARD_TOKEN"]
    assert app.command.value[:2] == ("uvicorn", "main:app")
