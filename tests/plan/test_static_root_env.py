"""A STATIC_ROOT the settings read from the environment with no default: the build's collectstatic gets
the image's folder, and the running app the same value when it serves the files itself (WhiteNoise)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from dockwright import api
from dockwright.plan.model import BuildPlan
from dockwright.project.static_root_env import static_root_env

MANAGE = """import os, sys
if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_cfg.settings")
    from django.core.management import execute_from_command_line
    execute_from_command_line(sys.argv)
"""


def _project(tmp_path: Path, root_line: str, *, whitenoise: bool, head: str = "import os") -> Path:
    (tmp_path / "requirements.txt").write_text(
        "django==5.1.4\ngunicorn==23.0.0\n" + ("whitenoise==6.8.2\n" if whitenoise else "")
    )
    (tmp_path / "manage.py").write_text(MANAGE)
    pkg = tmp_path / "site_cfg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "urls.py").write_text("urlpatterns = []\n")
    (pkg / "wsgi.py").write_text(
        "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n"
    )
    middleware = '["whitenoise.middleware.WhiteNoiseMiddleware"]' if whitenoise else "[]"
    (pkg / "settings.py").write_text(
        f"{head}\n"
        'SECRET_KEY = "not-secret-in-this-test"\n'
        'INSTALLED_APPS = ["django.contrib.staticfiles"]\n'
        f"MIDDLEWARE = {middleware}\n"
        'ROOT_URLCONF = "site_cfg.urls"\n'
        'STATIC_URL = "/static/"\n'
        f"{root_line}\n"
    )
    return tmp_path


def _collect(plan: BuildPlan) -> str:
    return next(" ".join(s.args) for s in plan.runtime_steps if "collectstatic" in " ".join(s.args))


@pytest.mark.parametrize(
    ("source", "name"),
    [
        ('os.environ["STATIC_ROOT"]', "STATIC_ROOT"),
        ('os.getenv("STATIC_FILES_DIR")', "STATIC_FILES_DIR"),
        ('os.environ.get("STATIC_ROOT")', "STATIC_ROOT"),
        ('os.getenv("STATIC_ROOT", None)', "STATIC_ROOT"),
        ('env("STATIC_ROOT")', "STATIC_ROOT"),
        ('env.str("STATIC_ROOT")', "STATIC_ROOT"),
        ('config("STATIC_ROOT")', "STATIC_ROOT"),
        ('config("STATIC_ROOT", cast=str)', "STATIC_ROOT"),
        ('Path(os.environ["STATIC_ROOT"])', "STATIC_ROOT"),
        ('BASE_DIR / os.environ["STATIC_DIR"]', "STATIC_DIR"),
        ('os.path.join(BASE_DIR, env("STATIC_ROOT"))', "STATIC_ROOT"),
        ('os.path.join(BASE_DIR, "public", env.str("STATIC_DIR"))', "STATIC_DIR"),
        ('BASE_DIR.joinpath(config("STATIC_DIR"))', "STATIC_DIR"),
        ('str(BASE_DIR / os.getenv("STATIC_DIR"))', "STATIC_DIR"),
        ('BASE_DIR / os.getenv("STATIC_DIR", "staticfiles")', ""),
        ('os.path.join(env("STATIC_ROOT"), "static")', ""),
        ('os.getenv("STATIC_ROOT", "/srv/static")', ""),
        ('env("STATIC_ROOT", default="/srv/static")', ""),
        ('BASE_DIR / "staticfiles"', ""),
        ('str("STATIC_ROOT")', ""),
    ],
)
def test_static_root_env_names_a_read_without_default(source: str, name: str) -> None:
    value = ast.parse(source, mode="eval").body
    assert static_root_env(value) == name


def test_whitenoise_gets_the_folder_at_build_and_run_time(tmp_path: Path) -> None:
    plan = api.plan(_project(tmp_path, 'STATIC_ROOT = os.environ["STATIC_ROOT"]', whitenoise=True))
    assert "STATIC_ROOT=/app/staticfiles python manage.py collectstatic --noinput" in _collect(plan)
    assert ("STATIC_ROOT", "/app/staticfiles") in {(e.name, e.value) for e in plan.runtime_env}
    assert "STATIC_ROOT" not in {f.value for f in plan.facts.app.required_env}
    decision = plan.decision("static-root")
    assert decision is not None and decision.choice == "STATIC_ROOT=/app/staticfiles"
    assert "WhiteNoise serves it" in decision.reason


def test_without_whitenoise_only_the_build_gets_the_folder(tmp_path: Path) -> None:
    head = "from decouple import config"
    plan = api.plan(_project(tmp_path, 'STATIC_ROOT = config("STATIC_ROOT")', whitenoise=False, head=head))
    assert "STATIC_ROOT=/app/staticfiles python manage.py collectstatic" in _collect(plan)
    assert "STATIC_ROOT" not in {e.name for e in plan.runtime_env}
    decision = plan.decision("static-root")
    assert decision is not None and "no WhiteNoise" in decision.reason


def test_getenv_without_default_is_given_at_build_time(tmp_path: Path) -> None:
    plan = api.plan(_project(tmp_path, 'STATIC_ROOT = os.getenv("STATIC_ROOT")', whitenoise=False))
    assert "STATIC_ROOT=/app/staticfiles python manage.py collectstatic" in _collect(plan)


@pytest.mark.parametrize(
    ("head", "line", "name"),
    [
        (
            "import os\nfrom pathlib import Path",
            'STATIC_ROOT = BASE_DIR / os.environ["STATIC_DIR"]',
            "STATIC_DIR",
        ),
        (
            "import os, environ\nfrom pathlib import Path\nenv = environ.Env()",
            'STATIC_ROOT = os.path.join(BASE_DIR, env("STATIC_ROOT"))',
            "STATIC_ROOT",
        ),
        (
            "import os, environ\nfrom pathlib import Path\nenv = environ.Env()",
            'STATIC_ROOT = BASE_DIR / env.str("STATIC_DIR")',
            "STATIC_DIR",
        ),
        (
            "import os\nfrom pathlib import Path\nfrom decouple import config",
            'STATIC_ROOT = os.path.join(BASE_DIR, config("STATIC_DIR"))',
            "STATIC_DIR",
        ),
    ],
)
def test_a_read_joined_to_the_base_folder_gets_the_image_folder(
    tmp_path: Path, head: str, line: str, name: str
) -> None:
    """``BASE_DIR / os.environ["X"]``: an absolute value wins over the folder before it, so the build's
    collectstatic writes where the image keeps the files whichever join the settings use."""
    head += "\nBASE_DIR = Path(__file__).resolve().parent.parent"
    plan = api.plan(_project(tmp_path, line, whitenoise=True, head=head))
    assert f"{name}=/app/staticfiles python manage.py collectstatic --noinput" in _collect(plan)
    assert (name, "/app/staticfiles") in {(e.name, e.value) for e in plan.runtime_env}


def test_a_folder_in_the_settings_gets_no_variable(tmp_path: Path) -> None:
    plan = api.plan(_project(tmp_path, 'STATIC_ROOT = "/srv/static"', whitenoise=True))
    assert "STATIC_ROOT=" not in _collect(plan)
    assert plan.decision("static-root") is None
