"""A frontend package manager's own config files: which release runs, what the install must copy, and
the environment variables (registry tokens) they read.

- Yarn 2+ is told from Yarn 1 by its lock (``__metadata:``; package.json's ``packageManager`` must say
  the same line); it runs the checked-in release ``.yarnrc.yml``'s ``yarnPath`` names, else the
  version packageManager names, else the line the lock's ``__metadata: version`` says
  (``data/frontend_managers.toml``, ``yarn_lock_versions``).
- The files of a row's ``configs`` beside package.json (``.yarnrc.yml``, ``.yarnrc``, ``bunfig.toml``)
  are copied with the manifest: they name the registry and its scopes. A token in one must be an
  environment reference (``npmAuthToken: "${NPM_TOKEN}"``); each reference is a :class:`RegistryEnv`,
  which the install reads from a BuildKit secret. A token written out in such a file would reach a
  layer, so the frontend is then not planned.

Nothing is executed; the files are read as text, line by line.
"""

from __future__ import annotations

import re
from functools import cache

from dockwright.lazy_re import lazy
from dockwright.project.facts import Evidence, RegistryEnv
from dockwright.project.tree import ProjectTree, data_table

YARN_PATH = lazy(r"""^yarnPath:\s*['"]?([^'"#\s]+)""", re.MULTILINE)
LOCK_VERSION = lazy(r"""^__metadata:\s*\n\s+version:\s*['"]?(\d+)""", re.MULTILINE)
# keys that hold a credential in .yarnrc.yml, .yarnrc, .npmrc and bunfig.toml (their docs: npmAuthToken,
# npmAuthIdent, _authToken, _auth, _password, bunfig's token and password)
CREDENTIAL_KEY = lazy(r"(?:npmAuthToken|npmAuthIdent|_authToken|_auth|_password|\btoken|\bpassword)\b")
# a URL's user info (bunfig's scopes take ``https://user:pass@host/``; Yarn reads it too)
USER_INFO = lazy(r"[A-Za-z][A-Za-z0-9+.-]*://([^/@\s\"']+)@")
# the ids of the BuildKit secrets the build itself passes (plan/common.py PIP_SECRET_ID, NETRC_SECRET_ID,
# plan/buildsteps.py NPMRC_SECRET_ID, npmauth.py YARNRC_SECRET_ID): a variable travels as the secret of
# its name, so one of these names would mount the build's own secret into the install's environment
BUILD_SECRET_IDS = frozenset({"pipconf", "netrc", "npmrc", "yarnrc"})


@cache
def env_pattern(syntax: str) -> re.Pattern[str]:
    return re.compile(str(data_table("frontend_managers.toml")["env_syntax"][syntax]["pattern"]))


def unset_stops(syntax: str) -> bool:
    """Whether every command of the tool stops when a variable its config reads is unset."""
    return bool(data_table("frontend_managers.toml")["env_syntax"][syntax]["unset_stops"])


def is_berry(tree: ProjectTree, lock: str, declared: object) -> tuple[bool, str]:
    """Whether a yarn.lock is Yarn 2+'s (its ``__metadata:`` block), or why it cannot be installed: a
    package.json ``packageManager`` of the other line (a frozen install would rewrite the lock)."""
    head = "\n".join(text for _, text in tree.numbered_lines(lock)[:20])
    berry = "__metadata:" in head
    wanted = re.match(r"yarn@(\d+)", declared) if isinstance(declared, str) else None
    if wanted is not None and (wanted.group(1) != "1") != berry:
        return berry, (
            f"package.json's packageManager is {declared} and {lock} is a Yarn {'2+' if berry else '1'} "
            "lock, which a frozen install of that release would rewrite; not planned"
        )
    return berry, ""


