"""A uv workspace whose web server is also a library of another member (a desktop shell or a packaging
member imports it and starts nothing a container can run): no member outside the others' dependencies
starts, so the one service among the members they depend on is the app. And a member whose lock takes
a package from git: ``uv sync`` clones it, so the builder gets Debian's git (the runtime never does)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.errors import ProjectError
from dockwright.initialize import plan_project
from dockwright.project.workspace import locate

MakeProject = Callable[[dict[str, str | bytes]], Path]

HATCH = '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
ROOT = (
    '[project]\nname = "suite"\nversion = "0.1"\nrequires-python = ">=3.11"\n'
    'dependencies = ["kernel", "portal", "launcher"]\n\n'
    '[tool.uv.workspace]\nmembers = ["parts/*"]\n\n'
    "[tool.uv.sources]\nkernel = { workspace = true }\nportal = { workspace = true }\n"
    "launcher = { workspace = true }\n"
)
WEB = (
    "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n"
    '@app.get("/alive")\ndef alive() -> str:\n    return "yes"\n'
)
CLI = "import click\n\n\n@click.command()\ndef main() -> None:\n    pass\n"
SHELL = "import portal\n\n\ndef open_window() -> None:\n    print(portal)\n"


def _member(name: str, deps: list[str], body: str = "") -> str:
    listed = ", ".join(f'"{d}"' for d in deps)
    return (
        f'[project]\nname = "{name}"\nversion = "0.1"\nrequires-python = ">=3.11"\n'
        f"dependencies = [{listed}]\n{body}\n{HATCH}"
    )


def _package(name: str, version: str, source: str, deps: list[str]) -> str:
    text = f'[[package]]\nname = "{name}"\nversion = "{version}"\nsource = {source}\n'
    if deps:
        text += "dependencies = [" + ", ".join(f'{{ name = "{d}" }}' for d in deps) + "]\n"
    return text


def _registry(name: str) -> str:
    digest = "0" * 64
    return _package(name, "1.0.0", '{ registry = "https://pypi.org/simple" }', []) + (
        f'wheels = [{{ url = "https://files.example/{name}-1.0.0-py3-none-any.whl", '
        f'hash = "sha256:{digest}" }}]\n'
    )


def _suite(make_project: MakeProject, *, kernel_source: str = CLI, second_web: bool = False) -> Path:
    """suite (root, gathers all) ; launcher -> portal (FastAPI) -> kernel (a library with a CLI) ->
    tablet (from git); with ``second_web`` the launcher also depends on a second server, gauge."""
    launcher_deps = ["portal", "gauge"] if second_web else ["portal"]
    lock = ['version = 1\nrequires-python = ">=3.11"\n']
    lock.append(_registry("click"))
    lock.append(_registry("fastapi"))
    lock.append(_registry("uvicorn"))
    lock.append(_package("kernel", "0.1", '{ editable = "parts/kernel" }', ["click", "tablet"]))
    lock.append(_package("launcher", "0.1", '{ editable = "parts/launcher" }', launcher_deps))
    lock.append(_package("portal", "0.1", '{ editable = "parts/portal" }', ["fastapi", "kernel", "uvicorn"]))
    lock.append(_package("suite", "0.1", '{ editable = "." }', ["kernel", "launcher", "portal"]))
    lock.append(
        _package(
            "tablet",
            "2.0.0",
            '{ git = "https://git.example.org/tablet-fork?rev=main#' + "a" * 40 + '" }',
            [],
        )
    )
    files: dict[str, str | bytes] = {
        "pyproject.toml": ROOT,
        "parts/kernel/pyproject.toml": _member(
            "kernel", ["click", "tablet"], '\n[project.scripts]\nkernel = "kernel:main"\n'
        ),
        "parts/kernel/src/kernel/__init__.py": kernel_source,
        "parts/portal/pyproject.toml": _member("portal", ["fastapi", "kernel", "uvicorn"]),
        "parts/portal/src/portal/__init__.py": "",
        "parts/portal/src/portal/server.py": WEB,
        "parts/launcher/pyproject.toml": _member("launcher", launcher_deps),
        "parts/launcher/src/launcher/__init__.py": SHELL,
    }
    if second_web:
        lock.append(_package("gauge", "0.1", '{ editable = "parts/gauge" }', ["fastapi"]))
        files["parts/gauge/pyproject.toml"] = _member("gauge", ["fastapi"])
        files["parts/gauge/src/gauge/__init__.py"] = ""
        files["parts/gauge/src/gauge/server.py"] = WEB
    files["uv.lock"] = "\n".join(lock)
    return make_project(files)


def test_the_server_a_shell_member_wraps_is_the_app(make_project: MakeProject) -> None:
    root = _suite(make_project)
    found = locate(root)
    assert found.app == root / "parts" / "portal" and found.context == root
    assert found.workspace is not None and found.workspace.package == "portal"
    why = found.workspace.member.evidence[0].detail
    assert "the one web app among those they depend on" in why and "parts/launcher/" in why


def test_a_library_with_only_a_console_script_is_not_taken_for_the_app(make_project: MakeProject) -> None:
    root = _suite(make_project)
    (root / "parts/portal/src/portal/server.py").write_text("VALUE = 1\n")
    found = locate(root)  # kernel's CLI is a library's tool: the root, as before, stays the answer
    assert found.app == root and found.workspace is not None and found.workspace.package == "suite"


def test_two_wrapped_servers_ask_for_the_package(make_project: MakeProject) -> None:
    root = _suite(make_project, second_web=True)
    with pytest.raises(ProjectError, match=r"\(gauge, portal\); choose one with --package gauge"):
        locate(root)


def test_a_git_source_in_the_lock_puts_git_in_the_builder_only(make_project: MakeProject) -> None:
    root = _suite(make_project)
    plan = plan_project(root, {"python": "3.12"})
    assert plan.strategy == "uv"
    assert [a.name for a in plan.builder_apt].count("git") == 1
    git = next(a for a in plan.builder_apt if a.name == "git")
    assert "tablet" in git.why
    assert all(a.name != "git" for a in plan.runtime_apt)
    install = next(s for s in plan.builder_steps if s.instruction == "RUN" and "apt-get update" in s.args)
    assert any("git" in arg.split() for arg in install.args)
    # uv installs uv.lock itself: no note that a converted lock would leave the package out
    assert not any("VCS checkout" in w for w in plan.warnings)
