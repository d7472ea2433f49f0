"""The target Python: what the project asks for, resolved to a concrete ``X.Y.Z`` for the image tag.

Where the request comes from, first found wins:

1. ``--python`` on the command line;
2. ``.python-version`` (pyenv/uv: ``3.11``, ``3.11.9``, ``cpython-3.11``);
3. ``runtime.txt`` (``python-3.11`` or ``python-3.11.9``), else Render's ``PYTHON_VERSION`` in
   ``render.yaml`` (https://render.com/docs/python-version), else Google App Engine's ``runtime:
   python312`` in ``app.yaml`` (https://cloud.google.com/appengine/docs/standard/lifecycle/support-schedule#python);
4. ``Pipfile`` ``[requires]`` ``python_full_version`` / ``python_version``;
5. Poetry's ``python`` dependency constraint (``^3.11``, ``~3.11``, ``>=3.10,<3.13``);
6. PEP 621 ``requires-python``;
7. ``python_requires`` of setup.py (read from its syntax tree) or setup.cfg;
8. the minor of the official Python image the repository's own Dockerfile builds on (the last ``FROM
   python:3.11-slim`` of the recipe ``project/own_image.py`` picks; a tag named by an ``ARG`` declared
   before the first ``FROM`` is its default, ``dockerfile/from_args.py``; one with no default says
   nothing), or of an app-server base image tagged by its Python (``tiangolo/uvicorn-gunicorn-fastapi:
   python3.11``, ``detectors/app_server_base.py``'s table): the version the project's own image runs.
   Its minor only, pinned to the table's patch (``python:3.9.12-slim-buster`` asks for 3.9, not for that
   old patch).

Resolution: an exact ``X.Y.Z`` is used as written; ``X.Y`` becomes the pinned patch release of that
minor from ``data/cpython.toml`` (its sources are named there); a range picks the default minor when
the range allows it, else the newest minor it allows. Nothing asked → the default minor, said in the
evidence. The default is computed from the table: the newest minor that had been final for
``stable_after_months`` on the table's ``as_of`` date.

The Debian suite of the base image (``data/debian.toml``) is the newest one the minor's official
images are built on (trixie for 3.9 and later, bookworm for 3.8), unless one is asked for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version

from dockwright.errors import ProjectError
from dockwright.lazy_re import lazy
from dockwright.project.deploy_env import DeployEnv
from dockwright.project.facts import Evidence, Fact, PythonFacts
from dockwright.project.plan_files import PlanFiles
from dockwright.project.platform_files import load
from dockwright.project.setuptools_static import read_setuptools
from dockwright.project.tree import ProjectTree, data_table

_EXACT = lazy(r"^(\d+)\.(\d+)\.(\d+)$")
_MINOR = lazy(r"^(\d+)\.(\d+)$")
_NUMERIC = lazy(r"^\d+(\.\d+)*$")
_IMPLEMENTATION = lazy(r"^(cpython-|python-?)")  # .python-version's "cpython-3.12" / "python3.12"


@dataclass(frozen=True)
class Minor:
    """One CPython minor version: release dates, the pinned patch, Debian suites with official images."""

    name: str  # "3.14"
    released: date  # X.Y.0 final
    eol: str  # "2030-10": end of security support (month)
    latest: str  # the patch pinned in image tags
    suites: tuple[str, ...]  # Debian suites python:X.Y.Z-slim-<suite> exists for, preferred first


@dataclass(frozen=True)
class ReleaseTable:
    minors: dict[str, Minor]
    as_of: date
    stable_after_months: int
    source: str

    @property
    def latest(self) -> dict[str, str]:
        return {name: minor.latest for name, minor in self.minors.items()}

    @property
    def default(self) -> str:
        """The newest minor final for at least ``stable_after_months`` on ``as_of``."""
        cutoff = _months_before(self.as_of, self.stable_after_months)
        stable = [m for m in self.minors.values() if m.released <= cutoff]
        return max(stable, key=lambda m: _minor_key(m.name)).name

    def default_reason(self) -> str:
        minor = self.minors[self.default]
        return (
            f"the newest CPython final for at least {self.stable_after_months} months on {self.as_of} "
            f"({minor.name}.0: {minor.released})"
        )

    def eol(self, minor: str) -> bool:
        return self.minors[minor].eol < self.as_of.strftime("%Y-%m")


@dataclass(frozen=True)
class Suite:
    """One Debian release the base images are built on."""

    name: str  # "trixie"
    version: int  # 13
    glibc: str
    python3: str  # Debian's own python3 minor (the interpreter of distroless python3)
    distroless: str  # "debian13"
    distroless_python_deprecated: bool
    renames: dict[str, str]  # bookworm package name -> this suite's

    def apt_name(self, package: str) -> str:
        return self.renames.get(package, package)


def _months_before(day: date, months: int) -> date:
    month = day.year * 12 + day.month - 1 - months
    return date(month // 12, month % 12 + 1, min(day.day, 28))


@lru_cache(maxsize=1)
def release_table() -> ReleaseTable:
    data = data_table("cpython.toml")
    minors = {
        name: Minor(
            name,
            date.fromisoformat(entry["released"]),
            str(entry["eol"]),
            str(entry["latest"]),
            tuple(entry["suites"]),
        )
        for name, entry in data["minors"].items()
    }
    return ReleaseTable(
        minors, date.fromisoformat(data["as_of"]), int(data["stable_after_months"]), str(data["source"])
    )


@lru_cache(maxsize=1)
def debian_suites() -> dict[str, Suite]:
    """Debian suites by name, newest first (``data/debian.toml``)."""
    return {
        name: Suite(
            name,
            int(entry["version"]),
            str(entry["glibc"]),
            str(entry["python3"]),
            str(entry["distroless"]),
            bool(entry.get("distroless_python_deprecated", False)),
            dict(entry.get("renames", {})),
        )
        for name, entry in data_table("debian.toml")["suites"].items()
    }


def app_engine_python(tree: ProjectTree) -> tuple[str, Evidence] | None:
    """The Python minor of App Engine's ``runtime: python312`` (``app.yaml``), else None."""
    data = load(tree, "app.yaml")
    runtime = data.get("runtime") if isinstance(data, dict) else None
    found = re.fullmatch(r"python(3)(\d+)", runtime) if isinstance(runtime, str) else None
    if found is None:
        return None
    line = tree.line_of("app.yaml", r"^runtime:")
    return f"{found[1]}.{found[2]}", Evidence("app.yaml", line, f"App Engine runtime: {runtime}")


