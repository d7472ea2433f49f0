"""Build-step detection (issue 12, class 4): each step with its evidence, or the reason it cannot run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dockwright.plan.planner import make_plan
from dockwright.project.buildsteps import detect_build_steps
from dockwright.project.detect import detect_project
from dockwright.project.facts import AppFacts, BuildStepNeed, EnvSetting, Fact
from dockwright.project.tree import ProjectTree

APP = AppFacts(
    kind=Fact("web"), framework=Fact(None), command=Fact(()), port=Fact(None), health_path=Fact(None)
)
MANAGE = 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_.settings")\nimport django\n'


def _tree(tmp_path: Path, files: dict[str, str]) -> ProjectTree:
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return ProjectTree(tmp_path)


def _steps(tmp_path: Path, files: dict[str, str], deps: set[str] = frozenset()) -> dict[str, BuildStepNeed]:
    found = detect_build_steps(_tree(tmp_path, files), APP, frozenset(deps), "requirements.txt")
    return {s.kind: s for s in found}


def _django(settings: str, **extra: str) -> dict[str, str]:
    return {"manage.py": MANAGE, "site_/__init__.py": "", "site_/settings.py": settings, **extra}


STATIC = 'INSTALLED_APPS = ["django.contrib.staticfiles"]\nSTATIC_URL = "static/"\n'


def test_collectstatic_is_ready_with_static_root_and_names_the_line(tmp_path: Path) -> None:
    steps = _steps(tmp_path, _django(STATIC + 'STATIC_ROOT = BASE / "staticfiles"\n'), {"django"})
    step = steps["collectstatic"]
    assert step.ready and step.script == "manage.py"
    assert [(e.file, e.line) for e in step.evidence] == [("site_/settings.py", 1), ("site_/settings.py", 3)]
    assert "STATIC_ROOT = BASE / 'staticfiles'" in step.evidence[1].detail


def test_collectstatic_without_static_root_is_stated_not_skipped(tmp_path: Path) -> None:
    step = _steps(tmp_path, _django(STATIC), {"django"})["collectstatic"]
    assert not step.ready
    assert "STATIC_ROOT is not set in site_/settings.py" in step.blocker


def test_static_root_none_counts_as_unset(tmp_path: Path) -> None:
    step = _steps(tmp_path, _django(STATIC + "STATIC_ROOT = None\n"), {"django"})["collectstatic"]
    assert not step.ready


def test_split_settings_follow_star_imports(tmp_path: Path) -> None:
    files = {
        "manage.py": MANAGE.replace("site_.settings", "site_.settings.production"),
        "site_/__init__.py": "",
        "site_/settings/__init__.py": "",
        "site_/settings/base.py": STATIC + 'STATIC_ROOT = "/srv/static"\n',
        "site_/settings/production.py": "from .base import *  # noqa\nDEBUG = False\n",
    }
    step = _steps(tmp_path, files, {"django"})["collectstatic"]
    assert step.ready
    assert step.evidence[-1].file == "site_/settings/base.py" and step.evidence[-1].line == 3


def test_settings_module_from_the_app_env_wins(tmp_path: Path) -> None:
    files = _django("", **{"site_/prod.py": STATIC + 'STATIC_ROOT = "/srv/static"\n'})
    app = AppFacts(
        kind=Fact("web"),
        framework=Fact("django"),
        command=Fact(()),
        port=Fact(None),
        health_path=Fact(None),
        env=(EnvSetting("DJANGO_SETTINGS_MODULE", "site_.prod", "compose"),),
    )
    found = detect_build_steps(_tree(tmp_path, files), app, frozenset({"django"}))
    assert [s.kind for s in found] == ["collectstatic"] and found[0].ready


def test_no_staticfiles_app_no_collectstatic(tmp_path: Path) -> None:
    assert _steps(tmp_path, _django('INSTALLED_APPS = ["pages"]\n'), {"django"}) == {}


def test_missing_settings_module_is_stated(tmp_path: Path) -> None:
    files = {"manage.py": MANAGE.replace("site_.settings", "nowhere.settings")}
    step = _steps(tmp_path, files, {"django"})["collectstatic"]
    assert not step.ready and "'nowhere.settings'" in step.blocker


def test_a_missing_settings_module_blocks_compilemessages_too(tmp_path: Path) -> None:
    """manage.py's settings module is not in the tree (a root shim for a project one folder down):
    compilemessages reads the settings' LOCALE_PATHS, so it would stop the build on the import."""
    files = {
        "manage.py": MANAGE.replace("site_.settings", "settings"),
        "quiz/locale/fr/LC_MESSAGES/django.po": "",
    }
    steps = _steps(tmp_path, files, {"django"})
    step = steps["compilemessages"]
    assert not step.ready and "'settings'" in step.blocker, step


