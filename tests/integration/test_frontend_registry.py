"""A frontend stage with npm dependencies, built for real: ``dockwright build`` passes the user's .npmrc
(here ``NPM_CONFIG_USERCONFIG``, the sandbox's npm proxy and its token) as BuildKit secret ``npmrc``;
``npm ci`` installs the lock's registry.npmjs.org URLs through that registry (npm's default
``replace-registry-host=npmjs``); the app serves what the dependency built; no layer keeps the token."""

from __future__ import annotations

import json
import shutil
import socket
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from sandbox.config import settings
from sandbox.npmproxy import TOKEN
from tests.integration.harness import PYPI, REPO, build, docker, git_commit
from tests.integration.test_example_images import _sh, _wait_http

from dockwright import api
from dockwright.errors import ConfigError

pytestmark = [pytest.mark.docker, pytest.mark.usefixtures("sandbox")]

# one small package with no dependencies, locked as `npm install` writes it against the public registry
LOCKED = {
    "version": "1.0.3",
    "resolved": "https://registry.npmjs.org/escape-html/-/escape-html-1.0.3.tgz",
    "integrity": "sha512-NiSupZ4OeuGwr68lGIeym/ksIZMJodUGOSCZ/FSnTxcrekbvqrgdUxlJOMpijaKZVjAJrWrGs/6Jy8OMuyj9ow==",
    "license": "MIT",
}
BUILD_SCRIPT = """\
import { mkdirSync, writeFileSync } from "node:fs";
import escapeHtml from "escape-html";

const flag = process.argv.indexOf("--out-dir");
const out = flag > 0 ? process.argv[flag + 1] : "dist";
mkdirSync(out, { recursive: true });
writeFileSync(`${out}/app.js`, `document.title = ${JSON.stringify(escapeHtml("<Fish & Chips>"))};\\n`);
"""


def _proxy_missing() -> str | None:
    try:
        urllib.request.urlopen(settings().npm_registry_url, timeout=2).close()
    except OSError:
        return (
            f"the sandbox's npm registry proxy is not serving at {settings().npm_registry_url} (sandbox up)"
        )
    return None if settings().npmrc.is_file() else f"no {settings().npmrc} (python -m sandbox up)"


