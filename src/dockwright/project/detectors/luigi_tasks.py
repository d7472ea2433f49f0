"""Luigi pipelines: a module of ``luigi.Task`` classes, run by Luigi's own command line.

## What it detects
A module importing luigi that defines task classes (deriving from ``luigi.Task``, ``WrapperTask``,
``luigi.contrib`` task bases, or a task class of the same module). The task a launch line runs
(``luigi --module tasks Report`` in a top-level ``*.sh``, Makefile or Procfile, also behind ``pipenv
run``/``uv run``) is the start; otherwise the last task no other task of its module names (the top of
its dependency graph). Every other task is listed for ``--process NAME``.

## Evidence
The task's ``class`` line, and the launch line when one names it.

## Example
```python
# tasks.py
import luigi

class Extract(luigi.Task):
    ...

class Report(luigi.Task):
    def requires(self):
        return Extract()
```

## Start command
``luigi --module tasks Report --local-scheduler`` (a CLI: ``docker run IMAGE --date 2026-01-01`` adds
task parameters). ``luigi --module`` imports the module with the interpreter's path only (the console
script's folder, not the working directory: Luigi's docs run it as ``PYTHONPATH=. luigi --module ...``),
so ``PYTHONPATH`` is the app directory. Luigi asks a central scheduler (``luigid``, on localhost:8082)
unless told ``--local-scheduler``, and a container has no scheduler beside it: the flag is added unless
the launch line or a config file Luigi reads by itself (``luigi.cfg``, ``client.cfg``, ``luigi.toml``)
names a scheduler host or URL, in which case a note says the container must reach it.
(https://luigi.readthedocs.io/en/stable/running_luigi.html, https://luigi.readthedocs.io/en/stable/central_scheduler.html)
"""

from __future__ import annotations

import ast
import re
import shlex

from dockwright.project.ast_names import dotted
from dockwright.project.detectors.base import Candidate, Context, outside_app
from dockwright.project.detectors.named import launch_files
from dockwright.project.facts import Evidence
from dockwright.project.model_files import APP_DIR

# Luigi's task classes a pipeline derives from (luigi/task.py, luigi/contrib/*)
_BASES = frozenset(
    {"Task", "WrapperTask", "ExternalTask", "ExternalProgramTask", "CopyToTable", "SparkSubmitTask"}
)
# config files Luigi reads from the working directory by itself (luigi/configuration/*.py)
_CONFIGS = ("luigi.cfg", "client.cfg", "luigi.toml")
_SCHEDULER = re.compile(r"^\s*default[-_]scheduler[-_](host|url)\s*[=:]", re.M)
_LUIGI = re.compile(r"(?:^|[\s;&|(])luigi\s+(.*)$")


def _tasks(syntax: ast.Module) -> list[tuple[str, int, ast.ClassDef]]:
    """(name, line, node) of the module's task classes, in file order (a task deriving from an earlier
    task class of the module counts too; ExternalTask stands for data made elsewhere and is skipped)."""
    names: set[str] = set()
    out = []
    for node in syntax.body:
        if not isinstance(node, ast.ClassDef):
            continue
        bases = [(dotted(b) or "").rsplit(".", 1)[-1] for b in node.bases]
        if any(b in _BASES or b in names for b in bases):
            names.add(node.name)
            if "ExternalTask" not in bases:
                out.append((node.name, node.lineno, node))
    return out


def _top(tasks: list[tuple[str, int, ast.ClassDef]]) -> str:
    """The last task no other task of the module names (the one the pipeline's run asks for)."""
    named: set[str] = set()
    for name, _, node in tasks:
        named |= {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and n.id != name}
    free = [name for name, _, _ in tasks if name not in named]
    return (free or [tasks[-1][0]])[-1]


def _launched(ctx: Context) -> tuple[str, str, tuple[str, ...], Evidence] | None:
    """(module, task, the line's other words, evidence) of a launch line running ``luigi --module``."""
    for rel in launch_files(ctx):
        for number, line in enumerate(ctx.tree.read_text(rel).splitlines(), 1):
            found = _LUIGI.search(line.split("#", 1)[0])
            if not found:
                continue
            try:
                words = shlex.split(found.group(1))
            except ValueError:
                continue
            module = task = None
            rest: list[str] = []
            i = 0
            while i < len(words):
                word = words[i]
                if word == "--module" and i + 1 < len(words):
                    module, i = words[i + 1], i + 2
                    continue
                if word.startswith("--module="):
                    module = word.split("=", 1)[1]
                elif task is None and not word.startswith("-") and re.fullmatch(r"[A-Za-z_][\w.]*", word):
                    task = word
                elif word in (";", "&&", "||", "|"):
                    break
                else:
                    rest.append(word)
                i += 1
            if module and task:
                return module, task, tuple(rest), Evidence(rel, number, line.strip()[:120])
    return None


def _scheduler_config(ctx: Context) -> str | None:
    for name in _CONFIGS:
        if ctx.tree.is_file(name) and _SCHEDULER.search(ctx.tree.read_text(name)):
            return name
    return None


def detect(ctx: Context) -> list[Candidate]:
    modules = [
        s for s in ctx.scans if "luigi" in s.imports and s.syntax is not None and not outside_app(s.rel)
    ]
    found = [(s, _tasks(s.syntax)) for s in modules if s.syntax is not None]
    found = [(s, tasks) for s, tasks in found if tasks]
    if not found:
        return []
    launch = _launched(ctx)
    config = _scheduler_config(ctx)
    out: list[Candidate] = []
    for scan, tasks in found:
        top = _top(tasks)
        for name, line, _ in tasks:
            ev = Evidence(scan.rel, line, f"Luigi task {name}")
            extra: tuple[str, ...] = ()
            evidence: tuple[Evidence, ...] = (ev,)
            start = name == top
            if launch and launch[0] == scan.module:
                start = launch[1].rsplit(".", 1)[-1] == name
                if start:
                    extra, evidence = launch[2], (launch[3], ev)
            central = any(w.startswith(("--scheduler-host", "--scheduler-url")) for w in extra)
            notes: tuple[str, ...] = ()
            if "--local-scheduler" in extra:
                pass
            elif central or config:
                where = "the launch line" if central else config
                notes = (
                    f"{where} sends Luigi's tasks to a central scheduler (luigid): the container must reach "
                    "it, or add --local-scheduler",
                )
            else:
                extra = (*extra, "--local-scheduler")
                notes = (
                    f"{scan.rel}: --local-scheduler added: without it Luigi asks a central scheduler "
                    "(luigid) on localhost:8082, which the container does not have",
                )
            out.append(
                Candidate(
                    "luigi",
                    name,
                    "cli",
                    evidence,
                    command=("luigi", "--module", scan.module, name, *extra),
                    module=scan.module,
                    rel=scan.rel,
                    env=(
                        (
                            "PYTHONPATH",
                            APP_DIR,
                            "luigi --module imports from the interpreter's path, which holds the console "
                            "script's folder, not the working directory (Luigi's docs: PYTHONPATH=. luigi "
                            "--module ...)",
                        ),
                    ),
                    notes=notes,
                )
            )
            if start:  # the start first, the other tasks after it for --process
                out.insert(0, out.pop())
    return out
