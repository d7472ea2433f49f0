"""A requirements file layered on another (pip-tools' ``production.in`` with ``-c base.txt``): the lock
resolves every layer the production install needs together, hash-locked, says why each file is in, and
goes stale when a layer changes or was left out when it was made."""

from __future__ import annotations

import hashlib
from pathlib import Path

from dockwright.initialize import init_project, plan_project
from dockwright.lock.compile import CompileOptions
from dockwright.lock.header import read_header, stale_reason


def _project(root: Path) -> Path:
    """base.txt (alpha, beta) beneath production.txt (gamma); dev.txt (a pin no index has) beside."""
    folder = root / "requirements"
    folder.mkdir()
    (folder / "base.in").write_text("alpha\n")
    (folder / "base.txt").write_text("alpha==1.0\nbeta==2.0\n")
    (folder / "production.in").write_text("-c base.txt\ngamma\n")
    (folder / "production.txt").write_text("gamma==0.1\n")
    (folder / "dev.in").write_text("-c base.txt\ndelta\n")
    (folder / "dev.txt").write_text("delta==9.9\n")
    (root / "main.py").write_text("import alpha\nimport gamma\n")
    return root


def test_the_plan_resolves_the_layers_with_the_production_file(tmp_path: Path) -> None:
    plan = plan_project(_project(tmp_path))
    assert plan.lock.source == "requirements/production.txt"
    assert plan.lock.layers == ("requirements/base.txt",)
    reason = next(d.reason for d in plan.decisions if d.topic == "lock")
    assert "bottom first: requirements/base.txt [requirements/production.in:1 (`-c base.txt`" in reason
    assert "dev.txt" not in reason
    assert not [w for w in plan.warnings if "ModuleNotFoundError" in w]


def test_init_locks_every_layer_and_goes_stale_with_one(
    tmp_path: Path, offline_compile: CompileOptions
) -> None:
    root = _project(tmp_path)
    options = offline_compile
    init_project(root, {}, compile_options=options)
    text = (root / "requirements.lock").read_text()
    assert "alpha==1.0" in text and "beta==2.0" in text and "gamma==0.1" in text
    assert "--hash=sha256:" in text and "delta" not in text
    header = read_header(text)
    assert header is not None and [f for f, _ in header.includes] == ["requirements/base.txt"]
    assert not plan_project(root).lock.stale

    (root / "requirements" / "base.txt").write_text("alpha==1.1\nbeta==2.0\n")
    assert plan_project(root).lock.stale


def test_a_lock_made_without_the_layer_is_stale(tmp_path: Path) -> None:
    root = _project(tmp_path)
    digest = hashlib.sha256((root / "requirements" / "production.txt").read_bytes()).hexdigest()
    (root / "requirements.lock").write_text(
        f"# dockwright-source: requirements/production.txt sha256={digest}\ngamma==0.1\n"
    )
    reason = stale_reason(root, "requirements.lock", layers=("requirements/base.txt",))
    assert reason is not None and reason.startswith(
        "requirements.lock is stale: requirements/production.txt is layered on requirements/base.txt, "
        "which it was not resolved with"
    )
    assert plan_project(root).lock.stale
