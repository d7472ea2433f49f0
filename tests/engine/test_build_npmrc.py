"""A frontend stage's private or mirrored npm registry reaches the install through ``dockwright build``,
never a layer: the project's .npmrc (kept out of the context) and the user's (``NPM_CONFIG_USERCONFIG``,
else ``$HOME/.npmrc``) as BuildKit secret ``npmrc`` (build.py npmrc_files/secret_npmrc); nothing
without a frontend stage, nothing when the user passes ``--secret id=npmrc`` themselves."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dockwright.build import (
    BuildOptions,
    BuildSettings,
    build_project,
    npmrc_files,
    secret_npmrc,
    yarn_lock_warning,
)
from dockwright.engine.base import BuildRequest
from dockwright.engine.docker import Client, build_command
from dockwright.initialize import plan_project
from dockwright.plan.model import BuildPlan

TOKEN = "npm_s3cr3t-value"
CLI = {"start": "gunicorn app:app", "python": "3.13"}


def _frontend(tmp_path: Path) -> tuple[Path, BuildPlan]:
    """A Flask app of our own serving ``ui/dist``, built by npm from a lock of one package."""
    root = tmp_path / "app"
    (root / "ui").mkdir(parents=True)
    (root / "requirements.txt").write_text("flask==3.1.2\ngunicorn==23.0.0\n")
    (root / "app.py").write_text(
        "from flask import Flask\napp = Flask(__name__, static_folder='ui/dist', static_url_path='/ui')\n"
    )
    (root / "ui" / "package.json").write_text(
        json.dumps({"name": "ui", "private": True, "scripts": {"build": "node build.mjs --out-dir dist"}})
    )
    (root / "ui" / "package-lock.json").write_text(
        json.dumps({"name": "ui", "lockfileVersion": 3, "packages": {"": {"name": "ui"}}})
    )
    plan = plan_project(root, CLI)
    assert any(s.name == "frontend" for s in plan.side_stages), plan.warnings
    return root, plan


def _user(tmp_path: Path, text: str = f"//npm.example.com/:_authToken={TOKEN}\n") -> Path:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    (home / ".npmrc").write_text(text)
    return home


def test_the_users_npmrc_is_the_secret_as_it_stands(tmp_path: Path) -> None:
    root, plan = _frontend(tmp_path)
    home = _user(tmp_path)
    assert npmrc_files(root, plan, {"HOME": str(home)}) == ((home / ".npmrc").resolve(),)
    with secret_npmrc(root, plan, {"HOME": str(home)}, ()) as secrets:
        assert secrets == (("npmrc", str((home / ".npmrc").resolve())),)
    assert npmrc_files(root, plan, {"HOME": str(tmp_path / "nobody")}) == ()
    assert npmrc_files(root, plan, {}) == ()


def test_npm_config_userconfig_names_the_users_file(tmp_path: Path) -> None:
    root, plan = _frontend(tmp_path)
    home = _user(tmp_path)
    other = tmp_path / "ci.npmrc"
    other.write_text("registry=https://mirror.example.com/\n")
    for name in ("NPM_CONFIG_USERCONFIG", "npm_config_userconfig"):
        environ = {"HOME": str(home), name: str(other)}
        assert npmrc_files(root, plan, environ) == (other.resolve(),)


def test_the_projects_npmrc_joins_the_users_and_wins(tmp_path: Path) -> None:
    root, plan = _frontend(tmp_path)
    home = _user(tmp_path, f"registry=https://user.example.com/\n//npm.example.com/:_authToken={TOKEN}")
    (root / "ui" / ".npmrc").write_text("registry=https://npm.example.com/\n")
    (root / ".npmrc").write_text("registry=https://not-read.example.com/\n")  # npm reads the package's folder
    with secret_npmrc(root, plan, {"HOME": str(home)}, ()) as secrets:
        ((ident, path),) = secrets
        text = Path(path).read_text()
        assert ident == "npmrc" and Path(path).stat().st_mode & 0o777 == 0o600
        assert text == (
            f"registry=https://user.example.com/\n//npm.example.com/:_authToken={TOKEN}\n"
            "registry=https://npm.example.com/\n"
        ), "the user's first, the project's last (npm's later key wins)"
    assert not Path(path).exists(), "deleted after the build"
    with secret_npmrc(root, plan, {}, ()) as secrets:
        assert secrets == (("npmrc", str((root / "ui" / ".npmrc").resolve())),)


def test_no_secret_without_a_frontend_stage_or_when_the_user_passes_one(tmp_path: Path) -> None:
    root, plan = _frontend(tmp_path)
    home = _user(tmp_path)
    with secret_npmrc(root, plan, {"HOME": str(home)}, ("id=npmrc,src=/etc/hostname",)) as secrets:
        assert secrets == ()
    bare = tmp_path / "bare"
    bare.mkdir()
    (bare / "main.py").write_text("print('hi')\n")
    assert npmrc_files(bare, plan_project(bare, {"start": "python main.py"}), {"HOME": str(home)}) == ()


def test_the_build_command_carries_the_secret_not_its_value(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, plan = _frontend(tmp_path)
    (root / "Dockerfile").write_text("FROM scratch\n")  # the user's own: no lock needed
    monkeypatch.setenv("HOME", str(_user(tmp_path)))
    monkeypatch.delenv("NPM_CONFIG_USERCONFIG", raising=False)
    monkeypatch.delenv("npm_config_userconfig", raising=False)

    class Recorder:
        def build_command(self, request: BuildRequest) -> list[str]:
            return build_command(Client("docker", buildx=True), request)

    image = build_project(root, plan, Recorder(), BuildSettings(options=BuildOptions(dry_run=True)))  # type: ignore[arg-type]
    command = " ".join(image.extra["command"])
    assert f"--secret id=npmrc,src={(tmp_path / 'home' / '.npmrc').resolve()}" in command
    assert TOKEN not in command


YARN_LOCK = """# yarn lockfile v1


