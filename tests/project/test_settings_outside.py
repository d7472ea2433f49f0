"""A packaged Django project whose settings name a folder at the root outside its package runs from its
source tree (project/settings_outside.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.detect import detect_project

MakeProject = Callable[[dict[str, str | bytes]], Path]

PYPROJECT = (
    '[tool.poetry]\nname = "stock"\nversion = "1.0"\ndescription = ""\nauthors = []\n'
    '[tool.poetry.dependencies]\npython = "^3.11"\nDjango = "^5.1"\ngunicorn = "^23.0"\n'
    '[build-system]\nrequires = ["poetry-core"]\nbuild-backend = "poetry.core.masonry.api"\n'
)
SETTINGS = (
    "from pathlib import Path\n\nBASE_DIR = Path(__file__).resolve().parent.parent\n"
    "SECRET_KEY = 'x'\nINSTALLED_APPS = ['django.contrib.staticfiles']\nROOT_URLCONF = 'stock.urls'\n"
    "WSGI_APPLICATION = 'stock.wsgi.application'\nSTATIC_URL = '/static/'\n"
    "STATIC_ROOT = BASE_DIR / 'staticfiles'\n{extra}"
)
FILES = {
    "pyproject.toml": PYPROJECT,
    "manage.py": (
        "import os\nimport sys\n\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'stock.settings')\n"
        "from django.core.management import execute_from_command_line\n\nexecute_from_command_line(sys.argv)\n"
    ),
    "stock/__init__.py": "",
    "stock/urls.py": "urlpatterns = []\n",
    "stock/wsgi.py": "from django.core.wsgi import get_wsgi_application\n\napplication = get_wsgi_application()\n",
    "stock/templates/base.html": "<html></html>\n",
    "assets/site.css": "body {}\n",
}


def test_a_root_folder_the_settings_name_keeps_the_app_in_its_tree(make_project: MakeProject) -> None:
    extra = "STATICFILES_DIRS = [str(BASE_DIR / 'assets')]\n"
    facts = detect_project(make_project({**FILES, "stock/settings.py": SETTINGS.format(extra=extra)}))
    assert not facts.layout.is_package.value
    why = facts.layout.is_package.evidence[0]
    assert (why.file, why.line) == ("stock/settings.py", 10)
    assert "assets/, a folder at the project root outside the package" in why.detail


def test_folders_inside_the_package_or_not_in_the_tree_keep_the_wheel(make_project: MakeProject) -> None:
    extra = (
        "import os\nTEMPLATES_DIR = os.path.join(BASE_DIR, 'stock', 'templates')\n"
        "LOCALE = BASE_DIR / 'locale'\n"  # no such folder: nothing to lose
    )
    facts = detect_project(make_project({**FILES, "stock/settings.py": SETTINGS.format(extra=extra)}))
    assert facts.layout.is_package.value


def test_a_settings_package_at_the_root_beside_the_app_package_keeps_the_app_in_its_tree(
    make_project: MakeProject,
) -> None:
    # DJANGO_SETTINGS_MODULE = "conf.live": conf/ sits beside stock/, and the wheel carries stock/ only
    hatch = (
        '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n'
        '[project]\nname = "stock"\nversion = "1.0"\ndependencies = ["django", "gunicorn"]\n'
    )
    manage = FILES["manage.py"].replace("stock.settings", "conf.live")
    files = {
        **FILES,
        "pyproject.toml": hatch,
        "manage.py": manage,
        "conf/__init__.py": "",
        "conf/live.py": SETTINGS.format(extra=""),
    }
    facts = detect_project(make_project(files))
    assert not facts.layout.is_package.value
    why = facts.layout.is_package.evidence[0]
    assert why.file == "conf/live.py"
    assert "conf/, beside the package the wheel installs" in why.detail

    # the build names it (hatch's packages), or the settings live in the package: the wheel carries them
    named = hatch + '\n[tool.hatch.build.targets.wheel]\npackages = ["stock", "conf"]\n'
    facts = detect_project(make_project({**files, "pyproject.toml": named}))
    assert facts.layout.is_package.value
    inside = {**files, "stock/settings.py": SETTINGS.format(extra=""), "manage.py": FILES["manage.py"]}
    facts = detect_project(make_project({**inside, "pyproject.toml": hatch}))
    assert facts.layout.is_package.value