def minor_of(version: str) -> str:
    return ".".join(version.split(".")[:2])


def _minor_key(minor: str) -> tuple[int, int]:
    a, b = minor.split(".")
    return int(a), int(b)


def _known(minor: str, evidence: Evidence) -> Minor:
    table = release_table()
    if minor not in table.minors:
        newest = max(table.minors, key=_minor_key)
        raise ProjectError(
            f"Python {minor} is not a CPython minor dockwright knows (known: {', '.join(table.minors)}); "
            f"ask for one of those, e.g. --python {table.default} (the default) or {newest}",
            file=evidence.file,
            line=evidence.line,
        )
    return table.minors[minor]


def choose_suite(version: str, *, requested: str | None = None) -> Fact[str]:
    """The Debian suite of ``python:VERSION-slim-<suite>``: ``requested``, else the newest one built."""
    minor = _known(minor_of(version), Evidence("python", None, version))
    suites = debian_suites()
    if requested:
        if requested not in suites:
            raise ProjectError(
                f"Debian {requested!r} is not a suite dockwright builds on (known: {', '.join(suites)})"
            )
        if requested not in minor.suites:
            raise ProjectError(
                f"there is no python:{version}-slim-{requested} image (Python {minor.name} is built on "
                f'{", ".join(minor.suites)}); set debian = "{minor.suites[0]}" ([tool.dockwright] or '
                f"DOCKWRIGHT_DEBIAN) or ask for another Python"
            )
        return Fact(requested, (Evidence("options", None, f"debian = {requested!r} as asked"),))
    chosen = minor.suites[0]
    newest = next(iter(suites))
    if Version(version) < Version(minor.latest) and len(minor.suites) > 1:
        # docker-library/python publishes a suite's variants from the patch current when it adds the
        # suite (trixie: 2025-08); an older exact patch is known only on the older suite
        older = minor.suites[-1]
        why = (
            f"Debian {suites[older].version} ({older}): {version} is older than the pinned {minor.latest}, "
            f"and the official images of older patches are built on {older} ({chosen} variants started "
            "later)"
        )
        return Fact(older, (Evidence("data/cpython.toml", None, why),))
    if chosen == newest:
        why = (
            f"Debian {suites[chosen].version} ({chosen}), the current stable, which the official "
            "images default to"
        )
    else:
        why = (
            f"Debian {suites[chosen].version} ({chosen}): the official Python {minor.name} images are not "
            f"built on {newest} (Python {minor.name} reached end of life before it was released)"
        )
    return Fact(chosen, (Evidence("data/cpython.toml", None, why),))


