"""The layers of /work/shared/design.md hold: every module imports only its own package and the floors
below it, never back up. Lazy imports (inside functions) count too. A new top-level module gets a floor
here on purpose."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "dockwright"

# Each top-level module or package of dockwright and its floor (0 = the bottom). Siblings on one floor
# do not import each other.
FLOORS: dict[str, int] = {
    "lazy_re": -1,  # module-level regexes compiled on first use (imports nothing of dockwright)
    "switches": -1,  # the environment's off switches, one spelling of "off" (imports nothing)
    "toml_reader": -1,  # the TOML 1.1 parser every reader of the user's files uses (imports nothing of ours)
    "errors": 0,
    "jsonable": 0,
    "dist_names": 0,  # PEP 503 names without packaging: the audit's checks and the pkg_resources table  # to_jsonable (imports only dataclasses): project facts, plan, the audit's JSON
    "readset": 0,  # what planning read (an audit hook, stat and git recorded): tree, index reader, kept plan
    "safe_text": 1,  # the control-character gate of everything written into a generated file
    "redact": 1,
    "python_program": 0,  # the interpreter-name pattern (imports nothing): planner, lint and strategies
    "secret_values": 0,  # whether a value is a secret (imports nothing): redact, lint DW403, the start
    "bundled_uv": 1,  # the uv binary dockwright depends on: lock (uv pip compile) and project (uv python find)
    "image_names": 1,  # image reference text: the planner's base labels and the engine's registry client
    "platform_names": 1,  # OS/ARCH[/VARIANT] as BuildKit spells them: the CLI's --platform check
    "shell_lists": 1,  # a shell line's lists outside quotes: the planner's sh -c starts and the audit's signals
    "output": 1,
    "dockerfile": 1,
    "secrets": 2,  # reads .dockerignore patterns (dockerfile)
    "own_start": 2,  # the start a user's Dockerfile runs (dockerfile), for build without a detected one
    "project": 3,
    "plan": 4,
    "lint": 4,
    "lock": 5,  # writes a LockPlan (plan.model)
    "config": 5,  # fills PlanOptions (plan.strategies.base)
    "render": 5,
    "indexauth": 4,  # build-time index credentials (netrc) from the plan's index facts
    "written_base": 4,  # the Python and suite a Dockerfile dockwright wrote pins (own_image), for build's plan
    "npmauth": 5,  # build-time npm/Yarn registry secrets from the plan's frontend facts (indexauth's files)
    "engine": 6,  # nothing below the engine facade imports it
    "audit": 7,
    "build_ahead": 7,  # a build of the last plan while planning again (engine): build takes it, api starts it
    "build": 7,
    "base_build": 7,  # `dockwright base build`: plan + render + engine, like build
    "initialize": 7,  # init = plan + lock + render + atomic write (the act layer beside build; no engine)
    "sbom": 8,
    "kept_plan": 8,  # the plan of a build kept with its read set (readset), reused by api.build
    "api": 9,
    "cli": 10,
    "launch": 11,  # the command's entry point: an audit's early save (audit.prefetch), then the cli
    "daemon_client": 0,  # hands a command to the daemon (imports nothing of dockwright): launch runs it first
    "daemon": 12,  # the daemon: forks a child that runs launch's command
    "__main__": 12,
    "__init__": 11,
}

# Modules that sit higher than their package, and why.
MODULE_FLOORS: dict[str, tuple[int, str]] = {}

FORBIDDEN_EVERYWHERE_BELOW_ENGINE = ("docker",)  # the Docker SDK: only the engine facade may talk to Docker


def _modules() -> list[tuple[str, Path]]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        parts = path.relative_to(SRC).with_suffix("").parts
        if parts[-1] == "__init__" and len(parts) > 1:
            parts = parts[:-1]
        found.append((".".join(parts), path))
    return found


def _imports(path: Path, module: str) -> set[str]:
    """The absolute names a module imports (relative imports resolved)."""
    names: set[str] = set()
    package = module.split(".")[:-1] if path.name != "__init__.py" else module.split(".")
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(["dockwright", *package[: len(package) - node.level + 1]])
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            names.add(target)
            if target == "dockwright":  # from dockwright import api (a module, not __version__)
                names.update(
                    f"dockwright.{alias.name}"
                    for alias in node.names
                    if (SRC / f"{alias.name}.py").exists() or (SRC / alias.name).is_dir()
                )
    return names


def _floor(module: str) -> int:
    for prefix, (floor, _why) in MODULE_FLOORS.items():
        if module == prefix or module.startswith(prefix + "."):
            return floor
    top = module.split(".")[0]
    assert top in FLOORS, f"dockwright.{top} has no floor: give it one in tests/test_layering.py (FLOORS)"
    return FLOORS[top]


def test_every_top_level_module_has_a_floor() -> None:
    tops = {module.split(".")[0] for module, _ in _modules()}
    assert tops - FLOORS.keys() == set(), "give each new top-level module a floor in FLOORS"


@pytest.mark.parametrize(("module", "path"), _modules(), ids=[m for m, _ in _modules()])
def test_imports_only_downward(module: str, path: Path) -> None:
    own = module.split(".")[0]
    floor = _floor(module)
    upward = []
    for name in sorted(_imports(path, module)):
        top = name.split(".")
        if top[0] in FORBIDDEN_EVERYWHERE_BELOW_ENGINE and floor < FLOORS["engine"]:
            upward.append(f"{name} (the Docker SDK, below the engine facade)")
        if top[0] != "dockwright" or len(top) < 2 or top[1] == own:
            continue
        target = ".".join(top[1:])
        if _floor(target) >= floor:
            upward.append(f"dockwright.{target} (floor {_floor(target)} >= {floor})")
    assert upward == [], f"dockwright.{module} (floor {floor}) imports up or sideways: {upward}"


def test_plan_never_reaches_into_render_or_the_engine() -> None:
    """The follow-up that moved the safety gate: plan/common.py used to import render.safe."""
    for module, path in _modules():
        if module.startswith("plan.") and module not in MODULE_FLOORS:
            reached = {
                n for n in _imports(path, module) if n.startswith(("dockwright.render", "dockwright.engine"))
            }
            assert reached == set(), f"dockwright.{module} imports {reached}"
