"""A Flet script is a web app in a container: flet serves its web client there, on the call's port or
8000, and flet 0.25+ needs flet-web (an extra) that it would otherwise pip-install at start."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.project.detect import detect_project
from dockwright.project.detectors import flet_app
from dockwright.project.detectors.base import Context
from dockwright.project.detectors.scan import Invocation, ModuleScan
from dockwright.project.facts import AppFacts
from dockwright.project.unrequired_imports import released_since

MakeProject = Callable[[dict[str, str | bytes]], Path]

BOARD = (
    "import flet as ft\n\n\ndef main(page: ft.Page) -> None:\n    page.add(ft.Text('tasks'))\n\n\n"
    "ft.app(target=main, view=ft.AppView.WEB_BROWSER, port=8550)\n"
)


def _app(files: dict[str, str | bytes], make_project: MakeProject) -> AppFacts:
    return detect_project(make_project(files)).app


def test_a_flet_script_serves_its_web_client(make_project: MakeProject) -> None:
    app = _app({"board.py": BOARD, "requirements.txt": "flet==0.28.3\n"}, make_project)
    assert app.command.value == ("python", "board.py")
    assert app.kind.value == "web"
    assert app.port.value == 8550
    env = {e.name: e.value for e in app.env}
    assert env == {"FLET_FORCE_WEB_SERVER": "true", "FLET_SERVER_IP": "0.0.0.0", "FLET_SERVER_PORT": "8550"}
    assert app.adds.value == ("flet-web==0.28.3", "fastapi<0.145")  # the pin keeps flet.app: no flet bound


def test_flet_1_run_without_a_port_listens_on_8000(make_project: MakeProject) -> None:
    script = "from flet import run\n\n\ndef main(page):\n    page.title = 'x'\n\n\nif __name__ == '__main__':\n    run(main)\n"
    app = _app({"ui/app.py": script, "ui/__init__.py": "", "requirements.txt": "flet\n"}, make_project)
    assert app.command.value == ("python", "-m", "ui.app")
    assert app.port.value == 8000
    assert app.adds.value == ("flet-web",)


def test_the_web_extra_or_an_old_flet_adds_nothing(make_project: MakeProject) -> None:
    for requirements in ("flet[web]==0.28.3\nflet-web==0.28.3\n", "flet==0.24.1\n"):
        app = _app({"board.py": BOARD, "requirements.txt": requirements}, make_project)
        assert app.kind.value == "web"
        assert "flet-web" not in app.adds.value


def test_an_exported_asgi_app_is_not_a_flet_script(make_project: MakeProject) -> None:
    exported = (
        "import flet as ft\n\n\ndef main(page):\n    pass\n\n\napp = ft.app(main, export_asgi_app=True)\n"
    )
    files: dict[str, str | bytes] = {
        "board.py": exported,
        "cli.py": "import sys\n\nif __name__ == '__main__':\n    print(sys.argv)\n",
    }
    assert _app(files, make_project).command.value[-1] != "board.py"


def test_a_literal_host_is_reported(make_project: MakeProject) -> None:
    local = BOARD.replace("port=8550", "port=8550, host='127.0.0.1'")
    facts = detect_project(make_project({"board.py": local, "requirements.txt": "flet==0.28.3\n"}))
    assert any("host='127.0.0.1'" in n and "FLET_SERVER_IP" in n for n in facts.notes)


def test_released_since() -> None:
    assert released_since("", "0.25.0")
    assert released_since("==0.28.3", "0.25.0")
    assert not released_since("==0.24.1", "0.25.0")
    assert released_since(">=0.20", "0.25.0")
    assert not released_since("<0.25", "0.25.0")
    assert released_since("==0.24.1", "")


def test_a_script_calling_ft_app_keeps_a_flet_before_1(make_project: MakeProject) -> None:
    """flet 1.0 removed ``flet.app`` (``flet.run`` since): the lock keeps ``flet<1.0``."""
    app = _app({"board.py": BOARD, "requirements.txt": "flet\n"}, make_project)
    assert "flet<1.0" in app.adds.value
    said = [e for e in app.adds.evidence if "flet<1.0" in e.detail]
    assert said and said[0].file == "board.py" and said[0].line == 8


def test_a_script_calling_ft_run_needs_no_bound(make_project: MakeProject) -> None:
    script = BOARD.replace(
        "ft.app(target=main, view=ft.AppView.WEB_BROWSER, port=8550)", "ft.run(main, port=8550)"
    )
    app = _app({"board.py": script, "requirements.txt": "flet\n"}, make_project)
    assert app.port.value == 8550
    assert not any(a.startswith("flet<") for a in app.adds.value)


def test_a_flet_before_1_keeps_a_fastapi_that_takes_its_argument(make_project: MakeProject) -> None:
    """flet before 1.0 passes openapi_prefix, which FastAPI 0.145 removed: fastapi<0.145 is kept, for
    a pin and for the bound ft.app adds; flet 1.0 needs none."""
    pinned = _app({"board.py": BOARD, "requirements.txt": "flet==0.28.3\n"}, make_project)
    assert "fastapi<0.145" in pinned.adds.value
    bounded = _app({"board.py": BOARD, "requirements.txt": "flet\n"}, make_project)
    assert {"flet<1.0", "fastapi<0.145"} <= set(bounded.adds.value)
    script = BOARD.replace(
        "ft.app(target=main, view=ft.AppView.WEB_BROWSER, port=8550)", "ft.run(main, port=8550)"
    )
    current = _app({"board.py": script, "requirements.txt": "flet\n"}, make_project)
    assert "fastapi<0.145" not in current.adds.value


def test_a_pinned_flet_gets_the_flet_web_of_its_version(make_project: MakeProject) -> None:
    """flet reinstalls a flet-web whose version differs from its own: a pin gives flet-web the same."""
    app = _app({"board.py": BOARD, "requirements.txt": "flet==0.28.3\n"}, make_project)
    assert "flet-web==0.28.3" in app.adds.value


@pytest.mark.parametrize("launch", [{}, {"run.sh": "#!/bin/sh\nexec python board.py\n"}])
def test_each_module_s_start_call_is_looked_for_once(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, launch: dict[str, str | bytes]
) -> None:
    looked: Counter[str] = Counter()
    run_call = flet_app._run_call

    def counted(ctx: Context, scan: ModuleScan) -> Invocation | None:
        looked[scan.rel] += 1
        return run_call(ctx, scan)

    monkeypatch.setattr(flet_app, "_run_call", counted)
    files = {"board.py": BOARD, "helper.py": "import flet\n", "requirements.txt": "flet==0.28.3\n", **launch}
    app = _app(files, make_project)
    assert app.command.value == ("python", "board.py") and app.port.value == 8550
    assert looked["board.py"] == 1 and max(looked.values()) == 1
