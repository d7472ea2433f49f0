"""A private git dependency reaches BuildKit's fetch through ``dockwright build``, never a layer:
``GIT_AUTH_TOKEN`` from the environment as the BuildKit secret of that name (HTTPS), ``--ssh default``
with an agent (ssh://); the token's value is in no argument (build.py git_token/git_ssh)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockwright.build import BuildOptions, BuildSettings, build_project, git_ssh, git_token
from dockwright.engine.base import BuildRequest
from dockwright.engine.docker import Client, build_command
from dockwright.initialize import plan_project
from dockwright.plan.model import BuildPlan

SHA = "ecf4e8e5d01a42ea1fbcaa22d7279c5d31b8527b"
CLI = {"start": "python main.py", "python": "3.13"}
TOKEN = "ghp_s3cr3t-value"


def _plan(tmp_path: Path, url: str) -> tuple[Path, BuildPlan]:
    root = tmp_path / "app"
    root.mkdir()
    (root / "requirements.txt").write_text(f"git+{url}@{SHA}#egg=private\n")
    (root / "main.py").write_text("import private\n")
    return root, plan_project(root, CLI)


def test_the_token_becomes_a_secret_file_for_an_https_repository(tmp_path: Path) -> None:
    _root, plan = _plan(tmp_path, "https://github.com/org/private.git")
    with git_token(plan, {"GIT_AUTH_TOKEN": TOKEN}, ()) as secrets:
        ((ident, path),) = secrets
        assert ident == "GIT_AUTH_TOKEN" and Path(path).read_text() == TOKEN
        assert Path(path).stat().st_mode & 0o777 == 0o600
    assert not Path(path).exists()
    with git_token(plan, {"GIT_AUTH_TOKEN": TOKEN}, ("id=GIT_AUTH_TOKEN,env=MY_TOKEN",)) as secrets:
        assert secrets == ()  # the user passes it themselves
    with git_token(plan, {}, ()) as secrets:
        assert secrets == ()
    assert git_ssh(plan, {"SSH_AUTH_SOCK": "/tmp/agent"}) == ()


def test_an_ssh_repository_forwards_the_agent(tmp_path: Path) -> None:
    _root, plan = _plan(tmp_path, "ssh://git@github.com/org/private.git")
    assert git_ssh(plan, {"SSH_AUTH_SOCK": "/tmp/agent"}) == ("default",)
    assert git_ssh(plan, {}) == ()  # no agent: BuildKit's own error names it
    with git_token(plan, {"GIT_AUTH_TOKEN": TOKEN}, ()) as secrets:
        assert secrets == ()  # an ssh URL takes no token
    argv = build_command(
        Client("docker", buildx=True), BuildRequest("/p", "/p/Dockerfile", "a:1", ssh=("default",))
    )
    assert argv[argv.index("--ssh") + 1] == "default"


def test_the_build_command_carries_the_secret_not_its_value(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, plan = _plan(tmp_path, "https://github.com/org/private.git")
    (root / "Dockerfile").write_text("FROM scratch\n")  # the user's own: no lock needed
    seen: list[BuildRequest] = []

    class Recorder:
        def build_command(self, request: BuildRequest) -> list[str]:
            seen.append(request)
            return build_command(Client("docker", buildx=True), request)

    monkeypatch.setenv("GIT_AUTH_TOKEN", TOKEN)
    image = build_project(root, plan, Recorder(), BuildSettings(options=BuildOptions(dry_run=True)))  # type: ignore[arg-type]
    command = " ".join(image.extra["command"])
    assert "--secret id=GIT_AUTH_TOKEN,src=" in command and TOKEN not in command
    assert [s[0] for s in seen[0].secrets] == ["GIT_AUTH_TOKEN"]
