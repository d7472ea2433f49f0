"""The lines of a module that run only when it is the script (``python -m pkg.runner``).

What it does: a module's ``if __name__ == "__main__":`` block, and the module-level functions no code of
the module names but that block (or another such function), run only when the module is started as the
program: imported (by the app, or named as a string a launcher runs in a child process), none of them
runs. What they read or write belongs to that program, not to the start's (``project/apps.py``: a
variable such a function requires is not the start's unless the start runs the module).

Why: scrapyd's per-job runner reads ``os.environ["SCRAPY_PROJECT"]`` in the ``main()`` its ``__main__``
block calls; its launcher runs it as a child with an environment it builds itself. The variable was
listed as required of the server, and the run line asked for it.
"""

from __future__ import annotations

import ast
from collections import defaultdict

from dockwright.project.ast_names import is_main_guard

Lines = tuple[tuple[int, int], ...]


def main_only_lines(tree: ast.Module) -> Lines:
    """(first, last) line ranges that run only when the module is the script (module doc)."""
    guards = [(s.lineno, s.end_lineno or s.lineno) for s in tree.body if is_main_guard(s)]
    if not guards:
        return ()
    functions = {
        s.name: (s.lineno, s.end_lineno or s.lineno)
        for s in tree.body
        if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))
    }
    uses: dict[str, list[int]] = defaultdict(list)  # every line naming each function (calls, references)
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in functions:
            uses[node.id].append(node.lineno)
    ranges = list(guards)
    grew = True
    while grew:  # a function only the guard calls, then one only those call ...
        grew = False
        for name, span in functions.items():
            if span in ranges or not uses[name]:
                continue
            if all(any(a <= line <= b for a, b in ranges) for line in uses[name]):
                ranges.append(span)
                grew = True
    return tuple(ranges)


def in_main_only(line: int, lines: Lines) -> bool:
    """``line`` falls in one of the ranges ``lines``."""
    return any(a <= line <= b for a, b in lines)
