"""Deploy descriptors: fly.toml, Railway, Render's render.yaml, DigitalOcean's app spec, Heroku's app.json.

## What it detects
``fly.toml`` (``[processes]``, ``[http_service] internal_port``), Railway's
``railway.json``/``railway.toml`` (``deploy.startCommand``: the web process, whose ``$PORT`` the
platform sets; https://docs.railway.com/reference/config-as-code#start-command), Render's blueprint
``render.yaml`` (each ``services`` entry of a native runtime: ``type: web`` with its ``startCommand`` is
the web process, whose ``$PORT`` Render sets; ``type: worker`` a worker; https://render.com/docs/blueprint-spec),
DigitalOcean's app spec ``.do/app.yaml`` / ``.do/deploy.template.yaml`` (``services`` with ``run_command``
and ``http_port``, ``workers`` with ``run_command``;
https://docs.digitalocean.com/products/app-platform/reference/app-spec/), Google App Engine's ``app.yaml``
(a ``runtime: python3XX`` or flexible ``runtime: python`` service: its ``entrypoint`` is the web process,
on the ``$PORT`` App Engine sets, 8080;
https://cloud.google.com/appengine/docs/standard/python3/runtime#application_startup and
https://cloud.google.com/appengine/docs/standard/reference/app-yaml) and ``app.json`` (Heroku:
``scripts``/``formation`` name no command; only its ``env`` required vars). A service built from a
Dockerfile, or from another folder of the repository (``rootDir``, ``source_dir``), is not this app's
start.

## Evidence
The ``startCommand`` line of the Railway file; the ``fly.toml`` line of each process
(``process web: ...``) and of ``internal_port`` for the port.

## Example
```toml
# fly.toml
[processes]
web = "gunicorn shop.wsgi --bind 0.0.0.0:8080"
worker = "celery -A shop worker"

[http_service]
internal_port = 8080
```

## Start command
The descriptor's command for the process (Railway's and Render's ``startCommand``, fly's ``[processes]``
entries, DigitalOcean's ``run_command``, App Engine's ``entrypoint``); fly's ``internal_port`` and
DigitalOcean's ``http_port`` are the web process's port, App Engine's 8080 when its entrypoint reads
``$PORT``. ``app.json`` contributes no command,
only the environment variables the app requires.
"""

from __future__ import annotations

import re
from typing import Any

from dockwright.errors import ProjectError
from dockwright.project.detectors.base import Candidate, Context, command_env, port_of_command, spelled
from dockwright.project.facts import Evidence
from dockwright.project.platform_files import digitalocean_here, digitalocean_specs, items, render_services

APP_ENGINE = "app.yaml"
APP_ENGINE_PORT = 8080
"""The ``PORT`` App Engine gives the app
(https://cloud.google.com/appengine/docs/standard/python3/runtime#environment_variables)."""


def _railway(ctx: Context) -> list[Candidate]:
    for rel in ("railway.json", "railway.toml"):
        if not ctx.tree.is_file(rel):
            continue
        try:
            data: Any = ctx.tree.read_json(rel) if rel.endswith(".json") else ctx.tree.read_toml(rel)
        except ProjectError:
            return []
        deploy = data.get("deploy") if isinstance(data, dict) else None
        text = deploy.get("startCommand") if isinstance(deploy, dict) else None
        if not isinstance(text, str):
            return []
        argv, env = command_env(text, rel)
        if not argv:
            return []
        ev = Evidence(rel, ctx.tree.line_of(rel, r"startCommand"), f"deploy startCommand: {text}")
        return [Candidate("deploy", "web", "web", (ev,), command=argv, env=env)]
    return []


def _spelled(ctx: Context, rel: str, key: str, text: str) -> int | None:
    """The line of ``key: COMMAND`` (the command's first line), else of the key."""
    first = text.strip().splitlines()[0] if text.strip() else ""
    return ctx.tree.line_of(rel, rf"{key}:.*{re.escape(first[:40])}") or ctx.tree.line_of(rel, key)


