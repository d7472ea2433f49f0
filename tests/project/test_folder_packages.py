"""Several folders holding a package, the root's own Dockerfile running one's console script
(project/workspace.py ``app_folder``): that folder is the app."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.errors import ProjectError
from dockwright.project.workspace import locate

MakeProject = Callable[[dict[str, str | bytes]], Path]


def _package(name: str, script: str | None) -> str:
    scripts = f'\n[project.scripts]\n{script} = "{name}.cli:main"\n' if script else ""
    return (
        '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n'
        f'[project]\nname = "{name}"\nversion = "1.0"\ndependencies = ["click"]\n'
        f'\n[project.optional-dependencies]\nall = ["rich"]\n{scripts}'
    )


def _files(dockerfile: str | None) -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {
        "packages/convert/pyproject.toml": _package("convert", "convert"),
        "packages/convert/src/convert/cli.py": "def main():\n    pass\n",
        "packages/convert-plugin/pyproject.toml": _package("convert_plugin", None),
        "packages/convert-plugin/src/convert_plugin/__init__.py": "",
        "packages/convert-server/pyproject.toml": _package("convert_server", "convert-server"),
        "packages/convert-server/src/convert_server/cli.py": "def main():\n    pass\n",
    }
    if dockerfile is not None:
        files["Dockerfile"] = dockerfile
    return files


RECIPE = (
    "FROM python:3.13-slim\nCOPY . /app\nRUN pip install /app/packages/convert[all] /app/packages/convert-plugin\n"
    "USER nobody\n{final}\n"
)


@pytest.mark.parametrize("final", ['ENTRYPOINT ["convert"]', 'ENTRYPOINT ["/usr/local/bin/convert"]'])
def test_the_folder_whose_console_script_the_root_image_runs(make_project: MakeProject, final: str) -> None:
    root = make_project(_files(RECIPE.format(final=final)))
    found = locate(root)
    assert found.app == root / "packages/convert"
    assert found.context == root / "packages/convert"


@pytest.mark.parametrize("dockerfile", [None, RECIPE.format(final='CMD ["python3"]')])
def test_without_such_a_recipe_the_folders_are_named(
    make_project: MakeProject, dockerfile: str | None
) -> None:
    with pytest.raises(ProjectError, match="several folders hold one"):
        locate(make_project(_files(dockerfile)))
