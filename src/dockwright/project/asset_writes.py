"""Folders a web asset pipeline writes into at run time, inside the app's own tree.

Flask-Assets (webassets) builds its bundles when the app starts (``bundle.build()``, or on the first
request with ``auto_build``) into the app's static folder, and keeps ``.webassets-cache`` there
(https://webassets.readthedocs.io/en/latest/environment.html#webassets.env.Environment.cache): under a
non-root user over a root-owned tree that is ``PermissionError`` at start. The static folder of each
module that makes a Flask app and a Flask-Assets ``Environment`` is reported, so the plan hands it to the
app user.
"""

from __future__ import annotations

import posixpath

from dockwright.project.detectors.scan import ModuleScan
from dockwright.project.facts import Evidence, Fact
from dockwright.project.tree import ProjectTree

# asset pipelines that write into the Flask static folder: import name -> what it writes
PIPELINES = {"flask_assets": "Flask-Assets builds its bundles and .webassets-cache into it at start"}


def asset_writes(tree: ProjectTree, scans: tuple[ModuleScan, ...]) -> list[Fact[str]]:
    out: list[Fact[str]] = []
    for scan in scans:
        makes_flask = any(fw == "flask" for fw, _, _ in (*scan.apps, *scan.factories))
        for module, why in PIPELINES.items():
            if module not in scan.imports or not makes_flask:
                continue
            static = posixpath.join(posixpath.dirname(scan.rel), "static")
            if not tree.is_dir(static):
                continue
            line = tree.line_of(scan.rel, r"\bEnvironment\(") or tree.line_of(scan.rel, module)
            out.append(Fact(static, (Evidence(scan.rel, line, f"{static}/: {why}"),)))
    return out