def _platform(
    ctx: Context, rel: str, key: str, process: str, web: bool, text: str, port: int | None = None
) -> Candidate | None:
    argv, env = command_env(text.strip(), rel)
    if not argv:
        return None
    ev = Evidence(rel, _spelled(ctx, rel, key, text), f"{process}: {' '.join(text.split())}")
    return spelled("deploy", "web" if web else "worker", ev, argv, port=port, env=env, process=process)


def _render(ctx: Context) -> list[Candidate]:
    out: list[Candidate] = []
    for service in render_services(ctx.files):
        text = service.get("startCommand")
        if service.get("type") in ("web", "worker") and isinstance(text, str):
            name = str(service.get("name") or service["type"])
            found = _platform(ctx, "render.yaml", "startCommand", name, service["type"] == "web", text)
            out += [found] if found else []
    return out


def _digitalocean(ctx: Context) -> list[Candidate]:
    for rel, spec in digitalocean_specs(ctx.files):
        out: list[Candidate] = []
        for kind in ("services", "workers"):
            for component in items(spec.get(kind)):
                text = component.get("run_command")
                if not digitalocean_here(component) or not isinstance(text, str):
                    continue
                port = component.get("http_port") if kind == "services" else None
                port = int(port) if isinstance(port, str) and port.isdigit() else None
                name = str(component.get("name") or kind)
                found = _platform(ctx, rel, "run_command", name, kind == "services", text, port)
                out += [found] if found else []
        if out:
            return out
    return []


def _app_engine(ctx: Context) -> list[Candidate]:
    """Google App Engine's ``app.yaml`` of a Python runtime (standard ``python3XX``, flexible
    ``python``): its ``entrypoint`` is the web process, on the ``$PORT`` App Engine sets (8080)."""
    data = ctx.files.descriptor(APP_ENGINE)
    if not isinstance(data, dict) or not str(data.get("runtime") or "").startswith("python"):
        return []
    text = data.get("entrypoint")
    if not isinstance(text, str):
        return []
    argv, _ = command_env(text.strip(), APP_ENGINE)
    port = port_of_command(argv or ()) or (APP_ENGINE_PORT if re.search(r"\$\{?PORT\b", text) else None)
    found = _platform(ctx, APP_ENGINE, "entrypoint", "web", True, text, port)
    return [found] if found else []


def detect(ctx: Context) -> list[Candidate]:
    railway = _railway(ctx) + _render(ctx) + _digitalocean(ctx) + _app_engine(ctx)
    if not ctx.tree.is_file("fly.toml"):
        return railway
    try:
        data: dict[str, Any] = ctx.tree.read_toml("fly.toml")
    except ProjectError:
        return railway
    port: int | None = None
    service = data.get("http_service")
    if isinstance(service, dict) and isinstance(service.get("internal_port"), int):
        port = service["internal_port"]
    for item in data.get("services") or []:
        if port is None and isinstance(item, dict) and isinstance(item.get("internal_port"), int):
            port = item["internal_port"]
    port_ev = Evidence("fly.toml", ctx.tree.line_of("fly.toml", r"internal_port"), f"internal_port {port}")
    out: list[Candidate] = []
    processes = data.get("processes")
    if isinstance(processes, dict):
        for name, text in processes.items():
            argv, env = command_env(str(text), "fly.toml")
            if not argv:
                continue
            line = ctx.tree.line_of("fly.toml", rf"^\s*{name}\s*=")
            ev = Evidence("fly.toml", line, f"process {name}: {text}")
            web = name in ("app", "web")
            out.append(
                Candidate(
                    "deploy",
                    "web" if web else str(name),
                    "web" if web else "worker",
                    (ev,),
                    command=argv,
                    port=port if web else None,
                    port_evidence=port_ev if web and port else None,
                    env=env,
                )
            )
    elif port is not None:
        out.append(Candidate("deploy", "web", "web", (port_ev,), port=port, port_evidence=port_ev))
    return out + [c for c in railway if c.process not in {o.process for o in out}]
