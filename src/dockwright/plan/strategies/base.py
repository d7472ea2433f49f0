"""The Strategy protocol, its verdict, and the options every strategy reads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from dockwright.plan.model import BuildPlan, BytecodePolicy
from dockwright.project.facts import ProjectFacts

DEFAULT_LOCK_NAME = "requirements.lock"


@dataclass(frozen=True)
class Verdict:
    """Whether a strategy can package the project, and why (or why not)."""

    ok: bool
    reason: str


@dataclass(frozen=True)
class PlanOptions:
    """What the user asked for, after config layering (defaults < pyproject < env < command line).

    ``python``/``debian``/``manager``/``start``/``port`` are detection overrides (passed to
    ``detect_project``); the rest steer the planner.
    """

    python: str | None = None
    debian: str | None = None  # Debian suite of the base images; None = the newest the Python is built on
    manager: str | None = None
    start: str | None = None
    port: int | None = None
    process: str | None = None  # which process when the project has several (web, worker, Procfile name)
    package: str | None = None  # which member of a uv workspace (default: the one app member)
    extras: tuple[str, ...] = ()  # [project.optional-dependencies] groups the image installs
    # a uv.lock project's [dependency-groups] the image installs (None: its production default groups)
    groups: tuple[str, ...] | None = None
    strategy: str | None = None  # None = let the planner choose
    runtime: str | None = None  # standalone binaries: "distroless" (default) or "scratch"
    # slim family: "trimmed" (default: FROM scratch + the base without installer tooling, plan/trim.py)
    # or "upstream" (FROM the python slim image itself), or "image:REF" (FROM a trimmed base published
    # by `dockwright base build`, plan/published_base.py)
    runtime_base: str = "trimmed"
    # "image:REF": the labels read from REF's config (None: not read) and why they were not
    runtime_base_labels: tuple[tuple[str, str], ...] | None = None
    runtime_base_unread: str = ""
    # programs the app starts (git, ffmpeg ...): "install" (default: their Debian packages in the
    # runtime's apt step, plan/programs.py) or "warn" (only a warning naming the package)
    programs: str = "install"
    syntax_directive: bool = True
    bytecode: BytecodePolicy = "compile"
    image_name: str | None = None
    lock_name: str = DEFAULT_LOCK_NAME
    include_tests: bool = False
    include_docs: bool = False
    uid: int = 10001
    # Lock generation (uv pip compile) only; never baked into the image.
    index_url: str | None = None
    # The ``pipconf`` secret mount on pip's install steps: None = where the project names another index
    # (plan/private_index.py), True/False = the user's choice.
    private_index: bool | None = None
    exclude_newer: str | None = None
    # Ask the package index for the files and Requires-Python of pins whose lock lists no files
    # (requirements, Pipfile.lock), so the Python is chosen with them in view (project/index_pins.py).
    index_lookup: bool = True
    # Origin of each non-default option, for `plan` output ("pyproject", "env", "cli").
    origins: tuple[tuple[str, str], ...] = ()


class Strategy(Protocol):
    """One packaging strategy (slim interpreter+deps, later pyinstaller, nuitka, pex, alpine, uv ...)."""

    @property
    def name(self) -> str: ...

    @property
    def summary(self) -> str: ...

    def applies(self, facts: ProjectFacts) -> Verdict:
        """Can this strategy package the project? ``reason`` says why (or what is missing)."""
        ...

    def plan(self, facts: ProjectFacts, options: PlanOptions) -> BuildPlan:
        """Decide every line of the image. Raises ``PlanError`` when it cannot."""
        ...
