"""Lock conversion (offline, deterministic) and lock generation against a local wheel directory."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from dockwright.errors import LockError
from dockwright.lock.compile import CompileOptions, compile_lock
from dockwright.lock.convert import convert
from dockwright.lock.generate import generate_lock
from dockwright.lock.header import read_header, stale_reason
from dockwright.plan.model import LockPlan
from uv_lock_text import REGISTRY, uv_entry

H = {name: "sha256:" + hashlib.sha256(name.encode()).hexdigest() for name in "abcdefgh"}


def _names(text: str) -> list[str]:
    return [line.split("==")[0] for line in text.splitlines() if "==" in line]


POETRY_LOCK = f"""
[[package]]
name = "Flask"
version = "3.0.0"
optional = false
python-versions = ">=3.8"
files = [{{file = "flask-3.0.0-py3-none-any.whl", hash = "{H["a"]}"}}]

[package.dependencies]
click = ">=8"
colorama = {{version = "*", markers = "platform_system == \\"Windows\\""}}
importlib-metadata = {{version = ">=3.6", python = "<3.10"}}
python-dotenv = {{version = "*", optional = true}}

[package.extras]
dotenv = ["python-dotenv"]

[[package]]
name = "click"
version = "8.1.7"
optional = false
python-versions = ">=3.7"
files = [
    {{file = "click-8.1.7.tar.gz", hash = "{H["b"]}"}},
    {{file = "click-8.1.7-py3-none-any.whl", hash = "{H["c"]}"}},
]

[[package]]
name = "colorama"
version = "0.4.6"
optional = false
python-versions = "*"
files = [{{file = "colorama-0.4.6-py2.py3-none-any.whl", hash = "{H["d"]}"}}]

[[package]]
name = "importlib-metadata"
version = "7.0.0"
optional = false
python-versions = ">=3.8"
files = [{{file = "importlib_metadata-7.0.0-py3-none-any.whl", hash = "{H["e"]}"}}]

[[package]]
name = "python-dotenv"
version = "1.0.0"
optional = true
python-versions = ">=3.8"
files = [{{file = "python_dotenv-1.0.0-py3-none-any.whl", hash = "{H["f"]}"}}]

[[package]]
name = "pytest"
version = "8.0.0"
optional = false
python-versions = ">=3.8"
files = [{{file = "pytest-8.0.0-py3-none-any.whl", hash = "{H["g"]}"}}]

[metadata]
lock-version = "2.0"
python-versions = "^3.11"
content-hash = "x"
"""

POETRY_PYPROJECT = """
[tool.poetry]
name = "shop"
version = "1.0.0"

[tool.poetry.dependencies]
python = "^3.11"
flask = {version = "^3.0", extras = ["dotenv"]}

[tool.poetry.group.dev.dependencies]
pytest = "^8"
"""


def test_poetry_markers_extras_and_dev_groups(tmp_path: Path) -> None:
    (tmp_path / "poetry.lock").write_text(POETRY_LOCK)
    (tmp_path / "pyproject.toml").write_text(POETRY_PYPROJECT)
    text = convert(tmp_path, "convert-poetry", "poetry.lock", "3.11.7")
    assert _names(text) == ["click", "flask", "python-dotenv"]
    assert f"--hash={H['b']}" in text and f"--hash={H['c']}" in text
    # Python 3.9 pulls importlib-metadata through the poetry `python` constraint
    assert "importlib-metadata" in _names(convert(tmp_path, "convert-poetry", "poetry.lock", "3.9.18"))
    assert convert(tmp_path, "convert-poetry", "poetry.lock", "3.11.7") == text  # deterministic


def test_pdm_groups_and_markers(tmp_path: Path) -> None:
    (tmp_path / "pdm.lock").write_text(
        f"""
[metadata]
groups = ["default", "dev"]

[[package]]
name = "requests"
version = "2.31.0"
groups = ["default"]
dependencies = ["idna>=2"]
files = [{{file = "requests-2.31.0-py3-none-any.whl", hash = "{H["a"]}"}}]

[[package]]
name = "idna"
version = "3.6"
groups = ["default"]
files = [{{file = "idna-3.6-py3-none-any.whl", hash = "{H["b"]}"}}]

[[package]]
name = "pywin32"
version = "306"
groups = ["default"]
marker = "sys_platform == \\"win32\\""
files = [{{file = "pywin32-306-cp311-cp311-win_amd64.whl", hash = "{H["c"]}"}}]

