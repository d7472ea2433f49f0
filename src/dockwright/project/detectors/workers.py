"""Background workers: Celery apps and Dramatiq actors.

## What it detects
Celery apps (``Celery(...)`` objects) and Dramatiq actors: the module declaring them
(``@dramatiq.actor``, ``@actor(...)``), or, when several modules do, the one that imports all of them
at import time; a module that only sets up the broker declares nothing for the worker to consume.
RQ and arq have their own modules (``rq_worker.py``, ``arq_worker.py``).

## Evidence
The line defining the Celery app; the first actor's line, or the module importing the actor modules.

## Example
```python
# tasks.py
from celery import Celery

app = Celery("tasks", broker="redis://redis:6379/0")
```

## Start command
``celery -A module worker`` and ``dramatiq module``; tasks declared in modules that loading the Celery
app's module never imports (no import, no ``include=``, no ``autodiscover_tasks``) are named with
``--include`` (else the worker starts with no task and rejects every message); dramatiq imports from
``--path FOLDER`` when the work directory cannot: a src layout the project does not install
(``--path src``), or a module whose own imports resolve only from a folder above it
(``service/billing/actors.py`` importing ``shared`` from ``service/shared``: ``dramatiq billing.actors
--path service``); a Celery app inside a Django project's sub-folder that is no package
(``web/main/celery.py`` beside ``web/manage.py``) imports from that folder, as the settings do: ``celery
--workdir web -A main.celery worker``, and so does one whose own imports resolve only from a folder
that is not a package (``src/worker.py`` importing ``settings`` from ``src/``: ``celery --workdir src -A
worker worker``); the commands come from the runner table (``servers.toml``).
A worker has no port, and never outranks a web process.
"""

from __future__ import annotations

from dockwright.project.detectors.base import Candidate, Context, import_folder, importable
from dockwright.project.detectors.scan import ModuleScan, signatures
from dockwright.project.detectors.servers import runner
from dockwright.project.detectors.shapes import worker_import
from dockwright.project.django_manage import manage_folder
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
            if not chdir:
                chdir, module = _django_folder(ctx, scan)
            imported = ""
            if not chdir:  # its imports resolve only from a folder that is no package (--workdir)
                where = worker_import(ctx, "celery", scan)
                chdir, module, imported = where.chdir, where.module, where.said
            app = module if var in ("app", "celery") else f"{module}:{var}"
            ev = Evidence(scan.rel, line, f"celery app `{var}`{imported}")
            unloaded = _unloaded_task_modules(ctx, scan, var)
            include = ("--include", ",".join(unloaded)) if unloaded else ()
            said = (
                f"; its tasks in {', '.join(unloaded)}, which it does not import, go in --include"
                if unloaded
                else ""
            )
            out.append(
                Candidate(
                    "celery",
                    "worker",
                    "worker",
                    (Evidence(scan.rel, line, f"celery app `{var}`{imported}{said}"),) if said else (ev,),
                    command=celery.argv(target=app, chdir=chdir) + include,
                    framework=fw,
                    target=f"{scan.module}:{var}",
                    module=scan.module,
                    rel=scan.rel,
                )
            )
            break
    chosen = _dramatiq_module(ctx)
    if chosen is not None:
        scan, said = chosen
        chdir, module = import_folder(ctx, scan)
        if chdir and chdir != importable(scan.rel, scan.module)[0]:
            said += f"; its imports resolve from {chdir}/ (--path)"
        ev = Evidence(scan.rel, scan.actors[0] if scan.actors else None, said)
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
    return out


def _django_folder(ctx: Context, scan: ModuleScan) -> tuple[str, str]:
    """(folder, module there) for a Celery app inside a Django project's sub-folder that is no package
    (``web/main/celery.py`` beside ``web/manage.py``, no ``web/__init__.py``): Django's settings and the
    app's own imports (``from main.celery import app``) resolve from that folder, so the worker imports
    ``main.celery`` there (celery's ``--workdir``), not ``web.main.celery`` from the root. Else ("",
    the module)."""
    folder = manage_folder(ctx.tree)
    prefix = folder.replace("/", ".") + "."
    if not folder or not scan.module.startswith(prefix) or ctx.tree.is_file(f"{folder}/__init__.py"):
        return "", scan.module
    return folder, scan.module.removeprefix(prefix)


def _loaded_with(ctx: Context, scan: ModuleScan) -> set[str]:
    """Modules importing ``scan``'s module loads at import time: its own imports, those of the packages
    above it (``pkg/__init__.py`` runs first), and theirs in turn."""
    loaded: set[str] = set()
    pending = [scan.module] + [scan.module.rsplit(".", i)[0] for i in range(1, scan.module.count(".") + 1)]
    by_module = {s.module: s for s in ctx.scans}
    while pending:
        module = pending.pop()
        if module in loaded:
            continue
        loaded.add(module)
        found = by_module.get(module)
        if found is not None:
            sites = {m for m, _ in found.import_sites}
            # `from pkg import tasks` imports the submodule pkg.tasks too
            named = {v for v in found.from_imports.values() if v.rsplit(".", 1)[0] in sites}
            pending += [m for m in sites | named if m not in loaded]
    return loaded


def _unloaded_task_modules(ctx: Context, app: ModuleScan, var: str) -> list[str]:
    """Modules declaring tasks of the Celery app ``var`` of ``app`` (``@celery.task`` with the app
    imported from there, or ``@shared_task``) that ``celery -A`` never imports: the app module does not
    import them, names no ``include=`` and calls no ``autodiscover_tasks``. The worker would start with
    no task registered and reject every message (celery's ``--include`` imports them)."""
    text = ctx.tree.read_text(app.rel) if ctx.tree.is_file(app.rel) else ""
    if "include" in text or "autodiscover_tasks" in text or "imports" in text:
        return []
    loaded = _loaded_with(ctx, app)
    out: list[str] = []
    for scan in ctx.scans:
        if scan is app or scan.module in loaded or not scan.module or not scan.celery_tasks:
            continue
        ours = any(
            receiver == "shared_task" or scan.from_imports.get(receiver) == f"{app.module}.{var}"
            for receiver, _ in scan.celery_tasks
        )
        if ours:
            out.append(scan.module)
    return sorted(out)


def _dramatiq_module(ctx: Context) -> tuple[ModuleScan, str] | None:
    """The module the ``dramatiq`` command loads: one that declares actors, or, when several do, one
    that imports every one of them (``from jobs.mail import *`` ...); a module that only imports
    dramatiq (the broker's setup) declares nothing to consume. Without declared actors, the first
    module importing dramatiq, as before."""
    importing = [s for s in ctx.scans if "dramatiq" in s.imports and not s.rel.endswith("__init__.py")]
    declaring = [s for s in importing if s.actors]
    if len(declaring) == 1:
        return declaring[0], "declares dramatiq actors"
    if declaring:
        modules = {s.module for s in declaring}
        for scan in ctx.scans:
            imported = {m for m, _ in scan.import_sites}  # at import time: not a function's lazy import
            # `from context.a.workers import *` in a folder the app runs from names app.context.a.workers
            named = {m for m in modules if any(i and (m == i or m.endswith("." + i)) for i in imported)}
            if named == modules and scan.module not in modules:
                return scan, f"imports the modules declaring dramatiq actors ({', '.join(sorted(modules))})"
        return declaring[0], "declares dramatiq actors"
    return (importing[0], "imports dramatiq (actors)") if importing else None