def test_django_catalogs_compile_with_compilemessages(tmp_path: Path) -> None:
    files = _django(
        "", **{"locale/fr/LC_MESSAGES/django.po": "", "pages/locale/de/LC_MESSAGES/django.po": ""}
    )
    step = _steps(tmp_path, files, {"django"})["compilemessages"]
    assert step.ready and step.outputs == ("locale", "pages/locale")
    assert "2 gettext catalog(s)" in step.evidence[0].detail


def test_babel_catalogs_compile_with_pybabel(tmp_path: Path) -> None:
    files = {
        "app/__init__.py": "",
        "app/translations/fr/LC_MESSAGES/messages.po": "",
        "app/translations/de/LC_MESSAGES/messages.po": "",
        "babel.cfg": "[python: **.py]\n",
    }
    step = _steps(tmp_path, files, {"flask", "flask-babel", "babel"})["pybabel-compile"]
    assert step.ready and step.outputs == ("app/translations",) and step.domains == ("messages",)
    assert [e.file for e in step.evidence] == [
        "app/translations/de/LC_MESSAGES/messages.po",
        "babel.cfg",
        "requirements.txt",
    ]


def test_catalogs_without_babel_or_django_are_stated(tmp_path: Path) -> None:
    step = _steps(tmp_path, {"po/fr/LC_MESSAGES/app.po": ""}, {"flask"})["pybabel-compile"]
    assert not step.ready and "no Babel" in step.blocker


def test_catalogs_under_tests_and_node_modules_are_not_the_app(tmp_path: Path) -> None:
    files = {"tests/fr/LC_MESSAGES/x.po": "", "node_modules/y/fr/LC_MESSAGES/y.po": ""}
    assert _steps(tmp_path, files, {"babel"}) == {}


PACKAGE = '{\n  "name": "ui",\n  "scripts": {\n    "build": "%s"\n  }\n}\n'
LOCK = '{"lockfileVersion": 3, "packages": {"": {}}}\n'


def test_frontend_served_by_a_flask_static_folder(tmp_path: Path) -> None:
    files = {
        "frontend/package.json": PACKAGE % "node build.mjs --out-dir dist",
        "frontend/package-lock.json": LOCK,
        "app.py": 'from flask import Flask\napp = Flask(__name__, static_folder="frontend/dist")\n',
    }
    step = _steps(tmp_path, files)["frontend"]
    assert step.ready and step.directory == "frontend" and step.outputs == ("frontend/dist",)
    assert step.lockfile == "frontend/package-lock.json"
    assert (step.evidence[0].file, step.evidence[0].line) == ("frontend/package.json", 4)
    assert ("app.py", 2) in [(e.file, e.line) for e in step.evidence]


def test_frontend_vite_default_output_named_by_staticfiles_dirs(tmp_path: Path) -> None:
    files = {
        "ui/package.json": PACKAGE % "vite build",
        "ui/package-lock.json": LOCK,
        "site_/settings.py": 'STATICFILES_DIRS = [BASE_DIR / "ui" / "dist"]\n',
    }
    step = _steps(tmp_path, files)["frontend"]
    assert step.ready and step.outputs == ("ui/dist",)
    assert "vite build writes dist/ by default" in step.evidence[1].detail


