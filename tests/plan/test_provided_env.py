"""Variables the container already holds (the engine's HOSTNAME/HOME, the python image's PYTHON_VERSION)
are never listed as required, nor given a build-time dummy."""

from __future__ import annotations

from pathlib import Path

from dockwright.plan.planner import make_plan
from dockwright.plan.provided_env import provided
from dockwright.plan.strategies.base import PlanOptions
from dockwright.project.detect import detect_project

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

VIEW = (
    "from flask import Flask\nimport os\napp = Flask(__name__)\nKEY = os.environ['SECRET_KEY']\n"
    "@app.get('/')\ndef home():\n    return os.environ['PYTHON_VERSION'] + os.environ['HOSTNAME']\n"
)


def _project(root: Path) -> Path:
    (root / "app.py").write_text(VIEW, encoding="utf-8")
    (root / "requirements.txt").write_text("flask==3.0.3\ngunicorn==23.0.0\n", encoding="utf-8")
    return root


def test_python_version_and_hostname_are_provided_not_required(tmp_path: Path) -> None:
    facts = detect_project(_project(tmp_path))
    assert {f.value for f in facts.app.required_env} == {"SECRET_KEY", "PYTHON_VERSION", "HOSTNAME"}
    plan = make_plan(facts)
    assert [f.value for f in plan.facts.app.required_env] == ["SECRET_KEY"]
    required = plan.decision("required-env")
    assert required is not None and required.choice == "SECRET_KEY"
    decision = plan.decision("provided-env")
    assert decision is not None and decision.choice == "PYTHON_VERSION HOSTNAME"
    assert "PYTHON_VERSION: python:3." in decision.reason and "app.py:7" in decision.reason
    assert "Docker sets it in every container" in decision.reason


def test_a_runtime_without_the_python_image_env_still_requires_python_version(tmp_path: Path) -> None:
    plan = make_plan(detect_project(_project(tmp_path)), PlanOptions(strategy="pyinstaller"))
    assert not plan.runtime_image.startswith("python:")
    assert "PYTHON_VERSION" not in provided(plan)
    assert {f.value for f in plan.facts.app.required_env} == {"SECRET_KEY", "PYTHON_VERSION"}


def test_hostname_read_by_settings_gets_a_build_dummy_but_is_not_required(tmp_path: Path) -> None:
    # Docker sets HOSTNAME in a container, but BuildKit's RUN steps run without it (checked: `RUN env`
    # lists HOME, PATH, PWD, LANG): settings that read it without a default (ALLOWED_HOSTS =
    # [env("HOSTNAME")]) stop collectstatic unless that RUN gets a dummy; at run time it is still set
    import shutil

    root = tmp_path / "site"
    shutil.copytree(EXAMPLES / "django-static-i18n", root, ignore=shutil.ignore_patterns("golden"))
    settings = root / "mysite" / "settings.py"
    settings.write_text(
        settings.read_text(encoding="utf-8") + '\nALLOWED_HOSTS = [os.environ["HOSTNAME"]]\n',
        encoding="utf-8",
    )
    plan = make_plan(detect_project(root))
    assert [f.value for f in plan.facts.app.required_env] == ["DJANGO_SECRET_KEY"]
    collect = next(" ".join(s.args) for s in plan.runtime_steps if "collectstatic" in " ".join(s.args))
    assert "HOSTNAME=" in collect and "DJANGO_SECRET_KEY=" in collect
    decision = plan.decision("provided-env")
    assert decision is not None and decision.choice == "HOSTNAME"
    assert "build steps do not have it" in decision.reason