[[package]]
name = "pytest"
version = "8.0.0"
groups = ["dev"]
files = [{{file = "pytest-8.0.0-py3-none-any.whl", hash = "{H["d"]}"}}]
"""
    )
    assert _names(convert(tmp_path, "convert-pdm", "pdm.lock", "3.11.7")) == ["idna", "requests"]


def test_pdm_lock_format_4_0_keeps_hashes_under_metadata_files(tmp_path: Path) -> None:
    """PDM before lock_version 4.3 wrote no `files` per package: the hashes of every pin sit in
    `[metadata.files]`, keyed "name version" (a package with extras under its bare name)."""
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "weatherish"\nversion = "0"\ndependencies = ["httplike[fast]==1.0"]\n'
    )
    (tmp_path / "pdm.lock").write_text(
        f"""
[[package]]
name = "httplike"
version = "1.0"
dependencies = ["Idna-Ish>=2"]

[[package]]
name = "httplike"
version = "1.0"
extras = ["fast"]
dependencies = ["idna-ish>=2", "speedup"]

[[package]]
name = "idna-ish"
version = "3.6"

[[package]]
name = "speedup"
version = "0.2"

[metadata]
lock_version = "4.0"
content_hash = "sha256:00"

[metadata.files]
"httplike 1.0" = [
    {{url = "https://files.example/httplike-1.0.tar.gz", hash = "{H["a"]}"}},
    {{url = "https://files.example/httplike-1.0-py3-none-any.whl", hash = "{H["b"]}"}},
]
"Idna_Ish 3.6" = [{{url = "https://files.example/idna_ish-3.6-py3-none-any.whl", hash = "{H["c"]}"}}]
"speedup 0.2" = [{{url = "https://files.example/speedup-0.2-py3-none-any.whl", hash = "{H["d"]}"}}]
"""
    )
    text = convert(tmp_path, "convert-pdm", "pdm.lock", "3.11.7")
    assert _names(text) == ["httplike", "idna-ish", "speedup"]
    for key in "abcd":
        assert f"--hash={H[key]}" in text


def test_pipenv_default_only_and_markers(tmp_path: Path) -> None:
    data = {
        "_meta": {"hash": {"sha256": "x"}},
        "default": {
            "flask": {"hashes": [H["a"]], "version": "==3.0.0"},
            "pywin32": {"hashes": [H["b"]], "version": "==306", "markers": "sys_platform == 'win32'"},
            "shop": {"editable": True, "path": "."},
        },
        "develop": {"pytest": {"hashes": [H["c"]], "version": "==8.0.0"}},
    }
    (tmp_path / "Pipfile.lock").write_text(json.dumps(data))
    assert convert(tmp_path, "convert-pipenv", "Pipfile.lock", "3.11.7") == (
        f"flask==3.0.0 \\\n    --hash={H['a']}\n"
    )


def test_pipenv_vcs_is_refused(tmp_path: Path) -> None:
    data = {"default": {"thing": {"git": "https://example.org/thing.git", "ref": "abc"}}}
    (tmp_path / "Pipfile.lock").write_text(json.dumps(data))
    with pytest.raises(LockError, match="thing comes from VCS"):
        convert(tmp_path, "convert-pipenv", "Pipfile.lock", "3.11.7")


def test_uv_root_dev_and_extras(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "svc"\nversion = "0.1"\n')
    (tmp_path / "uv.lock").write_text(
        """
version = 1

[[package]]
name = "svc"
version = "0.1"
source = { editable = "." }
dependencies = [
    { name = "uvicorn", extra = ["standard"] },
    { name = "colorama", marker = "sys_platform == 'win32'" },
]

[package.dev-dependencies]
dev = [{ name = "pytest" }]

