"""Deploy and run descriptors of the repository that hold a secret: kept out of the build context.

What it does
    Reads the files the repository deploys or runs the app with, which the running image never reads:
    the repository's own image recipes (``Dockerfile*``/``Containerfile*`` in a recipe folder), compose
    files, platform descriptors (App Engine's ``app.yaml``, ``app.json``, ``fly.toml``, ``render.yaml``,
    ``.do/*.yaml``), systemd units at the root, and the ``Procfile`` unless the start runs a Procfile
    runner (honcho, foreman, overmind). A line holding a value shaped like a credential
    (``secret_values.secret_shape``) or a secret-looking variable set to a real value
    (``secret_values.literal_secret``: ``ADMIN_PASSWORD=hunter2``, ``postgres://app:pw@db/app``)
    makes the file a fact, with that line; the plan's .dockerignore leaves the file out of the build
    context (``plan/common.py``), so no layer carries it. The value itself is never repeated. A script
    the start runs (``sh deploy/entrypoint.sh``), which the image needs, is only named in a note
    (:func:`script_secret_notes`).

Why is this bad?
    The plan never carries such a value into the image's ``ENV``, but ``COPY . .`` copies the file that
    holds it: anyone who can pull the image reads the secret in its layer.

Example
    ``deploy/docker/Dockerfile`` with ``ENV BILLING=sk_live_...`` -> ``deploy/docker/Dockerfile`` in the
    .dockerignore, with the line that holds the secret.

Use instead
    Keep secrets out of the repository (a secret store, ``docker run -e``, the platform's secret settings).
"""

from __future__ import annotations

import posixpath
import re

from dockwright.errors import ProjectError
from dockwright.project.facts import Evidence
from dockwright.project.own_image import recipe_folders
from dockwright.project.tree import ProjectTree
from dockwright.secret_values import literal_secret, secret_shape

_DESCRIPTORS = (
    "app.yaml",
    "app.json",
    "fly.toml",
    "render.yaml",
    ".do/app.yaml",
    ".do/deploy.template.yaml",
    "compose.yaml",
    "compose.yml",
    "docker-compose.yml",
    "docker-compose.yaml",
)
_RECIPE = re.compile(r"^(?:Dockerfile|Containerfile)(?:[._-].*)?$|\.(?:dockerfile|containerfile)$", re.I)
_PROCFILE_RUNNERS = frozenset({"honcho", "foreman", "overmind", "forego", "hivemind"})
# `NAME=value`, `NAME: value`, `"NAME": "value"` (ENV, compose, YAML and JSON descriptors, units)
_SETTING = re.compile(r"""["']?([A-Za-z_][A-Za-z0-9_]{0,80})["']?\s*[=:]\s*(["']?)([^\s"'#,}]{1,512})""")
_EXPRESSION = ("{", "[", "(", "$", "`")  # a value that is computed (a dict, a call, a variable), no literal


def _candidates(tree: ProjectTree, command: tuple[str, ...]) -> list[str]:
    found = [rel for rel in _DESCRIPTORS if tree.is_file(rel)]
    for folder in recipe_folders(tree):
        try:
            names = tree.listdir(folder)
        except ProjectError:
            continue
        found += [posixpath.join(folder, n) for n in names if _RECIPE.search(n)]
    found += [n for n in tree.top_files() if n.endswith(".service")]
    runners = {posixpath.basename(w) for w in command} & _PROCFILE_RUNNERS
    if tree.is_file("Procfile") and not runners and "Procfile" not in " ".join(command):
        found.append("Procfile")
    return [rel for rel in dict.fromkeys(found) if rel not in ("Dockerfile", "Containerfile")]


def _secret_line(text: str, code: bool = False) -> str | None:
    """What secret ``text`` (one line) holds, or None; ``code``: a line of Python, where only a quoted
    string is a literal (``secret_args = {}``, ``token=settings.token.get_secret_value()`` are code)."""
    shape = secret_shape(text)
    if shape is not None:
        return f"a value shaped like {shape}"
    for match in _SETTING.finditer(text):
        name, quote, value = match.group(1), match.group(2), match.group(3)
        if value.startswith(_EXPRESSION) or "(" in value or (code and not quote):
            continue
        if literal_secret(name, value) is not None:
            return f"{name} set to a literal secret"
    return None


def secret_files(tree: ProjectTree, command: tuple[str, ...] = ()) -> tuple[Evidence, ...]:
    """Each descriptor holding a secret, with its first such line (``detail``: what it holds, never the
    value); ``command``: the start, which may read the Procfile."""
    out: list[Evidence] = []
    for rel in _candidates(tree, command):
        try:
            lines = tree.numbered_lines(rel)
        except ProjectError:
            continue
        for number, line in lines:
            held = _secret_line(line)
            if held is not None:
                out.append(Evidence(rel, number, f"holds {held}"))
                break
    return tuple(out)


def script_secret_notes(tree: ProjectTree, command: tuple[str, ...]) -> list[str]:
    """A note for each file of the project the start command names (its entry script) whose line holds
    a secret: the image needs the file, so it carries the secret too."""
    notes: list[str] = []
    for word in dict.fromkeys(command):
        rel = posixpath.normpath(word.removeprefix("./"))
        if rel.startswith(("/", "..")) or not tree.is_file(rel):
            continue
        lines = tree.numbered_lines(rel)
        code = rel.endswith(".py") or bool(lines and lines[0][1].startswith("#!") and "python" in lines[0][1])
        for number, line in lines:
            held = _secret_line(line, code)
            if held is not None:
                notes.append(
                    f"{rel}:{number} holds {held}, and the start runs this file, so the image carries it: "
                    "read it from the environment instead (docker run -e) and remove it from the file"
                )
                break
    return notes
