"""Web frameworks recognised by their app object or factory.

## What it detects
FastAPI, Starlette, Litestar, Quart, Flask, Bottle, Falcon, Shiny (core), BlackSheep, aiohttp and Sanic
apps: an app object at module level (``app = Flask(__name__)``, ``app = FastAPI()``), a module-level
call of a factory the project defines (``app = create_app()``, ``app = get_application(settings=settings)``:
with or without arguments), or a bare factory. Files under
examples/, docs/, tests/, scripts/, benchmarks/ are not candidates (see ``base.NOT_THE_APP``).

## Evidence
The line of the app object, of the module-level factory call, or of the factory's definition.

## Example
```python
# api/main.py
from fastapi import FastAPI

app = FastAPI()
```

## Start command
An app object (or a module-level factory call) is served as ``module:app``; a bare factory by the
server's factory syntax (``module:create_app()`` for gunicorn, ``--factory`` for uvicorn). The
server comes from ``servers.toml`` (``uvicorn api.main:app`` above), aiohttp and Sanic from their
own runners. An aiohttp factory that takes no argument cannot go to ``python -m aiohttp.web`` (it
passes argv); when the project depends on gunicorn it is served by aiohttp's gunicorn worker
(``gunicorn --worker-class aiohttp.GunicornWebWorker pkg.app:create_app``: an ``async def``
factory is named bare, the worker awaits it; a plain one as a call). This detector names no port:
the plan takes the framework's default (``frameworks.toml``) unless the project says otherwise.

A module in a folder that is not a package (no ``__init__.py``) whose bare-name imports resolve only
from a folder above it (``app/main.py`` doing ``from interfaces import greeting`` beside
``app/interfaces.py``) is imported from that folder: ``gunicorn --chdir app main:app``, ``uvicorn
--app-dir app main:app`` (imported as ``app.main`` from the root, ``interfaces`` is not found).

An app object that another module imports (``from .app_base import *`` or ``from .app_base import
app``) and adds routes to (``@app.get``, ``app.include_router``), while the app's own module does not
import that one, is served from the module that completes it: ``pkg.svc.app:app``, not the bare
``pkg.svc.app_base:app`` that answers every path with 404.

An app object that gets its routes, blueprints or routers (``@app.route`` in a function's body,
``register_blueprint``, ``include_router``) only inside a function the project's ``__main__`` block
runs (directly, or through the functions it calls), when no factory or import-time code adds them and
no route names the object at import, is not a candidate: that function assembles the app and starts
a server of its own, so the script is the start (``python run.py``), not ``module:app``.
"""

from __future__ import annotations

from dockwright.project.detectors.base import (
    Candidate,
    Context,
    importable,
    neighbours_folder,
    src_tree_module,
)
from dockwright.project.detectors.scan import Framework, ModuleScan, signatures
from dockwright.project.facts import Evidence

FRAMEWORKS = (
    "fastapi",
    "fasthtml",
    "starlette",
    "litestar",
    "quart",
    "flask",
    "bottle",
    "falcon-asgi",
    "falcon",
    "shiny",
    "blacksheep",
    "aiohttp",
    "sanic",
)


def served(
    ctx: Context,
    fw: Framework,
    scan: ModuleScan,
    attr: str,
    line: int,
    said: str,
    *,
    factory: bool = False,
    interface: str = "",
) -> Candidate:
    """The web candidate serving ``scan.module:attr`` (an app object, or a factory when ``factory``),
    imported from the folder its bare-name imports of its neighbours resolve from when that folder is
    not a package (``--chdir app main:app`` for ``app/main.py`` importing ``app/interfaces.py``); a
    module under a ``src/`` folder the project does not install (:func:`src_tree_module`) as it runs from
    the tree."""
    tree = ctx.tree
    chdir, module = importable(scan.rel, scan.module)
    if not chdir:
        chdir, module = src_tree_module(ctx, scan)
        if chdir or module != scan.module:
            folder = f" from {chdir}/" if chdir else ""
            said += f"; imported as {module}{folder} (the project does not install src/)"
    if not chdir and module == scan.module:
        chdir, module = neighbours_folder(tree, scan)
        if chdir:
            said += f"; imported as {module} from {chdir}/, where its bare imports of its neighbours resolve"
    return Candidate(
        fw.name,
        "web",
        "web",
        (Evidence(scan.rel, line, f"{fw.name} {said}"),),
        framework=fw,
        target=f"{module}:{attr}",
        factory=factory,
        interface=interface,
        chdir=chdir,
        module=scan.module,
        rel=scan.rel,
    )


