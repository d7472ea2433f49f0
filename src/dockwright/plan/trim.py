"""The trimmed runtime base: the pinned python slim image without its installer tooling.

Every strategy whose runtime is ``FROM python:X.Y.Z-slim-<suite>`` (slim, uv) runs the app from
``/opt/venv``, never the base interpreter's pip, setuptools, wheel, ensurepip's bundled wheels or the C
headers, yet a runtime built FROM the base carries them (~13-20 MB) and cannot drop them: deleting a
base layer's file in a later layer only hides it (a whiteout), the bytes stay. So by default the plan
adds a stage ``FROM`` the same pinned image (the line Renovate/Dependabot bump) whose one ``RUN`` removes
that tooling, found by the interpreter itself (``importlib.metadata`` RECORD files and console scripts,
``sysconfig``), and puts back the modification times of the folders it touched, so the stage's files
are the same for a given base digest. The runtime is ``FROM scratch`` + ``COPY --from=<stage> / /``
(one layer, the same for every app dockwright builds on that base), the base's run-time ENV set
explicitly (``data/python_image.toml``), and the OCI ``base.name``/``base.digest`` labels naming the
real base for scanners.

The runtime's own ``RUN`` steps move into that stage too (:func:`_fold`): the app user is made in the
trim's step, and run-time apt packages install in a second one, so BuildKit runs them in parallel with
the builder and the runtime stage only copies (root, tini, venv, app). The layer stays the same blob
for every app on the base with the same UID unless the app needs run-time apt packages (then its copy
of the root holds them).

``runtime-base = "upstream"`` (``[tool.dockwright]``, ``DOCKWRIGHT_RUNTIME_BASE``) keeps ``FROM`` the
base: its layers are then shared with every other image on the plain python image, at the price of the
tooling's bytes; its ``RUN`` steps stay in the runtime. ``runtime-base = "image:REF"`` starts the
runtime ``FROM`` this same trimmed root published as an image (:mod:`dockwright.plan.published_base`).
"""

from __future__ import annotations

import dataclasses
import importlib.resources
from functools import cache
from typing import Any

from dockwright.image_names import names_registry
from dockwright.plan.model import (  # BASE_DIGEST_ARG: defined there for build.py
    BASE_DIGEST_ARG,
    BuildArg,
    BuildPlan,
    Decision,
    EnvVar,
    Label,
    RuntimeRoot,
    SideStage,
    Step,
    User,
)
from dockwright.plan.strategies import slim
from dockwright.plan.strategies.base import PlanOptions
from dockwright.toml_reader import tomllib

STAGE = "base"
RUNTIME_BASES = ("trimmed", "upstream")


@cache
def _data() -> dict[str, Any]:
    path = importlib.resources.files("dockwright.plan") / "data" / "python_image.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))


def tooling() -> tuple[str, ...]:
    return tuple(_data()["tooling"]["distributions"])


def base_env(version: str) -> dict[str, str]:
    """The official image's run-time ENV for Python ``version`` (X.Y.Z)."""
    return {name: value.format(version=version) for name, value in _data()["env"].items()}


def trim_script() -> tuple[str, ...]:
    """The Python program the trim step runs, one line per item (no single quote, ``$`` or backslash:
    each line is one single-quoted shell word)."""
    names = ", ".join(f'"{name}"' for name in tooling())
    return (
        "import importlib.metadata, importlib.util, os, shutil, sysconfig",
        'gone = {sysconfig.get_path("include")}',
        'spec = importlib.util.find_spec("ensurepip")',
        "if spec and spec.origin:",
        '    gone.add(os.path.join(os.path.dirname(spec.origin), "_bundled"))',
        "for dist in importlib.metadata.distributions():",
        f'    if (dist.metadata["Name"] or "").lower() not in ({names}):',
        "        continue",
        '    site = str(dist.locate_file(""))',
        "    gone.add(str(dist._path))",
        "    for file in dist.files or []:",
        '        top = str(file).split("/")[0]',
        '        gone.add(os.path.normpath(os.path.join(site, str(file) if top == ".." else top)))',
        "    if dist.files is None:",
        '        for top in (dist.read_text("top_level.txt") or dist.metadata["Name"]).split():',
        "            gone.add(os.path.join(site, top))",
        "    for entry in dist.entry_points:",
        '        if entry.group == "console_scripts":',
        '            gone.update(os.path.join(d, entry.name) for d in os.environ["PATH"].split(":"))',
        "gone = sorted(path for path in gone if os.path.lexists(path))",
        "dates = {d: os.stat(d) for d in {os.path.dirname(path) for path in gone}}",
        "for path in gone:",
        '    print("removed", path)',
        "    if os.path.isdir(path) and not os.path.islink(path):",
        "        shutil.rmtree(path)",
        "    elif os.path.lexists(path):",
        "        os.remove(path)",
        "for d, st in dates.items():",
        "    if os.path.isdir(d):",
        "        os.utime(d, ns=(st.st_atime_ns, st.st_mtime_ns))",
    )


