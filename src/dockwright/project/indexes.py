"""Package indexes other than PyPI: where the project says its dependencies come from.

Read from (each with its file and line):

- uv: ``[[tool.uv.index]]`` (``default``, ``explicit``; credentials from ``UV_INDEX_<NAME>_USERNAME`` /
  ``_PASSWORD``, uv's own convention) and ``[tool.uv]`` ``index-url`` / ``extra-index-url`` / ``find-links``;
- Poetry: ``[[tool.poetry.source]]`` (``priority`` primary / supplemental / explicit, the older
  ``default`` / ``secondary``; credentials from ``POETRY_HTTP_BASIC_<NAME>_USERNAME`` / ``_PASSWORD``);
- PDM: ``[[tool.pdm.source]]`` (``name = "pypi"`` replaces PyPI, ``type = "find_links"``);
- Pipenv: ``[[source]]`` of the Pipfile (the first one is the default index);
- requirements files: ``-i``/``--index-url``, ``--extra-index-url``, ``-f``/``--find-links``, and the
  index options the project's own recipe or setup script passes to ``pip install`` with them
  (``project/recipe_indexes.py``); the lock looks past the first index that lists a name for a version
  it lacks (pip reads every index), the extra index's own versions first (no dependency confusion);
- the locks: a registry ``uv.lock`` or ``poetry.lock`` records for a package that no declaration names.

A URL's credentials never leave this module: ``${VAR}`` placeholders (pip's, PDM's and Pipenv's
syntax) are kept as templates the build expands from its environment; literal ones are dropped with a
note. The first primary source replaces PyPI (``--index-url``); every other index is an extra one —
under ``--require-hashes`` the lock's hashes, not the index order, decide which file installs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit

from dockwright.errors import ProjectError
from dockwright.lazy_re import lazy
from dockwright.project.facts import Evidence, PackageIndex
from dockwright.project.recipe_indexes import recipe_indexes
from dockwright.project.tree import ProjectTree
from dockwright.redact import redact

Role = Literal["default", "extra", "find-links"]
_PYPI_HOSTS = {"pypi.org", "pypi.python.org", "files.pythonhosted.org"}
_PLACEHOLDER = lazy(r"^\$\{[A-Z0-9_]+\}$")
_OPTION = lazy(
    r"^\s*(?P<opt>-i|--index-url|--extra-index-url|-f|--find-links)(?:\s*=\s*|\s+)(?P<url>\S+)", re.MULTILINE
)
_ROLE_OF_OPTION: dict[str, Role] = {
    "-i": "default",
    "--index-url": "default",
    "--extra-index-url": "extra",
    "-f": "find-links",
    "--find-links": "find-links",
}


def is_pypi(url: str) -> bool:
    return (urlsplit(url).hostname or "").lower() in _PYPI_HOSTS


def env_name(name: str) -> str:
    """An index name as uv and Poetry spell it in environment variables (``my-index`` -> ``MY_INDEX``)."""
    return re.sub(r"[^A-Za-z0-9]", "_", name).upper()


def split_credentials(url: str) -> tuple[str, str, str, bool]:
    """(url without userinfo, login template, password template, literal credentials were dropped)."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url, "", "", False
    userinfo, host = parts.netloc.rsplit("@", 1)
    login, _, password = userinfo.partition(":")
    clean = urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))
    secret = password or login  # ``https://TOKEN@host``: the token is the login
    if secret and not _PLACEHOLDER.match(secret):
        return clean, "", "", True
    return clean, login, password, False


def _index(
    url: str,
    role: Role,
    evidence: Evidence,
    notes: list[str],
    *,
    name: str = "",
    explicit: bool = False,
    env_prefix: str = "",
    needs_credentials: bool = False,
    best_match: bool = False,
) -> PackageIndex | None:
    url = url.strip()
    if not url or is_pypi(url):
        return None
    if not re.match(r"^https?://", url):
        return None  # a folder: project/local_wheels.py
    clean, login, password, dropped = split_credentials(url)
    if dropped:
        notes.append(
            f"{evidence.file}:{evidence.line or '?'} writes an index password into the URL "
            f"({redact(url)}); it is not used: give it at build time (netrc secret, see the plan)"
        )
    needs = bool(login or password) or needs_credentials
    if not login and not password and env_prefix and name:
        login, password = (
            f"${{{env_prefix}{env_name(name)}_USERNAME}}",
            f"${{{env_prefix}{env_name(name)}_PASSWORD}}",
        )
    return PackageIndex(clean, role, evidence, name, explicit, login, password, needs, best_match)


def _line(tree: ProjectTree, rel: str, url: str) -> int | None:
    return tree.line_of(rel, re.escape(url))