def berry_release(tree: ProjectTree, directory: str, lock: str, declared: object) -> tuple[str, str, str]:
    """``(installer, checked-in release, refusal)`` of a Yarn 2+ frontend: the release ``yarnPath`` names
    (inside the folder), else ``@yarnpkg/cli-dist@VERSION`` for npm to install."""
    if isinstance(declared, str) and re.match(r"(?:npm|pnpm|bun)@", declared):
        return (
            "",
            "",
            f"package.json's packageManager is {declared} and the folder's lock is {lock}; not planned",
        )
    rc = join(directory, ".yarnrc.yml")
    named = YARN_PATH.search(tree.read_text(rc)) if tree.is_file(rc) else None
    if named:
        release = join(directory, named.group(1).removeprefix("./"))
        if named.group(1).startswith(("/", "..")) or not tree.is_file(release):
            return "", "", f"{rc}'s yarnPath {named.group(1)} is not a file of {directory}/; not planned"
        return "", release, ""
    wanted = re.match(r"yarn@(\d+[\w.+-]*?)(?:\+.*)?$", declared) if isinstance(declared, str) else None
    if wanted:
        return f"@yarnpkg/cli-dist@{wanted.group(1)}", "", ""
    version = LOCK_VERSION.search("\n".join(text for _, text in tree.numbered_lines(lock)[:20]))
    line = data_table("frontend_managers.toml")["yarn_lock_versions"].get(version.group(1) if version else "")
    if not line:
        return "", "", f"{lock} is a Yarn 2+ lock of no known release and nothing names one; not planned"
    return f"@yarnpkg/cli-dist@{line}", "", ""


def configs(tree: ProjectTree, directory: str, names: object) -> tuple[str, ...]:
    """The config files of ``names`` (a row's ``configs``) there are beside package.json."""
    listed = [str(n) for n in names] if isinstance(names, list) else []
    return tuple(join(directory, n) for n in listed if tree.is_file(join(directory, n)))


def registry_env(
    tree: ProjectTree, files: tuple[str, ...], syntax: str
) -> tuple[tuple[RegistryEnv, ...], str]:
    """The variables ``files`` read, each once (required if any reference lacks a fallback), or why the
    frontend is not planned: a credential written out in a file the build context carries."""
    found: dict[str, RegistryEnv] = {}
    pattern = env_pattern(syntax)
    for rel in files:
        for number, line in tree.numbered_lines(rel):
            if line.lstrip().startswith(("#", ";")):
                continue
            text = line
            refs = list(pattern.finditer(text))
            written = CREDENTIAL_KEY.search(text) and not refs and re.search(r"[:=]\s*\S|\"\s+\"", text)
            fallback = CREDENTIAL_KEY.search(text) and any(_fallback(ref) for ref in refs)
            if written or fallback or _literal_user_info(text, pattern):
                return (), (
                    f"{rel} line {number} writes a registry credential out, and the file is copied into "
                    'the build: read it from the environment instead (npmAuthToken: "${NPM_TOKEN}"), '
                    "which the build passes as a BuildKit secret; not planned"
                )
            for ref in refs:
                name, required = ref.group("name"), not ref.group("default")
                if name in BUILD_SECRET_IDS:
                    return (), (
                        f"{rel} line {number} reads ${{{name}}}, the name of a secret the build passes "
                        "itself (each variable travels as the BuildKit secret of its name): rename the "
                        "variable; not planned"
                    )
                evidence = Evidence(rel, number, f"reads ${{{name}}}")
                old = found.get(name)
                if old is None or (required and not old.required):
                    found[name] = RegistryEnv(name, required or bool(old and old.required), evidence)
    return tuple(found.values()), ""


def _fallback(ref: re.Match[str]) -> str:
    """The value a reference falls back to (Yarn's ``${NAME:-value}``), written out in the file."""
    return (ref.group("default") or "").removeprefix(":").removeprefix("-").strip()


def _literal_user_info(line: str, pattern: re.Pattern[str]) -> bool:
    """Whether a URL of ``line`` writes a password (or a lone user, which registries read as a token)
    out rather than reading it from the environment."""
    for match in USER_INFO.finditer(line):
        user_info = match.group(1)
        if any(_fallback(ref) for ref in pattern.finditer(user_info)):
            return True
        user, colon, password = pattern.sub("", user_info).partition(":")
        if (password if colon else user).strip():
            return True
    return False


def join(directory: str, name: str) -> str:
    return name if directory == "." else f"{directory}/{name}"
