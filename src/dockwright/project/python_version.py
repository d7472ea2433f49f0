"""The target Python: what the project asks for, resolved to a concrete ``X.Y.Z`` for the image tag.

Where the request comes from, first found wins:

1. ``--python`` on the command line;
2. ``.python-version`` (pyenv/uv: ``3.11``, ``3.11.9``, ``cpython-3.11``);
3. ``runtime.txt`` (``python-3.11`` or ``python-3.11.9``);
4. ``Pipfile`` ``[requires]`` ``python_full_version`` / ``python_version``;
5. Poetry's ``python`` dependency constraint (``^3.11``, ``~3.11``, ``>=3.10,<3.13``);
6. PEP 621 ``requires-python``;
7. ``python_requires`` of setup.py (read from its syntax tree) or setup.cfg.

Resolution: an exact ``X.Y.Z`` is used as written; ``X.Y`` becomes the latest patch release of that
minor from ``data/cpython.toml`` (its source is named there); a range picks the default minor (3.11)
when the range allows it, else the newest minor it allows. Nothing asked → 3.11, said in the evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version

from dockwright.errors import ProjectError
from dockwright.project.facts import Evidence, Fact, PythonFacts
from dockwright.project.setuptools_static import read_setuptools
from dockwright.project.tree import ProjectTree, parse_toml

_EXACT = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")
_MINOR = re.compile(r"^(\d+)\.(\d+)$")
_NUMERIC = re.compile(r"^\d+(\.\d+)*$")


@dataclass(frozen=True)
class ReleaseTable:
    latest: dict[str, str]
    default: str
    source: str


@lru_cache(maxsize=1)
def release_table() -> ReleaseTable:
    text = resources.files("dockwright.project").joinpath("data/cpython.toml").read_text("utf-8")
    data = parse_toml(text)
    return ReleaseTable(dict(data["latest"]), str(data["default"]), str(data["source"]))


def _minor_key(minor: str) -> tuple[int, int]:
    a, b = minor.split(".")
    return int(a), int(b)


def poetry_to_pep440(constraint: str) -> list[SpecifierSet]:
    """Translate a Poetry constraint into PEP 440 specifier sets (one per ``||`` alternative)."""
    out: list[SpecifierSet] = []
    for alt in constraint.split("||"):
        parts: list[str] = []
        for token in re.split(r"[,\s]+(?=[\^~<>=!*\d])", alt.strip()):
            token = token.strip().rstrip(",")
            if not token or token == "*":
                continue
            if token.startswith(("^", "~")) and not token.startswith("~=") and not _NUMERIC.match(token[1:]):
                raise ProjectError(f"cannot read Poetry constraint {constraint!r}: {token!r} is not X.Y.Z")
            if token.startswith("^"):
                nums = [int(n) for n in token[1:].split(".")]
                upper = f"{nums[0] + 1}.0" if nums[0] > 0 or len(nums) == 1 else f"0.{nums[1] + 1}"
                parts += [f">={token[1:]}", f"<{upper}"]
            elif token.startswith("~") and not token.startswith("~="):
                nums = [int(n) for n in token[1:].split(".")]
                upper = f"{nums[0]}.{nums[1] + 1}" if len(nums) > 1 else f"{nums[0] + 1}"
                parts += [f">={token[1:]}", f"<{upper}"]
            elif re.match(r"^\d", token):
                parts.append(f"=={token}" if token.count(".") >= 2 or "*" in token else f"=={token}.*")
            else:
                parts.append(token)
        try:
            out.append(SpecifierSet(",".join(parts)))
        except InvalidSpecifier as exc:
            raise ProjectError(f"cannot read Python constraint {constraint!r}: {exc}") from exc
    return out


def resolve(request: str, *, kind: str, evidence: Evidence) -> Fact[str]:
    """Turn a request into a concrete version. ``kind`` is 'version' (X.Y[.Z]) or 'specifier'."""
    table = release_table()
    request = request.strip()
    if kind == "version":
        if _EXACT.match(request):
            return Fact(
                request, (Evidence(evidence.file, evidence.line, f"exact version {request} as written"),)
            )
        if _MINOR.match(request):
            if request not in table.latest:
                raise ProjectError(
                    f"Python {request} is not a known CPython release (known: {', '.join(table.latest)})",
                    file=evidence.file,
                    line=evidence.line,
                )
            patch = table.latest[request]
            return Fact(patch, (Evidence(evidence.file, evidence.line, f"{request} → latest patch {patch}"),))
        raise ProjectError(f"cannot read Python version {request!r}", file=evidence.file, line=evidence.line)
    try:
        specs = poetry_to_pep440(request) if kind == "poetry" else [SpecifierSet(request)]
    except InvalidSpecifier as exc:
        raise ProjectError(f"invalid Python specifier {request!r}: {exc}", file=evidence.file) from exc

    def allowed(minor: str) -> bool:
        return any(Version(table.latest[minor]) in s for s in specs)

    if allowed(table.default):
        patch = table.latest[table.default]
        return Fact(
            patch,
            (
                Evidence(
                    evidence.file, evidence.line, f"{request!r} allows the default {table.default} → {patch}"
                ),
            ),
        )
    for minor in sorted(table.latest, key=_minor_key, reverse=True):
        if allowed(minor):
            patch = table.latest[minor]
            return Fact(
                patch, (Evidence(evidence.file, evidence.line, f"newest minor {request!r} allows → {patch}"),)
            )
    raise ProjectError(
        f"no known CPython release satisfies {request!r}", file=evidence.file, line=evidence.line
    )


def _first_line(text: str) -> tuple[int, str] | None:
    for number, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if line:
            return number, line
    return None


def detect_python(
    tree: ProjectTree, pyproject: dict[str, Any] | None, *, override: str | None = None
) -> PythonFacts:
    """Find the request (see the module docstring) and resolve it."""
    if override:
        ev = Evidence("command line", None, f"--python {override}")
        return PythonFacts(Fact(override, (ev,)), resolve(override, kind="version", evidence=ev))
    if tree.is_file(".python-version"):
        found = _first_line(tree.read_text(".python-version"))
        if found:
            number, value = found
            value = re.sub(r"^(cpython-|python-?)", "", value)
            ev = Evidence(".python-version", number, value)
            return PythonFacts(Fact(value, (ev,)), resolve(value, kind="version", evidence=ev))
    if tree.is_file("runtime.txt"):
        found = _first_line(tree.read_text("runtime.txt"))
        if found:
            number, value = found
            value = re.sub(r"^python-", "", value)
            ev = Evidence("runtime.txt", number, found[1])
            return PythonFacts(Fact(value, (ev,)), resolve(value, kind="version", evidence=ev))
    if tree.is_file("Pipfile"):
        requires = tree.read_toml("Pipfile").get("requires") or {}
        for key in ("python_full_version", "python_version"):
            if requires.get(key):
                value = str(requires[key])
                ev = Evidence(
                    "Pipfile", tree.line_of("Pipfile", rf"^{key}\s*="), f"[requires] {key} = {value!r}"
                )
                return PythonFacts(Fact(value, (ev,)), resolve(value, kind="version", evidence=ev))
    pyproject = pyproject or {}
    poetry_python = pyproject.get("tool", {}).get("poetry", {}).get("dependencies", {}).get("python")
    if isinstance(poetry_python, str):
        line = tree.line_of("pyproject.toml", r"^python\s*=")
        ev = Evidence("pyproject.toml", line, f"[tool.poetry.dependencies] python = {poetry_python!r}")
        return PythonFacts(Fact(poetry_python, (ev,)), resolve(poetry_python, kind="poetry", evidence=ev))
    project = pyproject.get("project")
    if isinstance(project, dict) and isinstance(project.get("requires-python"), str):
        spec = project["requires-python"]
        ev = Evidence(
            "pyproject.toml",
            tree.line_of("pyproject.toml", r"^requires-python\s*="),
            f"requires-python = {spec!r}",
        )
        return PythonFacts(Fact(spec, (ev,)), resolve(spec, kind="specifier", evidence=ev))
    python_requires = read_setuptools(tree).get("python_requires")
    if python_requires is not None and python_requires.values and not python_requires.dynamic:
        spec = python_requires.values[0]
        where = python_requires.file
        ev = Evidence(where, python_requires.line, f"python_requires = {spec!r}")
        return PythonFacts(Fact(spec, (ev,)), resolve(spec, kind="specifier", evidence=ev))
    table = release_table()
    patch = table.latest[table.default]
    ev = Evidence(
        "default",
        None,
        f"nothing asks for a version; default {table.default} (Debian bookworm's Python) → {patch}",
    )
    return PythonFacts(Fact("", (ev,)), Fact(patch, (ev,)))
