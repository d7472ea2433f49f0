"""Scrapy projects: a ``scrapy.cfg`` and the spiders of its settings' project.

## What it detects
A ``scrapy.cfg`` at the root whose ``[settings] default = PKG.settings`` names the project's settings
module (what ``scrapy startproject`` writes), and the spiders of package ``PKG``: classes deriving
from a Scrapy spider class (``scrapy.Spider``, ``CrawlSpider``, ``XMLFeedSpider``, ``CSVFeedSpider``,
``SitemapSpider``) with a literal ``name = "..."``. Each spider is a process; the first (by file and
line) is the start, the others are listed for ``--process NAME``.

## Evidence
The spider's ``name = ...`` line, and the ``default =`` line of ``scrapy.cfg``.

## Example
```
scrapy.cfg            # [settings]
                      # default = quotes.settings
quotes/settings.py
quotes/spiders/toscrape.py   # class QuotesSpider(scrapy.Spider): name = "toscrape"
```

## Start command
``scrapy crawl NAME`` in the ENTRYPOINT (a CLI: ``docker run IMAGE -o /out/items.json`` adds Scrapy's
options), run from the project folder, where Scrapy finds ``scrapy.cfg``
(https://docs.scrapy.org/en/latest/topics/commands.html#crawl).
"""

from __future__ import annotations

import ast
import configparser

from dockwright.errors import ProjectError
from dockwright.project.ast_names import dotted
from dockwright.project.detectors.base import Candidate, Context
from dockwright.project.facts import Evidence

_SPIDER_BASES = frozenset({"Spider", "CrawlSpider", "XMLFeedSpider", "CSVFeedSpider", "SitemapSpider"})


def _settings_package(ctx: Context) -> tuple[str, int | None] | None:
    """The package of ``[settings] default`` in scrapy.cfg, with the line."""
    parser = configparser.ConfigParser()
    try:
        parser.read_string(ctx.tree.read_text("scrapy.cfg"))
    except (configparser.Error, ProjectError):
        return None
    default = parser.get("settings", "default", fallback="").strip()
    if not default or "." not in default:
        return None
    return default.split(".", 1)[0], ctx.tree.line_of("scrapy.cfg", r"^\s*default\s*[=:]")


def _spiders(tree: ast.Module) -> list[tuple[str, int]]:
    """(name, line) of every spider class with a literal ``name``."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.ClassDef):
            continue
        if not any((dotted(b) or "").rsplit(".", 1)[-1] in _SPIDER_BASES for b in node.bases):
            continue
        for stmt in node.body:
            if (
                isinstance(stmt, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == "name" for t in stmt.targets)
                and isinstance(stmt.value, ast.Constant)
                and isinstance(stmt.value.value, str)
            ):
                found.append((stmt.value.value, stmt.lineno))
    return found


def detect(ctx: Context) -> list[Candidate]:
    if not ctx.tree.is_file("scrapy.cfg"):
        return []
    settings = _settings_package(ctx)
    if settings is None:
        return []
    package, cfg_line = settings
    cfg = Evidence("scrapy.cfg", cfg_line, f"Scrapy project {package} (its settings module)")
    # a project made by `scrapy startproject` declares nothing by itself: say so rather than build an
    # image without the `scrapy` command
    notes = (
        ()
        if "scrapy" in ctx.dependencies
        else (
            "scrapy.cfg: the project declares no dependency on Scrapy, so the image would have no `scrapy` "
            "command; add scrapy to its requirements",
        )
    )
    out = []
    for rel in sorted(ctx.by_rel):
        scan = ctx.by_rel[rel]
        if scan.module.split(".", 1)[0] != package or "scrapy" not in scan.imports or scan.syntax is None:
            continue
        for name, line in _spiders(scan.syntax):
            ev = Evidence(rel, line, f"Scrapy spider {name!r}")
            out.append(
                Candidate(
                    "scrapy", name, "cli", (ev, cfg), command=("scrapy", "crawl", name), rel=rel, notes=notes
                )
            )
    return out
