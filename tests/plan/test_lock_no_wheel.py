"""A lock dockwright resolves from a requirements file records the pins that have no wheel for the
target (uv's pylock.toml of the same resolution), and the plan gives the builder a compiler for them."""

from __future__ import annotations

from pathlib import Path

from dockwright.initialize import plan_project, with_final_lock
from dockwright.lock import generate
from dockwright.lock.wheel_check import header_line, no_wheel_pins, read_no_wheel
from dockwright.plan.model import LockPlan
from dockwright.project.detect import detect_project
from dockwright.project.facts import LockedPackage
from dockwright.project.native import mark_no_wheel
from fake_compile import FakeResolver

PYLOCK = """\
lock-version = "1.0"
created-by = "uv"
requires-python = ">=3.13"

[[packages]]
name = "Tiny_Web"
version = "2.0.1"
sdist = { url = "https://files.example/tiny_web-2.0.1.tar.gz", hashes = { sha256 = "aa" } }
wheels = [{ url = "https://files.example/tiny_web-2.0.1-py3-none-any.whl", hashes = { sha256 = "bb" } }]

[[packages]]
name = "coro-switch"
version = "1.2.0"
sdist = { url = "https://files.example/coro_switch-1.2.0.tar.gz", hashes = { sha256 = "cc" } }

[[packages]]
name = "from-git"
version = "0.1"
vcs = { type = "git", url = "https://git.example/from-git", commit-id = "abc" }
"""

BODY = (
    "coro-switch==1.2.0 \\\n    --hash=sha256:cc\n    # via tiny-web\n"
    "tiny-web==2.0.1 \\\n    --hash=sha256:aa \\\n    --hash=sha256:bb\n    # via -r requirements.txt\n"
)


def test_sdist_without_a_fitting_wheel_is_a_no_wheel_pin() -> None:
    assert no_wheel_pins(PYLOCK) == ("coro-switch==1.2.0",)
    assert no_wheel_pins("not toml [") == ()


def test_the_header_line_round_trips() -> None:
    line = header_line(("coro-switch==1.2.0", "old-lib==0.9"))
    assert line == "# dockwright-no-wheel: coro-switch==1.2.0 old-lib==0.9\n"
    assert read_no_wheel("# head\n" + line + BODY) == {("coro-switch", "1.2.0"), ("old-lib", "0.9")}
    assert header_line(()) == "" and read_no_wheel(BODY) == frozenset()


def test_mark_no_wheel_marks_and_adds_transitive_pins() -> None:
    locked = (LockedPackage("tiny-web", "2.0.1"),)
    marked = mark_no_wheel(locked, frozenset({("tiny-web", "2.0.1"), ("coro-switch", "1.2.0")}))
    assert [(p.name, p.has_wheel_for_target) for p in marked] == [("tiny-web", False), ("coro-switch", False)]
    assert mark_no_wheel(locked, frozenset()) is locked


def test_generated_lock_names_its_no_wheel_pins(tmp_path: Path, fake_resolver: FakeResolver) -> None:
    (tmp_path / "requirements.txt").write_text("tiny-web==2.0.1\n", encoding="utf-8")
    fake_resolver.body, fake_resolver.pylock = BODY, PYLOCK
    lock = LockPlan("requirements.lock", True, "requirements.txt", "uv-compile", False)
    text = generate.generate_lock(tmp_path, lock, "3.13.13")
    assert "# dockwright-no-wheel: coro-switch==1.2.0\n" in text
    assert text.endswith(BODY)


def test_the_plan_compiles_what_the_lock_says_has_no_wheel(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("tiny-web==2.0.1\n", encoding="utf-8")
    (tmp_path / "app.py").write_text("print('job')\n", encoding="utf-8")
    facts = detect_project(tmp_path, python="3.13")
    text = "# dockwright-no-wheel: coro-switch==1.2.0\n" + BODY
    decided = with_final_lock(facts, "requirements.lock", text)
    assert ("coro-switch", False) in [(p.name, p.has_wheel_for_target) for p in decided.dependencies.locked]
    # the whole path: a generated lock on disk (current: its source digest matches) steers `plan`
    from dockwright.lock.header import make_header, sha256_of

    header = make_header(
        "requirements.txt", sha256_of(tmp_path / "requirements.txt"), "uv-compile", "3.13.13"
    )
    (tmp_path / "requirements.lock").write_text(header + text, encoding="utf-8")
    plan = plan_project(tmp_path, {"python": "3.13"})
    toolchain = plan.decision("toolchain")
    assert toolchain is not None and "coro-switch" in toolchain.choice + toolchain.reason
    assert any(a.name == "build-essential" for a in plan.builder_apt)


POETRY_PYPROJECT = """\
[tool.poetry]
name = "ledger"
version = "0.1.0"
package-mode = false

[tool.poetry.dependencies]
python = "^3.11"
psycopg2-binary = "2.8.6"
"""

POETRY_LOCK = """\
[[package]]
name = "psycopg2-binary"
version = "2.8.6"
optional = false
python-versions = ">=3.7"
files = [
    {file = "psycopg2_binary-2.8.6-cp39-cp39-manylinux1_x86_64.whl", hash = "sha256:aa"},
    {file = "psycopg2-binary-2.8.6.tar.gz", hash = "sha256:bb"},
]

[metadata]
lock-version = "2.0"
python-versions = "^3.11"
content-hash = "x"
"""


def test_a_lock_converted_from_the_projects_keeps_what_its_file_list_said(tmp_path: Path) -> None:
    """The lock ``init`` converts from poetry.lock holds hashes only: the final-lock decision keeps the
    poetry.lock's word that the pin has no wheel for the Python (a compiler and libpq-dev in the builder), instead
    of the table's assumption of wheels."""
    (tmp_path / "pyproject.toml").write_text(POETRY_PYPROJECT, encoding="utf-8")
    (tmp_path / "poetry.lock").write_text(POETRY_LOCK, encoding="utf-8")
    (tmp_path / "app.py").write_text("import psycopg2\n", encoding="utf-8")
    facts = detect_project(tmp_path, python="3.11")
    before = {n.package: n for n in facts.native}
    assert before["psycopg2-binary"].compiles
    converted = "psycopg2-binary==2.8.6 \\\n    --hash=sha256:aa \\\n    --hash=sha256:bb\n"
    decided = with_final_lock(facts, "requirements.lock", converted)
    need = {n.package: n for n in decided.native}["psycopg2-binary"]
    assert need.compiles and "libpq-dev" in need.build_apt
