"""bench/audit_vs_dive.py's argument handling: which dockwright it times and how it is installed.

Nothing here runs an engine, dive or an install, and nothing is timed."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("audit_vs_dive", ROOT / "bench" / "audit_vs_dive.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["audit_vs_dive"] = module  # dataclasses look the module up by name
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules["audit_vs_dive"]
    return module


def _checkout(folder: Path) -> Path:
    (folder / "src" / "dockwright").mkdir(parents=True)
    (folder / "pyproject.toml").write_text("[project]\nname = 'dockwright'\n")
    return folder


def test_default_installs_this_checkout(bench: ModuleType) -> None:
    args = bench.parse_args([])
    assert args.checkout == ROOT
    assert args.baseline is None and args.python is None
    assert args.rounds == 3 and args.images == []


@pytest.mark.parametrize("under", ["", "src"])
def test_baseline_is_a_checkout_or_its_src(bench: ModuleType, tmp_path: Path, under: str) -> None:
    other = _checkout(tmp_path / "main")
    args = bench.parse_args(["--baseline", str(other / under), "img:1"])
    assert args.baseline == other.resolve()
    assert args.images == ["img:1"]


def test_baseline_that_is_no_checkout_is_refused(bench: ModuleType, tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="not a dockwright checkout"):
        bench.parse_args(["--baseline", str(tmp_path)])


def test_python_is_resolved_or_refused(bench: ModuleType, capsys: pytest.CaptureFixture[str]) -> None:
    assert bench.parse_args(["--python", sys.executable]).python == sys.executable
    with pytest.raises(SystemExit):
        bench.parse_args(["--python", "/nonexistent/python3"])
    assert "no such interpreter" in capsys.readouterr().err


def test_rounds_must_be_positive(bench: ModuleType, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        bench.parse_args(["--rounds", "0"])
    assert "--rounds" in capsys.readouterr().err


@pytest.mark.parametrize("uv", ["/opt/uv", None])
def test_install_is_not_editable_into_a_fresh_venv(bench: ModuleType, tmp_path: Path, uv: str | None) -> None:
    venv = tmp_path / "venv"
    commands = bench.install_commands(ROOT, venv, uv, "/usr/bin/python3")
    make, install = commands
    assert str(venv) in make and ("/usr/bin/python3" in make)
    assert install[-1] == str(ROOT)  # the checkout itself, not "-e CHECKOUT"
    assert "-e" not in install and "--editable" not in install
    assert str(venv / "bin" / "python") in install
    if uv is not None:
        assert install[:3] == [uv, "pip", "install"] and "--compile-bytecode" in install
    else:
        assert install[1:4] == ["-m", "pip", "install"]  # pip compiles bytecode by default


def test_python_option_runs_the_checkouts_source(bench: ModuleType, tmp_path: Path) -> None:
    runner = bench.source_runner(ROOT, "/usr/bin/python3", tmp_path / "pycache")
    assert runner.command == ("/usr/bin/python3", "-m", "dockwright")
    assert runner.python == "/usr/bin/python3"
    assert runner.env == {"PYTHONPATH": str(ROOT / "src"), "PYTHONPYCACHEPREFIX": str(tmp_path / "pycache")}
