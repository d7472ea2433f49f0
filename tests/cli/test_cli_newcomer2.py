"""A newcomer's path through the CLI, second walk: options that were accepted and then did nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockwright.cli import main


@pytest.mark.parametrize("extra", [(), ("--format", "json")])
def test_unsafe_fixes_alone_is_a_usage_error(
    extra: tuple[str, ...], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --fix or --diff it changed nothing and said nothing; the file stays as it was."""
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM python:3.12.8-slim\nADD app.py /app/\n")
    assert main(["lint", str(dockerfile), "--unsafe-fixes", *extra]) == 2
    captured = capsys.readouterr()
    assert captured.err == "error: --unsafe-fixes goes with --fix or --diff (see: dockwright lint --help)\n"
    assert captured.out == ""
    assert dockerfile.read_text() == "FROM python:3.12.8-slim\nADD app.py /app/\n"


@pytest.mark.parametrize("mode", ["--fix", "--diff"])
def test_unsafe_fixes_with_fix_or_diff_is_still_accepted(
    mode: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM python:3.12.8-slim\nADD app.py /app/\n")
    assert main(["lint", str(dockerfile), mode, "--unsafe-fixes"]) in (0, 1)
    assert "--unsafe-fixes goes with" not in capsys.readouterr().err


def test_unsafe_fixes_alone_on_stdin_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("FROM python:3.12.8-slim\n"))
    assert main(["lint", "-", "--unsafe-fixes"]) == 2
    assert capsys.readouterr().err.startswith("error: --unsafe-fixes goes with --fix or --diff")


def _app(root: Path) -> None:
    (root / "requirements.txt").write_text("requests==2.32.3\n")
    (root / "app.py").write_text("print('hi')\n")


