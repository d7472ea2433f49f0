"""An existing uv.lock that locks a package only as a source distribution in an archive format uv no
longer reads (``.tar.bz2``, ``.tar.xz``, ``.tar``: PEP 625) stops the plan in one line naming it, what
requires it and the way out, as dockwright's own locks do (lock/compile.py); the image installs the lock
with uv, whose build would fail. The projects are our own small examples."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.errors import DockwrightError
from dockwright.project.detect import detect_project

MakeProject = Callable[[dict[str, str | bytes]], Path]

PYPI = "https://pypi.org/simple"
PYPROJECT = (
    '[project]\nname = "shelf"\nversion = "1.0"\nrequires-python = ">=3.12"\ndependencies = ["tagger"]\n'
)


def _lock(sdist: str, wheels: str = "") -> str:
    return "\n".join(
        [
            "version = 1",
            'requires-python = ">=3.12"',
            "",
            "[[package]]",
            'name = "tagger"',
            'version = "2.0"',
            f'source = {{ registry = "{PYPI}" }}',
            'dependencies = [{ name = "oldtrans" }]',
            'wheels = [{ url = "https://files.example/tagger-2.0-py3-none-any.whl", hash = "sha256:'
            + "1" * 64
            + '" }]',
            "",
            "[[package]]",
            'name = "oldtrans"',
            'version = "2.1.0"',
            f'source = {{ registry = "{PYPI}" }}',
            f'sdist = {{ url = "https://files.example/{sdist}", hash = "sha256:' + "2" * 64 + '" }',
            *([wheels] if wheels else []),
            "",
            "[[package]]",
            'name = "shelf"',
            'version = "1.0"',
            'source = { virtual = "." }',
            'dependencies = [{ name = "tagger" }]',
            "",
        ]
    )


def _project(make_project: MakeProject, lock: str) -> Path:
    return make_project(
        {
            "pyproject.toml": PYPROJECT,
            "uv.lock": lock,
            ".python-version": "3.12\n",
            "job.py": "import tagger\n\nif __name__ == '__main__':\n    print('ok')\n",
        }
    )


@pytest.mark.parametrize("sdist", ["oldtrans-2.1.0.tar.bz2", "oldtrans-2.1.0.tar.xz", "oldtrans-2.1.0.tar"])
def test_an_sdist_uv_cannot_read_stops_in_one_line(make_project: MakeProject, sdist: str) -> None:
    root = _project(make_project, _lock(sdist))
    with pytest.raises(DockwrightError) as raised:
        detect_project(root, python="3.12")
    message = str(raised.value)
    assert "\n" not in message
    assert "oldtrans 2.1.0" in message and "required by tagger" in message and sdist in message
    assert message.startswith("uv.lock: it locks") and "find-links" in message


@pytest.mark.parametrize(
    ("sdist", "wheels"),
    [
        ("oldtrans-2.1.0.tar.gz", ""),
        ("oldtrans-2.1.0.zip", ""),
        (
            "oldtrans-2.1.0.tar.bz2",
            'wheels = [{ url = "https://files.example/oldtrans-2.1.0-py3-none-any.whl", hash = "sha256:'
            + "3" * 64
            + '" }]',
        ),
    ],
)
def test_a_readable_sdist_or_a_wheel_plans(make_project: MakeProject, sdist: str, wheels: str) -> None:
    facts = detect_project(_project(make_project, _lock(sdist, wheels)), python="3.12")
    assert "oldtrans" in {p.name for p in facts.dependencies.locked}
