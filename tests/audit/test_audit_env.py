"""Issue 11: `audit --run --env-file` passes the variables the plan lists as required."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.audit.audit_images import Img, serve

from dockwright.audit.audit import run_audit
from dockwright.audit.checks import CheckOptions


def test_audit_run_passes_the_env_file(clean_image: Img, tmp_path: Path) -> None:
    engine = serve(clean_image)
    seen: list[Any] = []
    original = engine.run

    def run(ref: str, args: Any = (), **kw: Any) -> Any:
        seen.append(kw.get("env"))
        return original(ref, args, **kw)

    engine.run = run  # type: ignore[method-assign]
    engine.states = [{"Running": True, "Health": {"Status": "healthy"}}]
    env = tmp_path / "e.env"
    env.write_text("SECRET_KEY=x\n", encoding="utf-8")
    run_audit("demo:1", engine, run=True, env_file=env, options=CheckOptions(sleep=lambda s: None))  # type: ignore[arg-type]
    assert seen == [{"SECRET_KEY": "x"}]
