"""A framework that runs the project from its folder (data/project_folders.toml): a Kedro project's run
reads conf/ and pyproject.toml from the working directory and writes under data/, so the package is
copied as its tree, never installed as a wheel alone (project/project_folders.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.plan.planner import make_plan
from dockwright.project.detect import detect_project

MakeProject = Callable[[dict[str, str | bytes]], Path]

PYPROJECT = """\
[build-system]
requires = ["setuptools"]
build-backend = "setuptools.build_meta"

[project]
name = "orchard"
version = "0.1.0"
dependencies = ["kedro~=0.19.13"]

[project.scripts]
orchard = "orchard.__main__:main"

[tool.setuptools.packages.find]
where = ["src"]

[tool.kedro]
package_name = "orchard"
project_name = "orchard"
source_dir = "src"
"""

MAIN = """\
import sys

from kedro.framework.cli.utils import find_run_command
from kedro.framework.project import configure_project


def main(*args, **kwargs):
    configure_project("orchard")
    run = find_run_command("orchard")
    return run(*args, **kwargs)


if __name__ == "__main__":
    main(sys.argv[1:])
"""


def _files(pyproject: str = PYPROJECT) -> dict[str, str | bytes]:
    return {
        "pyproject.toml": pyproject,
        "src/orchard/__init__.py": '__version__ = "0.1.0"\n',
        "src/orchard/__main__.py": MAIN,
        "src/orchard/settings.py": "",
        "conf/base/catalog.yml": "apples:\n  type: pandas.CSVDataset\n  filepath: data/01_raw/apples.csv\n",
        "data/01_raw/.gitkeep": "",
    }


def test_a_kedro_project_runs_from_its_tree_with_data_writable(make_project: MakeProject) -> None:
    facts = detect_project(make_project(_files()), python="3.12")
    assert facts.app.command.value[0] == "orchard"
    assert facts.layout.is_package.value is False
    assert "[tool.kedro]" in facts.layout.is_package.evidence[0].detail
    assert "conf" in facts.layout.is_package.evidence[0].detail
    assert "data" in [w.value for w in facts.app.writable]
    plan = make_plan(facts)
    assert plan.app_install == "source"


def test_without_the_kedro_table_the_package_is_a_wheel(make_project: MakeProject) -> None:
    plain = PYPROJECT.split("[tool.kedro]")[0]
    facts = detect_project(make_project(_files(plain)), python="3.12")
    assert facts.layout.is_package.value is True
    assert "data" not in [w.value for w in facts.app.writable]


def test_its_declared_dependencies_still_reach_the_lock(make_project: MakeProject) -> None:
    # the tree runs, but the console script comes from the package's wheel (--no-deps): a dependency
    # pyproject.toml declares and requirements.txt leaves out is resolved into the lock, not dropped
    files = _files(PYPROJECT.replace('["kedro~=0.19.13"]', '["kedro~=0.19.13", "attrs>=23"]'))
    files["requirements.txt"] = "kedro~=0.19.13\n"
    plan = make_plan(detect_project(make_project(files), python="3.12"))
    assert plan.app_install == "source"
    assert plan.lock is not None and "attrs>=23" in plan.lock.merged
