"""A package of several console scripts whose own image installs it and names no command (a suite of
tools: ``docker run IMAGE TOOL ARG ...``) keeps the program out of ENTRYPOINT, so any of its tools runs by
name (plan/start.py, project/own_image.py). The projects are our own small examples."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.plan.planner import make_plan
from dockwright.project.detect import detect_project

MakeProject = Callable[[dict[str, str | bytes]], Path]

PYPROJECT = (
    '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n\n'
    '[project]\nname = "tabkit"\nversion = "1.0.0"\ndependencies = []\n\n'
    '[project.scripts]\ntabcut = "tabkit.cut:main"\ntabsort = "tabkit.sort:main"\ntabstat = "tabkit.stat:main"\n'
)
FILES = {
    "pyproject.toml": PYPROJECT,
    "tabkit/__init__.py": "",
    "tabkit/cut.py": "import argparse\n\n\ndef main():\n    argparse.ArgumentParser().parse_args()\n",
    "tabkit/sort.py": "import argparse\n\n\ndef main():\n    argparse.ArgumentParser().parse_args()\n",
    "tabkit/stat.py": "import argparse\n\n\ndef main():\n    argparse.ArgumentParser().parse_args()\n",
}
OWN = "FROM python:3.12-alpine\nCOPY tabkit tabkit\nCOPY pyproject.toml .\nRUN pip install --no-cache-dir .\n"


def test_a_suite_whose_own_image_names_no_command_runs_its_tools_by_name(make_project: MakeProject) -> None:
    plan = make_plan(detect_project(make_project({**FILES, "Dockerfile": OWN})))
    assert plan.entrypoint == ("/usr/bin/tini", "--")
    assert plan.cmd == ("tabcut",)
    decision = plan.decision("entrypoint")
    assert decision is not None and "docker run IMAGE tabsort" in decision.reason
    assert "Dockerfile:4" in decision.reason


def test_without_that_image_the_program_is_the_entrypoint(make_project: MakeProject) -> None:
    plan = make_plan(detect_project(make_project(FILES)))
    assert plan.entrypoint == ("/usr/bin/tini", "--", "tabcut") and plan.cmd == ()


def test_an_own_image_with_a_command_or_one_script_keeps_the_entrypoint(make_project: MakeProject) -> None:
    with_cmd = make_project({**FILES, "Dockerfile": OWN + 'ENTRYPOINT ["tabcut"]\n'})
    assert make_plan(detect_project(with_cmd)).entrypoint[-1] == "tabcut"
    one = PYPROJECT.split("tabsort")[0]
    alone = make_project({**FILES, "pyproject.toml": one, "Dockerfile": OWN})
    assert make_plan(detect_project(alone)).entrypoint == ("/usr/bin/tini", "--", "tabcut")
