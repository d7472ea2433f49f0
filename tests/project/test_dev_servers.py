"""A start running a program of the project that serves with a framework's development server is said,
with what to serve instead (project/dev_servers.py, data/dev_servers.toml). Our own small examples."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.project.apps import detect_app
from dockwright.project.tree import ProjectTree, parse_toml

MakeProject = Callable[[dict[str, str | bytes]], Path]

FASTAPI = "from fastapi import FastAPI\n\napp = FastAPI()\n"


def _warnings(make_project: MakeProject, files: dict[str, str | bytes], start: str) -> list[str]:
    root = make_project({**files, "Procfile": f"web: {start}\n"})
    notes: list[str] = []
    pyproject = root / "pyproject.toml"
    detect_app(
        ProjectTree(root), parse_toml(pyproject.read_text()) if pyproject.exists() else None, notes=notes
    )
    return [n for n in notes if "serves the app with" in n]


@pytest.mark.parametrize(
    ("source", "requirements", "line", "server", "instead"),
    [
        (
            FASTAPI  # the program sets its app up first (a plain run is served: test_dev_server_start.py)
            + 'if __name__ == "__main__":\n    import uvicorn\n\n    app.title = "dev"\n'
            '    uvicorn.run("serve:app", reload=True)\n',
            "fastapi\nuvicorn\n",
            8,
            "uvicorn's reloader",
            "--start 'uvicorn serve:app --host 0.0.0.0 --port 8000'",
        ),
        (
            "from flask import Flask\nfrom werkzeug.serving import run_simple\n\napp = Flask(__name__)\n"
            'run_simple("0.0.0.0", 8000, app, use_reloader=True)\n',
            "flask\n",
            5,
            "werkzeug's development server",
            "--start 'gunicorn --bind 0.0.0.0:8000 serve:app'",
        ),
        (
            'from sanic import Sanic\n\napp = Sanic("ledger")\napp.run(host="0.0.0.0", port=8000, dev=True)\n',
            "sanic\n",
            4,
            "Sanic's development mode",
            "--start 'sanic serve:app --host 0.0.0.0 --port 8000'",
        ),
        (
            "import bottle\n\napp = bottle.Bottle()\nbottle.run(app, host='0.0.0.0', port=8000, reloader=True)\n",
            "bottle\n",
            4,
            "Bottle's built-in server",
            "--start 'gunicorn --bind 0.0.0.0:8000 serve:app'",
        ),
    ],
)
def test_a_program_serving_with_a_development_server_is_said(
    make_project: MakeProject, source: str, requirements: str, line: int, server: str, instead: str
) -> None:
    said = _warnings(make_project, {"serve.py": source, "requirements.txt": requirements}, "python serve.py")
    assert len(said) == 1
    assert said[0].startswith(f"serve.py:{line}: python serve.py serves the app with {server}")
    assert said[0].endswith(instead)


@pytest.mark.parametrize(
    ("source", "requirements"),
    [
        # production: uvicorn without reload, Sanic without dev/debug, Bottle on a named server
        (
            FASTAPI + 'if __name__ == "__main__":\n    import uvicorn\n\n    uvicorn.run(app, port=8000)\n',
            "uvicorn\n",
        ),
        ('from sanic import Sanic\n\napp = Sanic("ledger")\napp.run(host="0.0.0.0", workers=4)\n', "sanic\n"),
        (
            "import bottle\n\napp = bottle.Bottle()\nbottle.run(app, server='gunicorn', port=8000)\n",
            "bottle\n",
        ),
        # another library's run_simple, and a reload given by a variable (not known to be true)
        ("from mylib import run_simple\n\nrun_simple('0.0.0.0', 8000, None)\n", ""),
        (FASTAPI + "import uvicorn\n\nuvicorn.run(app, reload=DEBUG)\n", "uvicorn\n"),
    ],
)
def test_a_production_server_or_an_unknown_call_is_not(
    make_project: MakeProject, source: str, requirements: str
) -> None:
    files: dict[str, str | bytes] = {"serve.py": source, "requirements.txt": requirements + "fastapi\n"}
    assert _warnings(make_project, files, "python serve.py") == []


def test_a_console_script_s_function_and_what_it_calls(make_project: MakeProject) -> None:
    cli = (
        "import uvicorn\n\n\ndef _serve(port):\n    uvicorn.run('ledger.web:app', port=port, reload=True)\n\n\n"
        "def main():\n    _serve(8000)\n\n\ndef other():\n    uvicorn.run('ledger.web:app', reload=True)\n"
    )
    pyproject = (
        '[project]\nname = "ledger"\nversion = "1"\ndependencies = ["fastapi", "uvicorn"]\n\n'
        '[project.scripts]\nledger-serve = "ledger.cli:main"\n'
    )
    files: dict[str, str | bytes] = {
        "ledger/__init__.py": "",
        "ledger/web.py": FASTAPI,
        "ledger/cli.py": cli,
        "pyproject.toml": pyproject,
    }
    said = _warnings(make_project, files, "ledger-serve")
    assert [w.split(": ", 1)[0] for w in said] == ["ledger/cli.py:5"]  # main -> _serve; not other()
    assert said[0].endswith("--start 'uvicorn ledger.web:app --host 0.0.0.0 --port 8000'")


def test_a_production_server_start_is_not_read(make_project: MakeProject) -> None:
    source = (
        FASTAPI
        + 'if __name__ == "__main__":\n    import uvicorn\n\n    uvicorn.run("serve:app", reload=True)\n'
    )
    files: dict[str, str | bytes] = {"serve.py": source, "requirements.txt": "fastapi\nuvicorn\n"}
    assert _warnings(make_project, files, "uvicorn serve:app --host 0.0.0.0 --port $PORT") == []


def test_the_branches_of_one_program_are_said_once(make_project: MakeProject) -> None:
    source = (
        "import os\n\nfrom bottle import route, run\n\nif 'DYNO' in os.environ:\n"
        "    run(host='0.0.0.0', port=8000)\nelse:\n    run(host='localhost', port=9000, reloader=True)\n"
    )
    said = _warnings(make_project, {"serve.py": source, "requirements.txt": "bottle\n"}, "python serve.py")
    assert [w.split(": ", 1)[0] for w in said] == ["serve.py:6,8"]
    assert said[0].endswith(
        "serve the app with a production server instead (--start)"
    )  # bottle's default app
