"""Programs without a declared entry: a package ``__main__`` (``python -m pkg``), else the single
top-level script with a ``__main__`` guard (``python script.py``), else the only top-level script.
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
