"""## What it does
Flags `pip install NAME` where a named package has no exact version (`==`), e.g.
`pip install flask` or `pip install "django>=4"`, and URLs that follow a branch: an archive of
`main`/`master` (`.../archive/main.zip`) or a VCS URL with no commit or tag (`git+https://...`,
`...@main`). Packages named by a `$VARIABLE` are read with the
default the stage gives it (`ARG PACKAGES="flask gunicorn"`); an unknown value is left alone.

## Why is this bad?
Each build resolves to whatever is newest that day; two images of one commit differ, and a
broken release breaks your build. Pin in a lock file (best, with hashes) or at least `==`.

## Example
```Dockerfile
RUN pip install --no-cache-dir gunicorn
```

## Use instead
```Dockerfile
RUN pip install --no-cache-dir gunicorn==23.0.0
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockwright.lazy_re import lazy
from dockwright.lint.commands import is_pip_install
from dockwright.lint.context import LintContext
from dockwright.lint.rule import Finding, Rule, Severity

#: options whose value is the next word (`pip install --help`, pip 25; `uv pip install --help`, uv 0.9)
PIP_VALUE_OPTIONS = frozenset(
    {
        "-r",
        "--requirement",
        "-c",
        "--constraint",
        "-i",
        "--index-url",
        "--extra-index-url",
        "-f",
        "--find-links",
        "--target",
        "-t",
        "--prefix",
        "--root",
        "--platform",
        "--python-version",
        "--implementation",
        "--abi",
        "--trusted-host",
        "--python",
        "-p",
        "--only-binary",
        "--no-binary",
        "--progress-bar",
        "--cache-dir",
        "--src",
        "--upgrade-strategy",
        "-e",
        "--editable",
        "--config-settings",
        "-C",
        "--report",
        "--log",
        "--log-file",
        "--exists-action",
        "--global-option",
        "--build-option",
        "--install-option",
        "--timeout",
        "--retries",
        "--resume-retries",
        "--proxy",
        "--cert",
        "--client-cert",
        "--use-feature",
        "--use-deprecated",
        # uv pip install
        "--requirements",
        "--index",
        "--default-index",
        "--index-strategy",
        "--python-preference",
        "--keyring-provider",
        "--resolution",
        "--prerelease",
        "--exclude-newer",
        "--link-mode",
        "--extra",
        "--group",
        "--overrides",
        "--build-constraints",
        "-b",
        "--torch-backend",
        "--reinstall-package",
        "--upgrade-package",
        "-P",
        "--constraints",
        "--refresh-package",
        "--no-build-package",
        "--no-binary-package",
        "--no-build-isolation-package",
        "--config-settings-package",
        "--allow-insecure-host",
        "--python-platform",
        "--color",
        "--directory",
        "--project",
        "--config-file",
    }
)
_NAME = lazy(r"^[A-Za-z0-9][A-Za-z0-9._-]*(\[[^\]]*\])?")


#: branch names whose archive or VCS URL installs whatever the branch holds that day
_BRANCHES = r"(main|master|develop|development|dev|trunk|HEAD|latest)"
#: a branch archive (GitHub `/archive/[refs/heads/]main.zip`, GitLab `/-/archive/main/`)
_BRANCH_ARCHIVE = lazy(rf"/archive/(refs/heads/)?{_BRANCHES}(\.zip|\.tar\.gz|/)")
_VCS = lazy(r"^(git|hg|svn|bzr)\+[a-z]+://(?P<host>[^/]*)(?P<path>[^#]*)")


def moving_url(word: str) -> bool:
    """Is ``word`` a URL whose content follows a branch: a branch archive, or a VCS URL naming a branch
    or no revision (``git+https://host/repo.git``, ``...@main``)?"""
    if "$" in word:
        return False  # decided by a variable's value
    if _BRANCH_ARCHIVE.search(word):
        return True
    vcs = _VCS.match(word)
    if vcs is None:
        return False
    path = vcs.group("path")  # the host's `user@` is no revision
    if "@" not in path:
        return True
    return re.fullmatch(_BRANCHES, path.rsplit("@", 1)[1]) is not None


def unpinned(word: str) -> bool:
    if "://" in word:
        return moving_url(word)
    if word.startswith((".", "/", "$", "~")) or word.endswith((".whl", ".tar.gz", ".zip")):
        return False
    if "*" in word or "@" in word:
        return False
    match = _NAME.match(word)
    if not match:
        return False
    rest = word[match.end() :].split(";", 1)[0].strip()
    return not rest.startswith("==") or "*" in rest


class PipInstallUnpinned(Rule):
    code = "DW303"
    name = "pip-install-unpinned"
    severity = Severity.WARNING
    summary = "pip install of a package without an exact version"
    aliases = ("DL3013",)

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        for stage in ctx.dockerfile.stages:
            for instruction, calls in ctx.runs(stage):
                loose = [
                    word
                    for call in calls
                    if is_pip_install(call) and not call.has("--no-index")
                    for word in call.positionals(PIP_VALUE_OPTIONS)
                    if unpinned(word)
                ]
                if loose:  # one finding per RUN, naming every loose requirement
                    names = ", ".join(dict.fromkeys(loose))
                    if any(call.written is not None for call in calls if is_pip_install(call)):
                        names += " (with the ARG/ENV defaults)"
                    how = "pin with == (or install from a hash-locked file)"
                    if any("://" in word for word in loose):
                        how += "; name a tag or commit in a URL"
                    message = f"unpinned: {names}; {how}"
                    yield self.finding(ctx, ctx.line_span(instruction), message)
