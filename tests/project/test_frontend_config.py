"""A frontend package manager's own config files (project/frontend_config.py): Yarn 2+ planned from its
lock, its checked-in release or package.json's packageManager; .yarnrc.yml, .yarnrc and bunfig.toml
copied with the manifest, the variables they read found with their line, a token written out refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockwright.project.buildsteps import detect_build_steps
from dockwright.project.facts import AppFacts, BuildStepNeed, Fact, RegistryEnv
from dockwright.project.tree import ProjectTree

APP_FACTS = AppFacts(
    kind=Fact("web"), framework=Fact(None), command=Fact(()), port=Fact(None), health_path=Fact(None)
)

BERRY_LOCK = '__metadata:\n  version: 8\n  cacheKey: 10c0\n\n"ui@workspace:.":\n  version: 0.0.0-use.local\n'
APP = {"app.py": 'Flask(__name__, static_folder="ui/dist")\n'}


def _frontend(tmp_path: Path, files: dict[str, str], manager: str = "") -> BuildStepNeed:
    declared = f', "packageManager": "{manager}"' if manager else ""
    files = {"ui/package.json": '{"scripts": {"build": "vite build"}' + declared + "}", **APP, **files}
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    steps = detect_build_steps(ProjectTree(tmp_path), APP_FACTS, frozenset({"flask"}))
    return next(s for s in steps if s.kind == "frontend")


@pytest.mark.parametrize(
    ("manager", "lock_version", "installer"),
    [
        ("yarn@4.9.2", "8", "@yarnpkg/cli-dist@4.9.2"),
        ("yarn@3.6.4+sha512.abc", "6", "@yarnpkg/cli-dist@3.6.4"),
        ("", "8", "@yarnpkg/cli-dist@4"),
        ("", "6", "@yarnpkg/cli-dist@3"),
    ],
)
def test_a_yarn_2_lock_installs_the_release_package_json_or_the_lock_names(
    tmp_path: Path, manager: str, lock_version: str, installer: str
) -> None:
    lock = BERRY_LOCK.replace("version: 8", f"version: {lock_version}")
    step = _frontend(tmp_path, {"ui/yarn.lock": lock}, manager)
    assert step.ready, step.blocker
    assert (step.manager, step.installer, step.configs) == ("yarn-berry", installer, ())


def test_the_checked_in_release_runs_and_nothing_is_installed(tmp_path: Path) -> None:
    files = {
        "ui/yarn.lock": BERRY_LOCK,
        "ui/.yarnrc.yml": "nodeLinker: node-modules\nyarnPath: .yarn/releases/yarn-4.9.2.cjs\n",
        "ui/.yarn/releases/yarn-4.9.2.cjs": "// a release\n",
    }
    step = _frontend(tmp_path, files, "yarn@4.9.2")
    assert step.ready, step.blocker
    assert step.installer == ""
    assert step.configs == ("ui/.yarnrc.yml", "ui/.yarn/releases/yarn-4.9.2.cjs")


@pytest.mark.parametrize(
    ("files", "manager", "blocker"),
    [
        (
            {"ui/yarn.lock": BERRY_LOCK, "ui/.yarnrc.yml": "yarnPath: .yarn/releases/gone.cjs\n"},
            "",
            "not a file",
        ),
        ({"ui/yarn.lock": BERRY_LOCK}, "yarn@1.22.22", "is a Yarn 2+ lock"),
        ({"ui/yarn.lock": BERRY_LOCK}, "pnpm@9.1.0", "packageManager is pnpm@9.1.0"),
        ({"ui/yarn.lock": "# yarn lockfile v1\n"}, "yarn@4.9.2", "is a Yarn 1 lock"),
    ],
)
def test_a_yarn_release_that_cannot_run_is_stated(
    tmp_path: Path, files: dict[str, str], manager: str, blocker: str
) -> None:
    step = _frontend(tmp_path, files, manager)
    assert not step.ready and blocker in step.blocker


def test_the_variables_yarnrc_yml_reads_are_found_with_their_line(tmp_path: Path) -> None:
    rc = (
        'npmRegistryServer: "https://npm.example.com"\n'
        'npmAuthToken: "${NPM_TOKEN}"\n'
        "npmScopes:\n  acme:\n    npmAuthToken: ${ACME_TOKEN:-}\n"
        "# npmAuthIdent: ${OLD_IDENT}\n"
    )
    step = _frontend(tmp_path, {"ui/yarn.lock": BERRY_LOCK, "ui/.yarnrc.yml": rc}, "yarn@4.9.2")
    assert step.ready, step.blocker
    assert step.configs == ("ui/.yarnrc.yml",)
    assert [(v.name, v.required, v.evidence.line) for v in step.registry_env] == [
        ("NPM_TOKEN", True, 2),
        ("ACME_TOKEN", False, 5),
    ]


@pytest.mark.parametrize(
    ("lock", "config", "text", "expected"),
    [
        (
            "yarn.lock",
            ".yarnrc",
            'registry "https://npm.example.com/"\n"//npm.example.com/:_authToken" "${NPM_TOKEN}"\n',
            "NPM_TOKEN",
        ),
        (
            "bun.lock",
            "bunfig.toml",
            '[install.scopes]\nacme = { token = "$ACME_TOKEN", url = "https://npm.example.com/" }\n',
            "ACME_TOKEN",
        ),
    ],
)
def test_yarn_1_and_bun_configs_are_copied_with_their_variables(
    tmp_path: Path, lock: str, config: str, text: str, expected: str
) -> None:
    step = _frontend(
        tmp_path,
        {f"ui/{lock}": "# yarn lockfile v1\n" if lock == "yarn.lock" else "{}\n", f"ui/{config}": text},
    )
    assert step.ready, step.blocker
    assert step.configs == (f"ui/{config}",)
    assert step.registry_env == (RegistryEnv(expected, True, step.registry_env[0].evidence),)
    assert step.registry_env[0].evidence.line == 2


@pytest.mark.parametrize(
    ("lock", "config", "text"),
    [
        ("yarn.lock", ".yarnrc.yml", "npmAuthToken: npm_written_out_value\n"),
        ("yarn.lock", ".yarnrc", '"//npm.example.com/:_authToken" "npm_written_out_value"\n'),
        ("bun.lock", "bunfig.toml", '[install]\nregistry = { url = "https://x.example/", token = "abc" }\n'),
    ],
)
def test_a_token_written_out_in_a_copied_config_is_refused(
    tmp_path: Path, lock: str, config: str, text: str
) -> None:
    lock_text = (
        BERRY_LOCK if config == ".yarnrc.yml" else "# yarn lockfile v1\n" if lock == "yarn.lock" else "{}\n"
    )
    step = _frontend(tmp_path, {f"ui/{lock}": lock_text, f"ui/{config}": text})
    assert not step.ready and "writes a registry credential out" in step.blocker
    assert "npm_written_out_value" not in step.blocker


def test_pnpm_reads_its_settings_from_pnpm_workspace_yaml(tmp_path: Path) -> None:
    """pnpm 10 keeps its settings there (onlyBuiltDependencies, minimumReleaseAge): copied with the lock."""
    files = {
        "ui/pnpm-lock.yaml": "lockfileVersion: '9.0'\n",
        "ui/pnpm-workspace.yaml": "packages:\n  - '.'\nonlyBuiltDependencies:\n  - esbuild\n",
    }
    step = _frontend(tmp_path, files, "pnpm@10.26.0")
    assert step.ready, step.blocker
    assert (step.installer, step.configs, step.registry_env) == (
        "pnpm@10.26.0",
        ("ui/pnpm-workspace.yaml",),
        (),
    )


@pytest.mark.parametrize(
    ("lock", "config", "text"),
    [
        (
            "bun.lock",
            "bunfig.toml",
            '[install.scopes]\nteam = "https://dev:npm_written_out_value@x.example/"\n',
        ),
        ("yarn.lock", ".yarnrc.yml", 'npmRegistryServer: "https://dev:npm_written_out_value@x.example"\n'),
        ("yarn.lock", ".yarnrc", 'registry "https://dev:npm_written_out_value@x.example/"\n'),
    ],
)
def test_a_password_in_a_registry_url_of_a_copied_config_is_refused(
    tmp_path: Path, lock: str, config: str, text: str
) -> None:
    """bunfig's scopes take ``https://user:pass@host/`` (bun's documented form), and Yarn reads a URL's
    user info too: written out, it would reach the frontend stage's layer with the COPY."""
    lock_text = (
        BERRY_LOCK if config == ".yarnrc.yml" else "# yarn lockfile v1\n" if lock == "yarn.lock" else "{}\n"
    )
    step = _frontend(tmp_path, {f"ui/{lock}": lock_text, f"ui/{config}": text})
    assert not step.ready and "writes a registry credential out" in step.blocker
    assert "npm_written_out_value" not in step.blocker


