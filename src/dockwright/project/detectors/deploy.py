"""Deploy descriptors: ``fly.toml`` (``[processes]``, ``[http_service] internal_port``) and
``app.json`` (Heroku: ``scripts``/``formation`` name no command; only its ``env`` required vars).
"""

from __future__ import annotations

from typing import Any

from dockwright.errors import ProjectError
from dockwright.project.detectors.base import Candidate, Context, split_command
from dockwright.project.facts import Evidence


def detect(ctx: Context) -> list[Candidate]:
    if not ctx.tree.is_file("fly.toml"):
        return []
    try:
        data: dict[str, Any] = ctx.tree.read_toml("fly.toml")
    except ProjectError:
        return []
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
            argv = split_command(str(text))
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
                )
            )
    elif port is not None:
        out.append(Candidate("deploy", "web", "web", (port_ev,), port=port, port_evidence=port_ev))
    return out
