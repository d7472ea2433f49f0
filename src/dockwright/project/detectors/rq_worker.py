"""RQ workers (Redis Queue): a worker script, django-rq, or ``rq worker`` on the code's queues.

## What it detects
Three shapes, first found wins:

1. a worker script: a module importing rq that builds a ``Worker``/``SimpleWorker`` and calls
   ``.work()`` at module level or under its ``__main__`` guard (the Heroku-style ``worker.py``);
   a CLI command's function that does so is not a script;
2. django-rq: a Django project depending on ``django-rq``, with the queues its settings'
   ``RQ_QUEUES`` names;
3. the queues the code declares (``Queue("high")``, ``Queue(name="low")``).

## Evidence
The ``.work()`` line of the script; the ``RQ_QUEUES`` line of the settings; the first ``Queue(...)``
call; and for the Redis URL, the ``REDIS_URL`` setting or the line spelling the ``redis://``
default.

## Example
```python
# jobs.py
import os
from redis import Redis
from rq import Queue

redis = Redis.from_url(os.getenv("REDIS_URL", "redis://localhost:6379/0"))
emails = Queue("high", connection=redis)
```

## Start command
1. the worker script runs as ``python FILE`` (``-m`` inside a package);
2. django-rq runs ``python manage.py rqworker`` on the ``RQ_QUEUES`` queues;
3. else ``rq worker QUEUE...`` on the declared queues (``high``, ``default``, ``low`` in that
   order, then the others; ``default`` when none is named). The Redis URL: a module-level
   ``REDIS_URL`` in a settings module is read by ``rq worker -c MODULE`` (RQ's own settings
   convention, so one variable configures app and worker); else a ``redis://`` default the code
   reads (``os.getenv("REDIS_URL", "redis://...")``) or spells becomes ``ENV RQ_REDIS_URL`` (what
   ``rq worker`` reads), and the plan says which variable the app reads.
"""

from __future__ import annotations

from dockwright.project.detectors.base import Candidate, Context, script_target
from dockwright.project.detectors.scan import ModuleScan, signatures
from dockwright.project.detectors.servers import runner
from dockwright.project.facts import Evidence

_PRIORITY = ("high", "default", "low")


def _worker_script(ctx: Context) -> Candidate | None:
    for scan in ctx.scans:
        if "rq" not in scan.imports:
            continue
        builds = any(i.last in ("Worker", "SimpleWorker") for i in scan.invocations)
        work = next((i for i in scan.invocations if i.last == "work"), None)
        # a script runs it: at module level, or from a function its __main__ guard calls (a CLI
        # command's function that builds a worker is not a script: `manage.py rq worker`)
        if builds and work and (scan.main_guard or not work.in_function):
            ev = Evidence(scan.rel, work.line, "rq worker script (Worker(...).work())")
            return _candidate(scan, ev, ("python", *script_target(ctx.tree, scan).split()))
    return None


def _django_rq(ctx: Context) -> Candidate | None:
    if "django-rq" not in ctx.dependencies or not ctx.tree.is_file("manage.py"):
        return None
    for scan in ctx.by_rel.values():
        if "RQ_QUEUES" in scan.names:
            queues = tuple(scan.dict_keys.get("RQ_QUEUES", ())) or ("default",)
            ev = Evidence(scan.rel, scan.names["RQ_QUEUES"], f"django-rq queues: {', '.join(queues)}")
            return _candidate(scan, ev, ("python", "manage.py", "rqworker", *_ordered(list(queues))))
    return None


def _ordered(names: list[str]) -> tuple[str, ...]:
    unique = list(dict.fromkeys(names))
    return tuple(sorted(unique, key=lambda n: (_PRIORITY.index(n) if n in _PRIORITY else 3, unique.index(n))))


def _queues(ctx: Context) -> tuple[list[str], Evidence | None]:
    names: list[str] = []
    first: Evidence | None = None
    for scan in ctx.scans:
        for call in scan.invocations:
            if call.last != "Queue" or "rq" not in scan.imports:
                continue
            name = call.keywords.get("name", call.args[0] if call.args else "default")
            if isinstance(name, str):
                names.append(name)
                first = first or Evidence(scan.rel, call.line, f"rq Queue({name!r})")
    return names, first


Env = tuple[tuple[str, str, str], ...]


def _redis(ctx: Context) -> tuple[tuple[str, ...], Env, tuple[str, ...], Evidence | None]:
    """(rq arguments, environment, notes, evidence) that point the worker at the app's Redis."""
    for scan in ctx.scans:
        if "REDIS_URL" in scan.names and not scan.rel.endswith("__init__.py"):
            ev = Evidence(scan.rel, scan.names["REDIS_URL"], "REDIS_URL setting (rq worker -c reads it)")
            return ("-c", scan.module), (), (), ev
    for scan in ctx.scans:
        for name, url, line in scan.redis_env:
            why = f"rq worker reads its Redis URL from RQ_REDIS_URL; the app reads {name} (default {url})"
            note = f"{scan.rel}:{line}: the app reads {name}, the rq worker RQ_REDIS_URL: set both"
            ev = Evidence(scan.rel, line, f"{name} default {url}")
            return (), (("RQ_REDIS_URL", url, why),), (note,), ev
    for scan in ctx.scans:
        if ("rq" in scan.imports or "redis" in scan.imports) and scan.redis_urls:
            url, line = scan.redis_urls[0]
            why = f"rq worker reads its Redis URL from RQ_REDIS_URL; the app connects to {url}"
            return (), (("RQ_REDIS_URL", url, why),), (), Evidence(scan.rel, line, f"redis URL {url}")
    return (), (), (), None


def _candidate(
    scan: ModuleScan,
    ev: Evidence,
    command: tuple[str, ...],
    env: Env = (),
    notes: tuple[str, ...] = (),
    more: tuple[Evidence, ...] = (),
) -> Candidate:
    return Candidate(
        "rq",
        "worker",
        "worker",
        (ev, *more),
        command=command,
        framework=signatures().framework("rq"),
        module=scan.module,
        rel=scan.rel,
        env=env,
        notes=notes,
    )


def detect(ctx: Context) -> list[Candidate]:
    found = _worker_script(ctx) or _django_rq(ctx)
    if found:
        return [found]
    names, ev = _queues(ctx)
    if ev is None:
        return []
    args, env, notes, redis_ev = _redis(ctx)
    rq = runner("rq")
    assert rq is not None
    command = rq.argv(args=(*args, *_ordered(names)))
    scan = ctx.by_rel[ev.file]
    return [_candidate(scan, ev, command, env, notes, (redis_ev,) if redis_ev else ())]
