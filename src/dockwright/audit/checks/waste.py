r"""## What it does
Counts the bytes a later layer hides, by overwriting or deleting a file an earlier layer wrote
(each hidden copy once; the copy the image shows is not waste). WARN from 1 MiB. The summary
also gives dive's figure, which counts the visible copy of a rewritten file too.

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
"""

from __future__ import annotations

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
        "waste", title, status, f"{fmt_bytes(wasted)} in {len(facts.hidden)} hidden copies{dive}", evidence
    )
