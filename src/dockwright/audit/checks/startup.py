"""## What it does
With `--run` (and `--env-file`/`--network` for what the app needs): starts a container, waits until
its HEALTHCHECK reports healthy (without one: until its first output, watched 2 s more for a crash, or
a clean exit), then times `docker stop`. FAIL when it does not start, exits with an error, turns
unhealthy or is not ready within the healthcheck's budget (30 s without one), with the container's last
3 output lines (and the probe's last answer) as evidence; WARN when stopping takes more than 5 s.
SKIP without `--run`.

## Why is this bad?
Slow starts delay every rollout and autoscaling step; a stop that takes the whole timeout means
SIGTERM is ignored and the engine kills the app, dropping work in flight.

## Example
```Dockerfile
CMD ["sh", "-c", "python manage.py migrate && gunicorn app.wsgi"]
```
(the shell ignores SIGTERM: `docker stop` waits 10 s, then kills)

## Use instead
```Dockerfile
ENTRYPOINT ["tini", "--"]
CMD ["gunicorn", "app.wsgi"]
```
(migrations run as a separate one-off task)
"""

from __future__ import annotations

import contextlib
import time
import uuid
from typing import Any

from dockwright.audit.checks.base import CheckOptions, CheckResult, Evidence, Status
from dockwright.audit.image import ImageFacts
from dockwright.errors import DockwrightError
from dockwright.redact import redact

ID = "startup"
POLL_S = 0.25
# without a probe, the polls after the first output during which an exit with an error still fails: a
# traceback is output too
WATCH_POLLS = 8
TITLE = "Starts fast, stops fast"
GROUP = "checklist"


LOG_LINES = 3  # the container's last output lines shown with a failed start


def _last_logs(text: str) -> list[Evidence]:
    """The container's last output lines (why it stopped, as it said), credentials redacted."""
    lines = [line for line in text.strip().splitlines() if line.strip()][-LOG_LINES:]
    return [Evidence("logs", None, 0, redact(line.strip())[:200]) for line in lines]


def _probe_answer(state: dict[str, Any]) -> list[Evidence]:
    """What the image's own probe printed on its last run (``State.Health.Log``)."""
    runs = (state.get("Health") or {}).get("Log") or []
    output = str((runs[-1] or {}).get("Output") or "").strip() if runs else ""
    line = output.splitlines()[-1] if output else ""
    return [Evidence("State.Health.Log", None, 0, f"probe said: {redact(line)[:200]}")] if line else []


def check_startup(facts: ImageFacts, options: CheckOptions) -> CheckResult:
    """With --run: time until healthy (or first output) and how long ``docker stop`` takes."""
    title = "Starts fast, stops fast"
    if not options.run:
        return CheckResult("startup", title, Status.SKIP, "give --run to start the container and time it")
    engine = options.engine
    if engine is None:
        return CheckResult("startup", title, Status.SKIP, "no engine to run the image")
    name = f"dockwright-audit-{uuid.uuid4().hex[:10]}"
    health = facts.config.healthcheck
    probing = bool(health) and health is not None and health[0] != "NONE"
    cfg = facts.config
    budget = (
        min(
            options.run_timeout_s,
            cfg.healthcheck_start_period_s + cfg.healthcheck_interval_s * (cfg.healthcheck_retries + 1) + 15,
        )
        if probing
        else 30.0
    )
    evidence: list[Evidence] = []
    ready: float | None = None
    problem = ""
    start = time.monotonic()
    stop = 0.0
    try:
        started = engine.run(
            facts.ref or facts.image_id,
            detach=True,
            name=name,
            env=dict(options.run_env) or None,
            network=options.run_network,
        )
        if started.exit_code != 0:
            problem = "could not start: " + (started.stderr.strip().splitlines() or ["?"])[-1][:200]
        talked: float | None = None  # without a probe: when the first output came
        watched = 0
        while not problem and ready is None:
            elapsed = time.monotonic() - start
            state = engine.container_inspect(name).get("State") or {}
            status = ((state.get("Health") or {}).get("Status") or "") if probing else ""
            if not state.get("Running", True):  # an exit says more than the probe's last answer
                code = int(state.get("ExitCode") or 0)
                if code == 0 and not probing:
                    ready = elapsed
                    evidence.append(Evidence("State", None, 0, f"exited 0 after {elapsed:.1f} s"))
                else:
                    problem = f"exited with code {code} after {elapsed:.1f} s"
                    evidence += _last_logs(engine.logs(name))
            elif probing and status == "healthy":
                ready = elapsed
                evidence.append(Evidence("State.Health", None, 0, f"healthy after {elapsed:.1f} s"))
            elif probing and status == "unhealthy":
                problem = f"unhealthy after {elapsed:.1f} s"
                evidence += _probe_answer(state) + _last_logs(engine.logs(name))
            elif talked is not None and watched >= WATCH_POLLS:
                ready = talked
                evidence.append(
                    Evidence(
                        "logs", None, 0, f"first output after {talked:.1f} s, still running {elapsed:.1f} s"
                    )
                )
            elif talked is None and not probing and engine.logs(name).strip():
                talked = elapsed
            elif talked is None and elapsed > budget:  # once it talked, the watch above ends it
                problem = f"not {'healthy' if probing else 'talking'} after {budget:.0f} s"
            if not problem and ready is None:
                watched += talked is not None
                options.sleep(POLL_S)
        stop = engine.stop(name, timeout=10)
        evidence.append(Evidence("docker stop", None, 0, f"{stop:.1f} s"))
    except DockwrightError as error:
        problem = f"could not run the container: {error}"
    finally:
        with contextlib.suppress(Exception):  # cleanup only; the result above matters
            engine.remove(name)
    if problem:
        return CheckResult("startup", title, Status.FAIL, problem, tuple(evidence))
    status = Status.WARN if stop > 5 else Status.PASS
    summary = f"ready in {ready:.1f} s, docker stop {stop:.1f} s" + (
        " (SIGTERM ignored?)" if stop > 5 else ""
    )
    return CheckResult("startup", title, status, summary, tuple(evidence))
