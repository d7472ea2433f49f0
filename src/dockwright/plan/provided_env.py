"""Variables the container already holds are not "required at run time".

A variable the app reads without a default (``os.environ["PYTHON_VERSION"]`` in a view that shows the
interpreter) is listed for the user to pass, and given a dummy value in build steps that import the
settings. Two sources set some of them in every container of the plan, so asking for them misleads
(and a build-step dummy would hide the real value):

- the engine: Docker sets ``HOSTNAME`` and ``HOME`` in every container, and ``PATH`` when the image
  has none (https://docs.docker.com/reference/cli/docker/container/run/#env);
- the official ``python`` images (slim, alpine; the trimmed runtime sets the same ENV itself):
  ``PATH`` and ``PYTHON_VERSION`` (``data/python_image.toml`` [env]).

Applied right after the strategy's plan, before the build steps and the start decisions read the list.
One exception: the engine sets ``HOSTNAME`` in a container but not in a build's ``RUN`` steps (BuildKit
gives them ``HOME``, ``PATH`` and the image's ENV), so a build step that imports settings reading it
(``ALLOWED_HOSTS = [env("HOSTNAME")]``, collectstatic) needs its dummy: that name is dropped only after
the build steps (:func:`apply_after_build`).
"""

from __future__ import annotations

import dataclasses
import re

from dockwright.plan.model import BuildPlan, Decision
from dockwright.plan.trim import base_env

ENGINE_SET = {"HOSTNAME": "Docker sets it in every container", "HOME": "Docker sets it in every container"}
# set in a container, not in a build's RUN steps (`RUN env` under BuildKit: HOME, PATH, PWD, the ENV)
NOT_IN_BUILD = frozenset({"HOSTNAME"})

# the official image's repository: python, library/python, docker.io/library/python, mirror.example/python
_PYTHON_IMAGE = re.compile(r"^(?:[^/]+/)*python:")


def provided(plan: BuildPlan) -> dict[str, str]:
    """Name -> what sets it, for every variable the plan's runtime container holds without the user."""
    out = dict(ENGINE_SET)
    if _PYTHON_IMAGE.match(plan.runtime_image):
        image = plan.runtime_image.rsplit("/", 1)[-1]
        out.update({name: f"{image} sets it" for name in base_env(plan.python_version)})
    out.update({e.name: "the plan sets it (ENV)" for e in plan.runtime_env})
    return out


def apply(plan: BuildPlan) -> BuildPlan:
    """Drop the provided variables the build steps also have (before the build steps are planned)."""
    return _drop(plan, build=True)


def apply_after_build(plan: BuildPlan) -> BuildPlan:
    """Drop the provided variables build steps lack (HOSTNAME), once those steps have their dummies."""
    return _drop(plan, build=False)


def _drop(plan: BuildPlan, *, build: bool) -> BuildPlan:
    app = plan.facts.app
    given = provided(plan)
    dropped = [f for f in app.required_env if f.value in given and (f.value in NOT_IN_BUILD) != build]
    if not dropped:
        return plan
    kept = tuple(f for f in app.required_env if f not in dropped)
    facts = dataclasses.replace(plan.facts, app=dataclasses.replace(app, required_env=kept))
    said = "; ".join(
        f"{f.value}: {given[f.value]}"
        + (", but build steps do not have it: their dummy only" if f.value in NOT_IN_BUILD else "")
        + f" ({f.evidence[0] if f.evidence else 'read'})"
        for f in dropped
    )
    earlier = plan.decision("provided-env")
    if earlier is not None:  # the first pass's decision: one list
        decision = Decision(
            "provided-env",
            " ".join([earlier.choice, *(f.value for f in dropped)]),
            f"{earlier.reason}; {said}",
        )
        others = tuple(d for d in plan.decisions if d is not earlier)
        return dataclasses.replace(plan, facts=facts, decisions=(*others, decision))
    decision = Decision(
        "provided-env",
        " ".join(f.value for f in dropped),
        f"read without a default, but not required: {said}",
    )
    return dataclasses.replace(plan, facts=facts, decisions=(*plan.decisions, decision))
