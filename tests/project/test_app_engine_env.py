"""App Engine's ``env_variables`` are the app's settings: the image carries the ordinary ones with the
line that sets them, and names the secret and development ones for ``docker run -e``."""

from __future__ import annotations

from pathlib import Path

from dockwright import api
from dockwright.render.render import render_dockerfile

APP = (
    "import os\n\nfrom flask import Flask\n\napp = Flask(__name__)\n"
    "app.config['NAME'] = os.environ.get('SHOP_CONFIG_NAME')\n"
)
APP_YAML = """\
runtime: python312
entrypoint: gunicorn -b :$PORT shop:app
env_variables:
  SHOP_CONFIG_NAME: container
  SHOP_WORKERS: 3
  SHOP_API_TOKEN: 't0kenvalue9'
  SHOP_DEBUG: 'true'
  SHOP_FROM_PLATFORM: '${OTHER}'
  PORT: 9000
"""


def _project(root: Path, app_yaml: str = APP_YAML) -> Path:
    for rel, text in {
        "requirements.txt": "flask\ngunicorn\n",
        "shop/__init__.py": APP,
        "app.yaml": app_yaml,
    }.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def test_app_engine_settings_are_carried_with_their_line(tmp_path: Path) -> None:
    plan = api.plan(_project(tmp_path))
    env = {e.name: e for e in plan.facts.app.env}
    assert env["SHOP_CONFIG_NAME"].value == "container"
    assert (env["SHOP_CONFIG_NAME"].evidence[0].file, env["SHOP_CONFIG_NAME"].evidence[0].line) == (
        "app.yaml",
        4,
    )
    assert env["SHOP_WORKERS"].value == "3"
    assert env["PORT"].value == "8080"  # App Engine's, set by the plan: app.yaml does not choose it
    assert "SHOP_FROM_PLATFORM" not in env
    dockerfile = render_dockerfile(plan)
    assert "SHOP_CONFIG_NAME=container" in dockerfile


def test_app_engine_secret_and_development_settings_become_notes(tmp_path: Path) -> None:
    plan = api.plan(_project(tmp_path))
    env = {e.name for e in plan.facts.app.env}
    assert "SHOP_API_TOKEN" not in env and "SHOP_DEBUG" not in env
    assert any(w.startswith("app.yaml:6: SHOP_API_TOKEN holds a secret") for w in plan.warnings)
    assert any(w.startswith("app.yaml:7: SHOP_DEBUG=true is a development setting") for w in plan.warnings)
    assert "t0kenvalue9" not in render_dockerfile(plan) + " ".join(plan.warnings)


def test_an_app_yaml_of_another_runtime_gives_nothing(tmp_path: Path) -> None:
    plan = api.plan(_project(tmp_path, APP_YAML.replace("python312", "nodejs20")))
    assert "SHOP_CONFIG_NAME" not in {e.name for e in plan.facts.app.env}
