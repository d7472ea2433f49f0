"""Option lines of the project's hash-locked requirements file that only pip reads.

``uv pip install -r`` reads most of pip's requirements-file options (``data/uv_requirements.toml``
lists them, with the uv version they were measured on); a line with any other option (``--trusted-host``,
``--config-settings``, ``--use-feature`` ...) or a ``--find-links`` folder that does not exist (pip
skips it, uv fails) means the file installs as its author tested it: with pip. Each such line is a fact
(evidence: file, line, the option).
"""

from __future__ import annotations

import functools
import re

from dockwright.project.facts import Evidence
from dockwright.project.managers import logical_lines
from dockwright.project.tree import ProjectTree, data_table

_OPTION = re.compile(r"^\s*(?P<opt>--?[A-Za-z][\w-]*)(?:\s*=\s*|\s+|$)(?P<value>\S*)")


@functools.cache
def _table() -> dict[str, list[str]]:
    return {key: list(value) for key, value in data_table("uv_requirements.toml").items()}


def _folder_missing(tree: ProjectTree, requirements: str, where: str) -> bool:
    """Whether a ``--find-links`` location is a folder the builder will not have: an absolute path (the
    compiling machine's) or a relative one that names no folder of the project; an http(s) URL is not."""
    if re.match(r"^https?://", where):
        return False
    if where.startswith(("/", "file:")):
        return True
    beside = f"{requirements.rpartition('/')[0]}/{where}".lstrip("/")
    return not (tree.is_dir(beside) or tree.is_dir(where))


def pip_only_options(tree: ProjectTree, requirements: str | None) -> tuple[Evidence, ...]:
    """The lines of ``requirements`` (project-relative) that uv would reject or ignore where pip acts."""
    if requirements is None or not tree.is_file(requirements):
        return ()
    table = _table()
    reads = set(table["accepted"]) | set(table["harmless"])
    found: list[Evidence] = []
    for number, line in logical_lines(tree.read_text(requirements)):
        match = _OPTION.match(line)
        if match is None:
            continue  # a requirement (its --hash options with it), or a blank or comment line
        option = match.group("opt")
        if option not in reads:
            found.append(Evidence(requirements, number, option))
        elif option in table["folders_must_exist"] and _folder_missing(
            tree, requirements, match.group("value")
        ):
            found.append(Evidence(requirements, number, f"{option} {match.group('value')} (no such folder)"))
    return tuple(found)