def allowed_patch(request: str, minor: str) -> str | None:
    """The pinned patch of ``minor`` when the request (empty, a PEP 440 or Poetry range) allows it."""
    table = release_table()
    if minor not in table.minors:
        return None
    patch = table.minors[minor].latest
    if not request:
        return patch
    if _EXACT.match(request) or _MINOR.match(request):
        return None  # a version, not a range: what was asked is what is built
    try:
        specs = [SpecifierSet(request)]
    except InvalidSpecifier:
        try:
            specs = poetry_to_pep440(request)
        except ProjectError:
            return None
    return patch if any(Version(patch) in spec for spec in specs) else None


def python_notes(version: str) -> list[str]:
    """Warnings about the target Python: past its end of life; an exact patch newer than the table's."""
    table = release_table()
    minor = minor_of(version)
    if minor not in table.minors:
        return []
    notes = []
    pinned = table.minors[minor].latest
    if _EXACT.match(version) and Version(version) > Version(pinned):  # a typo, or a release after as_of
        notes.append(
            f"Python {version} is newer than the newest {minor} patch dockwright knows ({pinned}, "
            f"table of {table.as_of}): the base image python:{version}-slim-* may not exist; "
            f"--python {minor} pins {pinned}"
        )
    if table.eol(minor):
        supported = [m for m in table.minors if not table.eol(m)]
        notes.append(
            f"Python {minor} reached end of life in {table.minors[minor].eol} (no more security fixes); "
            f"move to a supported minor ({', '.join(supported)}; the default is {table.default})"
        )
    return notes


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
            _known(minor_of(request), evidence)
            return Fact(
                request, (Evidence(evidence.file, evidence.line, f"exact version {request} as written"),)
            )
        if _MINOR.match(request):
            patch = _known(request, evidence).latest
            return Fact(patch, (Evidence(evidence.file, evidence.line, f"{request} → pinned patch {patch}"),))
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
    # `python = "3.11.7"` (Poetry), `requires-python = "==3.11.7"`: one exact patch is a version, as
    # `.python-version` gives it, not a range the pinned patch of its minor must fall in
    exact = {s.version for spec in specs for s in spec if s.operator in ("==", "===")}
    if len(exact) == 1 and _EXACT.match(next(iter(exact))) and minor_of(next(iter(exact))) in table.latest:
        return resolve(next(iter(exact)), kind="version", evidence=evidence)
    raise ProjectError(
        f"no known CPython release satisfies {request!r}", file=evidence.file, line=evidence.line
    )


# the official image by its Docker Hub names: `python:3.11-slim`, `docker.io/library/python:3.11.9`
_OFFICIAL = lazy(r"^(?:(?:docker\.io/)?library/|docker\.io/)?python:(\d+\.\d+)(?:\.\d+)?(?:[-@].*)?$")