def _project(workspace: Path) -> Path:
    path = workspace / "frontend-registry"
    shutil.rmtree(path, ignore_errors=True)
    shutil.copytree(REPO / "examples" / "flask-frontend", path)
    ui = path / "frontend"
    shutil.rmtree(ui / "src")
    package = {
        "name": "ui",
        "version": "1.0.0",
        "private": True,
        "dependencies": {"escape-html": "1.0.3"},
        "scripts": {"build": "node build.mjs --out-dir dist"},
    }
    (ui / "package.json").write_text(json.dumps(package, indent=2) + "\n")
    lock = {
        "name": "ui",
        "version": "1.0.0",
        "lockfileVersion": 3,
        "requires": True,
        "packages": {
            "": {"name": "ui", "version": "1.0.0", "dependencies": {"escape-html": "1.0.3"}},
            "node_modules/escape-html": LOCKED,
        },
    }
    (ui / "package-lock.json").write_text(json.dumps(lock, indent=2) + "\n")
    (ui / "build.mjs").write_text(BUILD_SCRIPT)
    return path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_frontend_installs_through_the_npmrc_registry_and_no_layer_keeps_its_token(
    workspace: Path, container_names: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = _proxy_missing()
    if missing:
        pytest.skip(missing)
    path = _project(workspace)
    api.init(path, syntax_directive=False, index_url=PYPI)
    assert (
        "--mount=type=secret,id=npmrc,target=/root/.npmrc,required=false" in (path / "Dockerfile").read_text()
    )
    git_commit(path)
    monkeypatch.setenv("NPM_CONFIG_USERCONFIG", str(settings().npmrc))
    tag = "dockwright-it/frontend-registry:test"
    build(path, tag)
    stage = "dockwright-it/frontend-registry:frontend"
    build(path, stage, target="frontend")  # cached: the stage the secret was mounted in

    port = _free_port()
    name = "dw-it-frontend-registry"
    container_names.append(name)
    docker(
        "run",
        "-d",
        "--name",
        name,
        "--network",
        "host",
        tag,
        "gunicorn",
        "--bind",
        f"127.0.0.1:{port}",
        "app:app",
    )
    assert _wait_http(f"http://127.0.0.1:{port}/healthz") == 200
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/assets/app.js", timeout=5) as response:
        assert response.read().decode() == 'document.title = "&lt;Fish &amp; Chips&gt;";\n', "escape-html ran"

    for image in (tag, stage):
        history = docker("history", "--no-trunc", "--format", "{{.CreatedBy}}", image).stdout
        assert "npm ci --no-audit --no-fund" in history or image == tag, "the stage that installed"
        assert TOKEN not in history, f"{image}: the token is in no layer's command"
        config = docker("image", "inspect", image).stdout
        assert TOKEN not in config, f"{image}: nor in the image config"
    script = f"grep -rls {TOKEN} / --exclude-dir=proc --exclude-dir=sys 2>/dev/null; echo ---; ls -A /root"
    hits, _, listing = _sh(stage, script).partition("---")
    assert hits.split() == [], "no file of the stage holds the token"
    assert ".npmrc" not in listing.split(), "the secret's mount point is not left behind"
    with pytest.raises(urllib.error.HTTPError) as refused:  # the registry asks for the token the secret gave
        urllib.request.urlopen(settings().npm_registry_url + "escape-html", timeout=5)
    assert refused.value.code == 401


# the same package locked by Yarn 4.9.2 (`__metadata` 8): a Yarn 2+ lock names no URL, only the checksum
BERRY_LOCK = """\
# This file is generated by running "yarn install" inside your project.
# Manual changes might be lost - proceed with caution!

__metadata:
  version: 8
  cacheKey: 10c0

"escape-html@npm:1.0.3":
  version: 1.0.3
  resolution: "escape-html@npm:1.0.3"
  checksum: 10c0/524c739d776b36c3d29fa08a22e03e8824e3b2fd57500e5e44ecf3cc4707c34c60f9ca0781c0e33d191f2991161504c295e98f68c78fe7baa6e57081ec6ac0a3
  languageName: node
  linkType: hard

"ui@workspace:.":
  version: 0.0.0-use.local
  resolution: "ui@workspace:."
  dependencies:
    escape-html: "npm:1.0.3"
  languageName: unknown
  linkType: soft
"""


def test_yarn_2_reads_its_token_from_the_environment_and_no_layer_keeps_it(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Yarn 2+ reads no .npmrc: the project's .yarnrc.yml names the registry and `npmAuthToken:
    "${NPM_TOKEN}"`; `dockwright build` refuses without NPM_TOKEN, and with it passes secret NPM_TOKEN,
    which only the install RUN reads. The Yarn CLI comes from npm through the user's .npmrc, whose
    `${NPM_TOKEN}` is expanded on the host."""
    missing = _proxy_missing()
    if missing:
        pytest.skip(missing)
    path = _project(workspace)
    ui = path / "frontend"
    (ui / "package-lock.json").unlink()
    package = json.loads((ui / "package.json").read_text())
    (ui / "package.json").write_text(json.dumps({**package, "packageManager": "yarn@4.9.2"}, indent=2) + "\n")
    (ui / "yarn.lock").write_text(BERRY_LOCK)
    registry = settings().npm_registry_url.rstrip("/")
    host = registry.split("://", 1)[1].split(":")[0]
    (ui / ".yarnrc.yml").write_text(
        f'npmRegistryServer: "{registry}"\nnpmAlwaysAuth: true\nnpmAuthToken: "${{NPM_TOKEN}}"\n'
        f'unsafeHttpWhitelist:\n  - "{host}"\nnodeLinker: node-modules\n'
    )
    user = workspace / "user.npmrc"
    user.write_text(f"registry={registry}/\n//{registry.split('://', 1)[1]}/:_authToken=${{NPM_TOKEN}}\n")
    api.init(path, syntax_directive=False, index_url=PYPI)
    dockerfile = (path / "Dockerfile").read_text()
    assert "--mount=type=secret,id=NPM_TOKEN \\" in dockerfile and TOKEN not in dockerfile
    git_commit(path)
    monkeypatch.setenv("NPM_CONFIG_USERCONFIG", str(user))
    monkeypatch.setenv("HOME", str(workspace))
    monkeypatch.delenv("NPM_TOKEN", raising=False)
    stage = "dockwright-it/frontend-berry:frontend"
    with pytest.raises(ConfigError, match=r"reads \$\{NPM_TOKEN\} and NPM_TOKEN is not set"):
        build(path, stage, target="frontend")
    monkeypatch.setenv("NPM_TOKEN", TOKEN)
    build(path, stage, target="frontend")

    history = docker("history", "--no-trunc", "--format", "{{.CreatedBy}}", stage).stdout
    assert "yarn install --immutable" in history and TOKEN not in history
    assert TOKEN not in docker("image", "inspect", stage).stdout
    script = (
        f"grep -rls {TOKEN} / --exclude-dir=proc --exclude-dir=sys 2>/dev/null; echo ---; cat dist/app.js"
    )
    hits, _, built = _sh(stage, script).partition("---")
    assert hits.split() == [], "no file of the stage holds the token"
    assert built.strip() == 'document.title = "&lt;Fish &amp; Chips&gt;";', "escape-html ran"
