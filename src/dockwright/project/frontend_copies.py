"""Where the repository's own image puts a frontend's build output: ``COPY --from=ui /w/dist ./svc/public``.

What it does
    Reads the repository's own Dockerfile for a copy from one of its stages into the final stage's chain
    whose source is the frontend's output folder (the stage's path read back to the project through the
    stage's own copies: ``COPY ui ./`` under ``WORKDIR /w`` makes ``/w/dist`` the project's ``ui/dist``)
    and gives the destination as a project path (through the final stage's copies: ``COPY . .`` under
    ``WORKDIR /srv`` makes ``/srv/svc/public`` the project's ``svc/public``), with the line.

Why is this bad?
    The app serves that destination (``StaticFiles(directory=os.path.join(os.path.dirname(__file__),
    "public"))``), not the output's own folder: read only at the output's path, the frontend was not
    built, and Starlette stopped at start (``Directory '.../svc/public' does not exist``).

Example
    ``FROM node:20 AS ui``, ``WORKDIR /w``, ``COPY ui ./``, ``RUN npm ci && npm run build``; then
    ``WORKDIR /srv``, ``COPY . .``, ``COPY --from=ui /w/dist ./svc/public`` -> ``ui/dist`` goes to
    ``svc/public``.

Use instead
    Nothing to change in the repository.
"""

from __future__ import annotations

import posixpath

from dockwright.project.facts import Evidence
from dockwright.project.own_copies import final_steps, image_copies, tree_folder
from dockwright.project.tree import ProjectTree


def frontend_destination(tree: ProjectTree, output: str) -> tuple[str, Evidence] | None:
    """The project path the own image copies the frontend output ``output`` (``ui/dist``) to, with the
    copy's line; None when it copies it nowhere else."""
    found = final_steps(tree)
    if found is None:
        return None
    for instruction, workdir in found.steps:
        flag = instruction.flag("from") if instruction.keyword == "COPY" else None
        stage = found.dockerfile.stage_by_name(flag.value) if flag is not None and flag.value else None
        words = [w for w in instruction.arguments if not w.startswith("--")]
        if stage is None or len(words) != 2:
            continue
        # a --from source is read from the stage's root, whatever its WORKDIR
        source = tree_folder(image_copies(tree, found.dockerfile, stage), _absolute("/", words[0]))
        if source != output:
            continue
        destination = tree_folder(found.copies, _absolute(workdir, words[1]))
        if destination and destination != "." and not destination.startswith(".."):
            said = f"{instruction.keyword} {instruction.value.strip()}"[:100]
            return destination, Evidence(found.path, instruction.span.line, f"{said}: the own image's copy")
    return None


def _absolute(workdir: str, path: str) -> str:
    return posixpath.normpath(posixpath.join(workdir, path.strip("\"'")))