def _own_image_minor(tree: ProjectTree, table: ReleaseTable) -> tuple[str, Evidence] | None:
    """The minor of the last official Python base of the repository's own Dockerfile, with its line."""
    from dockwright.dockerfile.from_args import base_image
    from dockwright.dockerfile.parser import parse
    from dockwright.project.own_image import dockerfile_text, own_dockerfile

    rel = own_dockerfile(tree)
    if rel is None:
        return _kept_minor(tree, table)
    dockerfile = parse(dockerfile_text(tree, rel))
    for stage in reversed(dockerfile.stages):
        image = base_image(dockerfile, stage)
        found = _OFFICIAL.match(image) or _app_server_base(image)
        if not found:
            continue
        line = stage.from_instruction.span.line
        # `FROM python:${PYTHON_VERSION}-slim` after `ARG PYTHON_VERSION=3.10`: the image its default names
        written = stage.base_image if image == stage.base_image else f"{stage.base_image} ({image})"
        minor = found.group(1)
        if minor in table.latest:
            detail = f"FROM {written}: the Python of the project's own image"
            return minor, Evidence(rel, line, detail)
        known = sorted(table.latest, key=lambda m: tuple(int(p) for p in m.split(".")))
        if known and minor.split(".")[0] == known[0].split(".")[0] and _older(minor, known[0]):
            # an end-of-life Python dockwright has no image for: the closest it has, said (its pins
            # date from that Python; the newest minor would be furthest from them)
            detail = (
                f"FROM {written}: the project's own image runs Python {minor}, which dockwright "
                f"has no image of; {known[0]}, the oldest it knows, is closest (pins of {minor}'s time "
                "may need newer releases; --python chooses another)"
            )
            return known[0], Evidence(rel, line, detail)
    return None


def _older(minor: str, than: str) -> bool:
    """Whether Python ``minor`` (``3.7``) is older than ``than``."""
    try:
        return tuple(int(p) for p in minor.split(".")) < tuple(int(p) for p in than.split("."))
    except ValueError:
        return False


# the app-server base images' tags name their Python (`tiangolo/uvicorn-gunicorn-fastapi:python3.11`,
# `...:python3.11-2024-05-06`; data/app_server_bases.toml)
_BASE_TAG = lazy(r":python(\d+\.\d+)(?![\d.])")


def _app_server_base(image: str) -> re.Match[str] | None:
    """The tag's Python of an app-server base image of the table (the match's group 1), else None."""
    from dockwright.project.detectors.app_server_base import image_row

    return _BASE_TAG.search(image.split("@", 1)[0]) if image_row(image) is not None else None


def _kept_minor(tree: ProjectTree, table: ReleaseTable) -> tuple[str, Evidence] | None:
    """The minor a generated Dockerfile kept of the project's own one it replaced (its header's
    ``# dockwright-kept: FROM python:3.11``, plan/kept_selection.py)."""
    from dockwright.project.own_image import dockerfile_text, own_dockerfile

    rel = own_dockerfile(tree, generated=True)
    if rel is None:
        return None
    for number, text in enumerate(dockerfile_text(tree, rel).splitlines()[:15], 1):
        found = _KEPT_FROM.match(text)
        if found and found.group(1) in table.latest:
            detail = f"FROM python:{found.group(1)}: the Python of the project's own image, kept"
            return found.group(1), Evidence(rel, number, detail)
    return None


_KEPT_FROM = lazy(r"^# dockwright-kept: FROM python:(\d+\.\d+)\b")


def _first_line(text: str) -> tuple[int, str] | None:
    for number, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if line:
            return number, line
    return None


def detect_python(
    tree: ProjectTree,
    pyproject: dict[str, Any] | None,
    *,
    override: str | None = None,
    debian: str | None = None,
    deploy_env: DeployEnv | None = None,
) -> PythonFacts:
    """Find the request (see the module docstring), resolve it and choose the Debian suite;
    ``deploy_env``: ``tree``'s deploy descriptors' settings when the plan has them at hand."""
    deploy_env = DeployEnv(PlanFiles(tree)) if deploy_env is None else deploy_env
    requested, version = _request(tree, pyproject, override, deploy_env)
    return PythonFacts(requested, version, choose_suite(version.value, requested=debian))


