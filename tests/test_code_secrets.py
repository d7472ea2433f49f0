"""Secrets written into the project's own Python modules (a settings module's ``SECRET_KEY = "..."``):
the image needs the source, so the plan names each setting with its file and line (never its value)
and advises reading it from the environment; no output, kept plan or memo carries the value."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dockwright import api
from dockwright.cli import cli
from dockwright.render.render import render_dockerfile

_A = "Zq7Xw2Kp9Lm4Nb6Vc1Hd8Fs3"
DJANGO_KEY = "django-insecure-" + "q8v!x2m#" + _A
AWS_SECRET = "wJalrXUtnFEMI" + "K7MDENGbPxRfiCY" + _A
STRIPE = "sk_" + "live_" + _A + "Rt5Y"
FALLBACK = "fallback-" + _A
VALUES = (DJANGO_KEY, AWS_SECRET, STRIPE, FALLBACK)

_SETTINGS = (
    "import os\n\n"  # 1-2
    "DEBUG = False\n"  # 3
    f"SECRET_KEY = '{DJANGO_KEY}'\n"  # 4
    f'AWS_SECRET_ACCESS_KEY: str = "{AWS_SECRET}"\n'  # 5
    "DATABASES = {'default': {'NAME': 'app', 'PASSWORD': os.environ.get('DB_PASSWORD')}}\n"  # 6
    f"PAYMENTS = {{'client': '{STRIPE}'}}\n"  # 7
    f"API_TOKEN = os.environ.get('API_TOKEN', '{FALLBACK}')\n"  # 8
    "SESSION_COOKIE_NAME = 'sid'\n"  # 9
    "ADMIN_PASSWORD = 'changeme'\n"  # 10
    "JWT_SECRET = os.environ['JWT_SECRET']\n"  # 11
)
_APP = "from flask import Flask\n\nfrom svc import settings\n\napp = Flask(__name__)\napp.config.from_object(settings)\n"


def _project(root: Path) -> Path:
    for rel, text in {
        "requirements.txt": "flask\ngunicorn\n",
        "svc/__init__.py": _APP,
        "svc/settings.py": _SETTINGS,
        "tests/test_app.py": f"SECRET_KEY = '{DJANGO_KEY}'\n",
    }.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_a_module_s_literal_secrets_are_named_by_file_and_line(tmp_path: Path) -> None:
    plan = api.plan(_project(tmp_path / "app"), index_lookup=False)
    named = [w for w in plan.warnings if w.startswith("svc/settings.py:")]
    assert [w.split(" ", 1)[0] for w in named] == [
        "svc/settings.py:4",
        "svc/settings.py:5",
        "svc/settings.py:7",
        "svc/settings.py:8",
    ], plan.warnings
    assert "SECRET_KEY" in named[0] and "AWS_SECRET_ACCESS_KEY" in named[1]
    assert "Stripe" in named[2] and "API_TOKEN" in named[3] and "fallback" in named[3]
    assert all("environment" in w for w in named)
    # placeholders, reads of the environment and the tests' modules are no news
    assert not any(
        w.startswith(("svc/settings.py:10", "svc/settings.py:11", "tests/")) for w in plan.warnings
    )


def test_a_module_s_literal_secret_reaches_no_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    monkeypatch.setenv("DOCKWRIGHT_PLAN_CACHE", "on")
    root = _project(tmp_path / "app")
    plan = api.plan(root, index_lookup=False)
    api._kept_plan_for_build(root, {}, None, False)  # a kept plan and the planning memo
    api._kept_plan_for_build(root, {}, None, False)
    shown = [
        " ".join(plan.warnings),
        json.dumps(plan.to_dict()),
        json.dumps(plan.facts.to_dict()),
        render_dockerfile(plan),
    ]
    for args in (
        ["plan", str(root), "--json"],
        ["plan", str(root)],
        ["init", str(root), "--no-syntax", "--force"],
    ):
        done = CliRunner().invoke(cli, args)
        assert done.exit_code == 0, done.output
        shown.append(done.output)
    assert any("svc/settings.py:4" in text for text in shown[-3:])
    kept = [p.read_bytes().decode("latin-1") for p in cache.rglob("*") if p.is_file()]
    assert kept, "nothing was kept"
    for value in VALUES:
        assert not any(value in text for text in [*shown, *kept]), value


def test_the_ways_a_module_writes_a_secret(tmp_path: Path) -> None:
    """A Flask config key, a settings class's field, python-decouple's default, a URL's password; code
    (a call, a read of another setting) and a secret word in prose are no literal."""
    import ast

    from dockwright.project.code_secrets import code_secrets

    text = (
        "from decouple import config\n"  # 1
        f"app.config['SECRET_KEY'] = '{FALLBACK}'\n"  # 2
        "class Settings:\n"  # 3
        f"    api_key: str = '{AWS_SECRET}'\n"  # 4
        "    password_file: str = '/run/secrets/db'\n"  # 5
        f"SIGNING = config('SIGNING_SECRET', default='{FALLBACK}')\n"  # 6
        "DATABASE_URL = 'postgres://app:hunter2-9f8e@db/app'\n"  # 7
        "TOKEN = make_token()\n"  # 8
        "PASSWORD_HELP = SECRET_KEY\n"  # 9
        "def f():\n    secret = 'inside-a-function'\n"  # 10-11
        "CELERY_BACKEND_URL = 'redis://:hunter2-9f8e@localhost:6379/0'\n"  # 12: a password, no user
        "token_uri = 'https://accounts.example.com/o/oauth2/token'\n"  # 13: where a token is asked for
    )
    found = [(s.line, s.name, s.held) for s in code_secrets(ast.parse(text), text)]
    assert found == [
        (2, "SECRET_KEY", "set"),
        (4, "api_key", "set"),
        (6, "SIGNING_SECRET", "fallback"),
        (7, "DATABASE_URL", "set"),
        (12, "CELERY_BACKEND_URL", "set"),
    ]
    assert code_secrets(ast.parse("x = 1\n"), "x = 1\n") == []


def test_a_value_that_says_it_stands_in_is_no_secret() -> None:
    import ast

    from dockwright.project.code_secrets import code_secrets

    text = (
        "SECRET_KEY = os.environ.get('SECRET_KEY', 'insecure-demo-key-change-me')\n"
        "API_TOKEN = 'replace-me-with-your-token'\n"
    )
    assert code_secrets(ast.parse(text), text) == []


def test_a_name_a_path_or_prose_under_a_secret_name_is_no_secret() -> None:
    """Code names secrets without holding them: the variable that holds one, where one is mounted, a
    sentence about one."""
    import ast

    from dockwright.project.code_secrets import code_secrets

    text = (
        "GIT_TOKEN_SECRET = 'GIT_AUTH_TOKEN'\n"
        "PIP_SECRET_TARGET = '/root/.config/pip/pip.conf'\n"
        "TOKEN_CACHE = '~/.cache/app/token'\n"
        "SECRET_HINT = 'pass the token with --secret id=token at build time'\n"
        "TOKEN_TYPE = 'tokentype'\nREFRESH_TOKEN_PARAM = 'refresh_token'\n"
        "POSTHOG_API_KEY = '__POSTHOG_API_KEY__'\nAPI_KEY_NAME = 'x_api_key_v2'\n"
        "_SECRET_NAME_REGEX = '^[A-Za-z0-9-_]{1,200}$'\nTOKEN_PREFIX = 'pt_'\n"
        "DIRECTIVES = {'directiveStartToken': '<!--#'}\n"
        "if __name__ == '__main__':\n    password = 'Quarry-9f8e7d!'  # nosec B105 # a self-test\n"
        "schema = {'json_schema_extra': {'example': {'password': 'Quarry-9f8e7d!'}}}\n"
        f"API_TOKEN = '{FALLBACK}'\n"
    )
    assert [(s.line, s.name) for s in code_secrets(ast.parse(text), text)] == [(15, "API_TOKEN")]


def test_an_endpoints_address_or_a_label_under_a_secret_name_is_no_secret() -> None:
    """A URL with no user, password, credential query or token-like run is an address; a value that is
    the name in words (a UI message) is a label. A webhook URL carrying its token stays a secret."""
    import ast

    from dockwright.project.code_secrets import code_secrets

    text = (
        "_URL_TOKEN = 'https://api.acme.net:3000/get-token'\n"
        "_MEDIATOKEN_API = 'https://api.acme.tv/v1/media/token'\n"
        "class Msg:\n    Password = 'Password:'\n"
        "WEBHOOK_TOKEN = 'https://chat.acme.io/api/webhooks/1234567/Ab9dEfGhIjKlMnOpQrStUvWx0123'\n"
    )
    assert [(s.line, s.name) for s in code_secrets(ast.parse(text), text)] == [(5, "WEBHOOK_TOKEN")]


def test_a_literal_no_note_names_still_reaches_no_memo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The notes leave out what may be no secret (a line marked `# nosec`, a sentence); the planning
    memo leaves out every module that may hold one (review28 F3: such a value was written there)."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    monkeypatch.setenv("DOCKWRIGHT_PLAN_CACHE", "on")
    root = tmp_path / "app"
    root.mkdir()
    (root / "requirements.txt").write_text("flask==3.1.0\n")
    (root / "app.py").write_text("from flask import Flask\n\napp = Flask(__name__)\n")
    (root / "settings.py").write_text(
        'DB_PASSWORD = "correct horse battery staple"\nAPI_TOKEN = "Zq8vR2mK4tY7wP1x"  # nosec\n'
    )
    api._kept_plan_for_build(root, {}, None, False)
    api._kept_plan_for_build(root, {}, None, False)
    kept = [p.read_bytes() for p in cache.rglob("*") if p.is_file()]
    assert any(p.suffix == ".memo" for p in cache.rglob("*"))
    for value in (b"correct horse battery staple", b"Zq8vR2mK4tY7wP1x"):
        assert not any(value in blob for blob in kept)


def test_no_value_makes_the_secret_scan_backtrack() -> None:
    """A placeholder key of lowercase words ending in digits (``wger-local-development-...-1234567890!``)
    made one pattern try every split of its letters: minutes for one value. The scan of adversarial values
    runs in a child, which must finish (a bound for a hang, not a timing: it takes milliseconds)."""
    import subprocess
    import sys

    values = [
        "wger-local-development-supersecret-key-1234567890!",
        "a" * 3000 + "1",
        "-".join(["word"] * 500) + "!",
        "_".join(["WORD"] * 500) + "a",
        "_".join(["word"] * 500) + "A",
        "Aa" * 1500 + "1",
    ]
    lines = "".join(f"SECRET_KEY_{i} = {v!r}\n" for i, v in enumerate(values))
    script = (
        "import ast, sys\n"
        "from dockwright.project.code_secrets import code_secrets\n"
        "text = sys.stdin.read()\n"
        "print(len(code_secrets(ast.parse(text), text)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], input=lines, capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.strip().isdigit()


def test_outside_python_constants_a_url_under_a_secret_name_stays_a_secret() -> None:
    """The address/label exemption is the module scan's only: a run instruction's value (an ENV, a unit's
    Environment=, compose) under a secret name is withheld whatever it looks like."""
    from dockwright.secret_values import address, literal_secret

    assert (
        literal_secret("ALERT_WEBHOOK_SECRET", "https://hooks.example.com/hook/9f86d081884c7d659a2f")
        == "name"
    )
    assert literal_secret("_URL_TOKEN", "https://api.acme.net/get-token") == "name"
    for url in (
        "https://maker.ifttt.com/trigger/alert/with/key/bXyZaBcDeFgHiJkLmNoPq1",
        "https://api.acme.io/v1?client_secret=s3cr3tvalue99",
        "https://api.acme.io/v1#access_token=s3cr3tvalue99",
        "https://acme.io/hook/bXyZaBcDeFgHiJkLmNoPq",
    ):
        assert not address(url), url


def test_ui_strings_in_a_language_not_written_in_ascii_are_no_secret() -> None:
    """An app's translated UI strings under password-sounding names (rw37: email titles in Japanese)."""
    import ast

    from dockwright.project.code_secrets import code_secrets

    text = (
        "auth_password_changed_title = 'パスワード変更完了'\n"
        "messages = {'password_reset': 'Passwort zurücksetzen', 'reset_password_subject': '密码已重置'}\n"
        "DB_PASSWORD = 'pässwörd-Quarry-9f8e7d'\n"  # ASCII letters too: still a password
    )
    found = code_secrets(ast.parse(text), text)
    assert [s.name for s in found] == ["DB_PASSWORD"]
