"""The runtime's root stage kept as a local image between builds (Docker + BuildKit, docker driver).

A trimmed runtime starts ``FROM root``, the stage ``FROM scratch`` + ``COPY --from=base / /``. Built
in the file, a ``--no-cache`` build content-hashes, copies and exports that ~130 MB root again every
time, where docker init's shape reuses the pulled base's layers (docs/lean.md, sessions 15 and 25).
``dockwright build`` instead keeps the root stage as a local image, ``dockwright-root:<slug>-<key>``,
built once with ``--target root``, and builds the app with ``--build-context
root=docker-image://<that image>``: BuildKit then uses the image for the stage of the same name, its
layer the same blob as the in-file build's.

The key hashes everything the root's bytes depend on: the Dockerfile text of both stages (and the
global ARGs and the syntax directive), the upstream image's local ID (``docker pull`` of a newer base
changes it, so a new root is built), the platform, and the values of the build args those stages
declare, and ``SOURCE_DATE_EPOCH`` from the environment (buildx passes it as that build arg). The trim
reads nothing else (no context, no mount, no network), so a root of the same key is the same bytes:
``--no-cache`` reuses it, and the build says so. A base stage that downloads (the run-time apt packages
the plan installs there, a ``curl`` of the user's) makes bytes no key covers, the mirror's packages of the
day: ``--no-cache`` builds that root again without the cache, under its tag.

Only where it was verified (Docker 26 + buildx 0.13, docker driver, classic image store): one
platform (the engine's own), the image loaded into the engine (no ``--output``, ``--push``,
``--builder``, ``--reproducible``), the whole file or a stage after the root built. Everything else
builds the root in the file, as ``docker build .`` does.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
import shlex
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cache

from dockwright.dockerfile.parser import parse
from dockwright.dockerfile.syntax import Dockerfile, Stage
from dockwright.engine.base import BuildRequest
from dockwright.project.tree import data_table
from dockwright.shell_lists import commands, pipeline

REPOSITORY = "dockwright-root"  # every image this module makes, and the only ones it names
STAGE = "root"
# the environment variable buildx passes as the build arg of its name (docker/buildx#1482)
CLIENT_ARGS = ("SOURCE_DATE_EPOCH",)


@dataclass(frozen=True)
class RootStage:
    """A Dockerfile's root stage and what its bytes depend on."""

    source: str  # the stage it copies (``base``)
    upstream: str  # the image that stage starts FROM
    text: str  # the key's Dockerfile part: syntax directive, global ARGs, both stages as written
    args: tuple[str, ...]  # build args the two stages (and the global scope) declare
    fetches: tuple[str, ...] = ()  # the downloading programs the source stage runs (fetchers())
    earlier: tuple[str, ...] = ()  # the stages before the root (a --target there never reads it)


@dataclass(frozen=True)
class RootPlan:
    """What a build does about the root: the image to use, and whether it must be built first."""

    tag: str
    upstream: str
    exists: bool


def root_stage(dockerfile_text: str) -> RootStage | None:
    """The ``root`` stage when it is exactly ``FROM scratch`` + ``COPY --from=SOURCE / /``, SOURCE a
    stage FROM an image (no ARG in the reference) that reads neither the context nor another stage
    nor a mount, and a later stage starts FROM it; else None (the root is built in the file)."""
    parsed = parse(dockerfile_text)
    root = parsed.stage_by_name(STAGE)
    if parsed.errors or root is None or root.base_image.lower() != "scratch" or root.platform:
        return None
    if len(root.instructions) != 1:
        return None
    copy = root.instructions[0]
    source_flag = copy.flag("from")
    if copy.keyword != "COPY" or copy.arguments != ("/", "/") or source_flag is None or len(copy.flags) != 1:
        return None
    source = parsed.stage_by_name(source_flag.value or "")
    if source is None or source.index >= root.index or not _self_contained(parsed, source):
        return None
    if not any(stage.base_image.lower() == STAGE for stage in parsed.stages[root.index + 1 :]):
        return None
    directive = parsed.directive("syntax")
    text = "\n".join(
        [
            directive.span.slice(dockerfile_text) if directive else "",
            *(arg.span.slice(dockerfile_text) for arg in parsed.global_args),
            _stage_text(dockerfile_text, source),
            _stage_text(dockerfile_text, root),
        ]
    )
    args = [name for arg in parsed.global_args for name, _ in arg.pairs]
    args += [name for i in source.instructions if i.keyword == "ARG" for name, _ in i.pairs]
    runs = [i.span.slice(dockerfile_text) for i in source.instructions if i.keyword == "RUN"]
    fetches = tuple(dict.fromkeys(p for run in runs for p in _programs(run) if p in fetchers()))
    earlier = tuple(s.name for s in parsed.stages[: root.index] if s.name)
    return RootStage(source.name or "", source.base_image, text, tuple(dict.fromkeys(args)), fetches, earlier)


