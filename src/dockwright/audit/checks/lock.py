"""## What it does
With `--context PATH`: reads the project's lock (the one detection reads: uv.lock, poetry.lock,
pdm.lock, Pipfile.lock, hashed requirements, or the requirements.lock `dockwright init` wrote) and
compares every locked distribution with the version installed in the image: FAIL when one differs.
SKIP without `--context` or when the project pins nothing. The project is read for the image's own
Python (its one `pythonX.Y`), and when what would stop a plan (no start found in a library or a
CLI, a `runtime.txt` naming a Python dockwright does not build) is in the way, its dependencies
are read alone: the audit of an image dockwright did not write still compares the pins.

## Why is this bad?
The lock is what was tested. An image whose versions drifted from it (an install that resolved
again, a stale layer cache, a second `pip install`) runs code nobody tested and cannot be rebuilt
the same way.

## Example
```Dockerfile
COPY pyproject.toml /app/
RUN pip install /app
```
(resolves anew: `uv.lock` pins `flask==3.0.3`, the image has 3.1.0)

## Use instead
```Dockerfile
COPY pyproject.toml uv.lock /app/
RUN uv sync --locked --no-dev --project /app
```
"""

from __future__ import annotations

from dockwright.audit.checks.base import CheckOptions, CheckResult, Evidence, Status, _cap
from dockwright.audit.checks.common import image_python
from dockwright.audit.image import ImageFacts
from dockwright.errors import DockwrightError

ID = "lock"
TITLE = "Installed versions match the lock"
GROUP = "python"


def check_lock(facts: ImageFacts, options: CheckOptions) -> CheckResult:
    """With --context: every locked distribution is installed at the locked version (none drifted)."""
    title = "Installed versions match the lock"
    if options.context is None:
        return CheckResult(
            "lock", title, Status.SKIP, "give --context PATH to compare with its lock", group="python"
        )
    from dockwright.audit.inventory import check_against_lock, project_lock, python_dists

    try:
        locked, lock_file = project_lock(options.context, image_python(facts))
    except DockwrightError as error:
        return CheckResult("lock", title, Status.SKIP, f"lock not read: {error}", group="python")
    if not lock_file:
        return CheckResult("lock", title, Status.SKIP, "the project pins nothing in a lock", group="python")
    checked = check_against_lock(python_dists(facts), locked, lock_file)
    drifted = [d for d in checked if d.lock is not None and d.lock.state == "differs"]
    if drifted:
        evidence = [
            Evidence(d.path, d.layer, 0, f"installed {d.version}, {lock_file} pins {d.lock.locked_version}")
            for d in drifted
            if d.lock is not None
        ]
        names = ", ".join(f"{d.name} {d.version}" for d in drifted[:5])
        return CheckResult(
            "lock",
            title,
            Status.FAIL,
            f"{len(drifted)} differ from {lock_file}: {names}",
            _cap(evidence),
            "python",
        )
    matched = sum(1 for d in checked if d.lock is not None and d.lock.state == "matches")
    return CheckResult(
        "lock",
        title,
        Status.PASS,
        f"{matched} of {len(locked)} locked packages installed as pinned",
        group="python",
    )
