"""The message broker's client library a Celery worker needs.

Celery reaches its broker and result backend through kombu, which ships the AMQP client (py-amqp) but
not what its Redis transport imports: a project that installs plain ``celery`` and configures
``redis://`` stops at the worker's start on ``ModuleNotFoundError`` (``redis``, and since kombu 5.5
``packaging``, both in kombu's ``redis`` extra). Celery's documentation installs them as the
``celery[redis]`` extra
(https://docs.celeryq.dev/en/stable/getting-started/backends-and-brokers/redis.html#installation).

When the start runs ``celery`` and a module of the app names a ``redis://``/``rediss://`` URL (a
literal, or the default of ``os.getenv(NAME, "redis://...")``: the broker/backend settings are often
read from the environment), ``celery[redis]`` joins what the start command adds to the lock (in place of
a plain ``celery``) unless the project already depends on all the transport imports (``redis`` and
``packaging``) or declares the extra (``celery[redis]``, ``kombu[redis]``: it brings them); a project
that has them but leaves ``kombu`` to the resolver gets ``kombu[redis]``
alone: the extra carries the client versions the transport accepts (kombu 5.7's refuses redis-py < 6.1
at the worker's start, a pinned ``redis==5.0.4`` beside a floating kombu). A project that pins ``redis``
itself but not ``packaging`` (the usual ``celery==``/``redis==`` requirements file) gets the extra too:
with it the resolver also keeps kombu at a release whose ``redis`` extra accepts the pinned client,
where a floating kombu (5.7's extra wants ``redis>=6.4``) stops the worker on ``No module named
'packaging'``. A project that depends on kombu itself (``kombu==5.7.0`` beside ``redis==5.0.4``) gets
``kombu[redis]`` as well: resolved with its pins, the extra adds nothing when the pair fits, and says
that it does not when kombu's transport refuses the pinned client (lock/generate.py).

One image serves every process of the project (the plan lists the others, and ``docker run IMAGE
celery -A proj worker`` runs one of them): so a web start whose listed other processes run
``celery`` gets the extra as well, when the project depends on celery. Nothing is executed.
"""

from __future__ import annotations

from dockwright.project.detectors.scan import ModuleScan
from dockwright.project.facts import Evidence

# URL scheme -> (what the transport imports, the requirement that installs them): kombu's `redis`
# extra is `redis` and, since kombu 5.5, `packaging`
# (https://github.com/celery/kombu/blob/main/requirements/extras/redis.txt)
# Both extras: celery's documented one, and kombu's own, since celery < 5.5's `redis` extra is the
# client alone (https://github.com/celery/celery/blob/v5.4.0/requirements/extras/redis.txt) while a
# floating kombu may be one whose transport imports packaging
_REDIS = (("redis", "packaging"), ("celery[redis]", "kombu[redis]"))
CLIENTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {"redis": _REDIS, "rediss": _REDIS}
SOURCE = "https://docs.celeryq.dev/en/stable/getting-started/backends-and-brokers/redis.html#installation"


def _range_why(url: str, transport: str, *, pinned: bool = False) -> str:
    name, extra = transport.rstrip("]").split("[", 1)
    whose = "which the project depends on itself" if pinned else "which the project leaves to the resolver"
    return (
        f"Celery's broker/backend URL {url} goes through {name}, {whose}: "
        f"{name}'s {extra} extra holds the {extra} versions its transport accepts (a {name} release that "
        f"refuses the project's {extra} client stops the worker at start), so {transport} is resolved "
        f"with the project's pins ({SOURCE})"
    )


def runs_celery(command: tuple[str, ...]) -> bool:
    """Whether ``command`` runs the ``celery`` program."""
    return bool(command) and command[0].rsplit("/", 1)[-1] == "celery"


def broker_clients(
    command: tuple[str, ...],
    scans: tuple[ModuleScan, ...],
    dependencies: frozenset[str],
    others: tuple[tuple[str, ...], ...] = (),
    extras: frozenset[str] = frozenset(),
) -> list[tuple[str, Evidence]]:
    """(requirement, evidence) for each broker client a ``celery`` start, or a listed other process
    of a project that depends on celery (``others``: their commands), needs and the project lacks;
    ``extras``: the extras its declared requirements ask for (``celery[redis]``: that extra is there)."""
    by_other = "celery" in dependencies and any(runs_celery(c) for c in others)
    if not runs_celery(command) and not by_other:
        return []
    out: dict[str, Evidence] = {}
    for scan in scans:
        urls = [*scan.redis_urls, *((url, line) for _, url, line in scan.redis_env)]
        for url, line in sorted(urls, key=lambda u: u[1]):
            scheme = url.split("://", 1)[0]
            if scheme not in CLIENTS:
                continue
            imports, requirements = CLIENTS[scheme]
            requirement = " + ".join(requirements)
            declared = extras & set(requirements)  # a declared extra installs the transport imports
            lacking = [name for name in imports if name not in dependencies and not declared]
            transport = requirements[-1]  # the transport library's own extra (kombu[redis])
            if transport in declared:
                continue
            if not lacking and transport not in out:
                pinned = transport.split("[", 1)[0] in dependencies
                out[transport] = Evidence(scan.rel, line, _range_why(url, transport, pinned=pinned))
                continue
            if lacking and requirements[0] not in out:
                whose = (
                    ""
                    if runs_celery(command)
                    else " (for the celery process the plan lists, from this image)"
                )
                why = (
                    f"Celery's broker/backend URL {url} needs {' and '.join(lacking)}, which "
                    f"{'plain celery does' if 'redis' in lacking else 'the project does'} not install "
                    f"({requirement}{whose}: {SOURCE})"
                )
                for each in requirements:
                    out[each] = Evidence(scan.rel, line, why)
    return list(out.items())
