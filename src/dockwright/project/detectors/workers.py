"""Background workers: Celery apps and Dramatiq actors.

## What it detects
Celery apps (``Celery(...)`` objects) and modules importing dramatiq (actors). RQ and arq have
their own modules (``rq_worker.py``, ``arq_worker.py``).

## Evidence
The line defining the Celery app, or the module importing dramatiq.

## Example
```python
# tasks.py
from celery import Celery

app = Celery("tasks", broker="redis://redis:6379/0")
```

## Start command
``celery -A module worker`` and ``dramatiq module``; the commands come from the runner table
(``servers.toml``). A worker has no port, and never outranks a web process.
"""

from __future__ import annotations

from dockwright.project.detectors.base import Candidate, Context, importable
from dockwright.project.detectors.scan import signatures
from dockwright.project.detectors.servers import runner
from dockwright.project.facts import Evidence


def detect(ctx: Context) -> list[Candidate]:
    out: list[Candidate] = []
    celery, dramatiq = runner("celery"), runner("dramatiq")
    assert celery is not None and dramatiq is not None
    fw = signatures().framework("celery")
    for scan in ctx.scans:
        apps = [(var, line) for name, var, line in scan.apps if name == "celery"]
        if apps:
            var, line = apps[0]
            # celery finds an attribute named `app` or `celery` by itself; name any other one
            chdir, module = importable(scan.rel, scan.module)
            app = module if var in ("app", "celery") else f"{module}:{var}"
            ev = Evidence(scan.rel, line, f"celery app `{var}`")
            out.append(
                Candidate(
                    "celery",
                    "worker",
                    "worker",
                    (ev,),
                    command=celery.argv(target=app, chdir=chdir),
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
            chdir, module = importable(scan.rel, scan.module)
            out.append(
                Candidate(
                    "dramatiq",
                    "worker",
                    "worker",
                    (ev,),
                    command=dramatiq.argv(target=module, chdir=chdir),
                    module=scan.module,
                    rel=scan.rel,
                )
            )
            break
    return out
