"""The server choice sees what the lock installs and what declared packages bring (project.server_source):
a locked daphne/uvicorn/hypercorn/granian is used rather than adding another, and the start command's
evidence names the lock's (or the requirement's) line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from packaging.specifiers import SpecifierSet

from dockwright.project.detect import detect_project
from dockwright.project.server_source import carriers, only_below

MakeProject = Callable[[dict[str, str | bytes]], Path]

MANAGE = "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'chat.settings')\n"
CHANNELS = {
    "manage.py": MANAGE,
    "chat/__init__.py": "",
    "chat/settings.py": "ASGI_APPLICATION = 'chat.asgi.application'\n",
    "chat/asgi.py": "application = None\n",
}
FASTAPI = {"main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n"}


def _uv_lock(project: str, direct: list[str], packages: dict[str, list[str]]) -> str:
    """A minimal uv.lock: the project (virtual) and each package with its own dependencies."""
    deps = ", ".join(f'{{ name = "{d}" }}' for d in direct)
    text = 'version = 1\nrequires-python = ">=3.11"\n\n'
    text += f'[[package]]\nname = "{project}"\nversion = "1"\nsource = {{ virtual = "." }}\n'
    text += f"dependencies = [{deps}]\n"
    for name, needs in packages.items():
        text += f'\n[[package]]\nname = "{name}"\nversion = "3.0.2"\n'
        text += 'source = { registry = "https://pypi.org/simple" }\n'
        if needs:
            text += "dependencies = [" + ", ".join(f'{{ name = "{d}" }}' for d in needs) + "]\n"
    return text


def _pyproject(*deps: str) -> str:
    quoted = ", ".join(f'"{d}"' for d in deps)
    return f'[project]\nname = "chat"\nversion = "1"\nrequires-python = ">=3.11"\ndependencies = [{quoted}]\n'


def test_a_locked_daphne_serves_channels_and_the_lock_is_the_evidence(make_project: MakeProject) -> None:
    lock = _uv_lock(
        "chat", ["channels", "django"], {"channels": ["daphne", "django"], "daphne": [], "django": []}
    )
    root = make_project({**CHANNELS, "pyproject.toml": _pyproject("django", "channels"), "uv.lock": lock})
    app = detect_project(root).app
    assert app.command.value[0] == "daphne" and app.adds.value == ()
    last = app.command.evidence[-1]
    assert last.file == "uv.lock" and last.line == lock.splitlines().index('name = "daphne"') + 1
    assert "daphne 3.0.2 is in the lock" in last.detail


@pytest.mark.parametrize("server", ["uvicorn", "granian", "hypercorn", "daphne"])
def test_any_locked_asgi_server_is_used_rather_than_adding_uvicorn(
    make_project: MakeProject, server: str
) -> None:
    """The server arrives through another package (here a made-up `toolkit`), never declared."""
    packages = {"fastapi": [], "toolkit": [server], server: []}
    lock = _uv_lock("chat", ["fastapi", "toolkit"], packages)
    root = make_project({**FASTAPI, "pyproject.toml": _pyproject("fastapi", "toolkit"), "uv.lock": lock})
    app = detect_project(root).app
    assert app.command.value[0] == server and app.adds.value == ()
    assert app.command.evidence[-1].file == "uv.lock"


def test_a_hash_locked_requirements_file_is_the_lock_named(make_project: MakeProject) -> None:
    digest = "--hash=sha256:" + "a" * 64
    lock = f"django==4.2.1 {digest}\nchannels==3.0.5 {digest}\nhypercorn==0.17.3 {digest}\n"
    files = {**CHANNELS, "requirements.in": "django\nchannels\n", "requirements.txt": lock}
    facts = detect_project(make_project(files))
    assert facts.dependencies.hashed_requirements == "requirements.txt"
    app = facts.app
    assert app.command.value[0] == "hypercorn" and app.adds.value == ()
    assert (app.command.evidence[-1].file, app.command.evidence[-1].line) == ("requirements.txt", 3)


def test_channels_2_without_a_lock_is_served_by_the_daphne_it_installs(make_project: MakeProject) -> None:
    files = {**CHANNELS, "requirements.txt": "Django~=2.0.0\nchannels~=2.0,>=2.0.2\nchannels_redis~=2.0\n"}
    app = detect_project(make_project(files)).app
    assert app.command.value[0] == "daphne" and app.adds.value == ()
    last = app.command.evidence[-1]
    assert (last.file, last.line) == ("requirements.txt", 2)
    assert last.detail.startswith("channels~=2.0,>=2.0.2 installs the daphne server")


@pytest.mark.parametrize(
    ("requirement", "server", "added"),
    [
        ("channels>=4", "uvicorn", True),  # daphne is optional since 4.0: uvicorn is added
        ("channels", "uvicorn", True),  # any version: the newest has no daphne
        ("channels[daphne]>=4", "daphne", False),
        ("channels<3", "daphne", False),
        ("channels==3.0.5", "daphne", False),
    ],
)
def test_what_a_declared_channels_installs(
    make_project: MakeProject, requirement: str, server: str, added: bool
) -> None:
    app = detect_project(make_project({**CHANNELS, "requirements.txt": f"django\n{requirement}\n"})).app
    assert app.command.value[0] == server
    assert (app.adds.value == (server,)) is added


def test_fastapi_standard_brings_uvicorn_which_is_not_added(make_project: MakeProject) -> None:
    app = detect_project(make_project({**FASTAPI, "pyproject.toml": _pyproject("fastapi[standard]")})).app
    assert app.command.value[0] == "uvicorn" and app.adds.value == ()
    assert app.command.evidence[-1].file == "pyproject.toml"
    assert "fastapi[standard] installs the uvicorn server" in app.command.evidence[-1].detail


def test_a_declared_server_gets_no_extra_evidence(make_project: MakeProject) -> None:
    files = {**CHANNELS, "requirements.txt": "django\nchannels~=3.0\nuvicorn\n"}
    app = detect_project(make_project(files)).app
    assert app.command.value[0] == "uvicorn"  # declared: preferred in the table's order
    assert all("installs the" not in e.detail and "in the lock" not in e.detail for e in app.command.evidence)


@pytest.mark.parametrize(
    ("specifier", "capped"),
    [
        ("<4", True),
        ("<4.1", False),
        ("<=3.9", True),
        ("<=4", False),
        ("==3.0.5", True),
        ("==3.*", True),
        ("==4.*", False),
        ("~=2.0", True),
        ("~=3.0,>=3.0.2", True),
        ("~=3.9.1", True),
        ("~=4.0", False),
        (">=2,<4", True),
        (">=2", False),
        ("", False),
        ("!=4.0", False),
    ],
)
def test_only_below(specifier: str, capped: bool) -> None:
    assert only_below(SpecifierSet(specifier), "4") is capped


def test_every_carrier_names_a_source_and_at_most_one_condition() -> None:
    for carrier in carriers():
        assert carrier.source and not (carrier.below and carrier.extra), carrier
