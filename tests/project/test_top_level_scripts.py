"""A top-level script that imports a build backend's or task runner's API (a hatch ``hatch_build.py``
metadata hook, a Poetry ``build.py``, an invoke ``tasks.py``) runs at build or development time and is
never the app's "only top-level script" (project/detectors/main_module.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.errors import ProjectError
from dockwright.project.detect import detect_project

MakeProject = Callable[[dict[str, str | bytes]], Path]

HOOK = """\
from hatchling.metadata.plugin.interface import MetadataHookInterface


class PinnedCore(MetadataHookInterface):
    def update(self, metadata):
        metadata["dependencies"] = [f"mytool-core=={metadata['version']}"]
"""

TASKS = """\
from invoke import task


@task
def release(c):
    c.run("hatch build")
"""

PYPROJECT = (
    '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n'
    '[project]\nname = "mytool"\nversion = "1.0"\ndynamic = ["dependencies"]\n\n'
    "[tool.hatch.metadata.hooks.custom]\n"
)


def test_a_build_hook_alone_is_no_start(make_project: MakeProject) -> None:
    root = make_project({"pyproject.toml": PYPROJECT, "hatch_build.py": HOOK})
    with pytest.raises(ProjectError, match="cannot tell how the app starts"):
        detect_project(root, python="3.13")


def test_beside_a_hook_and_a_task_file_the_one_script_is_the_app(make_project: MakeProject) -> None:
    root = make_project(
        {
            "requirements.txt": "",
            "hatch_build.py": HOOK,
            "tasks.py": TASKS,
            "report.py": "import sys\n\nprint(sys.argv)\n",
        }
    )
    facts = detect_project(root, python="3.13")
    assert facts.app.command.value == ("python", "report.py")


def test_a_top_level_main_module_is_the_folders_program(make_project: MakeProject) -> None:
    guarded = "import sys\n\n\ndef main(argv):\n    print(argv)\n\n\nif __name__ == '__main__':\n    main(sys.argv)\n"
    root = make_project(
        {
            "requirements.txt": "",
            "sorter.py": guarded,
            "__main__.py": "import sys\n\nfrom sorter import main\n\nif __name__ == '__main__':\n    main(sys.argv[1:])\n",
        }
    )
    facts = detect_project(root, python="3.13")
    assert facts.app.command.value == ("python", "__main__.py")
    assert "python ." in facts.app.command.evidence[0].detail


def test_a_script_that_takes_arguments_is_a_cli_in_the_entrypoint(make_project: MakeProject) -> None:
    from dockwright.plan.planner import make_plan

    parsing = (
        "import argparse\n\nif __name__ == '__main__':\n    print(argparse.ArgumentParser().parse_args())\n"
    )
    facts = detect_project(make_project({"requirements.txt": "", "sort.py": parsing}), python="3.13")
    assert facts.app.kind.value == "cli"
    plan = make_plan(facts)
    assert plan.entrypoint[-2:] == ("python", "sort.py") and plan.cmd == ()


def test_a_script_without_arguments_stays_a_script(make_project: MakeProject) -> None:
    facts = detect_project(make_project({"requirements.txt": "", "job.py": "print('done')\n"}), python="3.13")
    assert facts.app.kind.value == "script"


def test_a_script_importing_a_module_its_package_no_longer_has_is_not_the_start(
    make_project: MakeProject,
) -> None:
    guarded = "import argparse\n\nfrom lib.core import run\n\nif __name__ == '__main__':\n    run(argparse.ArgumentParser())\n"
    root = make_project(
        {
            "requirements.txt": "",
            "lib/__init__.py": "",
            "lib/core.py": "def run(parser):\n    parser.parse_args()\n",
            "lib/fast.pyx": "",
            "sorter.py": guarded + "from lib.fast import speed\n",
            # left from an older layout: lib/printer.py is gone
            "__main__.py": "from lib.printer import Printer\n\nif __name__ == '__main__':\n    Printer()\n",
        }
    )
    facts = detect_project(root, python="3.13")
    assert facts.app.command.value == ("python", "sorter.py")


VERSIONS = """\
import argparse
import sys

import setuptools


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--versions", action="store_true")
    if parser.parse_args().versions:
        print(sys.version, setuptools.__version__)


if __name__ == "__main__":
    main()
"""


def test_a_guarded_program_that_imports_setuptools_is_still_the_app(make_project: MakeProject) -> None:
    """Only a script without a ``__main__`` guard is taken for a build hook: one with a guard is run."""
    root = make_project({"requirements.txt": "", "sync.py": VERSIONS, "hatch_build.py": HOOK})
    facts = detect_project(root, python="3.13")
    assert facts.app.command.value == ("python", "sync.py")
    assert facts.app.kind.value == "cli"