def test_frontend_output_the_own_image_copies_where_the_app_serves_it(tmp_path: Path) -> None:
    # the repository's own image builds ui/ in a node stage and copies dist/ into the package, which
    # serves it as svc/public (project/frontend_copies.py)
    own = (
        "FROM node:20 AS ui\nWORKDIR /w\nCOPY ui ./\nRUN npm ci && npm run build\n\n"
        "FROM python:3.12-slim\nWORKDIR /srv\nCOPY . .\nRUN pip install fastapi uvicorn\n"
        'COPY --from=ui /w/dist ./svc/public\nCMD ["uvicorn", "--factory", "svc.main:create_app"]\n'
    )
    files = {
        "ui/package.json": PACKAGE % "vite build",
        "ui/package-lock.json": LOCK,
        "Dockerfile": own,
        "svc/__init__.py": "",
        "svc/main.py": (
            "import os\nfrom fastapi import FastAPI\nfrom fastapi.staticfiles import StaticFiles\n\n"
            "def create_app():\n    app = FastAPI()\n    app.mount('/', StaticFiles(directory=os.path.join("
            "os.path.dirname(__file__), 'public'), html=True))\n    return app\n"
        ),
    }
    step = _steps(tmp_path, files)["frontend"]
    assert step.ready and step.outputs == ("ui/dist",) and step.placed == (("ui/dist", "svc/public"),)
    assert ("Dockerfile", 10) in [(e.file, e.line) for e in step.evidence]
    (tmp_path / "requirements.txt").write_text("fastapi\nuvicorn\n")
    plan = make_plan(detect_project(tmp_path))
    copies = [s.args for s in plan.runtime_steps if s.instruction == "COPY" and "--from=frontend" in s.flags]
    assert copies == [("/frontend/ui/dist", "/app/svc/public")]


def test_frontend_vite_config_out_dir_outside_its_folder(tmp_path: Path) -> None:
    files = {
        "ui/package.json": PACKAGE % "vite build",
        "ui/package-lock.json": LOCK,
        "ui/vite.config.ts": "export default {\n  build: { outDir: '../app/static/build' },\n}\n",
        "app/__init__.py": 'app = Flask(__name__, static_folder="static/build")\n',
    }
    step = _steps(tmp_path, files)["frontend"]
    assert step.ready and step.outputs == ("app/static/build",)
    assert step.evidence[1].file == "ui/vite.config.ts" and step.evidence[1].line == 2


@pytest.mark.parametrize(
    "output",
    [
        "path.resolve(`./assets_built/`)",
        "path.join(__dirname, 'assets_built')",
        'path.resolve("assets_built")',
    ],
)
def test_frontend_webpack_output_relative_to_its_folder(tmp_path: Path, output: str) -> None:
    files = {
        "package.json": PACKAGE % "webpack --mode production",
        "package-lock.json": LOCK,
        "webpack.config.js": f"module.exports = {{\n  entry: './src/app.js',\n  output: {{\n    path: {output},\n  }},\n}};\n",
        "site_/settings.py": 'STATICFILES_DIRS = [BASE_DIR / "assets_built"]\n',
    }
    step = _steps(tmp_path, files)["frontend"]
    assert step.ready and step.outputs == ("assets_built",)
    assert (step.evidence[1].file, step.evidence[1].line) == ("webpack.config.js", 4)


def test_frontend_production_script_is_preferred_to_build(tmp_path: Path) -> None:
    package = (
        '{\n  "scripts": {\n    "build": "vite build --mode development --outDir dist",\n'
        '    "build:prod": "vite build --outDir dist"\n  }\n}\n'
    )
    files = {
        "package.json": package,
        "package-lock.json": LOCK,
        "app.py": 'Flask(__name__, static_folder="dist")\n',
    }
    step = _steps(tmp_path, files)["frontend"]
    assert step.ready and step.script == "build:prod"
    assert (step.evidence[0].line, step.evidence[0].detail) == (
        4,
        "build:prod script: vite build --outDir dist",
    )


@pytest.mark.parametrize(
    ("extra", "blocker"),
    [
        ({"frontend/yarn.lock": "__metadata:\n  version: 3\n"}, "a Yarn 2+ lock of no known release"),
        ({}, "has no lockfile"),
    ],
)
def test_frontend_without_an_npm_lock_is_stated(tmp_path: Path, extra: dict[str, str], blocker: str) -> None:
    files = {
        "frontend/package.json": PACKAGE % "vite build",
        "app.py": 'Flask(__name__, static_folder="frontend/dist")\n',
        **extra,
    }
    step = _steps(tmp_path, files)["frontend"]
    assert not step.ready and blocker in step.blocker


