"""The one error base class and the exit-code table.

Library code raises a subclass of :class:`DockwrightError`; ``cli.main`` catches it once and turns
it into a one-line message and exit code 2. Nothing else in the package calls ``sys.exit``.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2


class DockwrightError(Exception):
    """Base of every error dockwright reports to a user as one line (exit code 2)."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = f"{self.file}:{self.line}: " if self.line else f"{self.file}: "
        return f"{where}{self.message}"


class ProjectError(DockwrightError):
    """The project directory cannot be read as a Python project (missing, broken or ambiguous input)."""


class StartUnknown(ProjectError):  # noqa: N818 - reads as what happened: the start is unknown
    """Detection cannot tell how the app starts (``--start`` would say it)."""


class PlanError(DockwrightError):
    """No plan can be made from the facts (e.g. a strategy refuses the project)."""


class WriteRefused(DockwrightError):  # noqa: N818 - reads as what happened: "write refused"
    """A user file exists and ``--force`` was not given."""


class EngineError(DockwrightError):
    """No engine answers, no BuildKit-capable client, a build failed, or an image is missing."""


class LockError(DockwrightError):
    """A hash-locked requirements file could not be produced (``detail``: the resolver's whole output,
    which the message shortens)."""

    def __init__(
        self, message: str, *, file: str | None = None, line: int | None = None, detail: str = ""
    ) -> None:
        super().__init__(message, file=file, line=line)
        self.detail = detail


class ConfigError(DockwrightError):
    """Bad ``[tool.dockwright]`` configuration or command-line option."""
