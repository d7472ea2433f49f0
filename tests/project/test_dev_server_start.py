"""A Procfile/platform program that only runs an app complete at import with a development server is
served by the production server the plan would choose, on the port the program listens on
(project/dev_server_start.py, data/dev_servers.toml). Our own small examples."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.project.detect import detect_project
from dockwright.project.facts import ProjectFacts

MakeProject = Callable[[dict[str, str | bytes]], Path]

FLASK = (
    "from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.route('/')\ndef index():\n    return 'hi'\n\n"
)


def _facts(make_project: MakeProject, source: str, deps: str, start: str = "python serve.py") -> ProjectFacts:
    files: dict[str, str | bytes] = {
        "requirements.txt": deps,
        "serve.py": source,
        "Procfile": f"web: {start}\n",
    }
    return detect_project(make_project(files), python="3.13")


def test_flask_run_reading_port_is_served_by_gunicorn_on_port(make_project: MakeProject) -> None:
    source = (
        "import os\n" + FLASK + "if __name__ == '__main__':\n"
        "    port = int(os.environ.get('PORT', 5000))\n"
        "    app.run(host='0.0.0.0', port=port)\n"
    )
    facts = _facts(make_project, source, "flask\n")
    assert facts.app.command.value == (
        "/bin/sh",
        "-c",
        "exec gunicorn --bind 0.0.0.0:${PORT:-5000} serve:app",
    )
    assert facts.app.port.value == 5000
    assert ("PORT", "5000") in {(e.name, e.value) for e in facts.app.env}
    assert facts.app.adds.value == ("gunicorn",)
    said = [e for e in facts.app.command.evidence if "development server" in e.detail]
    assert said and said[0].file == "serve.py" and said[0].line == 13
    notes = [n for n in facts.notes if n.startswith("serve.py:13:")]
    assert len(notes) == 1 and "served by gunicorn" in notes[0] and "kept as the start" not in notes[0]


def test_flask_run_without_host_or_port(make_project: MakeProject) -> None:
    facts = _facts(
        make_project, FLASK + "if __name__ == '__main__':\n    app.run(debug=True)\n", "flask\ngunicorn\n"
    )
    assert facts.app.command.value == ("gunicorn", "--bind", "0.0.0.0:5000", "serve:app")
    assert facts.app.port.value == 5000
    assert facts.app.adds.value == ()
    note = next(n for n in facts.notes if n.startswith("serve.py:11:"))
    assert "127.0.0.1" in note  # it listened on the loopback only: unreachable from outside


def test_quart_run_is_served_by_the_asgi_server(make_project: MakeProject) -> None:
    source = (
        "from quart import Quart\n\napp = Quart(__name__)\n\n\n@app.route('/')\nasync def index():\n"
        "    return 'hi'\n\n\nif __name__ == '__main__':\n    app.run(host='0.0.0.0', port=5050)\n"
    )
    facts = _facts(make_project, source, "quart\n")
    assert facts.app.command.value[0] == "uvicorn" and "serve:app" in facts.app.command.value
    assert "5050" in facts.app.command.value and facts.app.port.value == 5050


def test_uvicorn_s_reloader_is_served_without_it(make_project: MakeProject) -> None:
    source = (
        "from fastapi import FastAPI\n\napp = FastAPI()\n"
        "if __name__ == '__main__':\n    import uvicorn\n\n    uvicorn.run('serve:app', reload=True)\n"
    )
    facts = _facts(make_project, source, "fastapi\nuvicorn\n")
    assert facts.app.command.value == ("uvicorn", "serve:app", "--host", "0.0.0.0", "--port", "8000")


def test_wsgiref_make_server_of_a_falcon_app(make_project: MakeProject) -> None:
    source = (
        "import falcon\nfrom wsgiref.simple_server import make_server\n\n\nclass Things:\n"
        "    def on_get(self, req, resp):\n        resp.media = {'ok': True}\n\n\n"
        "app = falcon.App()\napp.add_route('/things', Things())\n\n"
        "if __name__ == '__main__':\n"
        "    with make_server('', 8010, app) as httpd:\n"
        "        print('serving on 8010')\n"
        "        httpd.serve_forever()\n"
    )
    facts = _facts(make_project, source, "falcon\n")
    assert facts.app.command.value == ("gunicorn", "--bind", "0.0.0.0:8010", "serve:app")
    assert facts.app.port.value == 8010


@pytest.mark.parametrize(
    "main",
    [
        # the program sets its app up before running it: kept, with the warning
        "if __name__ == '__main__':\n    app.config['X'] = 1\n    app.run(port=5000)\n",
        # a port read from the command line: not known
        "if __name__ == '__main__':\n    import sys\n    app.run(port=int(sys.argv[1]))\n",
        # app.run at module level would run again under the server's import
        "app.run(port=5000)\n",
    ],
)
def test_a_program_that_does_more_is_kept(make_project: MakeProject, main: str) -> None:
    facts = _facts(make_project, FLASK + main, "flask\n")
    assert facts.app.command.value == ("python", "serve.py")
    assert any("kept as the start" in n for n in facts.notes)


def test_a_start_doing_more_than_the_program_is_kept(make_project: MakeProject) -> None:
    source = FLASK + "if __name__ == '__main__':\n    app.run(port=5000)\n"
    facts = _facts(make_project, source, "flask\n", "sh -c 'python seed.py && python serve.py'")
    assert "gunicorn" not in " ".join(facts.app.command.value)


def test_a_port_variable_that_is_no_name_reaches_no_shell_line(make_project: MakeProject) -> None:
    # the environment read's first argument is project text: only a variable name goes into `${...}`
    evil = "PORT:-1}; touch /tmp/owned; : ${X"
    source = (
        "import os\n" + FLASK + "if __name__ == '__main__':\n"
        f"    app.run(host='0.0.0.0', port=int(os.environ.get({evil!r}, 5000)))\n"
    )
    facts = _facts(make_project, source, "flask\ngunicorn\n")
    assert "touch" not in " ".join(facts.app.command.value), facts.app.command.value
    assert facts.app.command.value == ("gunicorn", "--bind", "0.0.0.0:5000", "serve:app")
    assert all("touch" not in e.name for e in facts.app.env)