# ``uv python pin`` may write an interpreter's whole key: ``cpython-3.13.0-macos-aarch64-none``
# (implementation-version-os-arch-libc, https://docs.astral.sh/uv/concepts/python-versions/#requesting-a-version)
# uv's free-threaded request: ``3.13t``, ``3.13.0t`` or ``+freethreaded`` in the key
# (https://docs.astral.sh/uv/concepts/python-versions/#requesting-a-version)
_UV_KEY = lazy(
    r"^(?P<version>\d+\.\d+(?:\.\d+)?)(?P<threads>t|\+freethreaded)?"
    r"(?:-(?P<platform>[a-z0-9]+-[a-z0-9_]+-[a-z0-9_]+))?$"
)


def _version_file_value(line: str) -> str | None:
    """The version a ``.python-version`` line asks for (``cpython-3.12``, uv's interpreter key, pyenv-
    virtualenv's ``3.12.1/envs/venv``, which is based on 3.12.1), or None for a line naming none (a bare
    virtualenv name, ``system``: pyenv resolves those on the developer's machine only)."""
    value = _IMPLEMENTATION.sub("", line).split("/envs/", 1)[0]
    return value if _UV_KEY.match(value) else None


def _request(
    tree: ProjectTree, pyproject: dict[str, Any] | None, override: str | None, deploy_env: DeployEnv
) -> tuple[Fact[str], Fact[str]]:
    """The request and its version; a ``.python-version`` naming no version is said in the request's
    evidence and not read (the next source decides)."""
    requested, version = _request_of(tree, pyproject, override, deploy_env)
    found = _first_line(tree.read_text(".python-version")) if tree.is_file(".python-version") else None
    if override or found is None or _version_file_value(found[1]) is not None:
        return requested, version
    said = Evidence(
        ".python-version",
        found[0],
        f"{found[1]!r} names no Python version (a pyenv virtualenv or `system`): not read",
    )
    return Fact(requested.value, (*requested.evidence, said)), version


