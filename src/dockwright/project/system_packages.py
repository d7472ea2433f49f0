"""Debian packages the repository declares for a hosting platform: ``packages.txt`` (Hugging Face
Spaces, Streamlit Community Cloud), ``Aptfile`` (Heroku's apt buildpack), ``apt.txt`` (Binder's
repo2docker). Those platforms install them with apt-get into the image the app runs in, so an app that
needs ffmpeg, tesseract or libGL at run time works there and fails in a slim image without them.

Each word of a file (``#`` starts a comment; words split on whitespace, as ``xargs apt-get install``
reads them) becomes a fact with its file and line, when it is a Debian package name (Debian Policy 5.6.1:
lowercase letters, digits, ``+ - .``, two characters or more, starting with a letter or digit). Anything
else is a note and never reaches a shell: a ``.deb`` URL or ``:repo:`` line (Aptfile), a ``name:arch``,
a word with shell characters, a Python distribution the project declares (``opencv-python-headless``
belongs to requirements.txt) and Debian's own ``python3-*`` modules (the image's Python in /usr/local
does not import them). A ``name=version`` pin keeps the name (the version is another suite's).
A name Debian no longer has (``libgl1-mesa-glx``) becomes its replacement, and a name the suite renamed
(trixie's ``libglib2.0-0t64``, and back to bookworm's name on bookworm) the suite's, both named in the
evidence (``data/platform_packages.toml``, ``data/debian.toml``). Only names dockwright's tables vouch
for are facts (the platform files' common names, checked on packages.debian.org for bookworm and trixie,
and every name of the native, programs and -dev tables): nothing can ask apt at plan time, and one name
Debian lacks (a typo, ``libgl``, another distribution's name) would stop ``apt-get install`` and the
whole build, so any other word is a note naming its file and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from dockwright.errors import ProjectError
from dockwright.project.facts import Evidence, Fact
from dockwright.project.native import all_apt_packages
from dockwright.project.programs import program_table
from dockwright.project.python_version import debian_suites
from dockwright.project.tree import ProjectTree, data_table

DEBIAN_NAME = re.compile(r"[a-z0-9][a-z0-9+.-]+")
"""Debian Policy 5.6.1's package name: no shell character can be in one."""
_PIN = re.compile(r"([a-z0-9][a-z0-9+.-]+)=[A-Za-z0-9.+~:-]+")


@dataclass(frozen=True)
class PlatformFile:
    name: str
    platforms: str
    reads: str
    source: str


@dataclass(frozen=True)
class GoneRow:
    use: str  # the package that replaces it ("" = nothing needed)
    why: str
    source: str


@cache
def platform_files() -> tuple[PlatformFile, ...]:
    return tuple(
        PlatformFile(str(r["name"]), str(r["platforms"]), str(r["reads"]), str(r["source"]))
        for r in data_table("platform_packages.toml")["file"]
    )


@cache
def gone_packages() -> dict[str, GoneRow]:
    return {
        str(r["name"]): GoneRow(str(r["use"]), str(r["why"]), str(r["source"]))
        for r in data_table("platform_packages.toml")["gone"]
    }


@cache
def known_packages() -> frozenset[str]:
    """The Debian names dockwright's tables vouch for (bookworm's, and each suite's renames)."""
    table = data_table("platform_packages.toml")
    names = set(table["known"]["names"]) | set(table["build-tools"]["names"])
    names |= {str(k) for k in table["dev-libraries"] if k != "source-dev"}
    names |= {str(v) for k, v in table["dev-libraries"].items() if k != "source-dev" and v}
    names |= {row.use for row in gone_packages().values() if row.use}
    names |= all_apt_packages() | {row.apt for row in program_table().values()}
    for suite in debian_suites().values():
        names |= set(suite.renames) | set(suite.renames.values())
    return frozenset(names)


def _suite_name(name: str, suite: str) -> tuple[str, str]:
    """``name`` as ``suite`` spells it, and what was changed ("" when nothing): trixie's t64 renames,
    and back to bookworm's name for a trixie name on bookworm."""
    suites = debian_suites()
    renames = suites[suite].renames if suite in suites else {}
    if renames.get(name, name) != name:
        return renames[name], f"{name} is {renames[name]} in Debian {suite}"
    if name in renames.values():
        return name, ""
    for other in suites.values():
        back = {new: old for old, new in other.renames.items()}
        if other.name != suite and name in back:
            return back[name], f"{name} is Debian {other.name}'s name; {suite} has {back[name]}"
    return name, ""


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _words(text: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip().startswith(":repo:"):  # an Aptfile's apt source line, one word whole
            out.append((number, line.strip()))
            continue
        out += [(number, word) for word in line.split("#", 1)[0].split()]
    return out


def _refusal(word: str, declared: frozenset[str]) -> str | None:
    """Why ``word`` is not installed, or None for a Debian package name."""
    if word.startswith(":repo:") or "://" in word or word.endswith(".deb"):
        return "a download or an apt repository, which the plan does not add (install it in your own stage)"
    if _canonical(word) in declared:
        return (
            "a Python distribution the project declares: pip installs it in the venv (a Debian "
            "package of that name would be a second copy outside it)"
        )
    if word.startswith("python3-") or word.startswith("python-"):
        return (
            "a module of Debian's own Python, which the image's Python (/usr/local) does not import: "
            "declare it in the requirements"
        )
    if DEBIAN_NAME.fullmatch(word) is None and _PIN.fullmatch(word) is None:
        return "not a Debian package name (lowercase letters, digits, + - . only)"
    return None


def system_packages(
    tree: ProjectTree, declared: frozenset[str], suite: str
) -> tuple[tuple[Fact[str], ...], list[str]]:
    """The Debian packages the platform files name (this suite's names, first mention kept) and the
    notes on the words left out or changed."""
    gone = gone_packages()
    found: dict[str, Fact[str]] = {}
    notes: list[str] = []
    for spec in platform_files():
        if not tree.is_file(spec.name):
            continue
        try:
            text = tree.read_text(spec.name)
        except ProjectError:
            continue
        for line, word in _words(text):
            where = f"{spec.name}:{line}"
            refused = _refusal(word, declared)
            if refused:
                notes.append(f"{where}: {word!r} not installed: {refused}")
                continue
            name = word.split("=", 1)[0]
            detail = f"{spec.platforms} {spec.reads} [{spec.source}]"
            if name != word:
                notes.append(f"{where}: {word} installed as {name}: the pin is of another Debian suite")
            if name in gone:
                row = gone[name]
                said = f"{name} is {row.why}"
                if not row.use:
                    notes.append(f"{where}: {name} not installed: {said} [{row.source}]")
                    continue
                detail = f"{said}: {row.use} instead [{row.source}]; {detail}"
                name = row.use
            if name not in known_packages():
                notes.append(
                    f"{where}: {name} not installed: not a Debian package dockwright's tables know "
                    "(data/platform_packages.toml), and an unknown name stops apt-get install; if Debian "
                    f"{suite} has it (https://packages.debian.org/{suite}/{name}), install it in your own "
                    "step"
                )
                continue
            name, renamed = _suite_name(name, suite)
            if renamed:
                detail = f"{renamed}; {detail}"
            if name not in found:
                found[name] = Fact(name, (Evidence(spec.name, line, detail),))
    return tuple(found.values()), notes
