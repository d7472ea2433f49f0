"""The audit's lock check compares the image with the part of a manager's lock the image installs."""

from __future__ import annotations

from pathlib import Path

from dockwright.audit.inventory import PythonDist, check_against_lock, project_lock
from dockwright.lock.header import make_header, sha256_of
from dockwright.project.facts import LockedPackage

HASH = "sha256:" + "a" * 64
PYPROJECT = (
    '[project]\nname = "tool"\nversion = "1.0"\nrequires-python = ">=3.11"\ndependencies = ["click"]\n'
    '[project.scripts]\ntool = "tool:main"\n[dependency-groups]\ndev = ["pip"]\n'
)
UV_LOCK = """version = 1
requires-python = ">=3.11"

[[package]]
name = "click"
version = "8.1.0"
source = { registry = "https://pypi.org/simple" }
wheels = [{ url = "https://files.example/click-8.1.0-py3-none-any.whl", hash = "HASH" }]

[[package]]
name = "pip"
version = "26.1.2"
source = { registry = "https://pypi.org/simple" }
wheels = [{ url = "https://files.example/pip-26.1.2-py3-none-any.whl", hash = "HASH" }]

[[package]]
name = "tool"
version = "1.0"
source = { editable = "." }
""".replace("HASH", HASH)


def test_a_converted_lock_is_the_set_the_image_installs(tmp_path: Path) -> None:
    # a real repository (pipx): uv.lock pins pip for its dev group; the image has only the base
    # image's own pip, which the audit reported as drift from uv.lock
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    (tmp_path / "tool.py").write_text("def main() -> None:\n    pass\n")
    (tmp_path / "uv.lock").write_text(UV_LOCK)
    header = make_header("uv.lock", sha256_of(tmp_path / "uv.lock"), "convert-uv", "3.13.13")
    (tmp_path / "requirements.lock").write_text(header + f"click==8.1.0 \\\n    --hash={HASH}\n")
    locked, lock_file = project_lock(tmp_path)
    assert [(p.name, p.version) for p in locked] == [("click", "8.1.0")]
    assert lock_file == "requirements.lock (from uv.lock)"


def test_without_a_converted_lock_the_managers_lock_is_read(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    (tmp_path / "tool.py").write_text("def main() -> None:\n    pass\n")
    (tmp_path / "uv.lock").write_text(UV_LOCK)
    locked, lock_file = project_lock(tmp_path)
    assert {p.name for p in locked} == {"click", "pip"} and lock_file == "uv.lock"


def test_the_lock_init_resolved_from_requirements_is_the_set(tmp_path: Path) -> None:
    # a Flask app whose requirements.txt pins nothing but a git line: the check read requirements.txt
    # (the git line, no version) under the generated lock's name and failed the built package
    (tmp_path / "requirements.txt").write_text("flask\ngreet @ git+https://h.example/greet.git@main\n")
    (tmp_path / "app.py").write_text("import flask, greet\n")
    header = make_header(
        "requirements.txt", sha256_of(tmp_path / "requirements.txt"), "uv-compile", "3.13.13"
    )
    body = f"flask==3.1.0 \\\n    --hash={HASH}\n# built from git: greet @ git+https://h.example/greet.git@{'b' * 40}\n"
    (tmp_path / "requirements.lock").write_text(header + body)
    locked, lock_file = project_lock(tmp_path)
    assert [(p.name, p.version) for p in locked] == [("flask", "3.1.0")] and lock_file == "requirements.lock"


def test_a_git_pin_has_no_version_to_differ_from() -> None:
    dist = PythonDist("greet", "0.2.0", "/opt/venv/lib/python3.13/site-packages/greet-0.2.0.dist-info", 3)
    (checked,) = check_against_lock([dist], [LockedPackage("greet", "", source="vcs")], "requirements.txt")
    assert checked.lock is not None and checked.lock.state == "matches"