@pytest.mark.parametrize(
    ("given", "problem"),
    [
        ("linux/bogus", "'linux/bogus': unknown architecture 'bogus'"),
        ("linux/amd64,linux/bogus", "'linux/bogus': unknown architecture 'bogus'"),
        ("bogus", "'linux/bogus': unknown architecture 'bogus'"),
        ("linux", "'linux' is not OS/ARCH[/VARIANT]"),
        ("darwin/arm64", "'darwin/arm64': unknown OS 'darwin'"),
        ("linux/arm/v9", "'linux/arm/v9': unknown variant 'v9' of arm"),
        ("linux/386/v7", "'linux/386/v7': unknown variant 'v7' of 386"),
        ("linux/armhf/v6", "'linux/armhf/v6': unknown variant 'v6' of arm"),
        ("linux/amd64/", "'linux/amd64/' is not OS/ARCH[/VARIANT]"),
        (" , ", "is empty"),
    ],
)
def test_build_refuses_a_platform_buildkit_does_not_know(
    given: str, problem: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """It only warned 'no wheel check for this platform' and went on to plan and build."""
    _app(tmp_path)
    assert main(["build", str(tmp_path), "--dry-run", "--platform", given]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"error: Invalid value for '--platform': {problem}; accepted: linux/")
    assert "linux/ARCH[/VARIANT] with ARCH one of amd64" in captured.err
    assert "arm[/v5|v6|v7|v8], 386, ppc64le, s390x, riscv64" in captured.err
    assert captured.err.endswith("(see: dockwright build --help)\n") and captured.err.count("\n") == 1


@pytest.mark.parametrize(
    "given",
    [
        ("linux/amd64,linux/arm64",),
        ("linux/arm/v7", "linux/386"),
        ("linux/ppc64le,linux/s390x,linux/riscv64",),
        ("linux/arm64/v8",),
        ("linux/x86_64", "linux/armhf", "linux/i386"),
        ("Linux/AMD64",),
    ],
)
def test_build_accepts_what_buildkit_accepts(given: tuple[str, ...]) -> None:
    from dockwright.platform_names import check_platform_names

    assert check_platform_names(given) == tuple(p.strip() for v in given for p in v.split(","))


@pytest.mark.parametrize(
    ("given", "passed"), [("arm64", "linux/arm64"), ("amd64,linux/arm/v7", "linux/amd64")]
)
def test_a_bare_architecture_is_linux_as_buildkit_reads_it(given: str, passed: str) -> None:
    """buildx takes `--platform arm64` as the host's OS: accepted, and passed on with it."""
    from dockwright.platform_names import check_platform_names

    assert check_platform_names((given,))[0] == passed


def test_check_platforms_refuses_before_planning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """No project at PATH: the platform is the first thing said, nothing is planned."""
    assert main(["build", str(tmp_path / "missing"), "--check-platforms", "--platform", "linux/bogus"]) == 2
    assert "unknown architecture 'bogus'" in capsys.readouterr().err


@pytest.mark.parametrize("verb", ["audit", "sbom"])
def test_audit_and_sbom_check_their_platform_too(verb: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([verb, "myapp:1.0", "--platform", "linux/bogus"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: Invalid value for '--platform': 'linux/bogus': unknown architecture")
    assert err.endswith(f"(see: dockwright {verb} --help)\n") and err.count("\n") == 1
    assert main([verb, "myapp:1.0", "--platform", "linux/amd64,linux/arm64"]) == 2
    assert "one platform only" in capsys.readouterr().err


def _locked_flask_app(folder: Path) -> None:
    """A Flask app whose requirements are hash-locked already (init resolves nothing)."""
    folder.mkdir()
    (folder / "app.py").write_text("from flask import Flask\napp = Flask(__name__)\n")
    pin = "flask==3.0.0 --hash=sha256:" + "a" * 64
    (folder / "requirements.txt").write_text(f"{pin}\ngunicorn==23.0.0 --hash=sha256:{'b' * 64}\n")


def test_init_prints_the_next_steps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """After writing, the build line (the header's build args, the project's name as the tag) and the
    audit; printed whether or not stdout is a terminal (capsys is not one)."""
    _locked_flask_app(tmp_path / "shop")
    monkeypatch.chdir(tmp_path)
    assert main(["init", "shop"]) == 0
    out = capsys.readouterr().out
    header = (tmp_path / "shop" / "Dockerfile").read_text()
    assert "--build-arg VERSION=... --build-arg REVISION=... --build-arg CREATED=..." in header
    assert out.endswith(
        "next:\n"
        "  DOCKER_BUILDKIT=1 docker build -t shop:0.0.0 --build-arg VERSION=... --build-arg REVISION=... "
        "--build-arg CREATED=... shop\n"
        "  dockwright audit shop:0.0.0\n"
        "  (or: dockwright build shop, which fills the build args)\n"
        "  docker run --rm -p 8000:8000 shop:0.0.0\n"
    )
    assert main(["init", "shop", "--dry-run", "--force"]) == 0  # nothing written: no next step
    assert "next:" not in capsys.readouterr().out


def test_init_next_steps_follow_a_workspace_member(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A uv workspace: the Dockerfile sits in the member, the root is the context, the header names
    VERSION and REVISION only."""
    import shutil

    from dockwright import api
    from dockwright.cli.next_steps import header_build_args
    from dockwright.initialize import context_of

    root = tmp_path / "ws"
    shutil.copytree(Path(__file__).resolve().parents[2] / "examples" / "uv-workspace", root)
    for old in root.glob("packages/api/Dockerfile*"):
        old.unlink()
    monkeypatch.chdir(root)
    assert main(["init", "."]) == 0
    out = capsys.readouterr().out
    plan = api.plan(".")
    assert context_of(plan).resolve() == root.resolve()
    assert header_build_args(plan) == ("VERSION", "REVISION")
    name = plan.image_name
    assert (
        f"  DOCKER_BUILDKIT=1 docker build -t {name} -f packages/api/Dockerfile "
        "--build-arg VERSION=... --build-arg REVISION=... .\n"
        f"  dockwright audit {name}\n"
    ) in out


def test_the_run_line_of_an_installed_cli_mounts_the_folder_as_the_caller() -> None:
    """A console script in ENTRYPOINT: `--help` reaches it, the current folder is its work folder, read
    and written as the caller's user (UID 10001 owns nothing of the host's); a terminal UI gets -it."""
    import dataclasses

    from dockwright import api
    from dockwright.cli.next_steps import run_line
    from dockwright.project.facts import Fact

    plan = api.plan(Path(__file__).resolve().parents[2] / "examples" / "cli-setuptools")
    line = run_line(plan)
    assert line == (
        f'docker run --rm -v "$PWD:/work" -w /work -u "$(id -u):$(id -g)" -e HOME=/tmp {plan.image_name} --help'
    )
    tui = dataclasses.replace(plan.facts.app, third_party_imports=Fact(("textual",)))
    planned = dataclasses.replace(plan, facts=dataclasses.replace(plan.facts, app=tui))
    assert run_line(planned).startswith("docker run --rm -it -v ")
