"""The trimmed runtime base published as an image: ``dockwright base build``, ``runtime-base = "image:REF"``.

The default trimmed runtime (:mod:`dockwright.plan.trim`) makes its root in every build: BuildKit
content-hashes the whole base tree, copies it and exports it as a ~130 MB layer, most of a cold build's
time beyond docker init's. A team that publishes that root once as an image pulls it like the python
image instead. :class:`TrimmedBase` is what ``dockwright base build`` renders: the same trim step and the
same fixed-UID user as the ``base`` stage (:func:`trim.root_step`), copied into ``FROM scratch`` in one
layer, with the base's run-time ENV and labels naming the upstream image, its digest, the Python
version, the UID and the trim version (a hash of the trim program: a new dockwright that trims
differently makes a new version). :func:`apply` plans the runtime ``FROM`` such an image: no ``base``
stage, no ``useradd`` (the image has the user), the builder still ``FROM`` the upstream python image of
the same version, so the venv's ``/opt/venv/bin/python -> /usr/local/bin/python`` finds the same
interpreter. The labels, when the caller could read them (``PlanOptions.runtime_base_labels``), must
name the plan's Python and UID, else a PlanError.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass

from dockwright.errors import PlanError
from dockwright.image_names import digest_of, without_digest
from dockwright.plan import trim
from dockwright.plan.model import BASE_DIGEST_ARG, BuildArg, BuildPlan, Decision, EnvVar, Label, Step, User
from dockwright.plan.strategies import slim
from dockwright.plan.strategies.base import PlanOptions

PREFIX = "image:"
LABEL_TRIM = "dockwright.base.trim"  # the trim version: marks a dockwright trimmed base
LABEL_PYTHON = "dockwright.base.python"
LABEL_UID = "dockwright.base.uid"
BASE_NAME = "org.opencontainers.image.base.name"
BASE_DIGEST = "org.opencontainers.image.base.digest"


def trim_version() -> str:
    """12 hex digits of the trim program's sha256: equal for bases trimmed the same way."""
    return hashlib.sha256("\n".join(trim.trim_script()).encode()).hexdigest()[:12]


def image_ref(runtime_base: str) -> str | None:
    """REF of ``image:REF``, else None."""
    return runtime_base.removeprefix(PREFIX) if runtime_base.startswith(PREFIX) else None


@dataclass(frozen=True)
class TrimmedBase:
    """What ``dockwright base build`` renders: an upstream python image, trimmed, in one layer."""

    upstream: str  # python:X.Y.Z-slim-<suite>
    python_version: str
    user: User
    steps: tuple[Step, ...]  # the trim and the user, as the app's `base` stage runs them
    env: tuple[EnvVar, ...]
    build_args: tuple[BuildArg, ...]
    labels: tuple[Label, ...]

    @property
    def default_name(self) -> str:
        """``python-trimmed:3.13.9-slim-trixie-uid10001``: the version and UID in the tag, for people."""
        return f"python-trimmed:{self.upstream.split(':', 1)[1]}-uid{self.user.uid}"


def trimmed_base(upstream: str, python_version: str, uid: int) -> TrimmedBase:
    user = User("app", uid, uid, "/home/app")
    env = tuple(
        EnvVar(name, value, f"set by {upstream}") for name, value in trim.base_env(python_version).items()
    )
    digest = BuildArg(
        BASE_DIGEST_ARG,
        "unknown",
        "the upstream image's registry digest (dockwright base build feeds it)",
    )
    labels = (
        Label("org.opencontainers.image.title", f"python {python_version} trimmed by dockwright"),
        Label(
            "org.opencontainers.image.description",
            f"{upstream} without pip, setuptools, wheel, ensurepip's wheels and C headers, with the "
            f"UID {uid} user: a runtime base for apps whose venv is built FROM {upstream}",
        ),
        Label(BASE_NAME, trim.qualified(upstream)),
        Label(BASE_DIGEST, "${" + BASE_DIGEST_ARG + "}"),
        Label(LABEL_TRIM, trim_version()),
        Label(LABEL_PYTHON, python_version),
        Label(LABEL_UID, str(uid)),
    )
    return TrimmedBase(upstream, python_version, user, (trim.root_step(user),), env, (digest,), labels)


