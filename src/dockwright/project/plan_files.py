"""The files several steps of one plan read, each read and parsed once for all of them.

Made once per plan (``detect.py``) and handed down to the steps that read them, as the module scans
(``module_scans.py``) are for the project's modules: the repository's own Dockerfile (its final command:
the start detectors, the carried server options, its volumes, the platform's ``$PORT``) and its copies
from the build context (``own_copies.py``: the script its image runs, the start's links), the platform
descriptors (``platform_files.py``: render.yaml for the start, the run-time settings and the release
steps) and the gunicorn config files (``gunicorn_config.py``: its bind, its settings, its worker class
and its notes). Each is read on its first look-up only.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from dockwright.dockerfile.final_command import FinalCommand
from dockwright.dockerfile.syntax import Dockerfile
from dockwright.project.own_copies import image_copies
from dockwright.project.own_image import own_final, own_recipe
from dockwright.project.platform_files import load
from dockwright.project.tree import ProjectTree


@dataclass(frozen=True)
class PlanFiles:
    """``tree``'s files that several steps of one plan read, read on the first look-up."""

    tree: ProjectTree
    # the folder the app was found in when it is one folder of it (workspace.locate's "subdirectory"): the
    # repository's Dockerfile there may build the app's folder (detectors/app_server_base.py)
    outer: ProjectTree | None = None
    _descriptors: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    _modules: dict[str, ast.Module | None] = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def own_final(self) -> tuple[str, Dockerfile, FinalCommand] | None:
        """The repository's own Dockerfile, its parse and final command (``own_image.own_final``)."""
        return own_final(self.tree)

    @cached_property
    def own_recipe(self) -> tuple[str, Dockerfile] | None:
        """The repository's own Dockerfile and its parse, with or without a command of its own (an image
        whose base's init starts its services has none)."""
        return own_recipe(self.tree)

    @cached_property
    def own_copies(self) -> tuple[tuple[str, str, bool], ...]:
        """The build-context copies of the own recipe's final stage (``own_copies.image_copies``), with or
        without a command of its own: the start detectors, the start script's links and the service folders
        an init-run image copies to ``/`` (detectors/service_run.py) place files by them."""
        own = self.own_recipe
        return () if own is None else image_copies(self.tree, own[1])

    def descriptor(self, rel: str) -> Any:
        """A platform descriptor's data, or None (``platform_files.load``)."""
        if rel not in self._descriptors:
            self._descriptors[rel] = load(self.tree, rel)
        return self._descriptors[rel]

    def python_module(self, rel: str) -> ast.Module | None:
        """The Python file ``rel`` parsed, or None when it does not parse (a file that cannot be read
        raises, on every look-up)."""
        if rel not in self._modules:
            text = self.tree.read_text(rel)
            try:
                self._modules[rel] = ast.parse(text, filename=rel)
            except (SyntaxError, ValueError, RecursionError):
                self._modules[rel] = None
        return self._modules[rel]
