"""The message broker's client library a Celery worker needs.

Celery reaches its broker and result backend through kombu, which ships the AMQP client (py-amqp) but
not what its Redis transport imports: a project that installs plain ``celery`` and configures
``redis://`` stops at the worker's start on ``ModuleNotFoundError`` (``redis``, and since kombu 5.5
``packaging``, both in kombu's ``redis`` extra). Celery's documentation installs them as the
``celery[redis]`` extra
(https://docs.celeryq.dev/en/stable/getting-started/backends-and-brokers/redis.html#installation).

When the start runs ``celery`` and a module of the app names a ``redis://``/``rediss://`` URL (a
literal, or the default of ``os.getenv(NAME, "redis://...")``: the broker/backend settings are
often read from the environment), ``celery[redis]`` joins what the start command adds to the lock
(in place of a plain ``celery``) unless the project already depends on the ``redis`` client. Nothing
is executed.
"""

from __future__ import annotations

from dockwright.project.detectors.scan import ModuleScan
from dockwright.project.facts import Evidence

# URL scheme -> (the client distribution, the requirement that installs what the transport imports)
CLIENTS = {
    "redis": ("redis", "celery[redis]"),
    "rediss": ("redis", "celery[redis]"),
}
SOURCE = "https://docs.celeryq.dev/en/stable/getting-started/backends-and-brokers/redis.html#installation"


def broker_clients(
    command: tuple[str, ...], scans: tuple[ModuleScan, ...], dependencies: frozenset[str]
) -> list[tuple[str, Evidence]]:
    """(requirement, evidence) for each broker client a ``celery`` start needs and the project lacks."""
    if not command or command[0].rsplit("/", 1)[-1] != "celery":
        return []
    out: dict[str, Evidence] = {}
    for scan in scans:
        urls = [*scan.redis_urls, *((url, line) for _, url, line in scan.redis_env)]
        for url, line in sorted(urls, key=lambda u: u[1]):
            scheme = url.split("://", 1)[0]
            if scheme not in CLIENTS:
                continue
            client, requirement = CLIENTS[scheme]
            if client not in dependencies and requirement not in out:
                why = (
                    f"Celery's broker/backend URL {url} needs the {client} client, which plain celery does "
                    f"not install ({requirement}: {SOURCE})"
                )
                out[requirement] = Evidence(scan.rel, line, why)
    return list(out.items())
