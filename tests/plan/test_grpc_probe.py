"""The probe of a gRPC service: its standard health service when registered, else a TCP connect."""

from __future__ import annotations

from dataclasses import replace

from tests.plan.facts_factory import make_facts

from dockwright.plan.common import healthcheck
from dockwright.project.facts import AppFacts, EnvSetting, Evidence, Fact, ProjectFacts


def _with_app(health: str | None, port_env: bool) -> ProjectFacts:
    ev = (Evidence("server.py", 7, "gRPC server listening here"),)
    env = (EnvSetting("PORT", "7070", "read by server.py"),) if port_env else ()
    app = AppFacts(
        kind=Fact("web", ev),
        framework=Fact("grpc", ev),
        command=Fact(("python", "server.py"), ev),
        port=Fact(7070, ev),
        health_path=Fact(health, ev),
        env=env,
    )
    return replace(make_facts(), app=app)


def test_registered_health_service_is_called_with_grpc() -> None:
    facts = _with_app("/grpc.health.v1.Health/Check", port_env=True)
    probe, reason, decision = healthcheck(facts)
    assert probe is not None and probe.kind == "grpc"
    code = probe.argv[2]
    assert "HealthStub" in code and "os.environ.get('PORT', '7070')" in code
    assert "SERVING" in code and "grpc.health.v1.Health/Check" in reason
    assert decision.choice == "grpc health"


def test_without_health_service_a_tcp_connect() -> None:
    probe, _, _ = healthcheck(_with_app(None, port_env=False))
    assert probe is not None and probe.kind == "tcp"


def test_static_probe_falls_back_to_tcp() -> None:
    facts = _with_app("/grpc.health.v1.Health/Check", port_env=False)
    probe, _, _ = healthcheck(facts, prober="static")
    assert probe is not None and probe.kind == "tcp" and "tcp" in probe.argv
