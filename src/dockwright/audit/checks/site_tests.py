r"""## What it does
Sums the `tests`, `test`, `docs` and `doc` folders inside installed packages in site-packages:
WARN from 1 MiB, with the largest folders as evidence. A folder of that name inside a package's
`static` or `templates` folder is a web app's own assets, served at run time (Django REST
framework's `static/rest_framework/docs`, the pages of its API documentation view): not counted.

## Why is this bad?
Some distributions ship their test suites and documentation inside the package: megabytes the app
never imports, sometimes with test keys and fixtures that scanners flag.

## Example
```Dockerfile
RUN pip install --no-cache-dir numpy pandas
```
(`site-packages/pandas/tests` alone is tens of megabytes)

## Use instead
```Dockerfile
RUN pip install --no-cache-dir numpy pandas \
    && find /usr/local/lib/python3*/site-packages -depth -type d -name tests -path '*/pandas/*' \
       -exec rm -rf {} +
```
(only after checking the package does not import its tests at run time)
"""

from __future__ import annotations

from dockwright.audit.checks.base import MIB, CheckOptions, CheckResult, Status, _cap
from dockwright.audit.checks.common import _group_dirs, _in_site_packages
from dockwright.audit.image import ImageFacts
from dockwright.output import fmt_bytes

# folders of files a web framework serves or renders (Django's app directories convention)
_ASSETS = frozenset({"static", "templates"})

ID = "site-tests"
TITLE = "No tests/docs inside site-packages"
GROUP = "python"


def check_site_tests(facts: ImageFacts, options: CheckOptions) -> CheckResult:
    """Test and doc folders shipped inside site-packages."""
    title = "No tests/docs inside site-packages"
    roots = set()
    for entry in facts.regular_files():
        # a tests/test/docs/doc folder below the site root means "/test" or "/doc" in the path: that
        # substring test first skips most files for less than the split
        if ("/test" not in entry.path and "/doc" not in entry.path) or not _in_site_packages(entry.path):
            continue
        parts = entry.path.split("/")
        site = next(i for i, part in enumerate(parts) if part in ("site-packages", "dist-packages"))
        # from the folders inside a package (a tests folder at the site root is a package of its own)
        for i in range(site + 2, len(parts) - 1):
            if parts[i] in _ASSETS:
                break  # a web app's served files: a docs folder there is pages it serves
            if parts[i] in ("tests", "test", "docs", "doc"):
                roots.add("/".join(parts[: i + 1]))
                break
    evidence = _group_dirs(facts, roots, "tests/docs")
    total = sum(e.bytes for e in evidence)
    status = Status.WARN if total >= MIB else Status.PASS
    summary = f"{fmt_bytes(total)} in {len(evidence)} test/doc folders" if evidence else "none"
    return CheckResult("site-tests", title, status, summary, _cap(evidence), "python")
