"""A maintainer's scripts folder (``script/``, ``extra/``: release and code-generation scripts) is not the
app: what its modules read or run (the source tree, git, the changelog) does not shape the image."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.initialize import plan_project

MakeProject = Callable[[dict[str, str | bytes]], Path]

PYPROJECT = (
    '[project]\nname = "streamer"\nversion = "1.0"\nrequires-python = ">=3.11"\ndependencies = ["click"]\n\n'
    '[project.scripts]\nstreamer = "streamer.cli:main"\n\n'
    '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
)
RELEASE = """\
import subprocess
from pathlib import Path

ROOT = Path(__file__).parent.parent
SOURCE = ROOT / "src"
CHANGELOG = (ROOT / "docs" / "changelog.rst").read_text()


def main():
    subprocess.run(["git", "tag", "v1"], check=True)
    print(sorted(SOURCE.iterdir()))


if __name__ == "__main__":
    main()
"""


@pytest.mark.parametrize("folder", ["script", "extra"])
def test_a_maintainers_script_shapes_nothing(make_project: MakeProject, folder: str) -> None:
    root = make_project(
        {
            "pyproject.toml": PYPROJECT,
            "src/streamer/__init__.py": "",
            "src/streamer/cli.py": "import click\n\n\n@click.command()\ndef main():\n    click.echo('ok')\n",
            f"{folder}/release.py": RELEASE,
            "docs/changelog.rst": "1.0\n",
        }
    )
    plan = plan_project(root, {"python": "3.12"})
    assert plan.app_install == "wheel"
    assert "git" not in {a.name for a in plan.runtime_apt}
    assert not [e.pattern for e in plan.dockerignore if e.pattern.startswith("!docs")]
