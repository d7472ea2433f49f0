"""Item 3: no project value can end a Dockerfile, .dockerignore or lock line and start its own."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from tests.hostile.conftest import Run, Sandbox, one_error_line, use_example

from dockwright.dockerfile.ignore import DockerIgnore
from dockwright.dockerfile.parser import parse
from dockwright.safe_text import ignore_line

PWN = "RUN touch /pwned"


def _pyproject(project: Path, body: str) -> None:
    (project / "pyproject.toml").write_text(body)


PACKAGE = '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n'


@pytest.mark.parametrize(
    ("field", "body"),
    [
        ("version", f'[project]\nname = "demo"\nversion = "1.0\\n{PWN}"\n'),
        ("name", f'[project]\nname = "demo\\n{PWN}"\nversion = "1"\n'),
        (
            "url",
            f'[project]\nname = "demo"\nversion = "1"\n[project.urls]\nRepository = "https://x\\n{PWN}"\n',
        ),
        ("carriage return", f'[project]\nname = "demo"\nversion = "1\\r{PWN}"\n'),
        ("line separator", f'[project]\nname = "demo"\nversion = "1\\u2028{PWN}"\n'),
    ],
)
def test_newline_in_metadata_is_refused(box: Sandbox, cli: Callable[..., Run], field: str, body: str) -> None:
    _pyproject(box.project, body)
    line = one_error_line(cli("init", str(box.project), "--no-syntax"))
    assert "control character" in line
    assert not (box.project / "Dockerfile").exists()
    plan = cli("plan", str(box.project))
    assert plan.code == 0 or plan.code == 2  # planning may show the value; writing never happens


def test_quotes_in_a_label_value_stay_inside_the_value(box: Sandbox, cli: Callable[..., Run]) -> None:
    _pyproject(box.project, '[project]\nname = "de\\"mo"\nversion = "1.0\\" \\\\ $X"\n')
    assert cli("init", str(box.project), "--no-syntax").code == 0, "quotes are escaped, not refused"
    text = (box.project / "Dockerfile").read_text()
    keywords = [i.keyword for i in parse(text).instructions]
    assert keywords.count("LABEL") == 1
    assert '\\"' in text
    # nothing injected: the same instructions as for a plain name and version (the generated steps
    # themselves may run `touch`, so the marker is the instruction list, not the word)
    _pyproject(box.project, '[project]\nname = "demo"\nversion = "1.0"\n')
    assert cli("init", str(box.project), "--no-syntax", "--force").code == 0
    plain = parse((box.project / "Dockerfile").read_text()).instructions
    assert keywords == [i.keyword for i in plain]
    assert [i.value for i in parse(text).instructions if i.keyword == "RUN"] == [
        i.value for i in plain if i.keyword == "RUN"
    ]


@pytest.mark.parametrize(
    "path", ["README.md\n!.env", "../neighbour/precious.txt", "/etc/hostname", "missing.md"]
)
def test_declared_readme_must_exist_inside_the_project(
    box: Sandbox, cli: Callable[..., Run], path: str
) -> None:
    escaped = path.replace("\n", "\\n")
    _pyproject(box.project, f'{PACKAGE}[project]\nname = "demo"\nversion = "1"\nreadme = "{escaped}"\n')
    (box.project / ".env").write_text("TOKEN=x\n")
    run = cli("init", str(box.project), "--no-syntax")
    assert run.code in (0, 2), run.text
    ignore = (box.project / ".dockerignore").read_text() if run.code == 0 else ""
    assert "!.env" not in ignore and "precious" not in ignore and "hostname" not in ignore
    if ignore:
        assert DockerIgnore.parse(ignore).excluded(".env")


def test_lock_entry_with_a_newline_is_refused(box: Sandbox, cli: Callable[..., Run]) -> None:
    project = use_example(box, "pdm-app")
    lock = project / "pdm.lock"
    lock.write_text(
        lock.read_text().replace('version = "4.15.1"', 'version = "4.15.1\\n--index-url http://evil"', 1)
    )
    line = one_error_line(cli("init", str(project), "--no-syntax"))
    assert "lock entry 'anyio' version contains a control character" in line
    assert not (project / "requirements.lock").exists()


def test_ignore_line_is_literal() -> None:
    rules = DockerIgnore.parse("*\n!" + ignore_line("docs/READ[ME]*.md") + "\n!" + ignore_line("#x"))
    assert not rules.excluded("docs/READ[ME]*.md") and rules.excluded("docs/READM.md")
    assert not rules.excluded("#x")
    with pytest.raises(Exception, match="control character"):
        ignore_line("a\n!.env")


def test_generated_python_takes_names_only() -> None:
    from dockwright.errors import PlanError
    from dockwright.render.render import _identifier

    assert _identifier("pkg.cli") == "pkg.cli"
    for bad in ("os; import evil", "a.b c", "x\nimport os", ""):
        with pytest.raises(PlanError):
            _identifier(bad)


def test_copy_paths_with_spaces_or_quotes_use_the_json_form() -> None:
    from dockwright.render.render import _copy_args

    assert _copy_args(("requirements.lock", "./")) == "requirements.lock ./"
    assert _copy_args(('my "read me".md', "./")) == '["my \\"read me\\".md", "./"]'