def trim_step() -> Step:
    words = " \\\n        ".join(f"'{line}'" for line in trim_script())
    return Step(
        "RUN",
        (f"python -I -B -c \"$(printf '%s\\n' \\\n        {words})\"",),
        why="remove the base interpreter's installer tooling (pip, setuptools, wheel, their scripts, "
        "ensurepip's wheels, C headers), found through the interpreter: the app runs from its venv; the "
        "folders keep their dates, so the files are the same for a given base digest",
    )


def root_step(user: User | None) -> Step:
    """The trim, then the fixed-UID user every app on this base runs as, in one step (one container
    start, parallel with the builder); what ``useradd`` changed is then dated as the base's own
    ``/etc/passwd`` (or ``SOURCE_DATE_EPOCH``), so the stage's files stay the same for a given base
    digest and UID: a ``--no-cache`` build finds its layer already in the image store instead of
    writing a new copy of the whole root."""
    trim = trim_step()
    if user is None:
        return trim
    group, add = slim.user_commands(user)
    return Step(
        "RUN",
        (
            *trim.args,
            'since="$(date +%s)"',
            'stamp="${SOURCE_DATE_EPOCH:-$(stat -c %Y /etc/passwd)}"',
            group,
            f'SOURCE_DATE_EPOCH="$stamp" {add}',
            'find /etc /home -xdev -newermt "@$since" ! -path /etc/hosts ! -path /etc/resolv.conf '
            '-exec touch -h -d "@$stamp" {} +',
        ),
        why=f"{trim.why}; then the fixed UID/GID {user.uid} user (volumes, Kubernetes), in the same one "
        "layer of the runtime; what useradd changed is dated as the base's /etc/passwd, so that layer "
        "stays one blob per base digest",
    )


def trim_stage(image: str, steps: tuple[Step, ...]) -> SideStage:
    return SideStage(STAGE, image, "base: the pinned image without installer tooling", steps)


def _fold(plan: BuildPlan) -> tuple[tuple[Step, ...], tuple[Step, ...]]:
    """The base stage's steps and the runtime's steps left: the runtime's RUN steps that set up its OS
    (the user, run-time apt packages) move into the stage, which BuildKit runs in parallel with the
    builder; the runtime keeps its COPY steps."""
    steps = plan.runtime_steps
    user = slim.user_step(plan.user)
    apt = slim.runtime_apt_step(plan.runtime_apt) if plan.runtime_apt else None
    moved_apt = (apt,) if apt in steps else ()
    root = root_step(plan.user if user in steps else None)
    return (root, *moved_apt), tuple(s for s in steps if s != user and s not in moved_apt)


def qualified(image: str) -> str:
    """``python:3.14.4-slim-trixie`` -> ``docker.io/library/python:3.14.4-slim-trixie`` (scanners' form)."""
    if names_registry(image):
        return image
    return f"docker.io/{image}" if "/" in image else f"docker.io/library/{image}"


def applies(plan: BuildPlan) -> bool:
    """The slim family: the runtime is the builder's own python slim image."""
    image = plan.runtime_image
    return image == plan.builder_image and image.startswith("python:") and "-slim-" in image


