"""Item 5: credentials in URLs are never echoed, and a file carrying them never reaches the image."""

from __future__ import annotations

from collections.abc import Callable

from tests.hostile.conftest import TOKEN, Run, Sandbox, one_error_line

from dockwright.redact import redact

INDEX = f"https://deploy:{TOKEN}@pypi.corp.example/simple"


def test_redact() -> None:
    assert redact(f"pkg @ {INDEX}/pkg.whl") == "pkg @ https://***@pypi.corp.example/simple/pkg.whl"
    assert redact("git+ssh://git@github.com/a/b") == "git+ssh://***@github.com/a/b"
    assert redact("mail me: a@b.example, https://host/x@y") == "mail me: a@b.example, https://host/x@y"


def test_requirements_with_an_index_password(box: Sandbox, cli: Callable[..., Run]) -> None:
    req = box.project / "requirements.txt"
    req.write_text(f"--index-url {INDEX}\n" + req.read_text())
    plan = cli("plan", str(box.project))
    assert plan.code == 0 and TOKEN not in plan.text
    assert "credentials in requirements.txt:1" in plan.text
    as_json = cli("plan", str(box.project), "--json")
    assert TOKEN not in as_json.text and "credentials in requirements.txt:1" in as_json.text
    line = one_error_line(cli("init", str(box.project), "--no-syntax"))
    assert "requirements.txt:1" in line and "--index-url" in line and TOKEN not in line
    assert not (box.project / "Dockerfile").exists()


def test_direct_url_with_a_token_is_redacted_everywhere(box: Sandbox, cli: Callable[..., Run]) -> None:
    (box.project / "pyproject.toml").write_text(
        f'[project]\nname = "demo"\nversion = "1"\ndependencies = ["pkg @ {INDEX}/pkg-1.0-py3-none-any.whl"]\n'
    )
    for argv in (("plan",), ("plan", "--json"), ("init", "--dry-run"), ("init", "--diff")):
        run = cli(*argv, str(box.project))
        assert TOKEN not in run.text, (argv, run.text)


def test_lint_output_never_repeats_an_index_password(box: Sandbox, cli: Callable[..., Run]) -> None:
    (box.project / "Dockerfile").write_text(f"FROM python:3.12\nRUN pip install --index-url {INDEX} flask\n")
    for fmt in ("text", "json", "sarif", "github"):
        run = cli("lint", str(box.project), "--format", fmt)
        assert run.code == 1 and TOKEN not in run.text, (fmt, run.text)
