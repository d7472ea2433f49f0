"""A script inside the project's package, run by its path (``python tools/cli/main.py``), that imports
that package absolutely (``from tools.core import ...``) cannot: its path puts only its own folder on
sys.path. It runs as a module instead (``python -m tools.cli.main``), from the work directory
(project/script_as_module.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockwright import api

MAIN = """import sys

from {package}.core.client import Client


def main() -> None:
    print(Client().status(sys.argv[1:]))


if __name__ == "__main__":
    main()
"""


def _project(tmp_path: Path, entrypoint: str, *, package: str = "tools", init: bool = True) -> Path:
    root = tmp_path / "router"
    (root / "tools" / "cli").mkdir(parents=True)
    (root / "tools" / "core").mkdir(parents=True)
    if init:
        (root / "tools" / "__init__.py").write_text("", encoding="utf-8")
    (root / "tools" / "core" / "__init__.py").write_text("", encoding="utf-8")
    (root / "tools" / "core" / "client.py").write_text(
        "class Client:\n    def status(self, args):\n        return args\n", encoding="utf-8"
    )
    (root / "tools" / "cli" / "main.py").write_text(MAIN.format(package=package), encoding="utf-8")
    (root / "requirements.txt").write_text("requests\n", encoding="utf-8")
    (root / "Dockerfile").write_text(
        f"FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nENTRYPOINT {entrypoint}\n", encoding="utf-8"
    )
    return root


def _command(root: Path) -> tuple[str, ...]:
    plan = api.plan(root, syntax_directive=False)
    return (*plan.entrypoint, *plan.cmd)


@pytest.mark.parametrize(
    ("entrypoint", "tail"),
    [
        ('["python", "tools/cli/main.py"]', ("python", "-m", "tools.cli.main")),
        (
            '["python3", "-u", "tools/cli/main.py", "status"]',
            ("-m", "tools.cli.main", "status"),
        ),
    ],
)
def test_the_script_runs_as_a_module_of_its_package(
    tmp_path: Path, entrypoint: str, tail: tuple[str, ...]
) -> None:
    assert _command(_project(tmp_path, entrypoint))[-len(tail) :] == tail


def test_a_script_that_imports_no_package_of_its_own_keeps_its_path(tmp_path: Path) -> None:
    command = _command(_project(tmp_path, '["python", "tools/cli/main.py"]', package="requests"))
    assert command[-2:] == ("python", "tools/cli/main.py")


def test_a_folder_without_a_package_marker_keeps_its_path(tmp_path: Path) -> None:
    # no tools/__init__.py: `tools` may be a folder of scripts, not the package the import names
    command = _command(_project(tmp_path, '["python", "tools/cli/main.py"]', init=False))
    assert command[-2:] == ("python", "tools/cli/main.py")


def test_a_script_whose_folder_provides_the_name_keeps_its_path(tmp_path: Path) -> None:
    root = _project(tmp_path, '["python", "tools/cli/main.py"]')
    (root / "tools" / "cli" / "tools").mkdir()
    (root / "tools" / "cli" / "tools" / "__init__.py").write_text("", encoding="utf-8")
    assert _command(root)[-2:] == ("python", "tools/cli/main.py")