def _uv(tree: ProjectTree, uv: dict[str, Any], notes: list[str]) -> list[PackageIndex | None]:
    out: list[PackageIndex | None] = []
    for item in uv.get("index", []) or []:
        if not isinstance(item, dict) or not isinstance(item.get("url"), str):
            continue
        name = str(item.get("name", ""))
        role: Role = "default" if item.get("default") else "extra"
        if item.get("format") == "flat":
            role = "find-links"
        where = Evidence(
            "pyproject.toml", _line(tree, "pyproject.toml", item["url"]), f"[[tool.uv.index]] {name}"
        )
        out.append(
            _index(
                item["url"],
                role,
                where,
                notes,
                name=name,
                explicit=bool(item.get("explicit")),
                env_prefix="UV_INDEX_",
                needs_credentials=item.get("authenticate") == "always",
            )
        )
    for key, role in (("index-url", "default"), ("extra-index-url", "extra"), ("find-links", "find-links")):
        values = uv.get(key)
        for url in [values] if isinstance(values, str) else values or []:
            if isinstance(url, str):
                where = Evidence("pyproject.toml", _line(tree, "pyproject.toml", url), f"[tool.uv] {key}")
                out.append(_index(url, role, where, notes))
    return out


def _poetry(tree: ProjectTree, poetry: dict[str, Any], notes: list[str]) -> list[PackageIndex | None]:
    out: list[PackageIndex | None] = []
    primary_seen = False
    for item in poetry.get("source", []) or []:
        if not isinstance(item, dict) or not isinstance(item.get("url"), str):
            continue
        name = str(item.get("name", ""))
        priority = str(item.get("priority", "")) or (
            "default" if item.get("default") else "supplemental" if item.get("secondary") else "primary"
        )
        role: Role = "extra"
        if priority in ("default", "primary") and not primary_seen:
            role, primary_seen = "default", True
        where = Evidence(
            "pyproject.toml",
            _line(tree, "pyproject.toml", item["url"]),
            f"[[tool.poetry.source]] {name} ({priority})",
        )
        out.append(
            _index(
                item["url"],
                role,
                where,
                notes,
                name=name,
                explicit=priority == "explicit",
                env_prefix="POETRY_HTTP_BASIC_",
            )
        )
    return out


def _poetry_pins(poetry: dict[str, Any]) -> list[tuple[str, str]]:
    """(package, source name) for each Poetry dependency pinned to a source (``torch = {source = "x"}``),
    main and group tables alike."""
    tables = [poetry.get("dependencies", {}) or {}]
    for group in (poetry.get("group", {}) or {}).values():
        if isinstance(group, dict):
            tables.append(group.get("dependencies", {}) or {})
    pins: list[tuple[str, str]] = []
    for table in tables:
        for name, spec in table.items() if isinstance(table, dict) else ():
            specs = spec if isinstance(spec, list) else [spec]
            pins += [
                (name, s["source"]) for s in specs if isinstance(s, dict) and isinstance(s.get("source"), str)
            ]
    return pins


def _unlocked_poetry_pins(
    tree: ProjectTree, poetry: dict[str, Any], lock_file: str | None, notes: list[str]
) -> None:
    """Without poetry.lock the lock is resolved from the declared dependencies by uv, which does not read
    Poetry's ``source =`` pins: a package pinned to an explicit source (PyTorch's CPU index) would come
    from PyPI. Said, with the way to keep the source (a poetry.lock records it; its conversion keeps it)."""
    if lock_file == "poetry.lock":
        return
    explicit = {
        str(item.get("name", ""))
        for item in poetry.get("source", []) or []
        if isinstance(item, dict) and item.get("priority") == "explicit"
    }
    for name, source in _poetry_pins(poetry):
        if source in explicit:
            line = tree.line_of("pyproject.toml", rf"^\s*{re.escape(name)}\s*=.*\bsource\b")
            notes.append(
                f"pyproject.toml:{line or '?'} pins {name} to the explicit source {source!r}, which the lock "
                "resolved from the declared dependencies without poetry.lock cannot follow: it takes "
                f"{name} from PyPI instead; run `poetry lock` and commit poetry.lock (its conversion keeps "
                "the source)"
            )


def _pdm(tree: ProjectTree, pdm: dict[str, Any], notes: list[str]) -> list[PackageIndex | None]:
    out: list[PackageIndex | None] = []
    for item in pdm.get("source", []) or []:
        if not isinstance(item, dict) or not isinstance(item.get("url"), str):
            continue
        name = str(item.get("name", ""))
        role: Role = (
            "find-links" if item.get("type") == "find_links" else "default" if name == "pypi" else "extra"
        )
        where = Evidence(
            "pyproject.toml", _line(tree, "pyproject.toml", item["url"]), f"[[tool.pdm.source]] {name}"
        )
        out.append(_index(item["url"], role, where, notes, name=name))
    return out


