"""A module-level call of a project function that opens its path parameter for writing, given a path
in the app's tree through a module-level variable (project/helper_writes.py): the settings that write
a generated secret file at import. In a folder of code (root-owned in the image) the plan says it;
in a folder of its own the folder is made writable, as the other writes are."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.detect import detect_project

MakeProject = Callable[[dict[str, str | bytes]], Path]

HELPER = """import os
import secrets


def secret_from_file(path):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        with open(path, "w") as f:
            key = secrets.token_urlsafe(50)
            f.write(key)
            return key


def read_only(path):
    with open(path) as f:
        return f.read()
"""

SETTINGS = """import os

from .helpers import read_only, secret_from_file

BASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SECRET_FILE = os.path.join(BASE_DIR, {where})
ROOT_URLCONF = "shop.urls"
WSGI_APPLICATION = "shop.wsgi.application"
VERSION = read_only(os.path.join(BASE_DIR, "VERSION"))

if "SECRET_KEY" not in locals():
    SECRET_KEY = secret_from_file(SECRET_FILE)
"""


def _project(make_project: MakeProject, where: str) -> Path:
    return make_project(
        {
            "requirements.txt": "django\ngunicorn\n",
            "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n",
            "VERSION": "1.0\n",
            "shop/__init__.py": "",
            "shop/helpers.py": HELPER,
            "shop/settings.py": SETTINGS.format(where=where),
            "shop/urls.py": "urlpatterns = []\n",
            "shop/wsgi.py": "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
        }
    )


def test_a_secret_file_in_the_app_directory_is_said(make_project: MakeProject) -> None:
    facts = detect_project(_project(make_project, '"secret.txt"'), python="3.13")
    notes = [n for n in facts.notes if "secret_from_file" in n]
    assert len(notes) == 1, facts.notes
    note = notes[0]
    assert note.startswith("shop/settings.py:12: secret_from_file (shop/helpers.py:10) writes secret.txt")
    assert "SECRET_FILE" in note and "SECRET_KEY" in note
    assert not [w for w in facts.app.writable if w.value == "."]
    assert not [n for n in facts.notes if "read_only" in n]


def test_a_folder_of_its_own_is_made_writable(make_project: MakeProject) -> None:
    facts = detect_project(_project(make_project, '"data", "secret.txt"'), python="3.13")
    assert not [n for n in facts.notes if "secret_from_file" in n]
    data = [w for w in facts.app.writable if w.value == "data"]
    assert data and (data[0].evidence[0].file, data[0].evidence[0].line) == ("shop/settings.py", 12)


def test_a_path_outside_the_tree_is_left_alone(make_project: MakeProject) -> None:
    project = _project(make_project, '"secret.txt"')
    settings = project / "shop/settings.py"
    settings.write_text(
        settings.read_text().replace('os.path.join(BASE_DIR, "secret.txt")', '"/data/secret.txt"')
    )
    facts = detect_project(project, python="3.13")
    assert not [n for n in facts.notes if "secret_from_file" in n]
    assert not [w for w in facts.app.writable if w.value == "data"]


def test_a_helper_of_the_same_module_writing_through_pathlib(make_project: MakeProject) -> None:
    app = (
        "from pathlib import Path\n\nfrom flask import Flask\n\n\n"
        "def stamp(path):\n    Path(path).write_text('started')\n\n\n"
        "HERE = Path(__file__).resolve().parent\nSTAMP = HERE / 'state' / 'started.txt'\n"
        "stamp(STAMP)\napp = Flask(__name__)\n"
    )
    facts = detect_project(make_project({"requirements.txt": "flask\n", "app.py": app}), python="3.13")
    state = [w for w in facts.app.writable if w.value == "state"]
    assert state and state[0].evidence[0].line == 12, facts.app.writable


CONFIGURED = """import configparser
import os

from .helpers import secret_from_file

BASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SECRET_FILE = os.path.join(BASE_DIR, "secret.txt")
ROOT_URLCONF = "shop.urls"
LOCATIONS = [os.environ.get("SHOP_CONFIG", ""), "shop.ini", "/etc/shop/shop.ini"]

if any(os.path.isfile(x) for x in LOCATIONS):
    config = configparser.ConfigParser()
    config.read(LOCATIONS)
    section = config["main"]
    SECRET_FILE = {read}

SECRET_KEY = secret_from_file(SECRET_FILE)
"""


def _configured(make_project: MakeProject, read: str, ini: str | None = None) -> Path:
    project = _project(make_project, '"secret.txt"')
    (project / "shop/settings.py").write_text(CONFIGURED.format(read=read))
    if ini is not None:
        (project / "shop.ini").write_text(ini)
    return project


def test_a_path_a_config_file_key_moves_is_said_with_its_key(make_project: MakeProject) -> None:
    facts = detect_project(
        _configured(make_project, 'section.get("secret_file", SECRET_FILE)'), python="3.13"
    )
    notes = [n for n in facts.notes if "secret_from_file" in n]
    assert len(notes) == 1, facts.notes
    assert notes[0].startswith("shop/settings.py:17: secret_from_file (shop/helpers.py:10) writes secret.txt")
    assert "(the secret_file key of the [main] section of shop.ini or /etc/shop/shop.ini sets it)" in notes[0]


def test_configparser_get_with_a_fallback_and_the_environment(make_project: MakeProject) -> None:
    read = 'config.get("main", "secret_file", fallback=SECRET_FILE)'
    facts = detect_project(_configured(make_project, read), python="3.13")
    assert any("the secret_file key of the [main] section of shop.ini" in n for n in facts.notes)
    read = 'os.environ.get("SHOP_SECRET_FILE", SECRET_FILE)'
    facts = detect_project(_configured(make_project, read), python="3.13")
    assert any("(the environment variable SHOP_SECRET_FILE sets it)" in n for n in facts.notes)


def test_the_tree_s_config_file_names_the_file_written(make_project: MakeProject) -> None:
    read = 'section.get("secret_file", SECRET_FILE)'
    # a folder of its own: made writable, as the other writes are
    project = _configured(make_project, read, "[main]\nsecret_file = keys/secret.txt\n")
    facts = detect_project(project, python="3.13")
    assert not [n for n in facts.notes if "secret_from_file" in n]
    keys = [w for w in facts.app.writable if w.value == "keys"]
    assert keys and (keys[0].evidence[0].file, keys[0].evidence[0].line) == ("shop/settings.py", 17)
    # in the app directory: said, with the key's value
    project = _configured(make_project, read, "[main]\nsecret_file = app-secret.txt\n")
    facts = detect_project(project, python="3.13")
    notes = [n for n in facts.notes if "secret_from_file" in n]
    assert len(notes) == 1 and "writes app-secret.txt at import" in notes[0]
    assert "the secret_file key of shop.ini's [main] section, which sets it to app-secret.txt" in notes[0]
