"""A locked library that imports pkg_resources without requiring setuptools gets setuptools<82 added."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.detect import detect_project
from dockwright.project.pkg_resources_users import setuptools_add, users

MakeProject = Callable[[dict[str, str | bytes]], Path]

SITE = {
    "manage.py": (
        "import os\nimport sys\n\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'atlas.settings')\n"
        "from django.core.management import execute_from_command_line\n\nexecute_from_command_line(sys.argv)\n"
    ),
    "atlas/__init__.py": "",
    "atlas/settings.py": (
        "SECRET_KEY = 'x'\nINSTALLED_APPS = ['drf_yasg']\nROOT_URLCONF = 'atlas.urls'\n"
        "WSGI_APPLICATION = 'atlas.wsgi.application'\n"
    ),
    "atlas/urls.py": "urlpatterns = []\n",
    "atlas/wsgi.py": "from django.core.wsgi import get_wsgi_application\n\napplication = get_wsgi_application()\n",
}


def test_every_row_names_where_and_a_source() -> None:
    assert users()
    for row in users():
        assert row.where and row.source.startswith("https://")


def test_an_old_pinned_release_gets_setuptools_before_82(make_project: MakeProject) -> None:
    root = make_project({**SITE, "requirements.txt": "Django==4.2.2\ngunicorn==20.1.0\ndrf-yasg==1.21.7\n"})
    app = detect_project(root).app
    assert "setuptools<82" in app.adds.value
    why = next(e.detail for e in app.adds.evidence if "pkg_resources" in e.detail)
    assert why.startswith("drf-yasg==1.21.7 imports pkg_resources")


def test_an_unpinned_or_fixed_release_or_own_setuptools_adds_nothing(make_project: MakeProject) -> None:
    for requirements in (
        "Django==4.2.2\ngunicorn\ndrf-yasg\n",  # resolves to the newest, which no longer imports it
        "Django==4.2.2\ngunicorn\ndrf-yasg==1.21.11\n",
        "Django==4.2.2\ngunicorn\ndrf-yasg==1.21.7\nsetuptools==69.0.0\n",
    ):
        app = detect_project(make_project({**SITE, "requirements.txt": requirements})).app
        assert not any(a.startswith("setuptools") for a in app.adds.value), requirements


def test_the_release_range_decides() -> None:
    installed = frozenset({"drf-yasg"})
    assert setuptools_add(installed, lambda name: ">=1.20,<1.21.9") is not None
    assert setuptools_add(installed, lambda name: "~=1.21.0") is None
    assert setuptools_add(frozenset({"django"}), lambda name: "==1.0") is None


def test_the_plan_says_why_setuptools_is_added_apart_from_the_start_command(
    make_project: MakeProject,
) -> None:
    from dockwright.plan.planner import make_plan

    alone = make_plan(
        detect_project(
            make_project({**SITE, "requirements.txt": "Django==4.2.2\ngunicorn==20.1.0\ndrf-yasg==1.21.7\n"})
        )
    )
    assert alone.lock.adds == ("setuptools<82",)
    said = [w for w in alone.warnings if "setuptools<82 added" in w]
    assert len(said) == 1 and "start command" not in said[0] and "pkg_resources" in said[0]
    lock = alone.decision("lock")
    assert lock is not None and "for the start command" not in lock.reason
    assert "(drf-yasg==1.21.7 imports pkg_resources" in lock.reason
    assert "for the start command" not in next(f.why for f in alone.files if f.kind == "lock")

    both = make_plan(
        detect_project(make_project({**SITE, "requirements.txt": "Django==4.2.2\ndrf-yasg==1.21.7\n"}))
    )
    assert both.lock.adds == ("gunicorn", "setuptools<82")
    assert any(
        w.startswith("gunicorn added to requirements.lock: the start command needs it") for w in both.warnings
    )
    assert any(
        w.startswith("setuptools<82 added to requirements.lock: ") and "pkg_resources" in w
        for w in both.warnings
    )
    lock = both.decision("lock")
    assert lock is not None and "plus gunicorn for the start command" in lock.reason
