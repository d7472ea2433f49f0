"""The developer's local database and uploads stay out of the build context (project/local_state.py)."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

from dockwright import api
from dockwright.dockerfile.ignore import DockerIgnore
from dockwright.project.data_files import code_reads
from dockwright.project.local_state import local_state
from dockwright.project.tree import ProjectTree
from dockwright.render.render import render_dockerfile

MakeProject = Callable[[dict[str, str | bytes]], Path]
ROWS = b"SQLite format 3\x00" + b"\x00" * 84 + b"admin pbkdf2_sha256$hash"
SETTINGS = (
    "from pathlib import Path\n"
    "BASE_DIR = Path(__file__).resolve().parent.parent\n"
    "SECRET_KEY = 'x' * 50\n"
    "INSTALLED_APPS = ['django.contrib.auth']\n"
    "ROOT_URLCONF = 'site_cfg.urls'\n"
    "WSGI_APPLICATION = 'site_cfg.wsgi.application'\n"
    "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': BASE_DIR / 'db.sqlite3'}}\n"
    "MEDIA_ROOT = BASE_DIR / 'media'\n"
)
DJANGO: dict[str, str | bytes] = {
    "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site_cfg.settings')\n",
    "site_cfg/__init__.py": "",
    "site_cfg/settings.py": SETTINGS,
    "site_cfg/urls.py": "urlpatterns = []\n",
    "site_cfg/wsgi.py": "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
    "requirements.txt": "django\ngunicorn\n",
    "db.sqlite3": ROWS,
    "db.sqlite3-journal": ROWS,
    "media/avatars/u1.jpg": b"\xff\xd8 a user's photo",
    "media/defaults/avatar.png": b"\x89PNG shipped",
}


def _checkout(root: Path, *add: str) -> Path:
    git = ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-f", "--", *add], check=True)
    return root


def _context_rules(root: Path) -> DockerIgnore:
    plan = api.plan(root, syntax_directive=False)
    return DockerIgnore.parse("\n".join(e.pattern for e in plan.dockerignore))


def test_a_gitignored_database_and_uploads_the_settings_name_stay_out(make_project: MakeProject) -> None:
    # the .gitignore lists both and the settings name both: "the code reads it" re-admitted them before
    root = make_project({**DJANGO, ".gitignore": "db.sqlite3*\nmedia/\n"})
    tracked = [p for p in DJANGO if not p.startswith(("db.", "media/avatars"))]
    rules = _context_rules(_checkout(root, ".gitignore", *tracked))
    for local in ("db.sqlite3", "db.sqlite3-journal", "media/avatars/u1.jpg"):
        assert rules.excluded(local), local
    assert not rules.excluded("media/defaults/avatar.png")  # tracked: a clone has it
    assert not rules.excluded("site_cfg/settings.py")
    plan = api.plan(root, syntax_directive=False)
    reason = next(d.reason for d in plan.decisions if d.topic == "dockerignore")
    assert "local state (databases, uploads): db.sqlite3, db.sqlite3-journal, media" in reason
    assert "db.sqlite3 (site_cfg/settings.py" not in reason  # not said to be re-included


def test_an_untracked_database_stays_out_without_a_gitignore_and_a_tracked_one_ships(
    make_project: MakeProject,
) -> None:
    files: dict[str, str | bytes] = {**DJANGO, "data/cities.sqlite": ROWS, "scratch.db": ROWS}
    root = make_project(files)
    tracked = [p for p in files if p not in ("db.sqlite3", "db.sqlite3-journal", "scratch.db")]
    rules = _context_rules(_checkout(root, *tracked))
    assert rules.excluded("db.sqlite3") and rules.excluded("scratch.db")
    assert not rules.excluded("data/cities.sqlite")  # committed: data the app ships
    assert not rules.excluded("media/avatars/u1.jpg")  # every file in it tracked: the repository's own


def test_outside_a_checkout_only_the_apps_own_database_and_journals_stay_out(
    make_project: MakeProject,
) -> None:
    files: dict[str, str | bytes] = {
        "app.py": (
            "import sqlite3\nfrom pathlib import Path\nfrom flask import Flask\n"
            "app = Flask(__name__)\n"
            "app.config['UPLOAD_FOLDER'] = Path(__file__).parent / 'uploads'\n"
            "def db():\n    return sqlite3.connect(Path(__file__).parent / 'state.db')\n"
            "def cities():\n    return (Path(__file__).parent / 'ref' / 'cities.sqlite').read_bytes()\n"
        ),
        "requirements.txt": "flask\ngunicorn\n",
        "state.db": ROWS,
        "state.db-wal": ROWS,
        "ref/cities.sqlite": ROWS,
        "uploads/a.pdf": b"%PDF",
    }
    root = make_project(files)
    rules = _context_rules(root)
    for local in ("state.db", "state.db-wal", "uploads/a.pdf"):
        assert rules.excluded(local), local
    assert not rules.excluded("ref/cities.sqlite") and not rules.excluded("app.py")


def test_a_folder_of_many_tracked_files_is_no_upload_folder(make_project: MakeProject) -> None:
    files: dict[str, str | bytes] = {f"media/icons/{n}.svg": "<svg/>" for n in range(30)}
    files["settings.py"] = "import os\nMEDIA_ROOT = os.path.join(os.path.dirname(__file__), 'media')\n"
    root = _checkout(make_project(files), ".")
    tree = ProjectTree(root)
    tracked = frozenset(
        subprocess.run(["git", "-C", str(root), "ls-files"], capture_output=True, text=True).stdout.split()
    )

    assert local_state(tree, lambda: tracked, code_reads(tree)) == ()


def test_the_upload_folder_is_made_writable_in_the_image(make_project: MakeProject) -> None:
    # left out of the context, so the image makes it, owned by the app user: an upload must not fail
    plan = api.plan(make_project({**DJANGO}), syntax_directive=False)
    assert [d.choice for d in plan.decisions if d.topic == "writable"] == ["/app/media"]
    assert "chown -R 10001:10001 /app/media" in render_dockerfile(plan)
