"""taskiq workers: a module-level broker, run by ``taskiq worker``.

## What it detects
A module-level broker of taskiq or one of its broker packages (``taskiq_redis``, ``taskiq_aio_pika``,
``taskiq_nats`` ...: a class named ``*Broker``, called directly or through its chained set-up such as
``ListQueueBroker(url).with_result_backend(...)``); ``InMemoryBroker`` runs tasks in the process that
sends them, so no worker reads it. The modules whose functions carry that broker's ``@broker.task``
decorator (importing it by name) are the task modules.

## Evidence
The broker's assignment line.

## Example
```python
# jobs/broker.py
from taskiq_redis import ListQueueBroker

broker = ListQueueBroker("redis://redis:6379")

# jobs/mail.py
from jobs.broker import broker

@broker.task
async def send(to: str) -> None: ...
```

## Start command
``taskiq worker jobs.broker:broker jobs.mail``: the worker imports only the modules it is given, so
every task module is named after the broker (a task it never imported is unknown to it)
(https://taskiq-python.github.io/guide/cli.html#worker). A broker's module whose own imports resolve
only from a folder that is not a package is imported from that folder, with ``PYTHONPATH``
(shapes.worker_import), its task modules named from there.
"""

from __future__ import annotations

import ast
import re

from dockwright.project.ast_names import dotted
from dockwright.project.detectors.base import Candidate, Context, outside_app
from dockwright.project.detectors.scan import ModuleScan
from dockwright.project.detectors.shapes import worker_import
from dockwright.project.facts import Evidence

_IN_PROCESS = frozenset({"InMemoryBroker"})


def _broker_class(node: ast.expr, scan: ModuleScan) -> str | None:
    """The taskiq broker class an assigned value builds (through chained calls), else None."""
    while isinstance(node, ast.Call):
        func = node.func
        name = dotted(func) or ""
        last = name.rsplit(".", 1)[-1]
        origin = scan.from_imports.get(name.split(".", 1)[0], name)
        if last.endswith("Broker") and origin.split(".", 1)[0].startswith("taskiq"):
            return None if last in _IN_PROCESS else last
        node = func.value if isinstance(func, ast.Attribute) else func
        if isinstance(node, ast.Attribute):
            node = node.value
    return None


def _brokers(scan: ModuleScan) -> list[tuple[str, int, str]]:
    """(variable, line, class) of the module-level brokers."""
    assert scan.syntax is not None
    out = []
    for stmt in scan.syntax.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            target, value = stmt.targets[0].id, stmt.value
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value is not None:
            target, value = stmt.target.id, stmt.value
        else:
            continue
        cls = _broker_class(value, scan)
        if cls:
            out.append((target, stmt.lineno, cls))
    return out


def _uses(ctx: Context, scan: ModuleScan, module: str, var: str) -> bool:
    """The module decorates a function with the broker's ``task`` (``@broker.task`` or ``@broker.task(...)``),
    the broker being imported from ``module`` by name."""
    local = {n for n, full in scan.from_imports.items() if full == f"{module}.{var}"}
    if not local:
        return False
    text = ctx.tree.read_text(scan.rel)
    return any(re.search(rf"^\s*@\s*{re.escape(name)}\.task\b", text, re.M) for name in local)


def _named_from(scan: ModuleScan, folder: str) -> str:
    """A task module's name as imported from ``folder`` (the broker's import folder) when it is there,
    else its own."""
    if not folder or not scan.rel.startswith(f"{folder}/"):
        return scan.module
    parts = scan.rel[len(folder) + 1 : -3].split("/")
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def detect(ctx: Context) -> list[Candidate]:
    users = [s for s in ctx.scans if not outside_app(s.rel) and s.module]
    for scan in users:
        if scan.syntax is None or not any(i.startswith("taskiq") for i in scan.imports):
            continue
        for var, line, cls in _brokers(scan):
            tasks = [s for s in users if s.module != scan.module and _uses(ctx, s, scan.module, var)]
            where = worker_import(ctx, "taskiq", scan)
            named = sorted(_named_from(s, where.folder) for s in tasks)
            return [
                Candidate(
                    "taskiq",
                    "taskiq",  # a process name of its own: a Celery app beside it is `worker`
                    "worker",
                    (Evidence(scan.rel, line, f"taskiq broker `{var}` ({cls}){where.said}"),),
                    command=("taskiq", "worker", f"{where.module}:{var}", *named),
                    module=scan.module,
                    rel=scan.rel,
                    env=where.env,
                )
            ]
    return []