"""
        + uv_entry(
            "uvicorn",
            "0.30.0",
            REGISTRY,
            sdist=f'url = "u", hash = "{H["a"]}"',
            wheels=(("w", H["b"]),),
            extras='standard = [{ name = "httptools" }]',
        )
        + uv_entry("httptools", "0.6.1", REGISTRY, wheels=(("w", H["c"]),))
        + uv_entry("colorama", "0.4.6", REGISTRY, wheels=(("w", H["d"]),))
        + uv_entry("pytest", "8.0.0", REGISTRY, wheels=(("w", H["e"]),))
    )
    text = convert(tmp_path, "convert-uv", "uv.lock", "3.12.1")
    assert _names(text) == ["httptools", "uvicorn"]
    assert sorted([H["a"], H["b"]])[0] in text


def test_missing_package_in_lock_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "p"\ndependencies = ["ghost"]\n')
    (tmp_path / "pdm.lock").write_text('[metadata]\ngroups = ["default"]\n')
    with pytest.raises(LockError, match="does not lock 'ghost'"):
        convert(tmp_path, "convert-pdm", "pdm.lock", "3.11.7")


def test_uv_compile_against_local_wheels(tmp_path: Path, wheel_index: Path) -> None:
    (tmp_path / "requirements.in").write_text("alpha\n")
    options = CompileOptions(find_links=(str(wheel_index),), no_index=True)
    text = compile_lock(tmp_path, "requirements.in", "3.11.7", options)
    assert _names(text) == ["alpha", "beta"]  # gamma is Windows-only
    digest = hashlib.sha256((wheel_index / "alpha-1.1-py3-none-any.whl").read_bytes()).hexdigest()
    assert "alpha==1.1" in text and f"--hash=sha256:{digest}" in text


def test_uv_compile_failure_is_one_line(tmp_path: Path, wheel_index: Path) -> None:
    (tmp_path / "requirements.in").write_text("nosuchthing\n")
    options = CompileOptions(find_links=(str(wheel_index),), no_index=True)
    with pytest.raises(LockError, match=r"could not resolve requirements\.in"):
        compile_lock(tmp_path, "requirements.in", "3.11.7", options)


def test_generated_lock_header_and_staleness(tmp_path: Path, wheel_index: Path) -> None:
    (tmp_path / "requirements.txt").write_text("alpha==1.0\n")
    lock = LockPlan("requirements.lock", True, "requirements.txt", "uv-compile", False)
    options = CompileOptions(find_links=(str(wheel_index),), no_index=True)
    text = generate_lock(tmp_path, lock, "3.11.7", options)
    header = read_header(text)
    src_sha = hashlib.sha256(b"alpha==1.0\n").hexdigest()
    assert header is not None and header.source == "requirements.txt" and header.sha256 == src_sha
    assert "alpha==1.0" in text and "beta==2.0" in text
    (tmp_path / "requirements.lock").write_text(text)
    assert stale_reason(tmp_path, "requirements.lock") is None
    (tmp_path / "requirements.txt").write_text("alpha==1.1\n")
    reason = stale_reason(tmp_path, "requirements.lock")
    assert reason is not None and "stale" in reason


def test_compile_command_options() -> None:
    from dockwright.lock.compile import compile_command

    cmd = compile_command(
        "requirements.in",
        "3.12.4",
        CompileOptions(index_url="https://idx.example/simple", exclude_newer="2024-01-01T00:00:00Z"),
    )
    joined = " ".join(cmd[1:])
    assert "pip compile requirements.in --generate-hashes --python-version 3.12" in joined
    assert "--python-platform x86_64-manylinux_2_36" in joined  # bookworm's glibc, the oldest targeted
    assert "--index-url https://idx.example/simple" in joined
    assert "--exclude-newer 2024-01-01T00:00:00Z" in joined


def test_uv_comes_from_the_installed_wheel(monkeypatch: pytest.MonkeyPatch) -> None:
    """uv is a runtime dependency: its wheel's binary is used, PATH is not needed."""
    import uv

    from dockwright.lock import compile as lock_compile

    monkeypatch.setenv("PATH", "/nonexistent")
    assert lock_compile.uv_binary() == str(uv.find_uv_bin())


