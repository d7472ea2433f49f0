"""Background workers: Celery apps (``Celery(...)`` objects, ``celery -A module worker``), Dramatiq
actors (``dramatiq module``) and RQ (``rq worker``). A worker never outranks a web process.
"""

from __future__ import annotations

from dockwright.project.detectors.base import Candidate, Context
from dockwright.project.detectors.scan import signatures
from dockwright.project.facts import Evidence


def detect(ctx: Context) -> list[Candidate]:
    out: list[Candidate] = []
    fw = signatures().framework("celery")
    for scan in ctx.scans:
        apps = [(var, line) for name, var, line in scan.apps if name == "celery"]
        if apps:
            var, line = apps[0]
            # celery finds an attribute named `app` or `celery` by itself; name any other one
            app = scan.module if var in ("app", "celery") else f"{scan.module}:{var}"
            ev = Evidence(scan.rel, line, f"celery app `{var}`")
            out.append(
                Candidate(
                    "celery",
                    "worker",
                    "worker",
                    (ev,),
                    command=("celery", "-A", app, "worker", "--loglevel", "INFO"),
                    framework=fw,
                    target=f"{scan.module}:{var}",
                    module=scan.module,
                    rel=scan.rel,
                )
            )
            break
    for scan in ctx.scans:
        if "dramatiq" in scan.imports and not scan.rel.endswith("__init__.py"):
            ev = Evidence(scan.rel, None, "imports dramatiq (actors)")
            out.append(
                Candidate(
                    "dramatiq",
                    "worker",
                    "worker",
                    (ev,),
                    command=("dramatiq", scan.module),
                    module=scan.module,
                    rel=scan.rel,
                )
            )
            break
    return out