def test_frontend_the_app_does_not_serve_is_stated(tmp_path: Path) -> None:
    files = {"web/package.json": PACKAGE % "vite build", "web/package-lock.json": LOCK, "app.py": "x = 1\n"}
    step = _steps(tmp_path, files)["frontend"]
    assert not step.ready and "no Python file of the app names its output web/dist/" in step.blocker


def test_frontend_with_an_unknown_output_is_stated(tmp_path: Path) -> None:
    files = {"package.json": PACKAGE % "node make.js", "package-lock.json": LOCK}
    step = _steps(tmp_path, files)["frontend"]
    assert not step.ready and "output directory is unknown" in step.blocker


def test_package_json_without_a_build_script_is_tooling(tmp_path: Path) -> None:
    files = {"package.json": '{"devDependencies": {"prettier": "3"}}', "node_modules/x/package.json": "{}"}
    assert _steps(tmp_path, files) == {}


def test_frontend_angular_output_path(tmp_path: Path) -> None:
    files = {
        "ui/package.json": PACKAGE % "ng build",
        "ui/package-lock.json": LOCK,
        "ui/angular.json": '{"projects": {"ui": {"architect": {"build": {"options": '
        '{"outputPath": {"base": "../web/static/ui"}}}}}}}',
        "web/__init__.py": "",
    }
    step = _steps(tmp_path, files)["frontend"]
    assert step.ready and step.outputs == ("web/static/ui",)
    assert step.evidence[1].file == "ui/angular.json"
    assert step.evidence[2].detail == "web/static/ui/ is in the Python package web's static/ folder"


def test_frontend_angular_configuration_named_by_the_script(tmp_path: Path) -> None:
    build = {
        "options": {"outputPath": "dist/ui"},
        "configurations": {"production": {"outputPath": {"base": "../web/static/frontend/"}}},
    }
    files = {
        "ui/package.json": PACKAGE % "ng build --configuration production",
        "ui/package-lock.json": LOCK,
        "ui/angular.json": json.dumps({"projects": {"ui": {"architect": {"build": build}}}}),
        "web/__init__.py": "",
    }
    assert _steps(tmp_path, files)["frontend"].outputs == ("web/static/frontend",)


MANIFEST = (
    STATIC
    + 'STATIC_ROOT = "/collected"\nSTATICFILES_DIRS = [os.path.join(BASE, "..", "public")]\n'
    + 'STORAGES = {"staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}\n'
)
PAGE = (
    "{% load static %}\n<link href=\"{% static 'css/app.css' %}\">\n<img src=\"{% static 'logo.png' %}\">\n"
)


def test_templates_naming_static_files_nothing_holds_under_a_manifest_storage_are_stated(
    tmp_path: Path,
) -> None:
    files = _django(
        MANIFEST,
        **{
            "templates/base.html": PAGE,
            "public/logo.png": "png",  # a STATICFILES_DIRS folder holds it
            "assets/css/app.css": "@tailwind base;",  # a source, not a static folder: not collected
        },
    )
    step = _steps(tmp_path, files, {"django"})["frontend"]
    assert not step.ready
    assert [(e.file, e.line, e.detail) for e in step.evidence] == [
        ("templates/base.html", 2, "{% static 'css/app.css' %}")
    ]
    assert "(css/app.css); with CompressedManifestStaticFilesStorage (site_/settings.py:5)" in step.blocker
    assert "HTTP 500" in step.blocker


def test_missing_static_files_without_a_manifest_storage_are_no_step(tmp_path: Path) -> None:
    files = _django(STATIC + 'STATIC_ROOT = "/collected"\n', **{"templates/base.html": PAGE})
    assert "frontend" not in _steps(tmp_path, files, {"django"})


def test_static_files_an_app_static_folder_holds_are_no_step(tmp_path: Path) -> None:
    files = _django(
        MANIFEST,
        **{"templates/base.html": PAGE, "shop/static/css/app.css": "a{}", "shop/static/logo.png": "png"},
    )
    assert "frontend" not in _steps(tmp_path, files, {"django"})