def _checked(ref: str, plan: BuildPlan, options: PlanOptions) -> str:
    """How the base's Python and UID were checked (PlanError when its labels name others)."""
    if options.runtime_base_labels is None:
        unread = f" ({options.runtime_base_unread})" if options.runtime_base_unread else ""
        return (
            f"its labels were not read{unread}, so nothing checked that it runs Python "
            f"{plan.python_version} with UID {plan.user.uid}: `dockwright plan`/`build` read them from its "
            "registry when it answers; a plain `docker build` does not check (a base of another Python "
            "fails at start: the venv's python is /usr/local/bin/python)"
        )
    labels = dict(options.runtime_base_labels)
    if LABEL_TRIM not in labels:
        raise PlanError(
            f"runtime-base image {ref} is not a dockwright trimmed base (no {LABEL_TRIM} label): "
            "publish one with `dockwright base build --push`"
        )
    python = labels.get(LABEL_PYTHON, "")
    if python != plan.python_version:
        raise PlanError(
            f"runtime-base image {ref} runs Python {python or '?'} but the app is planned for "
            f"{plan.python_version} (the builder's venv needs the same interpreter): build a base with "
            f'`dockwright base build --python {plan.python_version}`, or set python = "{python}"'
        )
    uid = labels.get(LABEL_UID, "")
    if uid != str(plan.user.uid):
        raise PlanError(
            f"runtime-base image {ref} has the user UID {uid or '?'} but the app runs as {plan.user.uid}: "
            f"build a base with `dockwright base build --uid {plan.user.uid}`, or set uid = {uid or '?'}"
        )
    return (
        f"its labels ({LABEL_PYTHON}={python}, {LABEL_UID}={uid}, {LABEL_TRIM}={labels[LABEL_TRIM]}, "
        f"{BASE_NAME}={labels.get(BASE_NAME, '?')}) match the plan's Python and UID"
    )


def apply(plan: BuildPlan, ref: str, options: PlanOptions) -> BuildPlan:
    """``plan`` (the slim family, FROM its python image) with the runtime FROM the published base ``ref``."""
    image = plan.runtime_image
    checked = _checked(ref, plan, options)
    user = slim.user_step(plan.user)
    runtime_steps = tuple(s for s in plan.runtime_steps if s != user)
    # no pip anywhere in this runtime: the PIP_* settings have no reader left
    runtime_env = tuple(e for e in plan.runtime_env if not e.name.startswith("PIP_"))
    digest = digest_of(ref)
    build_args, arg_docs = plan.build_args, plan.build_arg_docs
    if digest is None:
        build_args = (*build_args, (BASE_DIGEST_ARG, "unknown"))
        arg_docs = (
            *arg_docs,
            BuildArg(BASE_DIGEST_ARG, "unknown", "base image digest label; the build feeds its digest"),
        )
    labels = (
        *plan.labels,
        Label(BASE_NAME, without_digest(ref)),
        Label(BASE_DIGEST, digest or "${" + BASE_DIGEST_ARG + "}"),
    )
    pinned = (
        f"pinned to {digest}"
        if digest
        else "NOT pinned to a digest (a re-pushed tag changes the image under you: pin REF@sha256:...)"
    )
    decision = Decision(
        "runtime-base",
        f"image {ref}",
        f"asked for (runtime-base = image:REF): the runtime is FROM a trimmed base published with "
        f"`dockwright base build` ({image} without its installer tooling, the UID {plan.user.uid} user "
        "made), pulled like the python image instead of trimmed and copied in every build (the cold "
        f"build's root copy and export); {pinned}; {checked}. The builder stays FROM {image}, so the "
        "venv's interpreter path is the same in both",
    )
    return dataclasses.replace(
        plan,
        runtime_image=ref,
        runtime_env=runtime_env,
        runtime_steps=runtime_steps,
        labels=labels,
        build_args=build_args,
        build_arg_docs=arg_docs,
        decisions=(*plan.decisions, decision),
    )