def test_uv_falls_back_to_path_then_says_what_to_do(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import sys

    from dockwright.errors import LockError
    from dockwright.lock import compile as lock_compile

    monkeypatch.setitem(sys.modules, "uv", None)  # the wheel is missing: `import uv` fails
    fake = tmp_path / "uv"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert lock_compile.uv_binary() == str(fake)
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(LockError, match="reinstall dockwright"):
        lock_compile.uv_binary()


def _lock_plan_of(root: Path) -> tuple[LockPlan, str]:
    from dockwright.plan.common import lock_plan
    from dockwright.plan.strategies.base import PlanOptions
    from dockwright.project.detect import detect_project

    plan, decision = lock_plan(detect_project(root), PlanOptions())
    return plan, decision.reason


APP = "import sys\n\nif __name__ == '__main__':\n    print(sys.argv)\n"


def test_setup_py_requirements_resolve_from_stdin_never_running_it(tmp_path: Path, wheel_index: Path) -> None:
    (tmp_path / "setup.py").write_text(
        "import sys\nsys.exit('never run')\nfrom setuptools import setup\n"
        "setup(name='shop', install_requires=['alpha>=1.1'])\n"
    )
    (tmp_path / "app.py").write_text(APP)
    lock, reason = _lock_plan_of(tmp_path)
    assert lock.source == "setup.py" and lock.method == "uv-compile" and not lock.empty
    assert lock.requirements == ("alpha>=1.1",)
    assert "read statically from setup.py:4" in reason
    options = CompileOptions(find_links=(str(wheel_index),), no_index=True)
    text = generate_lock(tmp_path, lock, "3.11.7", options)
    assert _names(text) == ["alpha", "beta"] and "alpha==1.1" in text


def test_dynamic_setup_py_is_resolved_by_the_backend(tmp_path: Path) -> None:
    (tmp_path / "setup.py").write_text(
        "from setuptools import setup\nimport deps\nsetup(name='shop', install_requires=deps.ALL)\n"
    )
    (tmp_path / "app.py").write_text(APP)
    lock, reason = _lock_plan_of(tmp_path)
    assert lock.source == "setup.py" and lock.requirements == () and not lock.empty
    assert "build backend" in reason and "setup.py:3" in reason


def test_pip_tools_pair_locks_the_compiled_file_not_the_input(tmp_path: Path, wheel_index: Path) -> None:
    (tmp_path / "requirements.in").write_text("alpha\n")
    (tmp_path / "requirements.txt").write_text("alpha==1.0\n    # via -r requirements.in\nbeta==2.0\n")
    (tmp_path / "app.py").write_text(APP)
    lock, reason = _lock_plan_of(tmp_path)
    assert lock.source == "requirements.txt" and "never re-resolved" in reason
    options = CompileOptions(find_links=(str(wheel_index),), no_index=True)
    text = generate_lock(tmp_path, lock, "3.11.7", options)
    assert "alpha==1.0" in text  # the compiled pin, not the newest alpha (1.1) the .in allows


UV_FAILURE = """\
\x1b[31merror\x1b[0m: No solution found when resolving dependencies
  cause: Because the requested Python version (>=3.8) does not satisfy Python>=3.10 and django>=5.1,<=5.2.19 \
depends on Python>=3.10, we can conclude that django>=5.1,<=5.2.19 cannot be used.
         And because you require django>=5.1, we can conclude that your requirements are unsatisfiable.

hint: The `--python-version` value (>=3.8) includes Python versions that are not supported by your dependencies
"""


def test_resolution_error_names_the_pin_its_line_and_uv_causes(tmp_path: Path) -> None:
    from dockwright.lock.compile import resolution_error

    (tmp_path / "requirements.in").write_text("# web\nflask\ndjango>=5.1\n")
    text = resolution_error(tmp_path, "requirements.in", "3.8.20", UV_FAILURE, 1)
    headline, *rest = text.splitlines()
    assert headline == (
        "uv pip compile could not resolve requirements.in: django>=5.1 (requirements.in:3) "
        "cannot be installed on CPython 3.8"
    )
    assert rest[0].strip() == "No solution found when resolving dependencies"
    assert any("depends on Python>=3.10" in line for line in rest)
    assert rest[-1].strip().startswith("hint:") and "\x1b" not in text


MISSING_PIN = """\
error: No solution found when resolving dependencies
  Because there is no version of flask==3.1.99 and pkg==1.0 depends on flask==3.1.99, we can conclude \
that pkg==1.0 cannot be used.
  And because only pkg==1.0 is available and you require pkg, we can conclude that your requirements are \
unsatisfiable.
"""


def test_a_pin_the_index_lacks_is_named_not_the_interpreter(tmp_path: Path) -> None:
    """rw37: a pin missing from the index read "pkg cannot be installed on CPython 3.13"."""
    from dockwright.lock.compile import resolution_error

    (tmp_path / "requirements.txt").write_text("pkg\n")
    headline = resolution_error(tmp_path, "requirements.txt", "3.13.1", MISSING_PIN, 1).splitlines()[0]
    assert headline == (
        "uv pip compile could not resolve requirements.txt: no version of flask==3.1.99 is on the package "
        "index, and pkg (requirements.txt:1) needs it"
    )


def test_resolution_error_without_cause_keeps_uv_line(tmp_path: Path) -> None:
    from dockwright.lock.compile import resolution_error

    text = resolution_error(
        tmp_path, "c.in", "3.12.1", 'error: Expected `--hash`, found `"--foo"`: c.in:1:14\n', 2
    )
    assert text == 'uv pip compile could not resolve c.in: Expected `--hash`, found `"--foo"`: c.in:1:14'


def test_a_lock_that_is_not_utf8_is_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "svc"\nversion = "1"\n')
    (tmp_path / "uv.lock").write_bytes(b"version = 1\n# caf\xe9\n")
    with pytest.raises(LockError, match=r"^uv.lock: not UTF-8 text \(byte 17\)$"):
        convert(tmp_path, "convert-uv", "uv.lock", "3.12")
