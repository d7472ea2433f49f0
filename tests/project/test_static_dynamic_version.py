"""A dynamic version its backend reads from a file is read as the backend does (the image's tag and
label): setuptools' ``attr``/``file`` (pyproject.toml or setup.cfg), hatch's ``path``, Poetry's own
``[tool.poetry] version`` beside ``dynamic = ["version"]``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.project.detect import detect_project  # noqa: F401  (imports the detectors metadata needs)
from dockwright.project.facts import Metadata
from dockwright.project.metadata import detect_metadata
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]

HEAD = '[project]\nname = "tool"\ndynamic = ["version"]\nrequires-python = ">=3.11"\n\n'


@pytest.mark.parametrize(
    ("files", "version", "where"),
    [
        (
            {
                "pyproject.toml": HEAD
                + '[tool.setuptools.dynamic]\nversion = { attr = "tool.__version__" }\n',
                "tool/__init__.py": '"""Tool."""\n\n__version__ = "4.4.0"\n',
            },
            "4.4.0",
            ("tool/__init__.py", 3),
        ),
        (
            {
                "pyproject.toml": HEAD + '[tool.setuptools.dynamic]\nversion = { file = "VERSION" }\n',
                "VERSION": "2.1.0\n",
            },
            "2.1.0",
            ("VERSION", 1),
        ),
        (
            {
                "pyproject.toml": HEAD + '[tool.hatch.version]\npath = "src/tool/__about__.py"\n',
                "src/tool/__about__.py": "__version__ = '0.9.1'\n",
            },
            "0.9.1",
            ("src/tool/__about__.py", 1),
        ),
        (
            {"pyproject.toml": HEAD + '[tool.poetry]\nversion = "4.6"\n'},
            "4.6",
            ("pyproject.toml", 7),
        ),
        (
            {
                "setup.cfg": "[metadata]\nname = tool\nversion = attr: tool.__version__\n",
                "setup.py": "from setuptools import setup\nsetup()\n",
                "tool/__init__.py": '__version__ = "1.2.3"\n',
            },
            "1.2.3",
            ("tool/__init__.py", 1),
        ),
    ],
    ids=["setuptools-attr", "setuptools-file", "hatch-path", "poetry", "setup-cfg-attr"],
)
def test_the_version_the_backend_reads(
    make_project: MakeProject, files: dict[str, str | bytes], version: str, where: tuple[str, int]
) -> None:
    metadata = _metadata(make_project(files))
    assert metadata.version.value == version
    assert where in {(e.file, e.line) for e in metadata.version.evidence}


def test_a_version_from_git_or_code_stays_unknown(make_project: MakeProject) -> None:
    pyproject = HEAD + '[tool.setuptools.dynamic]\nversion = { attr = "tool.version.get" }\n'
    assert (
        _metadata(make_project({"pyproject.toml": pyproject, "tool/version.py": ""})).version.value == "0.0.0"
    )


def _metadata(root: Path) -> Metadata:
    tree = ProjectTree(root)
    return detect_metadata(tree, tree.read_toml("pyproject.toml") if tree.is_file("pyproject.toml") else None)
