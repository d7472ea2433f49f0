"""Run-time libraries of a dependency's module the project uses (GeoDjango's GEOS and GDAL)."""

from __future__ import annotations

from pathlib import Path

from dockwright.plan.planner import make_plan
from dockwright.project.detect import detect_project
from dockwright.project.module_native import module_needs
from dockwright.project.native import all_apt_packages, native_table
from dockwright.project.tree import ProjectTree

SETTINGS = (
    "INSTALLED_APPS = [\n"
    '    "django.contrib.admin",\n'
    '    "django.contrib.gis",\n'
    '    "trails",\n'
    "]\n"
    'DATABASES = {"default": {"ENGINE": "django.contrib.gis.db.backends.postgis", "NAME": "trails"}}\n'
)
MODELS = (
    "from django.contrib.gis.db import models\n\n\n"
    "class Trailhead(models.Model):\n"
    "    spot = models.PointField()\n"
)


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def _django(root: Path, extra: dict[str, str] | None = None) -> Path:
    files = {
        "manage.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "hikes.settings")\n',
        "hikes/__init__.py": "",
        "hikes/settings.py": "INSTALLED_APPS = []\n",
        "hikes/wsgi.py": "from django.core.wsgi import get_wsgi_application\n\n"
        "application = get_wsgi_application()\n",
        "requirements.txt": "Django==5.2.1\n",
    }
    files.update(extra or {})
    return _write(root, files)


def test_every_module_row_names_a_source_and_its_packages_reach_the_sandbox() -> None:
    modules = native_table().modules
    assert modules
    for row in modules:
        assert row.source.startswith("https://"), row.module
        assert set(row.run_apt) <= all_apt_packages()


def test_an_import_of_the_gis_models_needs_gdal_and_geos(tmp_path: Path) -> None:
    root = _django(tmp_path, {"trails/models.py": MODELS, "trails/__init__.py": ""})
    (needs,) = module_needs(ProjectTree(root), frozenset({"django"}), "bookworm")
    assert needs.package == "django.contrib.gis"
    assert needs.run_apt == ("libgdal32", "libgeos-c1v5") and needs.build_apt == ()
    assert not needs.compiles
    assert (needs.evidence[0].file, needs.evidence[0].line) == ("trails/models.py", 1)
    assert needs.evidence[0].detail.startswith("imports from django.contrib.gis.db")


def test_trixie_names_the_libraries_its_own_way(tmp_path: Path) -> None:
    root = _django(tmp_path, {"trails/models.py": MODELS})
    (needs,) = module_needs(ProjectTree(root), frozenset({"django"}), "trixie")
    assert needs.run_apt == ("libgdal36", "libgeos-c1t64")
    assert "libgdal36 libgeos-c1t64 at run time" in needs.evidence[0].detail


def test_settings_that_only_name_the_app_count(tmp_path: Path) -> None:
    root = _django(tmp_path, {"hikes/settings.py": SETTINGS})
    (needs,) = module_needs(ProjectTree(root), frozenset({"django"}), "bookworm")
    assert (needs.evidence[0].file, needs.evidence[0].line) == ("hikes/settings.py", 3)
    assert "names 'django.contrib.gis'" in needs.evidence[0].detail


def test_no_gis_no_libraries(tmp_path: Path) -> None:
    root = _django(
        tmp_path,
        {
            "trails/models.py": "from django.db import models\n# see django.contrib.gis for maps later\n",
            "hikes/settings.py": 'INSTALLED_APPS = ["django.contrib.gisx_extra", "django.contrib.auth"]\n',
        },
    )
    assert module_needs(ProjectTree(root), frozenset({"django"}), "bookworm") == ()


def test_only_tests_or_a_missing_dependency_need_nothing(tmp_path: Path) -> None:
    root = _django(tmp_path, {"tests/test_geo.py": MODELS})
    assert module_needs(ProjectTree(root), frozenset({"django"}), "bookworm") == ()
    _write(root, {"trails/models.py": MODELS})
    assert module_needs(ProjectTree(root), frozenset({"flask"}), "bookworm") == ()


def test_the_plan_installs_them_in_the_runtime_only(tmp_path: Path) -> None:
    files = {"trails/models.py": MODELS, "trails/__init__.py": "", "hikes/settings.py": SETTINGS}
    root = _django(tmp_path, files)
    plan = make_plan(detect_project(root))
    runtime = {a.name: a.why for a in plan.runtime_apt}
    gdal = next(name for name in runtime if name.startswith("libgdal"))
    assert "django.contrib.gis" in runtime[gdal]
    assert any(name.startswith("libgeos-c1") for name in runtime)
    assert not any(a.name.startswith(("libgdal", "libgeos")) for a in plan.builder_apt)
    decision = next(d for d in plan.decisions if d.topic == "runtime-libraries")
    assert "django.contrib.gis" in decision.reason