def test_a_url_whose_user_info_is_read_from_the_environment_is_planned(tmp_path: Path) -> None:
    text = '[install.scopes]\nteam = "https://$TEAM_USER:$TEAM_PASS@x.example/"\n'
    step = _frontend(tmp_path, {"ui/bun.lock": "{}\n", "ui/bunfig.toml": text})
    assert step.ready, step.blocker
    assert [v.name for v in step.registry_env] == ["TEAM_USER", "TEAM_PASS"]


@pytest.mark.parametrize("name", ["netrc", "pipconf", "npmrc", "yarnrc"])
def test_a_variable_named_like_one_of_the_builds_own_secrets_is_refused(tmp_path: Path, name: str) -> None:
    """Each variable travels as the BuildKit secret of its name, which the install RUN mounts: a config
    reading ``${netrc}`` would mount the build's own netrc (the Python indexes' credentials) into the
    yarn install's environment and send it to the registry the project names."""
    text = f'npmAuthToken: "${{{name}:-}}"\n'
    step = _frontend(tmp_path, {"ui/yarn.lock": BERRY_LOCK, "ui/.yarnrc.yml": text})
    assert not step.ready and f"${{{name}" in step.blocker and "secret" in step.blocker


def test_a_token_written_as_a_variables_fallback_is_refused(tmp_path: Path) -> None:
    """``${NPM_TOKEN:-npm_abc}``: the fallback is the token written out, copied into the layer."""
    text = 'npmAuthToken: "${NPM_TOKEN:-npm_written_out_value}"\n'
    step = _frontend(tmp_path, {"ui/yarn.lock": BERRY_LOCK, "ui/.yarnrc.yml": text})
    assert not step.ready and "writes a registry credential out" in step.blocker
    assert "npm_written_out_value" not in step.blocker
    empty = _frontend(tmp_path, {"ui/.yarnrc.yml": 'npmAuthToken: "${NPM_TOKEN:-}"\n'})
    assert empty.ready, empty.blocker
