"""An app that drives a web browser the package does not install.

What it does
    Finds the modules the app loads that import a browser-automation library of
    ``data/browsers.toml`` (Playwright, pyppeteer, Selenium) and names the first import line in a note,
    with what the library needs at run time that pip does not install and the ways to provide it.

Why is this bad?
    The image builds and starts, and the first page the app opens fails: Playwright stops with
    ``BrowserType.launch: Executable doesn't exist at /home/app/.cache/ms-playwright/...``; pyppeteer and
    Selenium Manager try to download a browser at run time, from a container that may have no route out,
    into a slim image that lacks the libraries Chromium links (session 40: a Playwright scraper's plan did
    not mention its browser).

Example
    ``from playwright.sync_api import sync_playwright`` in ``scraper/fetch.py``.

Use instead
    A browser installed at build time (the note says how for each library), or a remote browser
    (``webdriver.Remote``, Playwright's ``connect()``).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from dockwright.project.detectors.scan import ModuleScan
from dockwright.project.tree import ProjectTree, data_table


@cache
def browser_libraries() -> dict[str, str]:
    """Import name -> what it needs at run time."""
    return {str(row["import"]): str(row["needs"]) for row in data_table("browsers.toml")["library"]}


def browser_notes(tree: ProjectTree, scans: Iterable[ModuleScan]) -> list[str]:
    """One note per library, at the first loaded module importing it (module docstring)."""
    table = browser_libraries()
    notes: list[str] = []
    said: set[str] = set()
    for scan in scans:
        for name in sorted((scan.imports & table.keys()) - said):
            said.add(name)
            line = tree.line_of(scan.rel, rf"^[ \t]*(?:import|from)[ \t]+{name}\b")
            where = f"{scan.rel}:{line}" if line else scan.rel
            notes.append(f"{where} imports {name}: {table[name]}")
    return notes