def _for(fw: Framework, ctx: Context) -> Candidate | None:
    factories = {func for s in ctx.scans for name, func, _ in s.factories if name == fw.name}
    for scan in ctx.scans:
        for name, var, line in scan.apps:
            if name == fw.name:
                completing = _completed_by(ctx, scan, var)
                if completing is not None:
                    said = f"adds routes to app `{var}` of {scan.module} ({scan.rel}:{line})"
                    first = min(at for _, at, receiver in completing.routes if receiver == var)
                    return served(ctx, fw, completing, var, first, said)
                if _assembled_by_main(ctx, var):
                    continue
                return served(ctx, fw, scan, var, line, f"app `{var}`")
    # the app the factory's own module builds first (its package's entry, `zou.app:app`), then another
    # module's copy (an event-stream or debug server's `app = create_app()`)
    own_first = sorted(ctx.scans, key=lambda s: not any(f in factories for _, f, _ in s.factories))
    for scan in own_first:
        for var, called, line, with_args in scan.calls:
            if called.rsplit(".", 1)[-1] in factories:
                return served(
                    ctx, fw, scan, var, line, f"app `{var}` = {called}({'...' if with_args else ''})"
                )
    tuples = {f: at for s in ctx.scans for f, at in s.tuple_factories.items() if (fw.name, f) in _named(s)}
    for scan in ctx.scans:
        for names, called, line, with_args in scan.tuple_calls:
            at = tuples.get(called.rsplit(".", 1)[-1])
            if at is None and fw.module in scan.imports and called in fw.tuple_ctor:
                at = 0  # the framework's own call returning (app, ...): `app, rt = fast_app()`
            if at is not None and at < len(names):
                said = f"app `{names[at]}` of `{', '.join(names)} = {called}({'...' if with_args else ''})`"
                return served(ctx, fw, scan, names[at], line, said)
    if fw.factory_ok or fw.interface == "asgi":
        # gunicorn and uvicorn --factory call a factory with no argument; aiohttp's runner with argv
        given = 1 if fw.interface == "aiohttp" else 0
        for scan in ctx.scans:
            for name, func, line in scan.factories:
                least, most = scan.factory_arity.get(func, (0, None))
                if (
                    name == fw.name
                    and least <= given
                    and (most is None or given <= most)
                    and func not in scan.tuple_factories  # the server would get a tuple, not the app
                ):
                    return served(ctx, fw, scan, func, line, f"app factory `{func}()`", factory=True)
    if fw.interface == "aiohttp" and "gunicorn" in ctx.dependencies:
        return _gunicorn_worker(fw, ctx)
    return None


def _assembled_by_main(ctx: Context, var: str) -> bool:
    """True when the app object gets its routes, blueprints or routers only inside a function the
    project's ``__main__`` block runs, directly or through the functions it calls (which then starts a
    server of its own): no route names it at import, nothing adds them at import, and no factory or
    module-level code calls that function. Served as it is, every path is 404."""
    if any(var in s.routed_at_import for s in ctx.scans):
        return False
    if any(s.assembled_at_import for s in ctx.scans):
        return False
    assembling = {f for s in ctx.scans for f in s.assembled_in} | {
        f for s in ctx.scans for f in s.routed_in.get(var, ())
    }
    factories = {f for s in ctx.scans for _, f, _ in s.factories}
    called_at_import = {called.rsplit(".", 1)[-1] for s in ctx.scans for _, called, _, _ in s.calls} | {
        f for s in ctx.scans for f in s.import_calls
    }
    return bool(assembling & _run_by_main(ctx)) and not assembling & (factories | called_at_import)


def _run_by_main(ctx: Context, depth: int = 4) -> set[str]:
    """The functions (last names) a ``__main__`` block calls, and those they call, ``depth`` calls deep
    (``python run.py`` -> ``pkg.main()`` -> ``setup_app()``), across the project's modules."""
    calls: dict[str, set[str]] = {}
    for scan in ctx.scans:
        for function, called in scan.function_calls.items():
            calls.setdefault(function, set()).update(called)
    reached = {f for s in ctx.scans for f in s.main_calls}
    frontier = set(reached)
    for _ in range(depth):
        frontier = {g for f in frontier for g in calls.get(f, ())} - reached
        reached |= frontier
    return reached


def _named(scan: ModuleScan) -> set[tuple[str, str]]:
    return {(name, func) for name, func, _ in scan.factories}


def _completed_by(ctx: Context, scan: ModuleScan, var: str) -> ModuleScan | None:
    """The one module that imports ``scan``'s app ``var`` and registers routes on it, when ``scan``
    itself does not import that module (else ``scan`` already loads the routes)."""
    if not scan.module:
        return None
    wanted = {f"{scan.module}.{var}", f"{scan.module}.*"}
    found = [
        other
        for other in ctx.by_rel.values()
        if other is not scan
        and other.module
        and (other.from_imports.get(var) in wanted or other.from_imports.get("*") in wanted)
        and any(receiver == var for _, _, receiver in other.routes)
        and not any(m == other.module or m.startswith(f"{other.module}.") for m, _ in scan.import_sites)
        and not any(v == other.module or v.startswith(f"{other.module}.") for v in scan.from_imports.values())
    ]
    return found[0] if len(found) == 1 else None


def _gunicorn_worker(fw: Framework, ctx: Context) -> Candidate | None:
    """An aiohttp factory taking no argument, served by aiohttp's gunicorn worker."""
    for scan in ctx.scans:
        for name, func, line in scan.factories:
            if name != fw.name or scan.factory_arity.get(func, (0, None))[0] > 0:
                continue
            awaited = func in scan.async_factories  # the worker awaits an async factory itself
            kind = "async " if awaited else ""
            said = f"app factory `{kind}{func}()` (no argument: gunicorn's aiohttp worker)"
            return served(ctx, fw, scan, func, line, said, factory=not awaited, interface="aiohttp-gunicorn")
    return None


def detect(ctx: Context) -> list[Candidate]:
    out: list[Candidate] = []
    for name in FRAMEWORKS:
        found = _for(signatures().framework(name), ctx)
        if found:
            out.append(found)
    return out
