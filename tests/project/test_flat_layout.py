"""A setuptools project whose flat layout automatic discovery refuses (project/setuptools_discovery.py),
an app object assembled only by the ``__main__`` block's function (detectors/web.py), and ``--port``
on a process that is not a web framework's."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.detect import detect_project
from dockwright.project.setuptools_discovery import flat_layout_refused
from dockwright.project.tree import ProjectTree, parse_toml

MakeProject = Callable[[dict[str, str | bytes]], Path]

PYPROJECT = (
    '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n\n'
    '[project]\nname = "shelf"\nversion = "1.0"\ndependencies = ["flask"]\n'
)
APP = "from flask import Flask\n\napp = Flask(__name__)\n"
VIEWS = "from flask import Blueprint\n\nweb = Blueprint('web', __name__)\n\n@web.route('/')\ndef index():\n    return 'hi'\n"
MAIN = (
    "from shelf import app\nfrom shelf.views import web\n\n"
    "def main():\n    app.register_blueprint(web)\n    app.run(host='0.0.0.0', port=8083)\n"
)
SCRIPT = "from shelf.main import main\n\nif __name__ == '__main__':\n    main()\n"


def _refused(root: Path) -> str | None:
    tree = ProjectTree(root)
    data = parse_toml(tree.read_text("pyproject.toml"))
    found = flat_layout_refused(tree, data, "setuptools.build_meta")
    return found.detail if found else None


def test_two_top_level_folders_are_refused(make_project: MakeProject) -> None:
    root = make_project(
        {"pyproject.toml": PYPROJECT, "shelf/__init__.py": APP, "library/metadata.db": "", "tests/t.py": ""}
    )
    detail = _refused(root)
    assert detail is not None and "(library, shelf)" in detail


def test_one_package_or_an_explicit_list_or_src_is_built(make_project: MakeProject) -> None:
    one = {"pyproject.toml": PYPROJECT, "shelf/__init__.py": APP, "docs/x.md": "", "node_modules/a/b.js": ""}
    assert _refused(make_project(one)) is None
    listed = {
        **one,
        "pyproject.toml": PYPROJECT + '\n[tool.setuptools]\npackages = ["shelf"]\n',
        "data/x": "",
    }
    assert _refused(make_project(listed)) is None
    src = {"pyproject.toml": PYPROJECT, "src/shelf/__init__.py": APP, "data/x": "", "static/x.css": ""}
    assert _refused(make_project(src)) is None
    listing_setup_py = {
        **one,
        "setup.py": "from setuptools import setup\nsetup(packages=['shelf'])\n",
        "data/x": "",
    }
    assert _refused(make_project(listing_setup_py)) is None
    dynamic_setup_py = {**one, "setup.py": "from setuptools import setup\nsetup(**CONFIG)\n", "data/x": ""}
    assert _refused(make_project(dynamic_setup_py)) is None
    listing_setup_cfg = {**one, "setup.cfg": "[options]\npackages = find:\n", "data/x": ""}
    assert _refused(make_project(listing_setup_cfg)) is None


def test_a_setup_py_shim_or_a_setup_cfg_of_tool_settings_still_discovers(make_project: MakeProject) -> None:
    # setuptools discovers (and refuses) as without them: `setup()` names no packages, [flake8] is no option
    files = {"pyproject.toml": PYPROJECT, "shelf/__init__.py": APP, "library/x.py": ""}
    shim = {**files, "setup.py": "from setuptools import setup\n\nsetup()\n"}
    assert "(library, shelf)" in (_refused(make_project(shim)) or "")
    tools = {**files, "setup.cfg": "[flake8]\nmax-line-length = 100\n\n[options]\ninstall_requires = flask\n"}
    assert "(library, shelf)" in (_refused(make_project(tools)) or "")


def test_several_root_modules_without_a_package_are_refused(make_project: MakeProject) -> None:
    root = make_project({"pyproject.toml": PYPROJECT, "app.py": APP, "config.py": "", "manage.py": ""})
    detail = _refused(root)
    assert detail is not None and "modules in a flat layout (app, config)" in detail


def test_the_refused_project_runs_from_its_tree_through_its_main_script(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": PYPROJECT + '\n[project.scripts]\nshelf = "shelf_dist.__main__:main"\n',
            "shelf/__init__.py": APP,
            "shelf/views.py": VIEWS,
            "shelf/main.py": MAIN,
            "run.py": SCRIPT,
            "library/metadata.db": "",
        }
    )
    facts = detect_project(root, python="3.12")
    assert facts.layout.is_package.value is False
    assert "flat layout (library, shelf)" in facts.layout.is_package.evidence[0].detail
    # not the console script (never installed) nor the bare app object (no blueprint until main())
    assert facts.app.command.value == ("python", "run.py")
    web = detect_project(root, python="3.12", port=8083).app
    assert web.kind.value == "web" and web.port.value == 8083
    assert web.kind.evidence[0].detail == "--port 8083: the script's process listens"


def test_an_app_assembled_at_import_is_still_served(make_project: MakeProject) -> None:
    main = MAIN.replace(
        "def main():\n    app.register_blueprint(web)\n", "app.register_blueprint(web)\n\ndef main():\n"
    )
    root = make_project(
        {
            "pyproject.toml": PYPROJECT,
            "shelf/__init__.py": APP,
            "shelf/views.py": VIEWS,
            "shelf/main.py": main,
            "run.py": SCRIPT,
        }
    )
    assert detect_project(root, python="3.12").app.framework.value == "flask"
