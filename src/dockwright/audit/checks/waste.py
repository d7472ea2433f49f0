r"""## What it does
Counts the bytes a later layer hides, by overwriting or deleting a file an earlier layer wrote
(each hidden copy once; the copy the image shows is not waste). WARN from 1 MiB. The summary
also gives dive's figure, which counts the visible copy of a rewritten file too, and names the
step whose layer hides the most bytes (from the image's history); a `chown`/`chmod` there is
told apart, since it copies every file it touches into its own layer.

## Why is this bad?
A layer is shipped whole: a file removed or rewritten later is still downloaded with the layer
that wrote it. Deleting in another `RUN` hides the file, it does not make the image smaller.

## Example
```Dockerfile
COPY data.tar.gz /tmp/
RUN tar -xzf /tmp/data.tar.gz -C /srv
RUN rm /tmp/data.tar.gz
```

## Use instead
```Dockerfile
RUN --mount=type=bind,source=data.tar.gz,target=/tmp/data.tar.gz \
    tar -xzf /tmp/data.tar.gz -C /srv
```
Ownership set where the files are written, not by a `RUN chown -R` after them:
```Dockerfile
COPY --from=build --chown=10001:10001 /opt/venv /opt/venv
```
"""

from __future__ import annotations

import re

from dockwright.audit.checks.base import MIB, CheckOptions, CheckResult, Evidence, Status, _cap
from dockwright.audit.image import ImageFacts
from dockwright.output import fmt_bytes

ID = "waste"
TITLE = "No bytes hidden by later layers"
GROUP = "checklist"


def check_waste(facts: ImageFacts, options: CheckOptions) -> CheckResult:
    """Bytes that later layers overwrite or delete (each hidden copy once; the kept copy is not waste)."""
    title = "No bytes hidden by later layers"
    wasted = facts.wasted_bytes
    evidence = _cap(
        Evidence("/" + c.path, c.layer, c.size, f"{c.how} in layer {c.by_layer}") for c in facts.hidden
    )
    if wasted == 0:
        return CheckResult("waste", title, Status.PASS, "no layer hides bytes of another")
    status = Status.WARN if wasted >= MIB else Status.PASS
    dive = (
        f"; dive counts {fmt_bytes(facts.dive_wasted_bytes)}, the visible copies of rewritten files included"
    )
    return CheckResult(
        "waste",
        title,
        status,
        f"{fmt_bytes(wasted)} in {len(facts.hidden)} hidden copies{dive}{_culprit(facts)}",
        evidence,
    )


_METADATA_ONLY = re.compile(r"\b(?:chown|chmod|chgrp)\b")


def _culprit(facts: ImageFacts) -> str:
    """The step whose layer hides the most bytes, from the history, with a hint for chown/chmod."""
    by_layer: dict[int, tuple[int, int]] = {}
    for copy in facts.hidden:
        size, count = by_layer.get(copy.by_layer, (0, 0))
        by_layer[copy.by_layer] = (size + copy.size, count + 1)
    if not by_layer:
        return ""
    layer, (size, count) = max(by_layer.items(), key=lambda item: (item[1][0], -item[0]))
    step = next((h.created_by for h in facts.history if h.layer == layer), "")
    step = _instruction(step)
    if not step:
        return ""
    shown = step if len(step) <= 80 else step[:79] + "…"
    text = f"; layer {layer} ({shown}) hides {fmt_bytes(size)} in {count} copies"
    if _METADATA_ONLY.search(step):
        text += (
            ": a chown/chmod copies each file it changes; set owner and mode in the COPY or RUN "
            "that writes them (COPY --chown/--chmod)"
        )
    return text


def _instruction(created_by: str) -> str:
    """A history step as the Dockerfile line it came from: BuildKit's ``RUN |1 A=b /bin/sh -c cmd #
    buildkit`` and the classic ``/bin/sh -c cmd`` / ``/bin/sh -c #(nop) COPY ...`` read ``RUN cmd``,
    ``COPY ...``."""
    step = " ".join(created_by.removesuffix("# buildkit").split())
    nop = _NOP.match(step)
    if nop:
        return step[nop.end() :]
    run = _RUN.match(step)
    return "RUN " + step[run.end() :] if run else step


_NOP = re.compile(r"^/bin/sh -c #\(nop\)\s*")
_RUN = re.compile(r"^(?:RUN )?(?:\|\d+ (?:\S+=\S* )*)?/bin/(?:ba)?sh -c ")
