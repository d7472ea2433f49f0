"""A computed ``install_requires`` in setup.py (project/setuptools_static.py): the common literal-ish
patterns are read (a file read bound in a ``with`` block, a setup.py function reading the file, a list
comprehension over a literal or over the file, a list grown by ``+=``/``append``/``extend``); one that only
running setup.py tells is named in a plan warning when a requirements file is the lock's source and the
app is installed as a package. Examples of our own; setup.py is never executed."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockwright.initialize import plan_project
from dockwright.project.setuptools_static import read_setuptools
from dockwright.project.tree import ProjectTree

REQUIREMENTS = "# runtime\nalpha>=1\n\nbeta==2.0  # pinned\n-r extra.txt\n"
NEVER = 'raise SystemExit("setup.py must never run")\n'


def _setup(body: str, call: str) -> str:
    return f"import os\nfrom setuptools import setup\n{NEVER}{body}\nsetup(name='shop', packages=['shop'], {call})\n"


READ = [
    (  # a variable bound in a `with` block from the file object
        "with open('requirements.txt') as f:\n    requirements = f.read().splitlines()\n",
        "install_requires=requirements",
    ),
    (  # the same, the path joined to the setup.py folder
        "here = os.path.dirname(__file__)\nwith open(os.path.join(here, 'requirements.txt')) as fh:\n"
        "    REQS = [line.strip() for line in fh if line.strip() and not line.startswith('#')]\n",
        "install_requires=REQS",
    ),
    (  # a function of setup.py that reads it
        "def read_requirements():\n    with open('requirements.txt') as f:\n        return f.read().splitlines()\n",
        "install_requires=read_requirements()",
    ),
    ("", "install_requires=open('requirements.txt').read().splitlines()"),
    ("", "install_requires=[r for r in open('requirements.txt').readlines() if 'git+' not in r]"),
]


@pytest.mark.parametrize(("body", "call"), READ)
def test_a_file_read_is_read(tmp_path: Path, body: str, call: str) -> None:
    (tmp_path / "requirements.txt").write_text(REQUIREMENTS)
    (tmp_path / "setup.py").write_text(_setup(body, call))
    keyword = read_setuptools(ProjectTree(tmp_path)).get("install_requires")
    assert keyword is not None and not keyword.dynamic
    assert keyword.values == ("alpha>=1", "beta==2.0") and keyword.via == "requirements.txt"


LITERAL = [
    (
        "BASE = ['alpha>=1', 'beta']\n",
        "install_requires=[r.strip() for r in BASE if r and not r.startswith('#')]",
    ),
    ("BASE = ['alpha>=1']\nBASE += ['beta']\n", "install_requires=list(BASE)"),
    ("BASE = ['alpha>=1']\nBASE.append('beta')\n", "install_requires=sorted(BASE)"),
    ("BASE = []\nBASE.extend(['alpha>=1', 'beta'])\n", "install_requires=BASE"),
    ("if True:\n    BASE = ['alpha>=1', 'beta']\n", "install_requires=tuple(BASE)"),
]


@pytest.mark.parametrize(("body", "call"), LITERAL)
def test_a_list_built_from_a_literal_is_read(tmp_path: Path, body: str, call: str) -> None:
    (tmp_path / "setup.py").write_text(_setup(body, call))
    keyword = read_setuptools(ProjectTree(tmp_path)).get("install_requires")
    assert keyword is not None and not keyword.dynamic and keyword.via is None
    assert keyword.values == ("alpha>=1", "beta")


COMPUTED = [
    ("BASE = ['alpha>=1', 'beta']\n", "install_requires=[r for r in BASE if 'win' not in r]"),
    ("BASE = ['alpha', 'beta']\n", "install_requires=[f'{name}>=1' for name in BASE]"),
    ("import json\n", "install_requires=json.load(open('deps.json'))"),
    ("def deps():\n    return ['alpha']\n", "install_requires=deps()"),
]


@pytest.mark.parametrize(("body", "call"), COMPUTED)
def test_what_only_running_it_tells_stays_dynamic(tmp_path: Path, body: str, call: str) -> None:
    (tmp_path / "setup.py").write_text(_setup(body, call))
    keyword = read_setuptools(ProjectTree(tmp_path)).get("install_requires")
    assert keyword is not None and keyword.dynamic


def _app(root: Path, setup: str) -> Path:
    (root / "requirements.txt").write_text("alpha>=1\n")
    (root / "setup.py").write_text(setup)
    (root / "shop").mkdir()
    (root / "shop" / "__init__.py").write_text("")
    (root / "shop" / "__main__.py").write_text("import alpha\n")
    return root


def test_the_plan_says_when_it_could_not_be_read(tmp_path: Path) -> None:
    root = _app(tmp_path, _setup("BASE = ['alpha', 'beta']\n", "install_requires=[f'{n}>=1' for n in BASE]"))
    plan = plan_project(root, {})
    assert plan.app_install == "wheel" and plan.lock.source == "requirements.txt"
    assert plan.facts.dependencies.declared_unread is not None
    (warning,) = [w for w in plan.warnings if "computed by code" in w]
    assert warning == (
        "setup.py:6 install_requires is computed by code, so it could not be read (only running setup.py "
        "tells) nor compared with requirements.txt: the app's wheel goes in with --no-deps, so a dependency "
        "it declares that requirements.txt leaves out would be missing from the image; name them all in "
        "requirements.txt, or write install_requires as a list (or read it from requirements.txt)"
    )


def test_a_read_declaration_is_compared_and_not_warned(tmp_path: Path) -> None:
    body = "with open('deps.txt') as f:\n    REQS = f.read().splitlines()\n"
    root = _app(tmp_path, _setup(body, "install_requires=REQS"))
    (root / "deps.txt").write_text("alpha>=1\ngamma\n")
    plan = plan_project(root, {})
    assert plan.facts.dependencies.declared_unread is None
    assert not any("computed by code" in w for w in plan.warnings)
    assert plan.lock.merged == ("gamma",)  # what setup.py declares and requirements.txt leaves out
