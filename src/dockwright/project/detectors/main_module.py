"""Programs without a declared entry: a package ``__main__``, else one top-level script.

## What it detects
A package ``__main__`` (``pkg/__main__.py``, ``src/pkg/__main__.py``), else a top-level
``__main__.py`` (what ``python .`` runs), else the single top-level script with a ``__main__`` guard,
else the only top-level script (``setup.py``, ``manage.py``, ``conftest.py``, ``noxfile.py``,
``versioneer.py`` do not count, nor a script importing a module of the project's own packages that the
tree no longer has, nor a script without a ``__main__`` guard that imports a build backend's or
task runner's API: a ``hatch_build.py`` hook, a Poetry ``build.py``, a ``tasks.py`` of invoke).
Several candidates are ambiguous: nothing is detected (``--start`` says it).

## Evidence
The ``__main__.py`` (its ``web.run_app`` line, or the ``web.TCPSite`` it starts on an aiohttp
``AppRunner``, when it serves aiohttp), or the script
(``the folder's __main__.py``, ``script with a __main__ guard``, ``the only top-level script``).

## Example
```
mytool/__init__.py
mytool/__main__.py   # from mytool.cli import main; main()
```

## Start command
``python -m pkg`` for a package ``__main__`` (a CLI; web when it calls aiohttp's ``web.run_app``,
on its literal ``port=`` else aiohttp's 8080, or starts a ``web.TCPSite``, itself or through a module of
its package it imports: on the port the site is given when the code says it, else 8080), else
``python script.py`` (a CLI when it reads ``sys.argv`` or imports an argument parser: argparse, click,
typer, docopt, fire).
"""

from __future__ import annotations

from dockwright.project.detectors.aiohttp_script import package_site, site_evidence
from dockwright.project.detectors.base import Candidate, Context
from dockwright.project.detectors.scan import ModuleScan, signatures
from dockwright.project.facts import Evidence

# Build backends and task runners: a top-level script importing one runs at build or development time
# (hatch custom hooks: https://hatch.pypa.io/latest/plugins/build-hook/custom/, default file
# hatch_build.py; pdm-backend hooks: https://backend.pdm-project.org/hooks/, pdm_build.py; Poetry's
# build script; nox, invoke, fabric and doit task files), never as the app.
_TOOLING_IMPORTS = frozenset(
    {
        "hatchling",
        "setuptools",
        "distutils",
        "flit_core",
        "scikit_build_core",
        "mesonpy",
        "maturin",
        "pdm",
        "poetry",
        "nox",
        "invoke",
        "fabric",
        "doit",
    }
)
_ARGUMENT_PARSERS = frozenset({"argparse", "optparse", "click", "typer", "docopt", "fire"})
_TOOLING_FILES = ("setup.py", "manage.py", "conftest.py", "noxfile.py", "versioneer.py")


def parses_arguments(scan: ModuleScan) -> bool:
    """The script reads ``sys.argv`` or imports an argument parser: a command-line tool."""
    return bool(scan.imports & _ARGUMENT_PARSERS) or scan.reads_argv


def _stale(ctx: Context, scan: ModuleScan) -> bool:
    """The script imports a module of one of the project's own packages that the tree no longer has
    (``from src.printer import Printer`` beside ``src/`` without ``printer.py``): left from an older
    layout, it stops on ModuleNotFoundError, so it is not the start."""
    for target in scan.from_imports.values():
        parts = target.split(".")[:-1]  # the module the name comes from
        if len(parts) < 2 or not ctx.tree.is_file(f"{parts[0]}/__init__.py"):
            continue
        path = "/".join(parts)
        # a module, a package (namespace or not), or a compiled extension's source
        if not any(
            ctx.tree.is_file(f"{path}{ext}") for ext in (".py", ".pyx", ".pyi")
        ) and not ctx.tree.is_dir(path):
            return True
    return False


def detect(ctx: Context) -> list[Candidate]:
    for scan in ctx.scans:
        if scan.rel.endswith("/__main__.py") and scan.rel.count("/") <= 2:
            pkg = scan.module.rsplit(".", 1)[0]
            if scan.run_app:  # aiohttp's web.run_app: the package serves
                port = scan.ports[0][0] if scan.ports else signatures().framework("aiohttp").port
                said = f"package {pkg} has __main__, which calls web.run_app"
                port_ev = (
                    Evidence(scan.rel, scan.ports[0][1], f"port={port}")
                    if scan.ports
                    else Evidence("frameworks table", None, f"aiohttp default port {port}")
                )
                return [_aiohttp_package(scan, pkg, Evidence(scan.rel, scan.run_app[0], said), port, port_ev)]
            site = package_site(ctx, scan)
            if site is not None:  # an AppRunner's web.TCPSite: the package serves
                where, call, listens = site
                port_ev, port = site_evidence(where, call, listens)
                said = f"package {pkg} has __main__, which starts an aiohttp AppRunner on web.TCPSite"
                if where is not scan:
                    said += f" ({where.rel}:{call.lineno})"
                ev = Evidence(scan.rel, call.lineno if where is scan else None, said)
                return [_aiohttp_package(scan, pkg, ev, port, port_ev)]
            ev = Evidence(scan.rel, None, f"package {pkg} has __main__")
            return [
                Candidate(
                    "main", "cli", "cli", (ev,), command=("python", "-m", pkg), module=pkg, rel=scan.rel
                )
            ]
    # a build hook or task file has no `__main__` guard (hatch, Poetry and invoke call into it); a script
    # that has one is a program even when it imports setuptools (to print its version, say)
    top = [
        s
        for s in ctx.scans
        if "/" not in s.rel
        and s.rel not in _TOOLING_FILES
        and (s.main_guard or not (s.imports & _TOOLING_IMPORTS))
    ]
    top = [s for s in top if not _stale(ctx, s)]
    guarded = [s for s in top if s.main_guard]
    # the folder's own __main__.py (what `python .` runs), else one guarded script, or one script at all;
    # several candidates are ambiguous (ask for --start)
    folder_main = next((s for s in top if s.rel == "__main__.py"), None)
    pick = folder_main or (
        guarded[0] if len(guarded) == 1 else (top[0] if len(top) == 1 and not guarded else None)
    )
    if pick is None:
        return []
    why = (
        "the folder's __main__.py (what `python .` runs)"
        if pick is folder_main
        else "script with a __main__ guard"
        if pick.main_guard
        else "the only top-level script"
    )
    # a script that parses arguments is a command-line tool: `docker run IMAGE --help` must reach it
    parses = parses_arguments(pick)
    ev = Evidence(pick.rel, None, why + (", takes command-line arguments" if parses else ""))
    return [
        Candidate(
            "script",
            "script",
            "cli" if parses else "script",
            (ev,),
            command=("python", pick.rel),
            module=pick.module,
            rel=pick.rel,
        )
    ]


def _aiohttp_package(
    scan: ModuleScan, pkg: str, ev: Evidence, port: int | None, port_ev: Evidence
) -> Candidate:
    """The web candidate of a package whose ``__main__`` serves aiohttp: ``python -m pkg``."""
    return Candidate(
        "main",
        "web",
        "web",
        (ev,),
        framework=signatures().framework("aiohttp"),
        command=("python", "-m", pkg),
        module=pkg,
        rel=scan.rel,
        port=port,
        port_evidence=port_ev,
    )