tiny@1.0.0:
  version "1.0.0"
  resolved "https://registry.yarnpkg.com/tiny/-/tiny-1.0.0.tgz#00"
  integrity sha512-AA==
"""


def test_a_yarn_lock_naming_the_public_registry_is_said_when_the_npmrc_names_a_mirror(tmp_path: Path) -> None:
    """Yarn 1 fetches the lock's resolved URLs as written (no replace-registry-host): checked in the
    sandbox, where its install failed on registry.yarnpkg.com with the proxy's .npmrc mounted."""
    root, npm_plan = _frontend(tmp_path)
    (root / "ui" / "package-lock.json").unlink()
    (root / "ui" / "yarn.lock").write_text(YARN_LOCK)
    plan = plan_project(root, CLI)
    home = _user(tmp_path, "registry=https://mirror.example.com/npm/\n")
    files = npmrc_files(root, plan, {"HOME": str(home)})
    warning = yarn_lock_warning(root, plan, files)
    assert warning is not None and warning.startswith(
        "ui/yarn.lock names the public registry for 1 package(s)"
    )
    assert "https://mirror.example.com/npm/" in warning
    public = _user(tmp_path, "registry=https://registry.npmjs.org/\n")
    assert yarn_lock_warning(root, plan, npmrc_files(root, plan, {"HOME": str(public)})) is None
    assert yarn_lock_warning(root, npm_plan, files) is None, "npm sends the lock's URLs to the mirror"


def test_a_projects_npmrc_that_links_out_of_the_project_is_not_passed(tmp_path: Path) -> None:
    """A cloned repository's ``ui/.npmrc`` symlinked to a file of the user's (an SSH key, a cloud
    credential) would hand that file to the install, where the project's own scripts read it."""
    root, plan = _frontend(tmp_path)
    private = tmp_path / "id_ed25519"
    private.write_text("-----BEGIN OPENSSH PRIVATE KEY-----\n")
    (root / "ui" / ".npmrc").symlink_to(private)
    assert npmrc_files(root, plan, {}) == ()
    (root / "shared.npmrc").write_text("registry=https://npm.example.com/\n")
    (root / "ui" / ".npmrc").unlink()
    (root / "ui" / ".npmrc").symlink_to(root / "shared.npmrc")  # inside the project: read
    assert npmrc_files(root, plan, {}) == ((root / "shared.npmrc").resolve(),)


def test_the_yarn_warning_names_the_mirror_without_its_credentials(tmp_path: Path) -> None:
    """``dockwright build`` prints the warning to stderr (a CI log): a registry URL's user and password
    stay out of it."""
    root, _ = _frontend(tmp_path)
    (root / "ui" / "package-lock.json").unlink()
    (root / "ui" / "yarn.lock").write_text(YARN_LOCK)
    plan = plan_project(root, CLI)
    home = _user(tmp_path, f"registry=https://ci:{TOKEN}@mirror.example.com/npm/\n")
    warning = yarn_lock_warning(root, plan, npmrc_files(root, plan, {"HOME": str(home)}))
    assert warning is not None and "https://***@mirror.example.com/npm/" in warning
    assert TOKEN not in warning
