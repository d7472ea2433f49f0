"""Start detectors: one module per source that can say how the app starts, in one ranked registry.

Each detector module documents itself in fixed sections (What it detects / Evidence / Example /
Start command; ``docs.py`` renders them into ``docs/detectors.md``). It takes a
:class:`~dockwright.project.detectors.base.Context` and returns
:class:`~dockwright.project.detectors.base.Candidate` values with their evidence. The ranking
(first wins; see ``docs/detection.md``):

1. explicit config: ``--start`` / ``--port`` / ``[tool.dockwright]`` (read before any detector runs);
2. ``Procfile`` (``web:`` first);
3. container and deploy hints the repository ships: compose ``command:``/``ports:``, ``fly.toml``,
   an entry script (``docker-entrypoint.sh``, ``boot.sh`` ...) whose last line ``exec``s the server,
   a supervisord ``[program:NAME]`` whose ``command=`` runs the server, an s6-overlay or runit
   service folder's ``run`` script the repository's image copies, a systemd unit (``*.service``)
   whose ``ExecStart=`` runs the server, a PasteDeploy
   ``production.ini`` (Pyramid);
   a task runner's start task that runs a server (PDM/Hatch/Poe/Rye scripts, justfile, Taskfile,
   Makefile ``start:``/``serve:``/``run:``), the repository's own image built FROM an app-server base
   image (its start script's module, port and pre-start hook), the repository's own image serving its
   app through a console script;
4. framework detection in the package (Django, Reflex (refused: its frontend needs Node.js), an MCP
   server's app or HTTP run, an aiohttp script's run_app, FastAPI, Starlette, Flask, Bottle, Shiny,
   BlackSheep, aiohttp, Dash, Streamlit, Gradio, NiceGUI, Flet, Voilà, Shiny Express, Solara, Panel, Bokeh,
   Tornado, gRPC, Klein, Robyn, Google's Functions Framework, then a bare ASGI callable), then workers
   (Celery, Dramatiq, RQ, arq, huey, Faust, taskiq, saq, Prefect's served flows), then a Scrapy project's
   spiders, a Luigi pipeline's tasks, then chat bots (Slack, Discord, Telegram clients run by a script);
5. the command the repository's own Dockerfile runs (when the planned image can run it), the
   project's own console scripts, a package ``__main__``, a single script.

Across sources, a web process beats a worker, and a worker beats a CLI; files under examples/,
docs/, tests/, scripts/, benchmarks/ are never the app. The other candidates are listed in the plan
(``--process NAME`` picks one of them).
"""

from __future__ import annotations

from collections.abc import Callable

from dockwright.project.detectors import (
    aiohttp_script,
    app_server_base,
    arq_worker,
    asgi_callable,
    bokeh_app,
    bots,
    chainlit_app,
    cloud_function,
    compose,
    console_scripts,
    dash_app,
    deploy,
    django,
    entry_script,
    faust_app,
    flet_app,
    gradio_app,
    grpc_server,
    huey_worker,
    klein_app,
    luigi_tasks,
    main_module,
    mcp_app,
    nicegui_app,
    own_dockerfile,
    own_image_server,
    own_image_shell,
    own_server,
    panel_app,
    paste_ini,
    plugin_command,
    prefect_serve,
    procfile,
    reflex_app,
    robyn_app,
    rq_worker,
    saq_worker,
    scrapy_project,
    service_run,
    shiny_express,
    solara_app,
    supervisord,
    systemd_unit,
    task_runner,
    taskiq_worker,
    tornado_app,
    ui,
    voila_app,
    web,
    workers,
)
from dockwright.project.detectors.base import Candidate, Context

Detector = Callable[[Context], list[Candidate]]

DETECTORS: tuple[tuple[str, Detector], ...] = (
    ("procfile", procfile.detect),
    ("compose", compose.detect),
    ("deploy", deploy.detect),
    ("entry-script", entry_script.detect),
    ("supervisord", supervisord.detect),
    ("service-run", service_run.detect),
    ("systemd", systemd_unit.detect),
    ("paste-ini", paste_ini.detect),
    ("task-runner", task_runner.detect),
    ("app-server-base", app_server_base.detect),
    ("own-image-server", own_image_server.detect),
    ("own-image-shell", own_image_shell.detect),
    ("own-server", own_server.detect),
    ("django", django.detect),
    ("reflex", reflex_app.detect),
    ("mcp", mcp_app.detect),
    ("aiohttp-script", aiohttp_script.detect),
    ("web", web.detect),
    ("dash", dash_app.detect),
    ("ui", ui.detect),
    ("chainlit", chainlit_app.detect),
    ("gradio", gradio_app.detect),
    ("nicegui", nicegui_app.detect),
    ("flet", flet_app.detect),
    ("voila", voila_app.detect),
    ("shiny-express", shiny_express.detect),
    ("solara", solara_app.detect),
    ("panel", panel_app.detect),
    ("bokeh", bokeh_app.detect),
    ("tornado", tornado_app.detect),
    ("grpc", grpc_server.detect),
    ("klein", klein_app.detect),
    ("robyn", robyn_app.detect),
    ("functions-framework", cloud_function.detect),
    ("asgi", asgi_callable.detect),
    ("workers", workers.detect),
    ("rq", rq_worker.detect),
    ("arq", arq_worker.detect),
    ("huey", huey_worker.detect),
    ("faust", faust_app.detect),
    ("taskiq", taskiq_worker.detect),
    ("saq", saq_worker.detect),
    ("prefect-serve", prefect_serve.detect),
    ("scrapy", scrapy_project.detect),
    ("luigi", luigi_tasks.detect),
    ("bots", bots.detect),
    ("own-dockerfile", own_dockerfile.detect),
    ("plugin-command", plugin_command.detect),
    ("console-scripts", console_scripts.detect),
    ("main", main_module.detect),
)
"""Every start detector, in rank order (earlier = stronger evidence)."""

KIND_RANK = {"web": 0, "worker": 1, "cli": 2, "script": 3}


def rank(candidates: list[tuple[int, Candidate]]) -> list[Candidate]:
    """Web before worker before CLI; within a kind, the stronger source (registry order) first."""
    ordered = sorted(candidates, key=lambda item: (KIND_RANK[item[1].kind], item[0]))
    return [c for _, c in ordered]


__all__ = ["DETECTORS", "Candidate", "Context", "rank"]
