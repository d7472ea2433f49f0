"""The requirements file the repository's own image installs, when the project has none at its root.

What it does
    Follows the final stage of the repository's own Dockerfile (through the stages it is built
    ``FROM``), tracking ``WORKDIR``, for a ``RUN`` that installs a requirements file (``pip install -r
    requirements.txt``, ``uv pip install -r ...``, ``--requirement=...``) and reads that file's image
    path back to the project through the stage's build-context copies (``COPY src/requirements.txt
    ./requirements.txt`` under ``WORKDIR /srv``: ``src/requirements.txt``). The first such file that the
    tree holds is the project's requirements file (project/managers.py), used only when the root is the
    project (it has a ``pyproject.toml``) with no ``requirements*.txt`` and no ``requirements/``
    production file; without a pyproject.toml the app's own folder is located instead.

Why is this bad?
    A project keeping its app and its requirements under ``src/`` (its image copies both) had no
    dependency declaration dockwright read: the image installed nothing but the server, and the app
    stopped on ``ModuleNotFoundError: No module named 'django'``.

Example
    ``COPY src/requirements.txt ./requirements.txt`` then ``RUN pip install -r requirements.txt`` ->
    ``src/requirements.txt``.

Use instead
    Nothing to change in the repository.
"""

from __future__ import annotations

import posixpath

from dockwright.project.install_lines import installed_requirements
from dockwright.project.own_copies import final_steps, placed
from dockwright.project.tree import ProjectTree


def own_image_requirements(tree: ProjectTree) -> str | None:
    """The project path of the requirements file the own image installs, else None."""
    found = final_steps(tree)
    if found is None:
        return None
    for instruction, workdir in found.steps:
        if instruction.keyword != "RUN":
            continue
        for file in installed_requirements(instruction.value.replace("\\\n", " ")):
            rel = placed(tree, found.copies, posixpath.normpath(posixpath.join(workdir, file)))
            if rel is not None and rel.endswith((".txt", ".in")):
                return rel
    return None
