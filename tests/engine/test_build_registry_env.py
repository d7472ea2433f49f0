"""A frontend's registry token read from the environment (``${NPM_TOKEN}``) reaches the install and
nothing else (npmauth.py): in an .npmrc (a secret file) expanded on the host into the 0600 temporary
secret; in the project's .yarnrc.yml (copied into the build) passed as the secret of the variable's
name; the user's ~/.yarnrc.yml as secret ``yarnrc`` for Yarn 2+; an unset variable a one-line error
naming it, never a token-less install; the value never in the command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dockwright.build import BuildOptions, BuildSettings, build_project, frontend_secrets, secret_npmrc
from dockwright.engine.base import BuildRequest
from dockwright.engine.docker import Client, build_command
from dockwright.errors import ConfigError
from dockwright.initialize import plan_project
from dockwright.npmauth import expand_env
from dockwright.plan.model import BuildPlan

TOKEN = "npm_s3cr3t-value"
CLI = {"start": "gunicorn app:app", "python": "3.13"}
BERRY_LOCK = '__metadata:\n  version: 8\n  cacheKey: 10c0\n\n"ui@workspace:.":\n  version: 0.0.0-use.local\n'
YARNRC = 'npmRegistryServer: "https://npm.example.com"\nnpmAuthToken: "${NPM_TOKEN}"\n'


def _frontend(
    tmp_path: Path, lock: str = "package-lock.json", text: str = "", files: dict[str, str] | None = None
) -> tuple[Path, BuildPlan]:
    """A Flask app of our own serving ``ui/dist``, with the frontend's lock and config files given."""
    root = tmp_path / "app"
    (root / "ui").mkdir(parents=True)
    (root / "requirements.txt").write_text("flask==3.1.2\ngunicorn==23.0.0\n")
    (root / "app.py").write_text(
        "from flask import Flask\napp = Flask(__name__, static_folder='ui/dist', static_url_path='/ui')\n"
    )
    (root / "ui" / "package.json").write_text(
        json.dumps({"name": "ui", "private": True, "scripts": {"build": "node build.mjs --out-dir dist"}})
    )
    lock_text = json.dumps({"name": "ui", "lockfileVersion": 3, "packages": {"": {"name": "ui"}}})
    (root / "ui" / lock).write_text(text or lock_text)
    for name, content in (files or {}).items():
        (root / "ui" / name).write_text(content)
    plan = plan_project(root, CLI)
    assert any(s.name == "frontend" for s in plan.side_stages), plan.warnings
    return root, plan


def _berry(tmp_path: Path, yarnrc: str = YARNRC) -> tuple[Path, BuildPlan]:
    root, plan = _frontend(tmp_path, "yarn.lock", BERRY_LOCK, {".yarnrc.yml": yarnrc})
    need = next(n for n in plan.facts.build_steps if n.kind == "frontend")
    assert need.manager == "yarn-berry"
    assert [v.name for v in need.registry_env] == (["NPM_TOKEN"] if "${" in yarnrc else [])
    return root, plan


@pytest.mark.parametrize(
    ("syntax", "text", "expanded"),
    [
        ("npmrc", "//r.example/:_authToken=${NPM_TOKEN}\n", f"//r.example/:_authToken={TOKEN}\n"),
        ("npmrc", "//r.example/:_authToken=${UNSET_ONE?}\n", "//r.example/:_authToken=\n"),
        ("npmrc", "x=\\${NPM_TOKEN}\n", "x=\\${NPM_TOKEN}\n"),  # escaped: npm reads it as written
        ("yarnrc_yml", 'npmAuthToken: "${UNSET_ONE:-fallback}"', 'npmAuthToken: "fallback"'),
        ("yarnrc_yml", 'npmAuthToken: "${EMPTY-kept}"', 'npmAuthToken: ""'),
        ("yarnrc_yml", 'npmAuthToken: "${EMPTY:-used}"', 'npmAuthToken: "used"'),
    ],
)
def test_references_expand_as_the_tool_would(syntax: str, text: str, expanded: str) -> None:
    environ = {"NPM_TOKEN": TOKEN, "EMPTY": ""}
    assert expand_env(text, syntax, environ, "the file") == expanded


def test_an_unset_variable_is_an_error_naming_it_not_its_neighbours_values() -> None:
    with pytest.raises(ConfigError) as error:
        expand_env("a=${NPM_TOKEN}\nb=${MISSING_ONE}\n", "npmrc", {"NPM_TOKEN": TOKEN}, "~/.npmrc")
    message = str(error.value)
    assert "~/.npmrc reads ${MISSING_ONE} and MISSING_ONE is not set" in message
    assert "\n" not in message and TOKEN not in message


