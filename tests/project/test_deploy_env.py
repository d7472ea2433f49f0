"""The run-time settings a platform descriptor gives the app (project/deploy_env.py): only the blocks
that build this app count, the ones platform_files.py keeps for the start and the release steps."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockwright.project.deploy_env import DeployEnv
from dockwright.project.plan_files import PlanFiles
from dockwright.project.tree import ProjectTree

RENDER = """services:
  - type: web
    name: shop
{extra}    envVars:
      - key: DJANGO_SETTINGS_MODULE
        value: shop.settings
"""
DO = """services:
  - name: shop
{extra}    envs:
      - key: DJANGO_SETTINGS_MODULE
        value: shop.settings
"""


def _tree(tmp_path: Path, rel: str, text: str) -> ProjectTree:
    (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / rel).write_text(text)
    return ProjectTree(tmp_path)


@pytest.mark.parametrize(
    ("rel", "text", "expected"),
    [
        ("render.yaml", RENDER.format(extra=""), "shop.settings"),
        ("render.yaml", RENDER.format(extra="    runtime: python\n    rootDir: ./\n"), "shop.settings"),
        (".do/app.yaml", DO.format(extra=""), "shop.settings"),
        (".do/app.yaml", DO.format(extra="    source_dir: /\n"), "shop.settings"),
        # a Docker-runtime service runs its own image; another rootDir is another app
        ("render.yaml", RENDER.format(extra="    runtime: docker\n"), None),
        ("render.yaml", RENDER.format(extra="    env: image\n"), None),
        ("render.yaml", RENDER.format(extra="    rootDir: frontend\n"), None),
        (".do/app.yaml", DO.format(extra="    source_dir: frontend\n"), None),
        (".do/app.yaml", DO.format(extra="    dockerfile_path: Dockerfile\n"), None),
    ],
)
def test_only_a_service_built_from_the_root_sets_the_variable(
    tmp_path: Path, rel: str, text: str, expected: str | None
) -> None:
    found = DeployEnv(PlanFiles(_tree(tmp_path, rel, text))).setting("DJANGO_SETTINGS_MODULE")
    assert (found[0], found[1].file) == (expected, rel) if found else expected is None


def test_another_service_s_value_does_not_outvote_this_app_s(tmp_path: Path) -> None:
    other = (
        "  - type: web\n    name: api\n    rootDir: api\n    envVars:\n      - key: DJANGO_SETTINGS_MODULE\n"
    )
    text = RENDER.format(extra="") + other + "        value: api.settings\n"
    found = DeployEnv(PlanFiles(_tree(tmp_path, "render.yaml", text))).setting("DJANGO_SETTINGS_MODULE")
    assert found is not None and found[0] == "shop.settings"


def test_the_app_level_settings_of_a_digitalocean_spec_reach_every_component(tmp_path: Path) -> None:
    text = "envs:\n  - key: DJANGO_SETTINGS_MODULE\n    value: shop.settings\n" + DO.format(
        extra="    source_dir: frontend\n"
    ).replace("shop.settings", "front.settings")
    found = DeployEnv(PlanFiles(_tree(tmp_path, ".do/app.yaml", text))).setting("DJANGO_SETTINGS_MODULE")
    assert found is not None and found[0] == "shop.settings"


def test_app_engine_env_variables_of_a_python_runtime(tmp_path: Path) -> None:
    text = "runtime: python312\nenv_variables:\n  DJANGO_SETTINGS_MODULE: shop.settings.prod\n"
    tree = _tree(tmp_path, "app.yaml", text)
    found = DeployEnv(PlanFiles(tree)).setting("DJANGO_SETTINGS_MODULE")
    assert found is not None and found[0] == "shop.settings.prod"
    assert (found[1].file, found[1].line) == ("app.yaml", 3)
    (tmp_path / "app.yaml").write_text(text.replace("python312", "nodejs20"))
    assert DeployEnv(PlanFiles(ProjectTree(tmp_path))).setting("DJANGO_SETTINGS_MODULE") is None