def apply(plan: BuildPlan, options: PlanOptions) -> BuildPlan:
    """``plan`` with the trimmed runtime root (default), or with the reason it keeps its base."""
    if not applies(plan):
        return plan
    if options.runtime_base.startswith("image:"):  # a trimmed base published as an image
        from dockwright.plan import published_base

        return published_base.apply(plan, options.runtime_base.removeprefix("image:"), options)
    image = plan.runtime_image
    libraries = " ".join(a.name for a in plan.runtime_apt)
    trade = (
        "the runtime shares no layer with other images on the plain python image (a host or registry "
        "holding both stores the base twice); the trimmed layer itself is shared by every app dockwright "
        "builds on the same base with the same UID"
        + (
            f", not by this one: its run-time apt packages ({libraries}) are installed into its own copy"
            if libraries
            else " that needs no run-time apt package (those are installed into the app's own copy)"
        )
        + "; a build without its cache (`--no-cache`, a CI runner without one) makes that layer again: "
        "the base's whole tree hashed, copied and exported (and compressed, on the containerd image "
        "store), where a single stage FROM the base reuses its layers"
    )
    if options.runtime_base == "upstream":
        decision = Decision(
            "runtime-base",
            f"upstream {image}",
            "asked for (runtime-base = upstream): the runtime's base layers are shared with other images "
            "on the plain python image; the base interpreter's pip, ensurepip wheels and C headers stay "
            "in them (the default trims them: " + trade + ")",
        )
        return dataclasses.replace(plan, decisions=(*plan.decisions, decision))
    env = base_env(plan.python_version)
    runtime_env = tuple(
        dataclasses.replace(e, value=e.value.replace("$PATH", env["PATH"])) if e.name == "PATH" else e
        for e in plan.runtime_env
    )
    # no pip anywhere in this runtime: the PIP_* settings have no reader left
    runtime_env = tuple(e for e in runtime_env if not e.name.startswith("PIP_"))
    names = {e.name for e in runtime_env}
    runtime_env = (
        *(EnvVar(name, value, f"set by {image}") for name, value in env.items() if name not in names),
        *runtime_env,
    )
    digest = BuildArg(
        BASE_DIGEST_ARG, "unknown", "base image digest label; the build feeds the base's registry digest"
    )
    labels = (
        *plan.labels,
        Label("org.opencontainers.image.base.name", qualified(image)),
        Label("org.opencontainers.image.base.digest", "${" + BASE_DIGEST_ARG + "}"),
    )
    decision = Decision(
        "runtime-base",
        f"trimmed {image} (stage '{STAGE}', copied into FROM scratch)",
        f"the app runs from its venv; {image}'s own {', '.join(tooling())}, their scripts, ensurepip's "
        "wheels and C headers are never used at run time and, left in a base layer, cannot be removed "
        "later (a whiteout hides no bytes); trimmed in a stage FROM the pinned base (updates bump that "
        f"line) and copied in one layer, its ENV ({', '.join(env)}) set explicitly and the OCI base.name/"
        "base.digest labels naming the base for scanners; the app user and the run-time libraries are "
        "made in that stage too (parallel with the builder), so the runtime stage only copies. The "
        "trade: " + trade + "; "
        '`runtime-base = "image:REF"` builds FROM the same trimmed base published once (`dockwright base '
        'build --push`), `runtime-base = "upstream"` in [tool.dockwright] keeps FROM the base',
    )
    stage_steps, runtime_steps = _fold(plan)
    return dataclasses.replace(
        plan,
        runtime_image="scratch",
        runtime_root=RuntimeRoot(
            STAGE, image, "the trimmed base's whole file system in one layer (interpreter, OS, no installer)"
        ),
        runtime_env=runtime_env,
        runtime_steps=runtime_steps,
        side_stages=(trim_stage(image, stage_steps), *plan.side_stages),
        labels=labels,
        build_args=(*plan.build_args, (BASE_DIGEST_ARG, "unknown")),
        build_arg_docs=(*plan.build_arg_docs, digest),
        decisions=(*plan.decisions, decision),
    )
