"""setup.py's version computed from a project file is read from that file (project/setup_py_version.py;
session 40: a version held in ``pkg/__init__.py`` for setup.py was not read, the image said 0.0.0)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.project.metadata import detect_metadata
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]

INIT = '"""The tool."""\n\n__version__ = "2.4.1"\n'
REGEX_READ = (
    "import os, re\nfrom setuptools import setup\n\n\ndef read_version():\n"
    "    with open(os.path.join(os.path.dirname(__file__), 'tool', '__init__.py')) as f:\n"
    "        return re.search(r'^__version__ = [\\'\"]([^\\'\"]*)[\\'\"]', f.read(), re.M).group(1)\n\n\n"
    "setup(name='tool', version=read_version(), packages=['tool'])\n"
)


@pytest.mark.parametrize(
    ("setup", "files"),
    [
        (REGEX_READ, {"tool/__init__.py": INIT}),
        (
            "from setuptools import setup\nfrom tool import __version__\n\nsetup(name='tool', version=__version__)\n",
            {"tool/__init__.py": INIT},
        ),
        (
            "import setuptools\nimport tool\n\nsetuptools.setup(name='tool', version=tool.__version__)\n",
            {"src/tool/__init__.py": INIT},
        ),
        (
            "from setuptools import setup\nfrom tool import __version__ as v\n\nsetup(name='tool', version=v)\n",
            {"tool/__init__.py": "from .about import __version__\n", "tool/about.py": INIT},
        ),
        (
            "import os\nfrom setuptools import setup\n\nabout = {}\nhere = os.path.abspath(os.path.dirname(__file__))\n"
            "with open(os.path.join(here, 'tool', '__version__.py')) as f:\n    exec(f.read(), about)\n\n"
            "setup(name=about['__title__'], version=about['__version__'])\n",
            {"tool/__init__.py": "", "tool/__version__.py": '__title__ = "tool"\n__version__ = "2.4.1"\n'},
        ),
        (
            "from setuptools import setup\nVERSION = open('tool/version.py').read().split('=')[1].strip().strip('\"')\n"
            "setup(name='tool', version=VERSION)\n",
            {"tool/__init__.py": "", "tool/version.py": '__version__ = "2.4.1"\n'},
        ),
    ],
    ids=[
        "regex-function",
        "from-import",
        "module-attribute-src",
        "re-export",
        "exec-namespace",
        "module-level-read",
    ],
)
def test_the_version_setup_py_reads_from_a_file_is_that_file_s(
    make_project: MakeProject, setup: str, files: dict[str, str]
) -> None:
    tree = ProjectTree(make_project({"setup.py": setup, **files}))
    version = detect_metadata(tree, None).version
    assert version.value == "2.4.1"
    assert version.evidence[0].file == "setup.py" and "reads" in version.evidence[0].detail
    assert version.evidence[-1].detail.endswith("= '2.4.1'")


def test_a_value_that_is_no_version_is_not_taken(make_project: MakeProject) -> None:
    files = {"setup.py": REGEX_READ, "tool/__init__.py": '__version__ = "unknown"\n'}
    assert detect_metadata(ProjectTree(make_project(files)), None).version.value == "0.0.0"


def test_a_version_from_outside_the_project_is_not_guessed(make_project: MakeProject) -> None:
    setup = "from setuptools import setup\nfrom datetime import date\n\nsetup(name='t', version=date.today().isoformat())\n"
    assert detect_metadata(ProjectTree(make_project({"setup.py": setup})), None).version.value == "0.0.0"