def _request_of(
    tree: ProjectTree, pyproject: dict[str, Any] | None, override: str | None, deploy_env: DeployEnv
) -> tuple[Fact[str], Fact[str]]:
    if override:
        ev = Evidence("command line", None, f"--python {override}")
        return (Fact(override, (ev,)), resolve(override, kind="version", evidence=ev))
    if tree.is_file(".python-version"):
        found = _first_line(tree.read_text(".python-version"))
        value = _version_file_value(found[1]) if found else None
        if found and value is not None:
            number = found[0]
            # uv's interpreter key: the platform is the machine's that wrote it, not the image's
            uv_key = _UV_KEY.match(value)
            said = []
            if uv_key and uv_key.group("platform"):
                said.append(f"the platform {uv_key.group('platform')} is the machine's")
            if uv_key and uv_key.group("threads"):
                said.append("a free-threaded build asked for: the image's CPython is the default build")
            detail = f"{value} ({'; '.join(said)})" if said else value
            value = uv_key.group("version") if uv_key else value
            ev = Evidence(".python-version", number, detail)
            return (Fact(value, (ev,)), resolve(value, kind="version", evidence=ev))
    if tree.is_file("runtime.txt"):
        found = _first_line(tree.read_text("runtime.txt"))
        if found:
            number, value = found
            # Cloud Foundry's buildpack takes `python-3.9.x` (and `3.9.*`): the minor's newest patch
            value = re.sub(r"\.[x*]$", "", re.sub(r"^python-", "", value))
            ev = Evidence("runtime.txt", number, found[1])
            return (Fact(value, (ev,)), resolve(value, kind="version", evidence=ev))
    render = deploy_env.setting("PYTHON_VERSION")
    if render is not None and render[1].file == "render.yaml":
        value, ev = render
        return (Fact(value, (ev,)), resolve(value, kind="version", evidence=ev))
    engine = app_engine_python(tree)
    if engine is not None:
        value, ev = engine
        return (Fact(value, (ev,)), resolve(value, kind="version", evidence=ev))
    if tree.is_file("Pipfile"):
        requires = tree.read_toml("Pipfile").get("requires") or {}
        for key in ("python_full_version", "python_version"):
            if requires.get(key):
                value = str(requires[key])
                ev = Evidence(
                    "Pipfile", tree.line_of("Pipfile", rf"^{key}\s*="), f"[requires] {key} = {value!r}"
                )
                return (Fact(value, (ev,)), resolve(value, kind="version", evidence=ev))
    pyproject = pyproject or {}
    poetry_python = pyproject.get("tool", {}).get("poetry", {}).get("dependencies", {}).get("python")
    if isinstance(poetry_python, str):
        line = tree.line_of("pyproject.toml", r"^python\s*=")
        ev = Evidence("pyproject.toml", line, f"[tool.poetry.dependencies] python = {poetry_python!r}")
        return (Fact(poetry_python, (ev,)), resolve(poetry_python, kind="poetry", evidence=ev))
    project = pyproject.get("project")
    if isinstance(project, dict) and isinstance(project.get("requires-python"), str):
        spec = project["requires-python"]
        ev = Evidence(
            "pyproject.toml",
            tree.line_of("pyproject.toml", r"^requires-python\s*="),
            f"requires-python = {spec!r}",
        )
        return (Fact(spec, (ev,)), resolve(spec, kind="specifier", evidence=ev))
    python_requires = read_setuptools(tree).get("python_requires")
    if python_requires is not None and python_requires.values and not python_requires.dynamic:
        spec = python_requires.values[0]
        where = python_requires.file
        ev = Evidence(where, python_requires.line, f"python_requires = {spec!r}")
        return (Fact(spec, (ev,)), resolve(spec, kind="specifier", evidence=ev))
    table = release_table()
    own = _own_image_minor(tree, table)
    if own is not None:
        value, ev = own
        return (Fact(value, (ev,)), resolve(value, kind="version", evidence=ev))
    patch = table.latest[table.default]
    ev = Evidence(
        "default",
        None,
        f"nothing asks for a version; default {table.default}, {table.default_reason()} → {patch}",
    )
    return (Fact("", (ev,)), Fact(patch, (ev,)))


def outside_package_range(
    tree: ProjectTree, pyproject: dict[str, Any] | None, py: PythonFacts, folder: str = ""
) -> str | None:
    """Why the chosen Python cannot install the project: a version its PEP 621 ``requires-python``
    excludes, asked for by another source (``--python``, ``.python-version``, ``runtime.txt`` ...). pip and
    uv refuse to install a distribution on an interpreter its ``Requires-Python`` rules out
    (https://packaging.python.org/en/latest/specifications/core-metadata/#requires-python), so the image's
    install of the project would fail; None when it allows the version (or says nothing). ``folder``
    (``packages/api/``): the app's folder as seen from the root the user gave (a workspace's), which the
    files the message names are shown under."""
    project = (pyproject or {}).get("project")
    spec = project.get("requires-python") if isinstance(project, dict) else None
    if not isinstance(spec, str):
        return None
    try:
        allowed = Version(py.version.value) in SpecifierSet(spec)
    except (InvalidSpecifier, ValueError):
        return None
    if allowed:
        return None
    source = py.version.evidence[0] if py.version.evidence else None
    asked = ""
    if source is not None and source.detail:
        named = f"{folder}{source.file}" if tree.is_file(source.file) else source.file
        asked = f" ({named}: {source.detail})"
    line = tree.line_of("pyproject.toml", r"^requires-python\s*=")
    where = f"{folder}pyproject.toml:{line}" if line else f"{folder}pyproject.toml"
    return (
        f"Python {py.version.value}{asked} is outside the project's requires-python {spec!r} ({where}): "
        "pip refuses to install the project on it; ask for a version it allows (--python) or change "
        "requires-python"
    )
