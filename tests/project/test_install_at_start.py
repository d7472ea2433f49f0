"""A script a repository command runs (compose ``command: ./run.sh``) that installs the dependencies at
start (``pip install -r requirements.txt``) is a development container's script: the image has no pip in
its venv and installs them at build time, so the line would stop the start; the plan starts the
framework's server and says why (project/detectors/base.py ``dev_script``). Our own small example."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockwright import api
from dockwright.project.detectors.base import INSTALLS_AT_START

APP = (
    "from starlette.applications import Starlette\nfrom starlette.responses import JSONResponse\n"
    "from starlette.routing import Route\n\n\nasync def index(request):\n    return JSONResponse({})\n\n\n"
    'def build():\n    return Starlette(routes=[Route("/", index)])\n\n\napp = build()\n'
)


@pytest.mark.parametrize(
    "line",
    [
        "pip install -r requirements.txt",
        "python -m pip install -e .",
        "pip3 install --no-cache-dir -r requirements/dev.txt",
        "uv sync --frozen",
        "poetry install --no-root",
        "cd /srv && pipenv install --deploy",
    ],
)
def test_an_install_line_is_found(line: str) -> None:
    assert INSTALLS_AT_START.search(line)


@pytest.mark.parametrize(
    "line", ["echo pip install is not run", "pip freeze", "python install.py", "apt-get install -y curl"]
)
def test_other_lines_are_not(line: str) -> None:
    assert not INSTALLS_AT_START.search(line)


def test_a_compose_script_that_installs_at_start_is_not_the_start(tmp_path: Path) -> None:
    root = tmp_path / "board"
    (root / "board").mkdir(parents=True)
    (root / "board" / "__init__.py").write_text("", encoding="utf-8")
    (root / "board" / "web.py").write_text(APP, encoding="utf-8")
    (root / "requirements.txt").write_text("starlette==0.38.2\nuvicorn==0.30.0\n", encoding="utf-8")
    (root / "run.sh").write_text(
        "#!/bin/sh\nset -e\npip install -r requirements.txt\nuvicorn board.web:app\n"
    )
    (root / "docker-compose.yml").write_text(
        'services:\n  board:\n    build: .\n    ports:\n      - "9000:9000"\n    command: ["./run.sh"]\n'
    )
    plan = api.plan(root, syntax_directive=False)
    assert plan.cmd[:2] == ("uvicorn", "board.web:app")
    (warned,) = [w for w in plan.warnings if "installs the dependencies at start" in w]
    assert "run.sh, whose line 3" in warned
