"""A value shaped like a provider's credential (data/secret_shapes.toml) is a secret whatever the
variable holding it is called: never carried into the image from the project (its own image's ENV, a
start line's NAME=value, App Engine's env_variables), never written in the plan, its JSON, the
Dockerfile, the CLI's output or the kept plan.

The values are put together here at run time, so no file of ours holds one a scanner would take for a
real credential."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dockwright import api
from dockwright.cli import cli
from dockwright.kept_plan import carries_secret
from dockwright.redact import redact, redact_literal
from dockwright.render.render import render_dockerfile
from dockwright.secret_values import carried_secret, literal_secret, secret_shape

_A = "Zq7Xw2Kp9Lm4Nb6Vc1Hd8Fs3"  # 24 letters and digits, no word
SHAPED = {
    "stripe": "sk_" + "live_" + _A + "Rt5Y",
    "github": "gh" + "p_" + _A + "Ab12Cd34Ef56",
    "github_fine": "github_" + "pat_" + _A + "_" + _A + "Xy",
    "slack": "xo" + "xb-" + "1234567890-" + _A,
    "aws": "AK" + "IA" + "QZ7XW2KP9LM4NB6V",
    "private_key": "-----BEGIN " + "RSA PRIVATE KEY-----\nMIIE" + _A + "\n-----END RSA PRIVATE KEY-----",
    "jwt": "ey" + "JhbGciOiJIUzI1NiJ9." + "eyJzdWIiOiJzdmMifQ." + _A,
    "google": "AI" + "za" + _A + "Qw3Er4Ty5Ui",
    "openai": "sk-" + "proj-" + _A + _A,
}
INNOCENT = [
    "production",
    "sk_live",  # the prefix alone
    "svc.settings.production",
    "AKIA",
    "eyJ",
    "6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f",  # a UUID
    "https://docs.example.org/api",
    "ghp_",
    "pk_" + "live_" + _A,  # Stripe's publishable key is meant to be public
    "xoxo-hugs-and-kisses-forever",  # words, not a Slack token's numbers
    "sk-learn-contrib-some-very-long-distribution-name",  # a hyphenated name, not an API key
]


@pytest.mark.parametrize("kind", sorted(SHAPED))
def test_a_credential_s_shape_is_a_secret_whatever_its_name(kind: str) -> None:
    value = SHAPED[kind]
    assert secret_shape(value) is not None
    assert literal_secret("SVC_BILLING", value) == "shape"
    assert carried_secret("SVC_BILLING", value)
    assert value not in redact_literal(f"ENV SVC_BILLING={value} and --opt {value}")
    assert value not in redact(f"note: {value}")


@pytest.mark.parametrize("value", INNOCENT)
def test_ordinary_values_have_no_credential_s_shape(value: str) -> None:
    assert secret_shape(value) is None
    assert not carried_secret("SVC_MODE", value)
    assert redact_literal(value) == value


def test_a_kept_plan_holding_a_credential_s_shape_is_refused() -> None:
    assert carries_secret(f"plan with {SHAPED['stripe']} in it".encode(), {})
    assert not carries_secret(b"plan with production in it", {})


def test_the_lint_rule_flags_a_credential_s_shape_under_an_innocent_name(tmp_path: Path) -> None:
    recipe = tmp_path / "Dockerfile"
    recipe.write_text(f'FROM python:3.13-slim\nENV SVC_BILLING={SHAPED["stripe"]}\nCMD ["python"]\n')
    done = CliRunner().invoke(cli, ["lint", str(recipe)])
    assert "DW403" in done.output and "Stripe" in done.output
    assert SHAPED["stripe"] not in done.output


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


_APP = (
    "import os\n\nfrom flask import Flask\n\napp = Flask(__name__)\n"
    "app.config['BILLING'] = os.environ.get('SVC_BILLING')\n"
    "app.config['NAME'] = os.environ.get('SVC_CONFIG_NAME')\n"
)


def _own_recipe(root: Path, value: str) -> Path:
    """A project whose own image sets SVC_BILLING (an innocent name) to ``value``, which its app reads,
    and starts through its entry script."""
    recipe = (
        "FROM python:3.13-slim\nWORKDIR /opt/svc\nCOPY . /build\n"
        f"ENV SVC_CONFIG_NAME=container\nENV SVC_BILLING='{value}'\n"
        "COPY --chmod=755 deploy/docker/entrypoint.sh /opt/svc/\nEXPOSE 8080\n"
        'ENTRYPOINT ["./entrypoint.sh"]\n'
    )
    script = "#!/bin/sh\nset -eu\nexec gunicorn --bind 0.0.0.0:8080 svc:app\n"
    return _write(
        root,
        {
            "requirements.txt": "flask\ngunicorn\n",
            "svc/__init__.py": _APP,
            "deploy/docker/Dockerfile": recipe,
            "deploy/docker/entrypoint.sh": script,
        },
    )


def _start_line(root: Path, value: str) -> Path:
    """A project whose Procfile's start line sets SVC_BILLING to ``value`` before the server."""
    return _write(
        root,
        {
            "requirements.txt": "flask\ngunicorn\n",
            "svc/__init__.py": _APP,
            "Procfile": f"web: SVC_BILLING={value} gunicorn --bind 0.0.0.0:$PORT svc:app\n",
        },
    )


