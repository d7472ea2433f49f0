"""The route the repository's own image probes, for the planned image's probe.

What it does
    Reads the ``HEALTHCHECK`` of the repository's own recipe (``project/own_image.py``: its final stage,
    through the stages it is built ``FROM``; the last one wins, as in the image) and returns the path of
    the URL it asks on the container itself (``localhost``, ``127.0.0.1``, ``0.0.0.0``, ``[::1]``), with
    the instruction as evidence. ``HEALTHCHECK NONE``, a probe of another host and a path with a variable
    give nothing. The app's routes decide (project/apps.py ``_health``): the path counts only when the
    app declares it. A probe that sends headers or credentials (``curl -H``/``-u``, ``wget --header``,
    Python's ``headers=``/``add_header``, an ``Authorization`` or API-key header) gives its port only:
    the planned probe sends none, and the route answers it 401 or 503 (theHarvester's ``X-API-Key``).

Why is this bad?
    A service whose maintainers probe ``/info`` (a route with no health-like name) got a TCP probe: the
    port answering says nothing of the app, which the maintainers' own probe checks.

Example
    ``HEALTHCHECK CMD curl -f http://localhost:8041/info || exit 1`` -> ``/info``.

Use instead
    Nothing to change in the repository.
"""

from __future__ import annotations

import re

from dockwright.dockerfile.final_command import ancestry
from dockwright.project.facts import Evidence
from dockwright.project.plan_files import PlanFiles

# a header or credential the probe sends: the route needs it (an API key, a login, a Host name)
_SENDS_HEADERS = re.compile(
    r"\b(?:curl|wget)\b[^|;&]*?\s(?:-[A-Za-z]*[Hu]|--header|--user|--password|--http-user|--http-password)"
    r"(?:[\s=]|$)|\bheaders\s*=|\badd_header\b|(?i:\bauthorization\b|\bapi[-_]?key\b)"
)
_URL = re.compile(r"https?://(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\])(?::(\d+))?(/[\w./~%-]*)")


def own_probe_path(files: PlanFiles) -> tuple[str, Evidence] | None:
    """The path the own image's HEALTHCHECK asks of the container, with its line; None without one."""
    found = own_probe(files)
    return (found[0], found[2]) if found and not found[3] else None


def own_probe_port(files: PlanFiles) -> int | None:
    """The port the own image's HEALTHCHECK asks over HTTP on the container (80 when its URL names
    none), else None: the image serves HTTP there."""
    found = own_probe(files)
    return found[1] if found else None  # headers or not, the image serves HTTP there


def own_probe(files: PlanFiles) -> tuple[str, int, Evidence, bool] | None:
    """(path, port, the HEALTHCHECK line, whether the probe sends headers or credentials) of the URL the
    own image's probe asks of the container."""
    own = files.own_recipe
    if own is None:
        return None
    rel, recipe = own
    stage = recipe.final_stage
    if stage is None:
        return None
    last = None
    for member in ancestry(recipe, stage):
        for instruction in member.instructions:
            if instruction.keyword == "HEALTHCHECK":
                last = instruction
    if last is None or last.value.strip().upper().startswith("NONE"):
        return None
    text = " ".join(last.arguments) if last.json_form else last.value
    match = _URL.search(text)
    if match is None:
        return None
    path = match.group(2)
    port = int(match.group(1)) if match.group(1) else (443 if match.group(0).startswith("https") else 80)
    why = f"HEALTHCHECK of the repository's own image asks {path}"
    return path, port, Evidence(rel, last.span.line, why), bool(_SENDS_HEADERS.search(text))
