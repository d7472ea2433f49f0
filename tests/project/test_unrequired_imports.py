"""A locked library that imports a module its metadata does not require gets that module's
distribution added to the lock (project/unrequired_imports.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.detect import detect_project
from dockwright.project.unrequired_imports import library_adds, rows

MakeProject = Callable[[dict[str, str | bytes]], Path]

SITE = {
    "manage.py": (
        "import os\nimport sys\n\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'ledger.settings')\n"
        "from django.core.management import execute_from_command_line\n\nexecute_from_command_line(sys.argv)\n"
    ),
    "ledger/__init__.py": "",
    "ledger/settings.py": (
        "SECRET_KEY = 'x'\nINSTALLED_APPS = ['googlecharts']\nROOT_URLCONF = 'ledger.urls'\n"
        "WSGI_APPLICATION = 'ledger.wsgi.application'\n"
    ),
    "ledger/urls.py": "urlpatterns = []\n",
    "ledger/wsgi.py": "from django.core.wsgi import get_wsgi_application\n\napplication = get_wsgi_application()\n",
}


def test_every_row_names_the_module_where_and_a_source() -> None:
    assert rows()
    for row in rows():
        assert row.module and row.requirement and row.where and row.source.startswith("https://")


def test_a_library_importing_six_unrequired_gets_six(make_project: MakeProject) -> None:
    requirements = "Django==5.0.2\ngunicorn==22.0.0\ndjango-qsstats-magic==1.1.0\n"
    app = detect_project(make_project({**SITE, "requirements.txt": requirements})).app
    assert "six" in app.adds.value
    why = next(e.detail for e in app.adds.evidence if "six" in e.detail)
    assert why.startswith("django-qsstats-magic==1.1.0 imports six")


def test_a_project_that_has_the_module_adds_nothing(make_project: MakeProject) -> None:
    requirements = "Django==5.0.2\ngunicorn==22.0.0\ndjango-qsstats-magic==1.1.0\nsix==1.16.0\n"
    app = detect_project(make_project({**SITE, "requirements.txt": requirements})).app
    assert "six" not in app.adds.value


def test_the_release_range_decides() -> None:
    assert library_adds(frozenset({"django-qsstats-magic"}), lambda name: "==1.1.0")
    assert not library_adds(frozenset({"django-qsstats-magic", "six"}), lambda name: "==1.1.0")
    assert not library_adds(frozenset({"django"}), lambda name: "==1.0")


def test_the_plan_says_why_six_is_added_apart_from_the_start_command(make_project: MakeProject) -> None:
    from dockwright.plan.planner import make_plan

    requirements = "Django==5.0.2\ngunicorn==22.0.0\ndjango-qsstats-magic==1.1.0\n"
    plan = make_plan(detect_project(make_project({**SITE, "requirements.txt": requirements})))
    assert plan.lock.adds == ("six",)
    said = [w for w in plan.warnings if w.startswith("six added")]
    assert len(said) == 1 and "start command" not in said[0] and "imports six" in said[0]
    lock = plan.decision("lock")
    assert lock is not None and "for the start command" not in lock.reason
    assert "(django-qsstats-magic==1.1.0 imports six" in lock.reason


def test_saq_from_0_20_1_gets_typing_extensions() -> None:
    adds = library_adds(frozenset({"saq"}), lambda name: "==0.26.4")
    assert [a for a, _ in adds] == ["typing-extensions"]
    assert not library_adds(frozenset({"saq"}), lambda name: "==0.20.0")  # still under TYPE_CHECKING there
    assert not library_adds(frozenset({"saq", "typing-extensions"}), lambda name: "==0.26.4")