@pytest.mark.parametrize(
    ("settings", "line"),
    [
        # the branch that runs with DEBUG off, the image's (`if DEBUG:` its else, `if not DEBUG:` its body)
        ('if DEBUG:\n    STATIC_ROOT = None\nelse:\n    STATIC_ROOT = "/srv/static"\n', 6),
        ('if not DEBUG:\n    STATIC_ROOT = "/srv/static"\nelse:\n    STATIC_ROOT = None\n', 4),
        ('if settings.DEBUG is False:\n    STATIC_ROOT = "/srv/static"\n', 4),
        # another test: whichever branch sets it
        ('if os.getenv("ON_HEROKU"):\n    STATIC_ROOT = "/srv/static"\n', 4),
    ],
)
def test_static_root_set_in_a_module_level_if_counts(tmp_path: Path, settings: str, line: int) -> None:
    step = _steps(tmp_path, _django(STATIC + settings), {"django"})["collectstatic"]
    assert step.ready, step.blocker
    assert (step.evidence[1].file, step.evidence[1].line) == ("site_/settings.py", line)


def test_static_root_only_in_the_debug_branch_is_unset(tmp_path: Path) -> None:
    step = _steps(tmp_path, _django(STATIC + 'if DEBUG:\n    STATIC_ROOT = "/srv/static"\n'), {"django"})
    assert not step["collectstatic"].ready


def test_settings_star_imported_inside_try_and_if_are_followed(tmp_path: Path) -> None:
    files = {
        "manage.py": MANAGE.replace("site_.settings", "site_.settings"),
        "site_/__init__.py": "",
        "site_/settings/__init__.py": "try:\n    from .dev import *\nexcept ImportError:\n    from .prod import *\n",
        "site_/settings/base.py": STATIC + 'STATIC_ROOT = "static"\n',
        "site_/settings/prod.py": "from .base import *\nDEBUG = False\n",
    }
    step = _steps(tmp_path, files, {"django"})["collectstatic"]
    assert step.ready and (step.evidence[-1].file, step.evidence[-1].line) == ("site_/settings/base.py", 3)


def test_frontend_build_running_other_scripts_takes_their_outputs(tmp_path: Path) -> None:
    scripts = {
        "build": "npm run build-js && npm run build-css",
        "build-js": "rollup -c",
        "build-css": "postcss -o shop/static/site.css shop/styles/site.css",
    }
    files = {
        "package.json": json.dumps({"name": "x", "scripts": scripts}),
        "package-lock.json": LOCK,
        "shop/__init__.py": "",
    }
    step = _steps(tmp_path, files)["frontend"]
    assert step.ready and step.outputs == ("shop/static",)
    assert "output shop/static/site.css (flag)" in step.evidence[1].detail


ROLLUP = "export default {{\n  input: 'src/index.js',\n  output: {{\n    {output},\n  }},\n}};\n"


@pytest.mark.parametrize(
    ("output", "expected"),
    [("file: 'shop/static/bundle.js'", "shop/static"), ('dir: "shop/static/js"', "shop/static/js")],
)
def test_frontend_rollup_output_file_or_dir(tmp_path: Path, output: str, expected: str) -> None:
    files = {
        "package.json": PACKAGE % "rollup -c",
        "package-lock.json": LOCK,
        "rollup.config.mjs": ROLLUP.format(output=output),
        "shop/__init__.py": "",
    }
    step = _steps(tmp_path, files)["frontend"]
    assert step.ready and step.outputs == (expected,)
    assert (step.evidence[1].file, step.evidence[1].line) == ("rollup.config.mjs", 4)


@pytest.mark.parametrize(
    "out_dir",
    [
        "path.resolve(__dirname, '../app/static/build')",
        'resolve(__dirname, "..", "app/static/build")',
        "path.join(__dirname, '../app/static/build')",
        "fileURLToPath(new URL('../app/static/build', import.meta.url))",
    ],
)
def test_frontend_vite_out_dir_computed_from_the_config_folder(tmp_path: Path, out_dir: str) -> None:
    files = {
        "ui/package.json": PACKAGE % "vite build",
        "ui/package-lock.json": LOCK,
        "ui/vite.config.ts": f"export default {{\n  build: {{\n    outDir: {out_dir},\n  }},\n}}\n",
        "app/__init__.py": 'app = Flask(__name__, static_folder="static/build")\n',
    }
    step = _steps(tmp_path, files)["frontend"]
    assert step.ready and step.outputs == ("app/static/build",)
    assert (step.evidence[1].file, step.evidence[1].line) == ("ui/vite.config.ts", 3)


