"""Direct-URL requirement lines (``name @ https://host/file``) checked when the plan is made, not when
the build downloads them: a scheme pip and uv do not fetch, a URL without a host, a malformed hash
fragment, a wheel file name that is not one or names another package stop the plan with one line; a
wheel no target interpreter takes, and a requirement without a hash in a file whose others carry
theirs, are said in one line each."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.errors import ProjectError
from dockwright.project.detect import detect_project

MakeProject = Callable[[dict[str, str | bytes]], Path]
APP = "import flask\napp = flask.Flask(__name__)\n"
H = "a" * 64


def _project(make_project: MakeProject, requirements: str) -> Path:
    return make_project({"requirements.txt": requirements, "app.py": APP})


@pytest.mark.parametrize(
    ("line", "said"),
    [
        ("foo @ htps://example.com/foo-1.0.tar.gz", "scheme htps"),
        ("foo @ https:///foo-1.0.tar.gz", "no host"),
        ("foo @ https://example.com/foo-1.0.tar.gz#sha256=zz", "sha256 hash zz is not 64 hexadecimal"),
        ("foo @ https://example.com/foo-1.0.tar.gz#sha257=" + H, "hash algorithm sha257"),
        ("foo @ https://example.com/foo.whl", "foo.whl is not a wheel file name"),
        ("foo @ https://example.com/bar-1.0-py3-none-any.whl", "bar-1.0-py3-none-any.whl is a wheel of bar"),
    ],
)
def test_a_malformed_direct_url_stops_the_plan_with_one_line(
    make_project: MakeProject, line: str, said: str
) -> None:
    root = _project(make_project, f"flask==3.0.0\n{line}\n")
    with pytest.raises(ProjectError) as caught:
        detect_project(root, python="3.12")
    message = str(caught.value)
    assert message.startswith("requirements.txt:2: foo @ ") and said in message and "\n" not in message


def test_a_declared_direct_url_in_pyproject_is_checked_too(make_project: MakeProject) -> None:
    pyproject = (
        '[project]\nname = "svc"\nversion = "1.0"\nrequires-python = ">=3.11"\n'
        'dependencies = [\n  "flask==3.0.0",\n  "foo @ ftp://example.com/foo-1.0.tar.gz",\n]\n'
    )
    root = make_project({"pyproject.toml": pyproject, "app.py": APP})
    with pytest.raises(ProjectError, match=r"^pyproject.toml:7: foo @ ftp://.*scheme ftp"):
        detect_project(root, python="3.12")


def test_well_formed_urls_pass(make_project: MakeProject) -> None:
    root = _project(
        make_project,
        "flask==3.0.0\n"
        f"foo @ https://example.com/dl/foo-1.0.tar.gz#sha256={H}\n"
        "bar @ https://example.com/bar-2.0-py3-none-any.whl\n"
        "baz @ https://github.com/org/baz/archive/refs/tags/v1.zip\n"
        "qux @ https://example.com/whl/qux-2.0.1%2Bcpu-cp312-cp312-linux_x86_64.whl\n",
    )
    facts = detect_project(root, python="3.12")
    assert not [n for n in facts.notes if "@ https://" in n]


def test_a_wheel_no_target_interpreter_takes_is_said(make_project: MakeProject) -> None:
    root = _project(
        make_project, "flask==3.0.0\nfoo @ https://example.com/foo-1.0-cp311-cp311-win_amd64.whl\n"
    )
    notes = [n for n in detect_project(root, python="3.12").notes if "foo-1.0-cp311" in n]
    assert len(notes) == 1
    assert notes[0].startswith("requirements.txt:2: ") and "CPython 3.12 on Linux x86_64" in notes[0]


def test_a_requirement_without_a_hash_among_hashed_ones_is_said(make_project: MakeProject) -> None:
    root = _project(
        make_project,
        f"flask==3.0.0 --hash=sha256:{H}\nclick==8.1.7 --hash=sha256:{H}\n"
        "foo @ https://example.com/foo-1.0.tar.gz\n",
    )
    notes = [n for n in detect_project(root, python="3.12").notes if "no --hash" in n]
    assert len(notes) == 1
    assert notes[0].startswith("requirements.txt:3: foo @ https://example.com/foo-1.0.tar.gz has no --hash")
    assert "2 other requirements" in notes[0]


def test_an_abbreviated_commit_of_a_git_requirement_is_said_as_such(make_project: MakeProject) -> None:
    from dockwright.initialize import plan_project

    root = _project(make_project, "flask==3.0.0\nfoo @ git+https://example.com/org/foo@abc1234\n")
    warnings = [w for w in plan_project(root, {"python": "3.12"}).warnings if "foo names git ref" in w]
    assert len(warnings) == 1
    assert "abc1234 (an abbreviated commit id: write its full 40-character id to pin it)" in warnings[0]


def test_a_bare_url_line_is_read_as_the_package_its_file_names(make_project: MakeProject) -> None:
    # pip takes a URL on a line of its own and names it from the file: a spaCy model's wheel, an sdist
    wheel = "https://example.com/releases/download/en_core_web_sm-3.8.0/en_core_web_sm-3.8.0-py3-none-any.whl"
    root = _project(
        make_project,
        f"flask==3.0.0\n{wheel}\nhttps://example.com/dl/tool-2.1.tar.gz\n"
        "https://example.com/archive/main.zip#egg=helper\nhttps://example.com/archive/v1.zip\n",
    )
    deps = detect_project(root, python="3.12").dependencies
    assert f"en-core-web-sm @ {wheel}" in deps.declared
    assert "tool @ https://example.com/dl/tool-2.1.tar.gz" in deps.declared
    assert "helper @ https://example.com/archive/main.zip#egg=helper" in deps.declared
    assert "https://example.com/archive/v1.zip" in deps.declared  # no name in it: the resolver finds it
    urls = {p.name: p.source for p in deps.locked if p.source == "url"}
    assert urls == {"en-core-web-sm": "url", "tool": "url", "helper": "url"}


def test_a_bare_url_line_is_checked_like_a_named_one(make_project: MakeProject) -> None:
    root = _project(make_project, "flask==3.0.0\nhttps://example.com/foo-1.0.tar.gz#sha256=zz\n")
    with pytest.raises(ProjectError, match=r"^requirements.txt:2: foo @ .*not 64 hexadecimal"):
        detect_project(root, python="3.12")


@pytest.mark.parametrize(
    ("line", "said"),
    [
        ("foo @ http://files.example.com/foo-1.0.tar.gz", True),
        ("foo @ http://files.example.com/foo-1.0.tar.gz#sha256=" + H, False),
        ("foo @ https://files.example.com/foo-1.0.tar.gz", False),
        ("foo @ http://files.example.com/foo-1.0.tar.gz --hash=sha256:" + H, False),
    ],
)
def test_a_plain_http_url_without_a_hash_is_said(make_project: MakeProject, line: str, said: bool) -> None:
    # downloaded without TLS, with nothing to check it against: anyone on the path can change it
    facts = detect_project(_project(make_project, f"flask==3.0.0\n{line}\n"), python="3.12")
    found = [n for n in facts.notes if "without TLS" in n]
    assert bool(found) is said
    assert not found or found[0].startswith("requirements.txt:2: foo @ http://files.example.com/")
