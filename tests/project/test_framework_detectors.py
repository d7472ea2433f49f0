"""Issue 11: Dash, Gradio, Panel, Bokeh, RQ and arq detectors: start command, port, env and evidence."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from packaging.utils import canonicalize_name

from dockwright.project.apps import detect_app
from dockwright.project.detectors.servers import installed_by, runner, table
from dockwright.project.facts import AppFacts
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]

DASH_APP = "import dash\nfrom dash import html\n\napp = dash.Dash(__name__)\nserver = app.server\n"
DASH_INDEX = (
    "from app import app, server\nfrom dash import html\n\napp.layout = html.Div('hi')\n\n"
    "if __name__ == '__main__':\n    app.run_server(debug=True, port=8051)\n"
)
FLASK = "from flask import Flask\n\napp = Flask(__name__)\n"
RQ_JOBS = (
    "import os\nfrom redis import Redis\nfrom rq import Queue\n\n"
    "redis = Redis.from_url(os.environ.get('REDIS_URL', 'redis://redis:6379/0'))\n"
    "low = Queue('low', connection=redis)\nq = Queue(connection=redis)\nhigh = Queue(name='high', connection=redis)\n"
)


def app_of(root: Path, deps: tuple[str, ...] = (), notes: list[str] | None = None, **kw: object) -> AppFacts:
    return detect_app(ProjectTree(root), None, dependencies=frozenset(deps), notes=notes, **kw)  # type: ignore[arg-type]


def env_of(app: AppFacts) -> dict[str, str]:
    return {e.name: e.value for e in app.env}


def test_every_runner_row_names_a_source_and_its_program() -> None:
    for row in table().runners:
        assert row.source.startswith("https://"), row.interface
        assert row.package and row.command, row.interface
        assert all("=" in item for item in row.env), row.interface
        assert not row.env or row.why, f"{row.interface}: every variable set carries its reason"


def test_every_runner_s_program_is_a_program_the_start_may_name() -> None:
    """A repository's own start naming a runner's program (compose's ``chainlit run desk.py``) is kept
    only when the table says which distribution installs it (``[programs]``)."""
    for row in table().runners:
        program = row.command[0]
        if program != "python":
            assert canonicalize_name(table().programs.get(program, "")) in installed_by(row.package), program


# --- Dash ---------------------------------------------------------------------------------------------


def test_dash_multi_file_app_serves_the_entry_module_server(make_project: MakeProject) -> None:
    root = make_project({"app.py": DASH_APP, "index.py": DASH_INDEX})
    app = app_of(root, ("dash",))
    assert app.command.value == ("gunicorn", "--bind", "0.0.0.0:8051", "index:server")
    assert app.framework.value == "dash"
    assert app.adds.value == ("gunicorn",), "the WSGI server is added to the lock"
    ev = app.command.evidence[0]
    assert (ev.file, ev.line) == ("index.py", 7) and "serves `server`" in ev.detail
    assert (app.port.value, app.port.evidence[0].file) == (8051, "index.py")


def test_dash_without_server_binding_serves_the_dash_object_on_8050(make_project: MakeProject) -> None:
    root = make_project(
        {"dashboard/app.py": "from dash import Dash\n\napp = Dash(__name__)\n", "dashboard/figures.py": ""}
    )
    app = app_of(root, ("dash", "gunicorn"))
    assert app.command.value == ("gunicorn", "--chdir", "dashboard", "--bind", "0.0.0.0:8050", "app:app")
    assert "a WSGI app since Dash 3" in app.command.evidence[0].detail
    assert app.port.value == 8050 and "dash default port 8050" in app.port.evidence[0].detail
    assert app.adds.value == ()


def test_dash_on_a_fastapi_backend_is_asgi(make_project: MakeProject) -> None:
    root = make_project({"app.py": "from dash import Dash\n\napp = Dash(__name__, backend='fastapi')\n"})
    app = app_of(root, ("dash", "uvicorn"))
    assert app.command.value == ("uvicorn", "app:app.server", "--host", "0.0.0.0", "--port", "8050")


def test_dash_named_by_a_shell_script(make_project: MakeProject) -> None:
    root = make_project(
        {
            "web/__init__.py": "",
            "web/one.py": "from dash import Dash\napp = Dash(__name__)\n",
            "web/two.py": "from dash import Dash\napp = Dash(__name__)\nserver = app.server\n",
            "start.sh": "#!/bin/sh\nset -e\npython -u web/two.py\n",
        }
    )
    app = app_of(root, ("dash", "gunicorn"))
    assert app.command.value[-1] == "web.two:server"
    assert (app.command.evidence[0].file, app.command.evidence[0].line) == ("start.sh", 3)


def test_dash_health_route_on_its_flask_server(make_project: MakeProject) -> None:
    src = DASH_APP + "\n@server.route('/healthz')\ndef health():\n    return 'ok'\n"
    app = app_of(make_project({"app.py": src}), ("dash", "gunicorn"))
    assert app.health_path.value == "/healthz"


# --- Gradio -------------------------------------------------------------------------------------------


def test_gradio_in_a_subpackage_runs_as_module_with_bind_env(make_project: MakeProject) -> None:
    src = (
        "import gradio as gr\n\ndemo = gr.Interface(fn=str.upper, inputs='text', outputs='text')\n\n"
        "if __name__ == '__main__':\n    demo.launch(server_name='127.0.0.1', server_port=7861)\n"
    )
    notes: list[str] = []
    app = app_of(make_project({"ui/__init__.py": "", "ui/app.py": src}), ("gradio",), notes)
    assert app.command.value == ("python", "-m", "ui.app")
    assert app.kind.value == "web" and app.framework.value == "gradio"
    assert env_of(app) == {"GRADIO_SERVER_NAME": "0.0.0.0", "GRADIO_SERVER_PORT": "7861"}
    assert (app.port.value, app.port.evidence[0].line) == (7861, 6)
    assert any("server_name='127.0.0.1'" in n and n.startswith("ui/app.py:6") for n in notes)
    assert app.health_path.value is None, "Gradio has no health route: a TCP probe"


def test_gradio_named_by_a_script_beats_the_shallower_file(make_project: MakeProject) -> None:
    root = make_project(
        {
            "demo_quick.py": "import gradio as gr\ngr.Blocks().launch()\n",
            "src/app.py": "import gradio as gr\nwith gr.Blocks() as demo:\n    pass\ndemo.launch()\n",
            "run.sh": "#!/bin/sh\nexport X=1\npython3 src/app.py\n",
        }
    )
    app = app_of(root, ("gradio",))
    assert app.command.value == ("python", "src/app.py")
    assert app.port.value == 7860 and env_of(app)["GRADIO_SERVER_PORT"] == "7860"
    assert (app.command.evidence[0].file, app.command.evidence[0].line) == ("run.sh", 3)


def test_gradio_mounted_in_fastapi_is_served_by_the_asgi_server(make_project: MakeProject) -> None:
    src = (
        "import gradio as gr\nfrom fastapi import FastAPI\n\napp = FastAPI()\ndemo = gr.Blocks()\n"
        "app = gr.mount_gradio_app(app, demo, path='/ui')\n"
    )
    app = app_of(make_project({"main.py": src}), ("gradio", "fastapi", "uvicorn"))
    assert app.command.value[0] == "uvicorn" and app.framework.value == "fastapi"


# --- Panel and Bokeh ----------------------------------------------------------------------------------


def test_panel_servable_in_a_subfolder(make_project: MakeProject) -> None:
    root = make_project({"dashboards/sales.py": "import panel as pn\n\npn.panel('hi').servable()\n"})
    app = app_of(root, ("panel",))
    assert app.command.value == (
        *("panel", "serve", "dashboards/sales.py", "--address", "0.0.0.0", "--port", "5006"),
        "--liveness",
    )
    assert app.health_path.value == "/liveness"
    assert env_of(app) == {"BOKEH_ALLOW_WS_ORIGIN": "localhost:5006"}, "narrow origin, never *"
    assert app.command.evidence[0].line == 3


def test_panel_notebook_named_by_a_makefile(make_project: MakeProject) -> None:
    root = make_project(
        {
            "Makefile": "serve:\n\tpanel serve notebooks/explore.ipynb --show\n",
            "notebooks/explore.ipynb": "{}",
        }
    )
    app = app_of(root, ("panel",))
    assert app.command.value[:3] == ("panel", "serve", "notebooks/explore.ipynb")
    assert (app.command.evidence[0].file, app.command.evidence[0].line) == ("Makefile", 2)


def test_panel_script_with_its_own_server(make_project: MakeProject) -> None:
    src = "import panel as pn\n\nif __name__ == '__main__':\n    pn.serve(pn.panel('x'), port=5007)\n"
    notes: list[str] = []
    app = app_of(make_project({"serve_app.py": src}), ("panel",), notes)
    assert app.command.value == ("python", "serve_app.py") and app.port.value == 5007
    assert any("address='0.0.0.0'" in n for n in notes)


def test_bokeh_directory_app(make_project: MakeProject) -> None:
    root = make_project({"myapp/main.py": "from bokeh.io import curdoc\n\ncurdoc().add_root(None)\n"})
    app = app_of(root, ("bokeh",))
    assert app.command.value == ("bokeh", "serve", "myapp", "--address", "0.0.0.0", "--port", "5006")
    assert app.command.evidence[0].detail == "bokeh document (curdoc())"


# --- RQ and arq ---------------------------------------------------------------------------------------


def test_web_beats_rq_worker_which_is_listed(make_project: MakeProject) -> None:
    root = make_project({"app.py": FLASK, "jobs.py": RQ_JOBS})
    app = app_of(root, ("flask", "gunicorn", "rq"))
    assert app.kind.value == "web" and app.command.value[0] == "gunicorn"
    assert any(o.startswith("worker: rq worker high default low") for o in app.other_processes)


def test_rq_worker_queues_and_redis_url_from_the_code(make_project: MakeProject) -> None:
    root = make_project({"app.py": FLASK, "jobs.py": RQ_JOBS})
    notes: list[str] = []
    worker = app_of(root, ("flask", "gunicorn", "rq"), notes, process="worker")
    assert worker.command.value == ("rq", "worker", "high", "default", "low")
    assert worker.kind.value == "worker" and worker.port.value is None and worker.health_path.value is None
    assert env_of(worker) == {"RQ_REDIS_URL": "redis://redis:6379/0"}
    assert worker.command.evidence[0].file == "jobs.py" and worker.command.evidence[0].line == 6
    assert any("REDIS_URL" in n and "RQ_REDIS_URL" in n for n in notes)


def test_rq_settings_module_is_passed_with_c(make_project: MakeProject) -> None:
    root = make_project(
        {
            "settings.py": "import os\nREDIS_URL = os.getenv('REDIS_URL', 'redis://localhost')\n",
            "tasks.py": "from rq import Queue\nq = Queue('emails')\n",
        }
    )
    app = app_of(root, ("rq",))
    assert app.command.value == ("rq", "worker", "-c", "settings", "emails")
    assert env_of(app) == {}


def test_rq_worker_script_runs_itself(make_project: MakeProject) -> None:
    src = (
        "import os\nimport redis\nfrom rq import Queue, Worker\n\nlisten = ['high', 'default']\n"
        "conn = redis.from_url(os.getenv('REDIS_URL', 'redis://localhost:6379'))\n\n"
        "if __name__ == '__main__':\n    Worker(map(Queue, listen), connection=conn).work()\n"
    )
    app = app_of(make_project({"worker.py": src}), ("rq",))
    assert app.command.value == ("python", "worker.py")
    assert app.command.evidence[0].line == 9


def test_django_rq_runs_manage_py_rqworker(make_project: MakeProject) -> None:
    settings = (
        "import os\nINSTALLED_APPS = ['django_rq']\nWSGI_APPLICATION = 'site_.wsgi.application'\n"
        "RQ_QUEUES = {'default': {'URL': os.getenv('REDIS_URL')}, 'low': {'URL': 'redis://r'}}\n"
    )
    root = make_project(
        {
            "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site_.settings')\n"
            "import django\n",
            "site_/__init__.py": "",
            "site_/settings.py": settings,
            "site_/wsgi.py": "application = None\n",
        }
    )
    app = app_of(root, ("django", "django-rq", "gunicorn"), process="worker")
    assert app.command.value == ("python", "manage.py", "rqworker", "default", "low")
    assert (app.command.evidence[0].file, app.command.evidence[0].line) == ("site_/settings.py", 4)


def test_arq_worker_settings(make_project: MakeProject) -> None:
    src = (
        "from arq.connections import RedisSettings\n\nasync def send(ctx):\n    pass\n\n"
        "class WorkerSettings:\n    functions = [send]\n    redis_settings = RedisSettings(host='redis')\n"
    )
    notes: list[str] = []
    app = app_of(make_project({"svc/__init__.py": "", "svc/worker.py": src}), ("arq",), notes)
    assert app.command.value == ("arq", "svc.worker.WorkerSettings")
    assert app.kind.value == "worker" and app.framework.value == "arq"
    assert (app.command.evidence[0].file, app.command.evidence[0].line) == ("svc/worker.py", 6)
    assert notes == []


def test_arq_without_redis_settings_is_noted(make_project: MakeProject) -> None:
    src = (
        "from arq import cron\n\nasync def f(ctx):\n    pass\n\nclass Settings:\n    cron_jobs = [cron(f)]\n"
    )
    notes: list[str] = []
    app = app_of(make_project({"worker.py": src}), ("arq",), notes)
    assert app.command.value == ("arq", "worker.Settings")
    assert any("localhost:6379" in n for n in notes)


def test_runner_table_serves_streamlit_and_celery_as_before() -> None:
    streamlit, celery = runner("streamlit"), runner("celery")
    assert streamlit is not None and celery is not None
    assert streamlit.argv(target="a.py", port=8501)[:3] == ("streamlit", "run", "a.py")
    assert celery.argv(target="tasks") == ("celery", "-A", "tasks", "worker", "--loglevel", "INFO")


def test_dash_wsgi_module_that_rebinds_app_to_its_server(make_project: MakeProject) -> None:
    root = make_project(
        {
            "dash_app.py": "import dash\napp = dash.Dash(__name__)\n\nif __name__ == '__main__':\n"
            "    app.run_server(debug=True)\n",
            "wsgi.py": "from dash_app import app\n\napp = app.server\n",
        }
    )
    app = app_of(root, ("dash", "gunicorn"))
    assert app.command.value[-1] == "wsgi:app"
    assert (app.command.evidence[0].file, app.command.evidence[0].line) == ("wsgi.py", 3)


def test_src_that_is_a_package_keeps_its_name(make_project: MakeProject) -> None:
    """`src/__init__.py`: src is the package (imported as src.app), not a src layout folder."""
    root = make_project(
        {"src/__init__.py": "", "src/app.py": "from fastapi import FastAPI\n\napp = FastAPI()\n"}
    )
    app = app_of(root, ("fastapi", "uvicorn"))
    assert app.command.value[:2] == ("uvicorn", "src.app:app")


def test_gradio_launched_from_a_module_that_imports_the_ui_factory(make_project: MakeProject) -> None:
    root = make_project(
        {
            "ui.py": "import gradio as gr\n\ndef create_demo():\n    return gr.Blocks()\n",
            "app.py": "from ui import create_demo\n\nif __name__ == '__main__':\n"
            "    create_demo().launch(server_name='0.0.0.0')\n",
        }
    )
    app = app_of(root, ("gradio",))
    assert app.command.value == ("python", "app.py") and app.kind.value == "web"
    assert env_of(app)["GRADIO_SERVER_NAME"] == "0.0.0.0"


def test_compose_command_naming_a_file_the_project_lacks_is_not_used(make_project: MakeProject) -> None:
    """A service built from its own Dockerfile in another directory: its command's file is not at the
    root, so the image dockwright writes would not find it."""
    compose = (
        "services:\n  ui:\n    build: .\n    command: streamlit run main.py\n    ports:\n      - 8501:8501\n"
    )
    root = make_project(
        {"docker-compose.yml": compose, "ui/main.py": "import streamlit as st\nst.write(1)\n"}
    )
    notes: list[str] = []
    app = app_of(root, ("streamlit",), notes)
    assert app.command.value[:3] == ("streamlit", "run", "ui/main.py")
    assert any("main.py, which is not at that path" in n for n in notes)


def test_rq_worker_built_inside_a_cli_command_is_not_a_script(make_project: MakeProject) -> None:
    src = (
        "import click\nfrom rq import Queue, Worker\n\n@click.command()\ndef worker():\n"
        "    Worker([Queue('default')]).work()\n"
    )
    root = make_project({"proj/__init__.py": "", "proj/cli.py": src})
    app = app_of(root, ("rq", "click"))
    assert app.command.value == ("rq", "worker", "default")


def test_bokeh_app_directory_named_by_a_script_with_flag_values(make_project: MakeProject) -> None:
    """`bokeh serve --port 5100 --allow-websocket-origin=* ./app` in docker/entrypoint.sh: the app
    directory and the port come from that line; the `*` origin is not copied (narrow by default)."""
    root = make_project(
        {
            "docker/entrypoint.sh": "#!/bin/sh\nbokeh serve --port 5100 \\\n  --allow-websocket-origin=* ./app\n",
            "docker/app/main.py": "from bokeh.io import curdoc\ncurdoc().add_root(None)\n",
        }
    )
    app = app_of(root, ("bokeh",))
    assert app.command.value == ("bokeh", "serve", "docker/app", "--address", "0.0.0.0", "--port", "5100")
    assert (app.port.value, app.port.evidence[0].file, app.port.evidence[0].line) == (
        5100,
        "docker/entrypoint.sh",
        2,
    )
    assert env_of(app) == {"BOKEH_ALLOW_WS_ORIGIN": "localhost:5100"}


def test_streamlit_port_from_the_launch_line(make_project: MakeProject) -> None:
    root = make_project(
        {"run.sh": "streamlit run ui/home.py --server.port 8600\n", "ui/home.py": "import streamlit as st\n"}
    )
    app = app_of(root, ("streamlit",))
    assert app.command.value[:5] == ("streamlit", "run", "ui/home.py", "--server.port", "8600")


def test_gradio_on_a_privileged_port_is_served_on_8080_and_noted(make_project: MakeProject) -> None:
    src = "import gradio as gr\n\ndemo = gr.Blocks()\ndemo.launch(server_name='0.0.0.0', server_port=80)\n"
    notes: list[str] = []
    app = app_of(make_project({"app.py": src}), ("gradio",), notes)
    assert app.port.value == 8080 and env_of(app)["GRADIO_SERVER_PORT"] == "8080"
    assert any("server_port=80) is a privileged port" in n for n in notes)


def test_a_makefile_running_tests_does_not_name_the_app(make_project: MakeProject) -> None:
    root = make_project(
        {
            "Makefile": "test:\n\tpython -m pytest tests/test_ui.py\n\tpython tests/smoke.py\n",
            "tests/test_ui.py": "from dash import Dash\napp = Dash(__name__)\n",
            "tests/smoke.py": "from dash import Dash\napp = Dash(__name__)\n",
            "board.py": "from dash import Dash\napp = Dash(__name__)\nserver = app.server\n",
        }
    )
    assert app_of(root, ("dash", "gunicorn")).command.value[-1] == "board:server"


def test_an_app_completed_by_another_module_is_served_from_that_module(tmp_path: Path) -> None:
    base = "from fastapi import FastAPI\n\napp = FastAPI()\n"
    full = (
        "from .base import *\nfrom .users import router\n\napp.include_router(router)\n\n\n"
        '@app.get("/help")\ndef help():\n    return {}\n'
    )
    users = "from fastapi import APIRouter\n\nrouter = APIRouter()\n"
    for rel, text in {
        "svc/__init__.py": "",
        "svc/base.py": base,
        "svc/app.py": full,
        "svc/users.py": users,
    }.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    app = detect_app(ProjectTree(tmp_path), None, dependencies=frozenset({"fastapi", "uvicorn"}))
    assert app.command.value[:2] == ("uvicorn", "svc.app:app")
    ev = app.command.evidence[0]
    assert (ev.file, ev.line) == ("svc/app.py", 7)
    assert "adds routes to app `app` of svc.base (svc/base.py:3)" in ev.detail
    # the base module importing the routes' module itself keeps the base as the app
    (tmp_path / "svc/base.py").write_text(base + "\nfrom . import app as _routes  # noqa\n", encoding="utf-8")
    again = detect_app(ProjectTree(tmp_path), None, dependencies=frozenset({"fastapi", "uvicorn"}))
    assert again.command.value[:2] == ("uvicorn", "svc.base:app")
