"""Required environment variables come from the modules the start loads (project/loaded_modules.py):
the app's module and what it imports, the modules named by dotted strings there (Django's settings,
INSTALLED_APPS, ROOT_URLCONF, a config object named by its path); a build script no start path
imports lists nothing. When the loaded set cannot be told, every app module counts, as before."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.detect import detect_project

MakeProject = Callable[[dict[str, str | bytes]], Path]

BUILD = "import os\n\nAPI_URL = os.environ['API_URL']\nprint(API_URL)\n"


def _required(project: Path, start: str | None = None) -> dict[str, str]:
    facts = detect_project(project, python="3.13", start=start)
    return {f.value: f.evidence[0].file for f in facts.app.required_env}


def test_a_build_script_no_start_imports_lists_nothing(make_project: MakeProject) -> None:
    project = make_project(
        {
            "requirements.txt": "flask\ngunicorn\n",
            "shop/__init__.py": "",
            "shop/web.py": "from flask import Flask\nfrom shop.config import DB\n\napp = Flask(__name__)\n",
            "shop/config.py": "import os\n\nDB = os.environ['DATABASE_URL']\n",
            "builds/netlify_build.py": BUILD,
        }
    )
    assert _required(project) == {"DATABASE_URL": "shop/config.py"}


def test_a_config_object_named_by_its_path_is_loaded(make_project: MakeProject) -> None:
    project = make_project(
        {
            "requirements.txt": "flask\ngunicorn\n",
            "app.py": "from flask import Flask\n\napp = Flask(__name__)\napp.config.from_object('settings.Prod')\n",
            "settings.py": "import os\n\n\nclass Prod:\n    TOKEN = os.environ['TOKEN']\n",
            "builds/netlify_build.py": BUILD,
        }
    )
    assert _required(project) == {"TOKEN": "settings.py"}


DJANGO_SETTINGS = """import os

SECRET_KEY = os.environ["SECRET_KEY"]
ROOT_URLCONF = "site_a.urls"
WSGI_APPLICATION = "site_a.wsgi.application"
INSTALLED_APPS = ["django.contrib.admin", "blog.apps.BlogConfig"]
"""


def test_django_settings_and_installed_apps_are_loaded(make_project: MakeProject) -> None:
    project = make_project(
        {
            "requirements.txt": "django\ngunicorn\n",
            "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site_a.settings')\n",
            "site_a/__init__.py": "",
            "site_a/settings.py": DJANGO_SETTINGS,
            "site_a/urls.py": "urlpatterns = []\n",
            "site_a/wsgi.py": (
                "import os\nfrom django.core.wsgi import get_wsgi_application\n"
                "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site_a.settings')\n"
                "application = get_wsgi_application()\n"
            ),
            "blog/__init__.py": "",
            "blog/apps.py": "from django.apps import AppConfig\n\n\nclass BlogConfig(AppConfig):\n    name = 'blog'\n",
            "blog/feeds.py": "import os\n\nFEED = os.environ['FEED_TOKEN']\n",
            "builds/netlify_build.py": BUILD,
        }
    )
    required = _required(project)
    assert required == {"SECRET_KEY": "site_a/settings.py", "FEED_TOKEN": "blog/feeds.py"}


def test_every_module_counts_when_the_start_is_not_known(make_project: MakeProject) -> None:
    project = make_project(
        {
            "requirements.txt": "flask\n",
            "app.py": "from flask import Flask\n\napp = Flask(__name__)\n",
            "run.sh": "exec python -m flask run\n",
            "builds/netlify_build.py": BUILD,
        }
    )
    assert "API_URL" in _required(project, start="sh run.sh")


def test_a_start_run_from_its_folder_imports_by_the_folder_s_names(make_project: MakeProject) -> None:
    project = make_project(
        {
            "requirements.txt": "fastapi\nuvicorn\n",
            "backend/main.py": "from fastapi import FastAPI\nfrom config import settings\n\napp = FastAPI()\n",
            "backend/config.py": "import os\n\nsettings = {'db': os.environ['DB_HOST']}\n",
            "backend/mail/__init__.py": "",
            "backend/mail/config.py": "import os\n\nUSER = os.environ['MAIL_USER']\n",
            "backend/routes.py": "from mail.config import USER\n",
            "backend/core.py": "import importlib\n\nROUTES = ['routes']\n",
            "builds/netlify_build.py": BUILD,
        }
    )
    main = project / "backend/main.py"
    main.write_text(
        main.read_text().replace("from config import settings", "from config import settings\nimport core")
    )
    assert _required(project) == {"DB_HOST": "backend/config.py", "MAIL_USER": "backend/mail/config.py"}
