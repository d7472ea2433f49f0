"""docker-compose.yml / compose.yaml: services built from this directory.

## What it detects
``docker-compose.yml`` / ``compose.yaml``: the services built from this directory, their
``command:``, ``ports:``/``expose:``, ``environment:`` and ``volumes:``. A service that is built
from the project (``build: .``) is the app. The first of ``compose.yaml``, ``compose.yml``,
``docker-compose.yml``, ``docker-compose.yaml`` is read; an unparsable file is ignored (hints only).

## Evidence
The compose file's line of the service (``service web: gunicorn ...``); the port's evidence is the
same line (``service web publishes 8000``).

## Example
```yaml
services:
  web:
    build: .
    command: gunicorn shop.wsgi --bind 0.0.0.0:8000
    ports: ["8080:8000"]
  redis:
    image: redis:7
```

## Start command
The service's ``command`` is the process; the container side of its first port mapping is the
port (8000 above; else a port the command names). A service with ports is web, else a worker.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from dockwright.project.detectors.base import (
    Candidate,
    Context,
    command_env,
    dev_script,
    port_of_command,
    split_command,
)
from dockwright.project.facts import Evidence

FILES = ("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml")


def read_compose(ctx: Context) -> tuple[str, dict[str, Any]] | None:
    """The first compose file and its services, or None (unparsable files are ignored: hints only)."""
    for name in FILES:
        if ctx.tree.is_file(name):
            try:
                data = yaml.safe_load(ctx.tree.read_text(name))
            except yaml.YAMLError:
                return None
            services = data.get("services") if isinstance(data, dict) else None
            if isinstance(services, dict):
                return name, services
    return None


def _container_port(service: dict[str, Any]) -> int | None:
    for entry in [*(service.get("ports") or []), *(service.get("expose") or [])]:
        text = str(entry.get("target", "")) if isinstance(entry, dict) else str(entry)
        match = re.search(r"(\d{2,5})(?:/tcp)?$", text.strip())
        if match:
            return int(match.group(1))
    return None


def _builds_here(service: dict[str, Any]) -> bool:
    build = service.get("build")
    if isinstance(build, dict):
        build = build.get("context", ".")
    return isinstance(build, str) and build.strip().rstrip("/") in (".", "./", "")


def detect(ctx: Context) -> list[Candidate]:
    found = read_compose(ctx)
    if not found:
        return []
    file, services = found
    out: list[Candidate] = []
    for name, service in services.items():
        if not isinstance(service, dict) or not _builds_here(service):
            continue
        line = ctx.tree.line_of(file, rf"^\s+{re.escape(str(name))}:\s*$")
        raw = service.get("command")
        entry = service.get("entrypoint")
        entry_argv = split_command(entry) if isinstance(entry, str) else tuple(map(str, entry or ()))
        if raw is None and entry_argv and dev_script(ctx.tree, entry_argv):
            raw = list(entry_argv)  # the dev script is the start: kept, so it is set aside with the reason
        argv: tuple[str, ...] | None = None
        assigned: tuple[tuple[str, str, str], ...] = ()
        if isinstance(raw, list):
            argv = tuple(str(a) for a in raw)
        elif isinstance(raw, str):
            argv, assigned = command_env(raw, f"{file} service {name}")
        port = _container_port(service)
        if port is None and argv:
            port = port_of_command(argv)
        ev = Evidence(file, line, f"service {name}" + (f": {' '.join(argv)}" if argv else ""))
        env = service.get("environment")
        settings = ""
        if isinstance(env, dict):
            settings = str(env.get("DJANGO_SETTINGS_MODULE") or "")
        elif isinstance(env, list):
            for item in env:
                if str(item).startswith("DJANGO_SETTINGS_MODULE="):
                    settings = str(item).split("=", 1)[1]
        out.append(
            Candidate(
                "compose",
                str(name),
                "web" if port is not None else "worker",
                (ev,),
                command=argv or (),
                port=port,
                port_evidence=Evidence(file, line, f"service {name} publishes {port}") if port else None,
                env=assigned
                + (
                    (("DJANGO_SETTINGS_MODULE", settings, f"named by {file} service {name}"),)
                    if settings
                    else ()
                ),
            )
        )
    return out
