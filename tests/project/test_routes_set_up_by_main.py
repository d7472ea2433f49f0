"""An app object whose routes a function adds, run only by the script the project's image starts
(detectors/web.py), that script as the own image's server behind its entry wrapper
(detectors/own_image_server.py), and the data folder that image makes with ``mkdir`` (own_volumes.py).

The shape of a watcher service seen in the wild: ``app = Flask(...)`` at module level, every
``@app.route`` inside ``def make_site(store)``, called by the package's ``main()``, which a
``watch.py`` script's ``__main__`` block runs and which then serves on its own port; the repository's
image runs ``/entrypoint.sh python ./watch.py -d /store``. Served as ``module:app``, every path is 404.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.detect import detect_project

MakeProject = Callable[[dict[str, str | bytes]], Path]

SITE = """\
from flask import Flask

app = Flask(__name__)


@app.template_filter("upper")
def upper(text):
    return text.upper()


def make_site(store):
    @app.route("/")
    def index():
        return "watching"

    @app.route("/login", methods=["GET", "POST"])
    def login():
        return "login"

    return app
"""
PACKAGE = """\
import os
import sys

from watcher.site import make_site


def main():
    store = sys.argv[-1]
    site = make_site(store)
    site.run(host="0.0.0.0", port=int(os.environ.get("PORT", 5000)))
"""
SCRIPT = "import watcher\n\nif __name__ == '__main__':\n    watcher.main()\n"
ENTRYPOINT = '#!/bin/bash\nset -e\necho "starting"\nexec "$@"\n'
DOCKERFILE = """\
FROM python:3.13-slim
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt
RUN [ ! -d "/store" ] && mkdir /store
COPY entrypoint.sh /entrypoint.sh
EXPOSE 5000
ENTRYPOINT ["/entrypoint.sh"]
CMD ["python", "./watch.py", "-d", "/store"]
"""


def _files() -> dict[str, str | bytes]:
    return {
        "requirements.txt": "flask==3.1.0\ngunicorn==23.0.0\n",
        "watcher/__init__.py": PACKAGE,
        "watcher/site.py": SITE,
        "watch.py": SCRIPT,
    }


def test_an_app_whose_routes_only_the_main_scripts_chain_adds_is_not_served_bare(
    make_project: MakeProject,
) -> None:
    app = detect_project(make_project(_files()), python="3.13").app
    assert app.command.value == ("python", "watch.py")
    assert "watcher.site:app" not in " ".join(app.command.value)


def test_routes_added_at_import_keep_the_app_served_by_the_production_server(
    make_project: MakeProject,
) -> None:
    files = _files()
    files["watcher/site.py"] = SITE + '\n\n@app.route("/healthz")\ndef healthz():\n    return "ok"\n'
    app = detect_project(make_project(files), python="3.13").app
    assert app.command.value[0] == "gunicorn" and app.command.value[-1] == "watcher.site:app"


def test_the_own_image_runs_the_script_behind_its_wrapper_on_its_port_with_its_data_folder(
    make_project: MakeProject,
) -> None:
    root = make_project({**_files(), "Dockerfile": DOCKERFILE, "entrypoint.sh": ENTRYPOINT})
    app = detect_project(root, python="3.13").app
    assert app.kind.value == "web" and app.port.value == 5000
    assert app.command.value[-4:] == ("python", "watch.py", "-d", "/store")
    assert app.command.value == ("python", "watch.py", "-d", "/store")  # the wrapper only echoes
    said = app.command.evidence[1].detail
    assert "runs main() of watcher/__init__.py" in said and "make_site() sets up" in said
    store = [f for f in app.writable if f.value == "/store"]
    assert store and store[0].evidence[0].line == 5


def test_a_wrapper_that_installs_with_pip_at_start_wraps_the_start_and_is_said(
    make_project: MakeProject,
) -> None:
    wrapper = (
        '#!/bin/bash\nset -e\nif [ -n "$EXTRA_PACKAGES" ]; then\n'
        '    pip3 install --no-cache-dir $EXTRA_PACKAGES\nfi\nexec "$@"\n'
    )
    root = make_project({**_files(), "Dockerfile": DOCKERFILE, "entrypoint.sh": wrapper})
    facts = detect_project(root, python="3.13")
    assert facts.app.command.value[:2] == ("bash", "entrypoint.sh")
    said = [n for n in facts.notes if n.startswith("entrypoint.sh:4 installs packages with pip at start")]
    assert len(said) == 1 and "the planned image has no pip" in said[0]


def test_routes_a_function_adds_when_called_at_import_keep_the_app_served(make_project: MakeProject) -> None:
    """``register_routes()`` called by the module that serves the app (or by the app's own module) as
    it is imported: the app is complete at import, whatever ``__main__`` block another script has."""
    site = "from flask import Flask\n\napp = Flask(__name__)\n\n\ndef register_routes():\n    @app.route('/')\n    def index():\n        return 'hi'\n"
    seed = "def register_routes():\n    print('seeding')\n\n\nif __name__ == '__main__':\n    register_routes()\n"
    wsgi = "from site_app import app, register_routes\n\nregister_routes()\n"
    files: dict[str, str | bytes] = {
        "requirements.txt": "flask==3.1.0\ngunicorn==23.0.0\n",
        "site_app.py": site,
        "seed.py": seed,
        "wsgi.py": wsgi,
    }
    app = detect_project(make_project(files), python="3.13").app
    assert app.kind.value == "web" and app.command.value[0] == "gunicorn"
    selfmade = {**files, "site_app.py": site + "\n\nregister_routes()\n"}
    del selfmade["wsgi.py"]
    app = detect_project(make_project(selfmade), python="3.13").app
    assert app.command.value[0] == "gunicorn" and app.command.value[-1] == "site_app:app"