def test_frontend_output_named_relative_to_the_package_that_serves_it(tmp_path: Path) -> None:
    # Flask resolves static_folder/template_folder against the package's folder (its root_path)
    files = {
        "client/package.json": PACKAGE % "vite build",
        "client/package-lock.json": LOCK,
        "client/vite.config.ts": "export default {\n  build: { outDir: '../tracker/dist' },\n}\n",
        "tracker/__init__.py": 'from flask import Flask\n\napp = Flask(__name__, template_folder="dist")\n',
    }
    step = _steps(tmp_path, files)["frontend"]
    assert step.ready and step.outputs == ("tracker/dist",)
    assert ("tracker/__init__.py", 3) in [(e.file, e.line) for e in step.evidence]


def test_a_name_in_another_package_does_not_serve_the_output(tmp_path: Path) -> None:
    files = {
        "client/package.json": PACKAGE % "vite build",
        "client/package-lock.json": LOCK,
        "client/vite.config.ts": "export default {\n  build: { outDir: '../tracker/dist' },\n}\n",
        "tracker/__init__.py": "",
        "other/__init__.py": 'from flask import Flask\n\napp = Flask(__name__, template_folder="dist")\n',
    }
    assert not _steps(tmp_path, files)["frontend"].ready


@pytest.mark.parametrize(
    ("lock", "text", "package_manager", "installer"),
    [
        ("pnpm-lock.yaml", "lockfileVersion: '9.0'\n", "", "pnpm@9"),
        ("pnpm-lock.yaml", "lockfileVersion: '6.0'\n", "", "pnpm@8"),
        ("pnpm-lock.yaml", "lockfileVersion: '9.0'\n", "pnpm@10.4.1+sha512.abc", "pnpm@10.4.1"),
        ("yarn.lock", "# THIS IS AN AUTOGENERATED FILE.\n# yarn lockfile v1\n", "", "yarn@1"),
        ("bun.lock", '{\n  "lockfileVersion": 1,\n}\n', "", "bun@1"),
        ("bun.lock", '{\n  "lockfileVersion": 1,\n}\n', "bun@1.2.3", "bun@1.2.3"),
    ],
)
def test_frontend_other_package_managers_are_planned(
    tmp_path: Path, lock: str, text: str, package_manager: str, installer: str
) -> None:
    manager = f',\n  "packageManager": "{package_manager}"' if package_manager else ""
    files = {
        "frontend/package.json": '{\n  "scripts": {\n    "build": "vite build"\n  }' + manager + "\n}\n",
        f"frontend/{lock}": text,
        "app.py": 'Flask(__name__, static_folder="frontend/dist")\n',
    }
    step = _steps(tmp_path, files)["frontend"]
    assert step.ready, step.blocker
    assert step.lockfile == f"frontend/{lock}" and step.installer == installer


def test_a_package_manager_the_lock_does_not_match_is_stated(tmp_path: Path) -> None:
    files = {
        "frontend/package.json": '{"scripts": {"build": "vite build"}, "packageManager": "yarn@4.1.0"}',
        "frontend/yarn.lock": "# yarn lockfile v1\n",
        "app.py": 'Flask(__name__, static_folder="frontend/dist")\n',
    }
    step = _steps(tmp_path, files)["frontend"]
    assert not step.ready and "yarn@4.1.0" in step.blocker


def test_scripts_running_scripts_many_times_expand_in_bounded_time() -> None:
    # each level runs the next one 40 times: four levels written out would be 40**4 copies
    from dockwright.project.buildsteps import _expanded_script

    scripts: dict[str, object] = {f"s{i}": " && ".join([f"npm run s{i + 1}"] * 40) for i in range(5)}
    scripts["s5"] = "vite build --outDir dist"
    expanded = _expanded_script(scripts, str(scripts["s0"]))
    assert len(expanded) <= 100_000
