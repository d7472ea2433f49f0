"""A dependency that asks for setuptools at run time imports ``pkg_resources``, which setuptools 82
removed: a lock dockwright resolves keeps setuptools below 82 for it, and says why in the lock."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.lock import generate
from dockwright.lock.compile import CompileOptions
from dockwright.lock.setuptools_cap import CAP, cap_needed
from dockwright.plan.model import LockPlan
from fake_compile import Call, FakeResolver

NEW = (
    "old-server==20.1.0 \\\n    --hash=sha256:aa\n    # via -r requirements.txt\n"
    "setuptools==84.2.1 \\\n    --hash=sha256:bb \\\n    --hash=sha256:cc\n    # via old-server\n"
    "tiny-web==3.0.3 \\\n    --hash=sha256:dd\n    # via -r requirements.txt\n"
)
CAPPED = NEW.replace("setuptools==84.2.1", "setuptools==81.0.0")


def test_setuptools_82_brought_by_a_dependency_needs_the_cap() -> None:
    assert cap_needed(NEW) == "old-server"
    listed = NEW.replace("# via old-server", "# via\n    #   old-server\n    #   plugin-kit")
    assert cap_needed(listed) == "old-server, plugin-kit"


@pytest.mark.parametrize(
    "body",
    [
        CAPPED,  # already one with pkg_resources
        NEW.replace("# via old-server", "# via -r requirements.txt"),  # the project asks for it
        NEW.replace("# via old-server", "# via\n    #   old-server\n    #   ledger (pyproject.toml)"),
        NEW.replace("    # via old-server\n", ""),  # no annotation to tell
        "tiny-web==3.0.3 \\\n    --hash=sha256:dd\n",  # no setuptools
    ],
)
def test_no_cap_otherwise(body: str) -> None:
    assert cap_needed(body) is None


def test_the_lock_is_resolved_again_under_the_cap(tmp_path: Path, fake_resolver: FakeResolver) -> None:
    (tmp_path / "requirements.txt").write_text("old-server~=20.1.0\ntiny-web\n", encoding="utf-8")
    asked: list[tuple[str | None, bool]] = []  # the constraints file is gone once the call returns

    def answer(call: Call) -> str:
        given = Path(call.constraints).read_text(encoding="utf-8") if call.constraints else None
        asked.append((given, bool(call.extra)))
        return "" if call.extra else CAPPED if given == f"{CAP}\n" else NEW

    fake_resolver.answer = answer
    text = _generated(tmp_path)
    assert "setuptools==81.0.0" in text and "setuptools==84.2.1" not in text
    assert "# resolved under setuptools<82: old-server asks for setuptools" in text
    # the first resolution, the capped one, and the wheel check's under the same cap
    assert asked == [(None, False), (f"{CAP}\n", False), (f"{CAP}\n", True)]


def test_a_lock_without_the_need_is_resolved_once(tmp_path: Path, fake_resolver: FakeResolver) -> None:
    (tmp_path / "requirements.txt").write_text("tiny-web\n", encoding="utf-8")
    fake_resolver.body = CAPPED.replace("# via old-server", "# via -r requirements.txt")
    text = _generated(tmp_path)
    assert "resolved under" not in text and [c.constraints for c in fake_resolver.calls] == [None, None]


def _generated(root: Path) -> str:
    lock = LockPlan("requirements.lock", True, "requirements.txt", "uv-compile", False)
    return generate.generate_lock(root, lock, "3.13.13")


def test_the_cap_is_the_one_requirement_the_pkg_resources_table_adds() -> None:
    """Both ways of keeping pkg_resources (a dependency asking for setuptools, a library of
    pkg_resources_users.toml asking for nothing) add one requirement, read from one table."""
    from dockwright.lock import setuptools_cap
    from dockwright.project.pkg_resources_users import setuptools_requirement

    assert setuptools_requirement() == CAP
    assert setuptools_cap.FIRST_WITHOUT == (82,)


def test_regenerations_under_the_cap_are_identical_and_name_no_temporary_path(
    tmp_path: Path, make_wheel: Callable[..., Path]
) -> None:
    """uv annotates the cap's constraints file by its path, a fresh temporary folder per run: the lock
    names the cap instead, so `init --force` rewrites nothing and no host path is committed."""
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    make_wheel(wheels, "old-server", "20.1.0", ("setuptools>=3",))
    make_wheel(wheels, "setuptools", "84.2.1")
    make_wheel(wheels, "setuptools", "81.0.0")
    app = tmp_path / "app"
    app.mkdir()
    (app / "requirements.txt").write_text("old-server\n", encoding="utf-8")
    lock = LockPlan("requirements.lock", True, "requirements.txt", "uv-compile", False)
    options = CompileOptions(find_links=(str(wheels),), no_index=True)
    first, second = (generate.generate_lock(app, lock, "3.12.13", options) for _ in range(2))
    assert first == second
    assert "setuptools==81.0.0" in first and f"-c {generate.CAP_LABEL}\n" in first
    assert "dockwright-cap-" not in first and tempfile.gettempdir() not in first
