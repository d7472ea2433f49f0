"""Programs without a declared entry: a package ``__main__``, else one top-level script.

## What it detects
A package ``__main__`` (``pkg/__main__.py``, ``src/pkg/__main__.py``), else the single top-level script with a
``__main__`` guard, else the only top-level script (``setup.py``, ``manage.py``, ``conftest.py``,
``noxfile.py``, ``versioneer.py`` do not count). Several candidates are ambiguous: nothing is
detected (``--start`` says it).

## Evidence
The ``__main__.py`` (its ``web.run_app`` line when it serves aiohttp), or the script
(``script with a __main__ guard``, ``the only top-level script``).

## Example
```
mytool/__init__.py
mytool/__main__.py   # from mytool.cli import main; main()
```

## Start command
``python -m pkg`` for a package ``__main__`` (a CLI; web when it calls aiohttp's ``web.run_app``,
on its literal ``port=`` else aiohttp's 8080), else ``python script.py``.
"""

from __future__ import annotations

from dockwright.project.detectors.base import Candidate, Context
from dockwright.project.detectors.scan import signatures
from dockwright.project.facts import Evidence


def detect(ctx: Context) -> list[Candidate]:
    for scan in ctx.scans:
        if scan.rel.endswith("/__main__.py") and scan.rel.count("/") <= 2:
            pkg = scan.module.rsplit(".", 1)[0]
            if scan.run_app:  # aiohttp's web.run_app: the package serves
                fw = signatures().framework("aiohttp")
                port = scan.ports[0][0] if scan.ports else fw.port
                ev = Evidence(
                    scan.rel, scan.run_app[0], f"package {pkg} has __main__, which calls web.run_app"
                )
                return [
                    Candidate(
                        "main",
                        "web",
                        "web",
                        (ev,),
                        framework=fw,
                        command=("python", "-m", pkg),
                        module=pkg,
                        rel=scan.rel,
                        port=port,
                        port_evidence=Evidence(scan.rel, scan.ports[0][1], f"port={port}")
                        if scan.ports
                        else Evidence("frameworks table", None, f"aiohttp default port {port}"),
                    )
                ]
            ev = Evidence(scan.rel, None, f"package {pkg} has __main__")
            return [
                Candidate(
                    "main", "cli", "cli", (ev,), command=("python", "-m", pkg), module=pkg, rel=scan.rel
                )
            ]
    top = [
        s
        for s in ctx.scans
        if "/" not in s.rel
        and s.rel not in ("setup.py", "manage.py", "conftest.py", "noxfile.py", "versioneer.py")
    ]
    guarded = [s for s in top if s.main_guard]
    # one guarded script, or one script at all; several candidates are ambiguous (ask for --start)
    pick = guarded[0] if len(guarded) == 1 else (top[0] if len(top) == 1 and not guarded else None)
    if pick is None:
        return []
    why = "script with a __main__ guard" if pick.main_guard else "the only top-level script"
    ev = Evidence(pick.rel, None, why)
    return [
        Candidate(
            "script",
            "script",
            "script",
            (ev,),
            command=("python", pick.rel),
            module=pick.module,
            rel=pick.rel,
        )
    ]