def _app_engine(root: Path, value: str) -> Path:
    """A project whose App Engine app.yaml gives SVC_BILLING ``value`` in env_variables."""
    return _write(
        root,
        {
            "requirements.txt": "flask\ngunicorn\n",
            "svc/__init__.py": _APP,
            "app.yaml": (
                "runtime: python312\nentrypoint: gunicorn -b :$PORT svc:app\nenv_variables:\n"
                f"  SVC_CONFIG_NAME: container\n  SVC_BILLING: '{value}'\n"
            ),
        },
    )


@pytest.mark.parametrize("make", [_own_recipe, _start_line, _app_engine])
@pytest.mark.parametrize("kind", ["stripe", "github", "aws", "jwt"])
def test_a_carried_credential_s_shape_reaches_no_output(
    make: object, kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    value = SHAPED[kind]
    root = make(tmp_path / "app", value)  # type: ignore[operator]
    plan = api.plan(root)
    env = {e.name: e.value for e in plan.facts.app.env}
    assert "SVC_BILLING" not in env
    assert any("SVC_BILLING" in n and "docker run -e SVC_BILLING" in n for n in plan.warnings)
    dockerfile = render_dockerfile(plan)
    assert value not in dockerfile and value not in json.dumps(plan.to_dict())
    assert value not in json.dumps(plan.facts.to_dict())
    for args in (["plan", str(root), "--json"], ["plan", str(root)]):
        done = CliRunner().invoke(cli, args)
        assert done.exit_code == 0, done.output
        assert value not in done.output
    done = CliRunner().invoke(cli, ["init", str(root), "--no-syntax", "--force"])
    assert done.exit_code == 0, done.output
    assert value not in done.output
    assert value not in (root / "Dockerfile").read_text()
    assert not any(value in p.read_text("latin-1") for p in (tmp_path / "cache").rglob("*") if p.is_file())


@pytest.mark.parametrize(
    ("make", "held"),
    [(_own_recipe, "deploy/docker/Dockerfile"), (_start_line, "Procfile"), (_app_engine, "app.yaml")],
)
def test_the_file_holding_it_stays_out_of_the_build_context(make: object, held: str, tmp_path: Path) -> None:
    root = make(tmp_path / "app", SHAPED["stripe"])  # type: ignore[operator]
    plan = api.plan(root)
    (evidence,) = plan.facts.layout.secret_files
    assert evidence.file == held and "Stripe" in evidence.detail and SHAPED["stripe"] not in evidence.detail
    assert held in [e.pattern for e in plan.dockerignore]


def test_a_procfile_the_start_runs_is_kept(tmp_path: Path) -> None:
    root = _start_line(tmp_path / "app", SHAPED["stripe"])
    plan = api.plan(root, start="honcho start web")
    assert plan.facts.layout.secret_files == ()


def test_placeholders_leave_the_descriptors_in_the_context(tmp_path: Path) -> None:
    root = _app_engine(tmp_path / "app", "${BILLING}")
    assert api.plan(root).facts.layout.secret_files == ()


def test_a_descriptor_the_code_opens_stays_in_the_context(tmp_path: Path) -> None:
    root = _app_engine(tmp_path / "app", SHAPED["stripe"])
    (root / "svc" / "settings.py").write_text("import yaml\n\nCONFIG = yaml.safe_load(open('app.yaml'))\n")
    plan = api.plan(root)
    assert "app.yaml" not in [e.pattern for e in plan.dockerignore]


def test_a_workspace_member_s_descriptor_stays_out_of_the_workspace_context(tmp_path: Path) -> None:
    import shutil

    example = Path(__file__).parent.parent / "examples" / "uv-workspace"
    root = Path(shutil.copytree(example, tmp_path / "ws"))
    (root / "packages" / "api" / "app.yaml").write_text(
        f"runtime: python312\nenv_variables:\n  API_BILLING: '{SHAPED['stripe']}'\n"
    )
    plan = api.plan(root, index_lookup=False)
    assert plan.facts.workspace is not None and plan.facts.workspace.kind == "uv-workspace"
    assert "packages/api/app.yaml" in [e.pattern for e in plan.dockerignore]


def test_a_start_script_holding_one_is_named_in_a_note(tmp_path: Path) -> None:
    root = _own_recipe(tmp_path / "app", "placeholder")
    script = root / "deploy" / "docker" / "entrypoint.sh"
    script.write_text(
        f"#!/bin/sh\nexport SVC_HOOK={SHAPED['slack']}\nexec gunicorn --bind 0.0.0.0:8080 svc:app\n"
    )
    plan = api.plan(root)
    assert any(
        w.startswith("deploy/docker/entrypoint.sh:2 holds a value shaped like a Slack") for w in plan.warnings
    )
    assert SHAPED["slack"] not in " ".join(plan.warnings)


def test_code_in_a_start_file_is_no_literal_secret(tmp_path: Path) -> None:
    """A start file the plan scans for secrets: in Python only a quoted string is a literal (an empty
    dict, a call reading a settings object are code); in a shell script a command substitution or a
    variable is no literal either. A quoted literal and a bare shell value are still named."""
    root = _write(
        tmp_path / "app",
        {
            "requirements.txt": "flask\n",
            "run.py": (
                "import os\n\nsecret_args = {}\nsecret_token = settings.webhook.get_secret_value()\n"
                "api_password = os.environ['API_PASSWORD']\n"
                "from flask import Flask\napp = Flask(__name__)\napp.run(host='0.0.0.0', port=8080)\n"
            ),
            "start.sh": "#!/bin/sh\nDB_PASSWORD=$(cat /run/secrets/db)\nADMIN_TOKEN=${TOKEN}\nexec python run.py\n",
        },
    )
    plan = api.plan(root, start="python run.py", index_lookup=False)
    assert not any("literal secret" in w for w in plan.warnings), plan.warnings
    plan = api.plan(root, start="sh start.sh", index_lookup=False)
    assert not any("literal secret" in w for w in plan.warnings), plan.warnings
    (root / "run.py").write_text("api_password = 'hunter2-prod-9f8e7d'\n" + (root / "run.py").read_text())
    plan = api.plan(root, start="python run.py", index_lookup=False)
    assert any(w.startswith("run.py:1 holds api_password set to a literal secret") for w in plan.warnings)
    assert "hunter2-prod-9f8e7d" not in " ".join(plan.warnings)
    (root / "start.sh").write_text("#!/bin/sh\nDB_PASSWORD=hunter2-prod-9f8e7d\nexec python run.py\n")
    plan = api.plan(root, start="sh start.sh", index_lookup=False)
    assert any(w.startswith("start.sh:2 holds DB_PASSWORD set to a literal secret") for w in plan.warnings)
