"""The run-time settings a platform descriptor gives the app (project/deploy_env.py): only the blocks
that build this app count, the ones platform_files.py keeps for the start and the release steps."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockwright.project.deploy_env import DeployEnv
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
    ("rel", "text"),
    [
        ("render.yaml", RENDER.format(extra="")),
        ("render.yaml", RENDER.format(extra="    runtime: python\n    rootDir: ./\n")),
        (".do/app.yaml", DO.format(extra="")),
        (".do/app.yaml", DO.format(extra="    source_dir: /\n")),
    ],
)
def test_a_service_built_from_the_root_sets_the_variable(tmp_path: Path, rel: str, text: str) -> None:
    found = DeployEnv(_tree(tmp_path, rel, text)).setting("DJANGO_SETTINGS_MODULE")
    assert found is not None and found[0] == "shop.settings" and found[1].file == rel


@pytest.mark.parametrize(
    ("rel", "text"),
    [
        # a Docker-runtime service runs its own image; another rootDir is another app
        ("render.yaml", RENDER.format(extra="    runtime: docker\n")),
        ("render.yaml", RENDER.format(extra="    env: image\n")),
        ("render.yaml", RENDER.format(extra="    rootDir: frontend\n")),
        (".do/app.yaml", DO.format(extra="    source_dir: frontend\n")),
        (".do/app.yaml", DO.format(extra="    dockerfile_path: Dockerfile\n")),
    ],
)
def test_a_service_that_is_not_this_app_sets_nothing(tmp_path: Path, rel: str, text: str) -> None:
    assert DeployEnv(_tree(tmp_path, rel, text)).setting("DJANGO_SETTINGS_MODULE") is None


def test_another_service_s_value_does_not_outvote_this_app_s(tmp_path: Path) -> None:
    other = (
        "  - type: web\n    name: api\n    rootDir: api\n    envVars:\n      - key: DJANGO_SETTINGS_MODULE\n"
    )
    text = RENDER.format(extra="") + other + "        value: api.settings\n"
    found = DeployEnv(_tree(tmp_path, "render.yaml", text)).setting("DJANGO_SETTINGS_MODULE")
    assert found is not None and found[0] == "shop.settings"


def test_the_app_level_settings_of_a_digitalocean_spec_reach_every_component(tmp_path: Path) -> None:
    text = "envs:\n  - key: DJANGO_SETTINGS_MODULE\n    value: shop.settings\n" + DO.format(
        extra="    source_dir: frontend\n"
    ).replace("shop.settings", "front.settings")
    found = DeployEnv(_tree(tmp_path, ".do/app.yaml", text)).setting("DJANGO_SETTINGS_MODULE")
    assert found is not None and found[0] == "shop.settings"