@cache
def fetchers() -> frozenset[str]:
    """Programs that download what they install (package managers, fetchers: ``data/fetchers.toml``): a
    base stage running one reads the network, whose answer (a mirror's packages of the day) no key covers."""
    return frozenset(name for row in data_table("fetchers.toml")["fetcher"] for name in row["names"])


def _programs(run: str) -> list[str]:
    """The programs a RUN instruction's text runs (exec form: its first word; shell form: each command
    of its lists and pipes, past ``NAME=value`` words), by base name; what ``$(...)`` runs is not read."""
    body = run.split(None, 1)[1] if len(run.split(None, 1)) == 2 else ""
    if body.lstrip().startswith("["):
        try:
            words = json.loads(body)
        except ValueError:
            words = []
        return [posixpath.basename(str(words[0]))] if words else []
    found = []
    for command in commands(body.replace("\\\n", " ")):
        for part in pipeline(command):
            try:
                words = shlex.split(part)
            except ValueError:
                words = part.split()
            program = next((w for w in words if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", w)), "")
            if program:
                found.append(posixpath.basename(program))
    return found


def _self_contained(parsed: Dockerfile, stage: Stage) -> bool:
    """The stage's files come from its FROM image and its own commands alone."""
    if "$" in stage.base_image or stage.platform or parsed.stage_by_name(stage.base_image) is not None:
        return False
    for instruction in stage.instructions:
        if instruction.keyword in {"COPY", "ADD", "ONBUILD"}:
            return False
        if instruction.keyword == "RUN" and instruction.flags:  # mounts, network, security
            return False
    return True


def _stage_text(text: str, stage: Stage) -> str:
    end = stage.instructions[-1].span.end if stage.instructions else stage.from_instruction.span.end
    return text[stage.from_instruction.span.start : end]


def root_key(stage: RootStage, upstream_id: str, platform: str, build_args: Mapping[str, str]) -> str:
    """24 hex digits of SHA-256 over what the root's bytes depend on."""
    document = {
        "dockerfile": stage.text,
        "upstream": stage.upstream,
        "upstream_id": upstream_id,
        "platform": platform,
        "args": {name: build_args[name] for name in stage.args if name in build_args},
    }
    return hashlib.sha256(json.dumps(document, sort_keys=True).encode()).hexdigest()[:24]


def root_tag(upstream: str, key: str) -> str:
    """``dockwright-root:<slug of the upstream image>-<key>`` (a tag holds at most 128 characters)."""
    name = upstream.split("@", 1)[0].rsplit("/", 1)[-1]
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip(".-")[:80] or "image"
    return f"{REPOSITORY}:{slug}-{key}"


def unused_because(request: BuildRequest, native_platform: str, stage: RootStage | None = None) -> str | None:
    """Why this request builds the root in the file (a path not verified with a root image, or a
    ``--target`` that never reads the root), else None."""
    before = {STAGE, "base", *(stage.earlier if stage else ())}
    reasons = (
        (len(request.platforms) > 1 or any(p != native_platform for p in request.platforms), "--platform"),
        (bool(request.output), "--output"),
        (request.push, "--push"),
        (bool(request.builder), "--builder"),
        (request.reproducible, "--reproducible"),
        (request.target in before, "--target"),
        # a registry cache holds the steps of builds whose root was in the file (CI's --push): on a kept
        # root every later step's cache key differs, so the cache would match nothing; and one written
        # from a kept root would match no other machine's build
        (bool(request.cache_from), "--cache-from"),
        (bool(request.cache_to), "--cache-to"),
    )
    return next((why for hit, why in reasons if hit), None)


def with_root_context(request: BuildRequest, tag: str) -> BuildRequest:
    """The app's build with the root stage taken from the local image ``tag``."""
    return replace(request, build_contexts=(*request.build_contexts, (STAGE, f"docker-image://{tag}")))


def root_request(request: BuildRequest, tag: str) -> BuildRequest:
    """The build of the root stage alone, tagged ``tag`` (no secrets: the stages read none)."""
    return replace(
        request,
        tag=tag,
        target=STAGE,
        secrets=(),
        secret_specs=(),
        ssh=(),
        labels=(),
        cache_from=(),
        cache_to=(),
        build_contexts=(),
    )


def client_args(build_args: Mapping[str, str], environ: Mapping[str, str]) -> dict[str, str]:
    """The build args the build sees: ``build_args``, and the ones buildx takes from the environment."""
    return {**{name: environ[name] for name in CLIENT_ARGS if name in environ}, **build_args}


def others(executable: str, tag: str) -> list[str]:
    """The other root images of the same upstream image (an older base, another Dockerfile)."""
    prefix = tag.rsplit("-", 1)[0] + "-"
    own = re.compile(re.escape(prefix) + r"[0-9a-f]{24}")  # python-3.13-slim-KEY is not python-3.13's
    done = subprocess.run(
        [executable, "image", "ls", "--format", "{{.Repository}}:{{.Tag}}", REPOSITORY],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    names = done.stdout.split() if done.returncode == 0 else []
    return sorted(name for name in names if own.fullmatch(name) and name != tag)
