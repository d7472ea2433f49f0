"""The interpreter as a command line names it: ``python``, ``python3``, ``python3.12`` (not ``python2``,
not ``pythonw``). One pattern for every reader of a start, a Dockerfile or a script (planner, lint,
strategies). Standard library only and importing nothing of dockwright, so any module may import it
without a cycle (``project/manage_servers.py`` is imported while the detectors package loads).
"""

from __future__ import annotations

import re

PYTHON_PROGRAM = re.compile(r"^python(?:3(?:\.\d+)?)?$")