def test_the_npmrc_secret_holds_the_value_its_reference_names(tmp_path: Path) -> None:
    """Inside the build NPM_TOKEN is unset: npm would send `${NPM_TOKEN}` itself as the token."""
    root, plan = _frontend(tmp_path)
    (root / "ui" / ".npmrc").write_text("//npm.example.com/:_authToken=${NPM_TOKEN}\n")
    with secret_npmrc(root, plan, {"NPM_TOKEN": TOKEN}, ()) as secrets:
        ((ident, path),) = secrets
        assert ident == "npmrc" and Path(path) != (root / "ui" / ".npmrc").resolve()
        assert Path(path).read_text() == f"//npm.example.com/:_authToken={TOKEN}\n"
        assert Path(path).stat().st_mode & 0o777 == 0o600
    assert not Path(path).exists()
    unset = r"ui/\.npmrc reads \$\{NPM_TOKEN\} and NPM_TOKEN is not set"
    with pytest.raises(ConfigError, match=unset), secret_npmrc(root, plan, {}, ()):
        pass


def test_a_yarnrc_yml_variable_travels_as_the_secret_of_its_name(tmp_path: Path) -> None:
    root, plan = _berry(tmp_path)
    with frontend_secrets(root, plan, {"NPM_TOKEN": TOKEN}, ()) as secrets:
        ((ident, path),) = secrets
        assert ident == "NPM_TOKEN" and Path(path).read_text() == TOKEN
        assert Path(path).stat().st_mode & 0o777 == 0o600
    assert not Path(path).exists()
    with frontend_secrets(root, plan, {}, ("id=NPM_TOKEN,env=CI_NPM_TOKEN",)) as secrets:
        assert secrets == (), "the user's own --secret is theirs"


def test_an_unset_yarnrc_yml_variable_stops_the_build_naming_it_and_the_line(tmp_path: Path) -> None:
    root, plan = _berry(tmp_path)
    with pytest.raises(ConfigError) as error, frontend_secrets(root, plan, {}, ()):
        pass
    assert str(error.value).startswith("ui/.yarnrc.yml line 2 reads ${NPM_TOKEN} and NPM_TOKEN is not set")
    assert "--secret id=NPM_TOKEN,env=NPM_TOKEN" in str(error.value)


def test_the_users_yarnrc_yml_is_secret_yarnrc_expanded(tmp_path: Path) -> None:
    root, plan = _berry(tmp_path, 'npmRegistryServer: "https://npm.example.com"\n')
    home = tmp_path / "home"
    home.mkdir()
    (home / ".yarnrc.yml").write_text('npmAuthToken: "${HOME_TOKEN}"\n')
    with frontend_secrets(root, plan, {"HOME": str(home), "HOME_TOKEN": TOKEN}, ()) as secrets:
        ((ident, path),) = secrets
        assert ident == "yarnrc" and Path(path).read_text() == f'npmAuthToken: "{TOKEN}"\n'
    npm_root, npm_plan = _frontend(tmp_path / "npm")
    with frontend_secrets(npm_root, npm_plan, {"HOME": str(home)}, ()) as secrets:
        assert secrets == (), "npm, pnpm, Yarn 1 and bun read no .yarnrc.yml"


def test_the_build_command_names_the_secret_never_the_value(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, plan = _berry(tmp_path)
    (root / "Dockerfile").write_text("FROM scratch\n")
    monkeypatch.setenv("HOME", str(tmp_path / "nobody"))
    monkeypatch.setenv("NPM_TOKEN", TOKEN)

    class Recorder:
        def build_command(self, request: BuildRequest) -> list[str]:
            return build_command(Client("docker", buildx=True), request)

    image = build_project(root, plan, Recorder(), BuildSettings(options=BuildOptions(dry_run=True)))  # type: ignore[arg-type]
    command = " ".join(image.extra["command"])
    assert "--secret id=NPM_TOKEN,src=" in command and TOKEN not in command


@pytest.mark.parametrize(
    "spec", ["env=CI_NPM_TOKEN,id=NPM_TOKEN", "type=env,id=NPM_TOKEN,env=CI_NPM_TOKEN", "id=NPM_TOKEN"]
)
def test_the_users_secret_of_that_id_is_theirs_in_any_order_of_its_keys(tmp_path: Path, spec: str) -> None:
    """buildx reads ``--secret`` keys in any order: a spec naming the id elsewhere than first is still the
    user's, and the build adds no second secret of that id (nor stops at the variable being unset)."""
    root, plan = _berry(tmp_path)
    with frontend_secrets(root, plan, {}, (spec,)) as secrets:
        assert secrets == ()