def _pipfile(tree: ProjectTree, notes: list[str]) -> list[PackageIndex | None]:
    if not tree.is_file("Pipfile"):
        return []
    try:
        data = tree.read_toml("Pipfile")
    except ProjectError:  # the manager reader reports a broken Pipfile
        return []
    out: list[PackageIndex | None] = []
    for number, item in enumerate(data.get("source", []) or []):
        if isinstance(item, dict) and isinstance(item.get("url"), str):
            where = Evidence(
                "Pipfile", _line(tree, "Pipfile", item["url"]), f"[[source]] {item.get('name', '')}"
            )
            role: Role = "default" if number == 0 else "extra"
            out.append(_index(item["url"], role, where, notes, name=str(item.get("name", ""))))
    return out


def _requirements(tree: ProjectTree, files: Iterable[str], notes: list[str]) -> list[PackageIndex | None]:
    out: list[PackageIndex | None] = []
    for rel in files:
        if not rel.endswith((".txt", ".in")) or not tree.is_file(rel):
            continue
        text = tree.read_text(rel)
        for match in _OPTION.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            where = Evidence(rel, line, match.group("opt"))
            role = _ROLE_OF_OPTION[match.group("opt")]
            out.append(_index(match.group("url"), role, where, notes, best_match=True))
    return out


def _recipes(tree: ProjectTree, files: Iterable[str], notes: list[str]) -> list[PackageIndex | None]:
    """The indexes the project's recipe or setup script passes to pip with its requirements."""
    return [
        _index(found.url, found.role, found.evidence, notes, best_match=True)
        for found in recipe_indexes(tree, files)
    ]


_REGISTRY = lazy(r'^source\s*=\s*\{\s*registry\s*=\s*"([^"]+)"', re.MULTILINE)
_POETRY_SOURCE_URL = lazy(r'^url\s*=\s*"([^"]+)"', re.MULTILINE)


def _lock_registries(tree: ProjectTree, lock_file: str | None, notes: list[str]) -> list[PackageIndex | None]:
    """Registries a uv.lock or poetry.lock names for its packages (an index given only on the command
    line or in the environment when it was locked)."""
    if lock_file not in ("uv.lock", "poetry.lock") or not tree.is_file(lock_file):
        return []
    text = tree.read_text(lock_file)
    pattern = _REGISTRY if lock_file == "uv.lock" else _POETRY_SOURCE_URL
    out: list[PackageIndex | None] = []
    for match in pattern.finditer(text):
        url = match.group(1)
        if lock_file == "poetry.lock" and not text[max(0, match.start() - 200) : match.start()].count(
            "legacy"
        ):
            continue  # a directory, file, git or url source: not an index
        line = text.count("\n", 0, match.start()) + 1
        out.append(_index(url, "extra", Evidence(lock_file, line, "registry of a locked package"), notes))
    return out


def detect_indexes(
    tree: ProjectTree, pyproject: dict[str, Any] | None, input_files: Iterable[str], lock_file: str | None
) -> tuple[tuple[PackageIndex, ...], tuple[str, ...]]:
    """The non-PyPI indexes, de-duplicated by URL (the declaration wins over the lock), and notes."""
    notes: list[str] = []
    tool = (pyproject or {}).get("tool", {}) or {}
    input_files = tuple(input_files)
    found = [
        *_uv(tree, tool.get("uv", {}) or {}, notes),
        *_poetry(tree, tool.get("poetry", {}) or {}, notes),
        *_pdm(tree, tool.get("pdm", {}) or {}, notes),
        *_pipfile(tree, notes),
        *_requirements(tree, input_files, notes),
        *_recipes(tree, input_files, notes),
        *_lock_registries(tree, lock_file, notes),
    ]
    _unlocked_poetry_pins(tree, tool.get("poetry", {}) or {}, lock_file, notes)
    out: dict[str, PackageIndex] = {}
    default_seen = False
    for index in found:
        if index is None or _key(index.url) in out:
            continue
        if index.role == "default":
            if default_seen:
                index = PackageIndex(index.url, "extra", *_rest(index))
            default_seen = True
        out[_key(index.url)] = index
    return tuple(out.values()), tuple(dict.fromkeys(notes))


def _key(url: str) -> str:
    return url.rstrip("/").lower()


def _rest(index: PackageIndex) -> tuple[Evidence, str, bool, str, str, bool, bool]:
    return (
        index.evidence,
        index.name,
        index.explicit,
        index.login,
        index.password,
        index.needs_credentials,
        index.best_match,
    )
