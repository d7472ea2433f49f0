"""A second resolution (the package's own ranges beside the requirements file, lock/own_ranges.py) that
fails says the resolver's cause in one line: "no version fits both" only for a real conflict; the index
unreachable or a package it does not serve is said as such (lock/compile.py ``failure_of``). Examples of
our own; uv's messages are uv 0.13's, and the classifier is checked on the real uv too."""

from __future__ import annotations

from pathlib import Path

import pytest
from shop_setup import SETUP_PY

from dockwright.errors import LockError
from dockwright.initialize import plan_project
from dockwright.lock import own_ranges
from dockwright.lock.compile import CompileOptions, compile_lock, failure_of
from dockwright.plan.model import LockPlan

CONFLICT = (
    "uv pip compile could not resolve requirements.txt: alpha>=1 (requirements.txt) cannot be installed on "
    "CPython 3.12\n  No solution found when resolving dependencies\n  Because you require alpha<1 and "
    "alpha>=1, we can conclude that your requirements are unsatisfiable."
)
MISSING = (
    "uv pip compile could not resolve requirements.txt: gamma>=1 (requirements.txt) cannot be installed on "
    "CPython 3.12\n  No solution found when resolving dependencies\n  Because gamma was not found in the "
    "package registry and alpha==1.1 depends on gamma>=1, we can conclude that alpha==1.1 cannot be used."
    "\n  And because you require alpha>=1, we can conclude that your requirements are unsatisfiable."
)
NETWORK = (
    "uv pip compile could not resolve requirements.txt: Request failed after 3 retries in 6.3s\n"
    "  Failed to fetch: http://127.0.0.1:9/simple/alpha/\n  error sending request for url "
    "(http://127.0.0.1:9/simple/alpha/)\n  client error (Connect)\n  tcp connect error\n"
    "  Connection refused (os error 111)"
)
BUILD = (
    "uv pip compile could not resolve requirements.txt: Failed to build `blist==1.3.6`\n"
    "  The build backend returned an error\n  Call to `setuptools.build_meta.build_wheel` failed (exit status: 1)"
)


@pytest.mark.parametrize(
    ("message", "kind", "cause"),
    [
        (CONFLICT, "conflict", "you require alpha<1 and alpha>=1"),
        (
            MISSING,
            "missing",
            "gamma was not found in the package registry and alpha==1.1 depends on gamma>=1",
        ),
        (
            NETWORK,
            "network",
            "Request failed after 3 retries in 6.3s: Failed to fetch: http://127.0.0.1:9/simple/alpha/: "
            "Connection refused (os error 111)",
        ),
        (
            BUILD,
            "other",
            "Failed to build `blist==1.3.6`; Call to `setuptools.build_meta.build_wheel` failed (exit status: 1)",
        ),
    ],
)
def test_the_kind_and_the_cause_in_one_line(message: str, kind: str, cause: str) -> None:
    failed = failure_of(message)
    assert (failed.kind, failed.cause) == (kind, cause)


def test_the_real_resolver_s_messages_are_classified(tmp_path: Path, wheel_index: Path) -> None:
    """alpha 1.0/1.1 and beta 2.0 on the fixture index: a conflict, a range nothing meets, a missing name."""
    (tmp_path / "requirements.txt").write_text("alpha<1.1\n")
    options = CompileOptions(find_links=(str(wheel_index),), no_index=True)
    found = {}
    for asked in ("alpha>=1.1", "beta>=3", "delta>=1"):
        with pytest.raises(LockError) as error:
            compile_lock(tmp_path, "requirements.txt", "3.12.1", options, ("-r requirements.txt", asked))
        found[asked] = failure_of(error.value.message)
    assert found["alpha>=1.1"].kind == "conflict" and "alpha<1.1 and alpha>=1.1" in found["alpha>=1.1"].cause
    assert found["beta>=3"].kind == "conflict" and "you require beta>=3" in found["beta>=3"].cause
    assert found["delta>=1"].kind == "missing"
    assert found["delta>=1"].cause.startswith("delta was not found in the provided package locations")


def _app(root: Path) -> Path:
    (root / "requirements.txt").write_text("alpha<1\nbeta>=1\n")
    (root / "setup.py").write_text(SETUP_PY)
    (root / "shop").mkdir()
    (root / "shop" / "__init__.py").write_text("")
    (root / "shop" / "__main__.py").write_text("import alpha\nimport beta\n")
    return root


def _lock_text(pins: dict[str, str]) -> str:
    return "".join(f"{name}=={version} \\\n    --hash=sha256:{'a' * 64}\n" for name, version in pins.items())


def _failing(message: str):  # type: ignore[no-untyped-def]
    asked: list[tuple[str, ...]] = []

    def regenerate(lock: LockPlan) -> str:
        asked.append(lock.ranges)
        raise LockError(message)

    return regenerate, asked


@pytest.mark.parametrize(
    ("message", "said"),
    [
        (
            NETWORK,
            "the index could not be reached (Request failed after 3 retries in 6.3s: Failed to fetch: "
            "http://127.0.0.1:9/simple/alpha/: Connection refused (os error 111))",
        ),
        (
            MISSING,
            "the index has no such package (gamma was not found in the package registry and alpha==1.1",
        ),
        (BUILD, "the resolver failed (Failed to build `blist==1.3.6`;"),
    ],
    ids=["network", "missing", "build"],
)
def test_another_cause_is_said_as_it_is_not_as_no_version_fits(
    tmp_path: Path, message: str, said: str
) -> None:
    root = _app(tmp_path)
    plan = plan_project(root, {})
    regenerate, asked = _failing(message)
    with pytest.raises(LockError) as error:
        own_ranges.mend(root, plan, _lock_text({"alpha": "0.9", "beta": "1.0"}), regenerate)
    text = str(error.value)
    assert asked == [("alpha>=1", "beta>=2")]  # not tried name by name: the ranges are not the cause
    assert "\n" not in text and "no version fits" not in text
    assert text.startswith(
        "requirements.txt could not be resolved again with setup.py install_requires 'alpha>=1' (setup.py:8), "
        "'beta>=2' (setup.py:9) beside it (the first resolution pinned alpha==0.9, beta==1.0, out of that "
        "range), for another cause than the ranges: "
    )
    assert said in text and text.endswith("; nothing was written")


def test_a_real_conflict_is_still_no_version_fits(tmp_path: Path) -> None:
    root = _app(tmp_path)
    plan = plan_project(root, {})
    regenerate, _ = _failing(CONFLICT)
    with pytest.raises(LockError, match="no version fits both"):
        own_ranges.mend(root, plan, _lock_text({"alpha": "0.9", "beta": "1.0"}), regenerate)
