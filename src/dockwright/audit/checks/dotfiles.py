"""## What it does
Finds `.git` directories and files named like secrets (`.env`, private keys, `.npmrc`,
`.pypirc`, ...: the table of `dockwright.secrets`) in the image: FAIL outside site-packages, WARN
inside it. System files that share such names (CA bundles, a mirror's `/etc/pip.conf`) are left
out, and files whose content is a key are reported by the `secrets` check instead.

## Why is this bad?
Whoever can pull the image can read them: `.git` holds the whole history (and what was removed
from it), a `.env` holds credentials. They arrive through a `COPY . .` with a loose `.dockerignore`.

## Example
```Dockerfile
COPY . /app
```
with `.env` and `.git` in the build context and no `.dockerignore`

## Use instead
```Dockerfile
COPY . /app
```
with `.git` and `**/.env` in `.dockerignore`; the values come from the environment at run time
"""

from __future__ import annotations

from dockwright.audit.checks.base import CheckOptions, CheckResult, Evidence, Status, _cap, _ev
from dockwright.audit.checks.common import _group_dirs, _in_site_packages, _memo
from dockwright.audit.image import FileEntry, ImageFacts
from dockwright.secrets import SecretPattern, secret_match

ID = "dotfiles"
TITLE = "No .git or secret files in the image"
GROUP = "python"
READS_SECRETS = True  # ImageFacts.secrets: runs once the secret scan is done (registry.reads_secrets)


_OS_TREES = ("etc/", "usr/", "lib/", "lib64/", "bin/", "sbin/", "var/lib/")


def _os_or_package_file(path: str) -> bool:
    """A file of the OS or of an installed package (not the app's copied source): CA bundles, configs."""
    return path.lstrip("/").startswith(_OS_TREES) or _in_site_packages(path)


def _named_files(facts: ImageFacts) -> tuple[set[str], list[tuple[FileEntry, SecretPattern]]]:
    """The ``.git`` folders, and the files named like secrets (but the system's own), of the file
    table: the pass over every path, which does not depend on the secret scan's hits."""
    gits = set()
    named = []
    for entry in facts.files.values():
        parts = entry.path.split("/") if ".git" in entry.path else ()
        if ".git" in parts[:-1] or (parts and parts[-1] == ".git" and entry.kind == "dir"):
            gits.add("/".join(parts[: parts.index(".git") + 1]))
        elif entry.kind == "file" and (secret := secret_match(entry.path)) is not None:
            if not secret.anywhere and _os_or_package_file(entry.path):
                continue  # system files share these names (CA bundles, a mirror's /etc/pip.conf)
            named.append((entry, secret))
    return gits, named


def prepare(facts: ImageFacts) -> None:
    """The reading the check makes of the file table alone, made before the secret scan's hits are
    in (``READS_SECRETS``: the audit calls this while the scan finishes)."""
    _memo(facts, "dotfiles", _named_files)


def check_dotfiles(facts: ImageFacts, options: CheckOptions) -> CheckResult:
    """No ``.git`` directories or secret files (``dockwright.secrets``: .env, keys, tokens) in the image.

    FAIL outside site-packages, WARN inside it."""
    title = "No .git or secret files in the image"
    fail: list[Evidence] = []
    warn: list[Evidence] = []
    gits, named = _memo(facts, "dotfiles", _named_files)
    by_content = {hit.path for hit in facts.secrets}
    for entry, secret in named:
        if entry.path in by_content:
            continue  # the key material itself is reported by check_secrets
        (warn if _in_site_packages(entry.path) else fail).append(_ev(entry, secret.reason))
    for ev in _group_dirs(facts, gits, "git repository") or [
        Evidence("/" + g, None, 0, "git repository") for g in gits
    ]:
        (warn if _in_site_packages(ev.path) else fail).append(ev)
    if fail:
        return CheckResult(
            "dotfiles", title, Status.FAIL, f"{len(fail)} .git/secret items", _cap(fail + warn), "python"
        )
    if warn:
        return CheckResult(
            "dotfiles",
            title,
            Status.WARN,
            f"{len(warn)} .git/secret items inside site-packages",
            _cap(warn),
            "python",
        )
    return CheckResult("dotfiles", title, Status.PASS, "none", group="python")
