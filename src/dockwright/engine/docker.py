"""DockerEngine: the Engine protocol over the Docker CLI (verbs shared with Podman: ``cli_engine``).

Builds need BuildKit, which the Docker SDK does not drive, so everything goes through the CLI:
``docker buildx build --load`` when buildx is installed, else a classic client with
``DOCKER_BUILDKIT=1`` (e.g. Debian's ``/usr/bin/docker``). JSON outputs are parsed here and nowhere else.
The audit's two reads, the image's inspect and its save, use the Engine API's socket when the CLI
would talk to it (``docker_api``): no CLI process starts for them.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, cast

from dockwright.engine.base import BuildRequest, BuildStep, Image
from dockwright.engine.cli_engine import CliEngine
from dockwright.engine.docker_api import DockerApi, Unreachable, local_socket
from dockwright.engine.progress import ProgressReader
from dockwright.errors import DockwrightError, EngineError

if TYPE_CHECKING:
    from dockwright.engine.store_folders import StoreLayers

CANDIDATES = ("docker", "/usr/bin/docker")
CONTAINERD_STORE = "io.containerd.snapshotter"  # `docker info` DriverStatus on the containerd image store


PLUGIN_CALLER = "DOCKER_CLI_PLUGIN_ORIGINAL_CLI_COMMAND"  # what the CLI tells a plugin it runs


@dataclass(frozen=True)
class Client:
    """A Docker CLI and how it builds with BuildKit. ``plugin``: the buildx plugin's file as the CLI
    reports it (``docker info``), when known: a build starts it the way the CLI starts a plugin, its
    own name as the first argument and the CLI's path in ``DOCKER_CLI_PLUGIN_ORIGINAL_CLI_COMMAND``
    (docker/cli's plugin manager), which skips the CLI's own start (~35 ms of a 0.15 s cached build)."""

    path: str
    buildx: bool
    plugin: str = ""

    def build_prefix(self, load: bool = True) -> list[str]:
        if not self.buildx:
            return [self.path, "build"]
        return [self.path, "buildx", "build", *(["--load"] if load else [])]

    def build_env(self) -> dict[str, str]:
        if not self.buildx:
            return {"DOCKER_BUILDKIT": "1"}
        return {PLUGIN_CALLER: self.path} if self.plugin else {}

    def launched(self, argv: list[str]) -> list[str]:
        """The command a build runs for ``argv`` (``docker buildx build ...``, as printed)."""
        if self.plugin and self.buildx and argv[:2] == [self.path, "buildx"]:
            return [self.plugin, *argv[1:]]
        return argv


def buildx_plugin(client: str) -> str:
    """The buildx plugin's file the CLI at ``client`` runs for ``docker buildx`` (its plugin list, which
    names a plugin that fails its metadata call with an error instead); "" when it names none, or one
    outside the plugin folders Docker documents (``$DOCKER_CONFIG/cli-plugins``, the config's
    ``cliPluginsExtraDirs``, the system folders): a packaged CLI (a snap) runs its plugins with an
    environment of its own, and the kept probes' key covers those folders only."""
    from dockwright.engine import probe_memo

    try:
        done = subprocess.run(
            [client, "info", "--format", "{{json .ClientInfo.Plugins}}"], capture_output=True, timeout=5
        )
        plugins = json.loads(done.stdout) if done.returncode == 0 else []
    except (OSError, subprocess.TimeoutExpired, ValueError):
        return ""
    for plugin in plugins if isinstance(plugins, list) else []:
        if isinstance(plugin, dict) and plugin.get("Name") == "buildx" and not plugin.get("Err"):
            found = plugin.get("Path")
            if not isinstance(found, str) or not Path(found).is_file():
                return ""
            folders = {str(folder) for folder in probe_memo.plugin_dirs(os.environ)}
            return found if str(Path(found).parent) in folders else ""
    return ""


def _runs(argv: list[str], env: Mapping[str, str] | None = None) -> bool:
    try:
        done = subprocess.run(argv, capture_output=True, timeout=30, env={**os.environ, **(env or {})})
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def _client_names(candidates: Sequence[str] | None) -> list[str]:
    """The clients to try: ``DOCKWRIGHT_DOCKER`` alone when set, else ``candidates`` (default CANDIDATES)."""
    override = os.environ.get("DOCKWRIGHT_DOCKER")
    return [override] if override else list(candidates or CANDIDATES)


def _located(name: str) -> str | None:
    """A client's path: looked up on PATH, or taken as written when it holds a slash and exists."""
    return shutil.which(name) if "/" not in name else (name if Path(name).exists() else None)


def find_client(candidates: Sequence[str] | None = None) -> Client:
    """The first client that can build with BuildKit: with buildx, or a classic one that accepts BuildKit.

    ``DOCKWRIGHT_DOCKER`` names the client to use. A classic client refuses ``DOCKER_BUILDKIT=1``
    when its BuildKit support was left out; ``build --help`` under that variable tells.
    """
    names = _client_names(candidates)
    seen: set[str] = set()
    for name in names:
        path = _located(name)
        if not path or os.path.realpath(path) in seen:
            continue
        seen.add(os.path.realpath(path))
        if _runs([path, "buildx", "version"]):
            return Client(path, buildx=True, plugin=buildx_plugin(path))
        if _runs([path, "build", "--help"], {"DOCKER_BUILDKIT": "1"}):
            return Client(path, buildx=False)
    tried = ", ".join(names)
    raise EngineError(f"no BuildKit-capable Docker client found (tried {tried}); install buildx or docker.io")


def find_executable(candidates: Sequence[str] | None = None) -> str:
    """The first Docker CLI found (``DOCKWRIGHT_DOCKER`` first), without probing BuildKit: the verbs
    other than ``build`` (inspect, save, run) work with any client."""
    names = _client_names(candidates)
    for name in names:
        path = _located(name)
        if path:
            return path
    raise EngineError(
        f"no Docker client found (tried {', '.join(names)}); install docker.io or docker-ce-cli"
    )


def _needs_buildx(request: BuildRequest) -> str | None:
    """The first requested feature a classic client (``docker build``) lacks, else None."""
    wanted = (
        (len(request.platforms) > 1, "several platforms"),
        (bool(request.output), "--output"),
        (request.push, "--push"),
        (bool(request.cache_to), "--cache-to"),
        (bool(request.builder), "--builder"),
        (bool(request.build_contexts), "--build-context"),
        (request.reproducible, "--reproducible"),
    )
    return next((what for needed, what in wanted if needed), None)


ARCHIVE = "image.oci.tar"  # where a reproducible build exports before `docker load` (a temp dir at run time)


def exports_then_loads(request: BuildRequest) -> bool:
    """A reproducible build without ``--output`` or ``--builder``: the docker driver refuses
    ``rewrite-timestamp`` when it loads or pushes ("conflicts with unpack", Docker 26.1.5), so BuildKit
    exports an OCI archive, ``docker load`` stores it (the containerd store keeps its manifest digest)
    and ``docker push`` pushes that same digest."""
    return request.reproducible and not request.output and not request.builder


def follow_up_commands(client: Client, request: BuildRequest, archive: str = ARCHIVE) -> list[list[str]]:
    """What runs after the build command (``build --dry-run`` prints these too)."""
    if not exports_then_loads(request):
        return []
    commands = [[client.path, "load", "--input", archive]]
    if request.push:
        commands.append([client.path, "push", request.tag])
    return commands


def build_command(client: Client, request: BuildRequest, archive: str = ARCHIVE) -> list[str]:
    """The exact build command for a request (printed by ``build --dry-run``, tested offline)."""
    missing = _needs_buildx(request)
    if missing and not client.buildx:
        raise EngineError(
            f"{missing} needs docker buildx, which {client.path} lacks: install docker-buildx "
            "(Debian/Ubuntu package) or Docker's buildx plugin"
        )
    if len(request.platforms) > 1 and not (request.output or request.push):
        raise EngineError(
            "a multi-platform image cannot be loaded into the engine's image store: give --output "
            "type=registry or --push (push to the tag's registry) or --output type=oci,dest=FILE.tar"
        )
    output = request.output
    if request.reproducible:
        # the exporter clamps every file's mtime to SOURCE_DATE_EPOCH (BuildKit >= 0.13)
        if output:
            output = f"{output},rewrite-timestamp=true"
        elif request.builder:  # docker-container/remote: BuildKit pushes with rewritten timestamps itself
            if not request.push:
                raise EngineError(
                    "--reproducible with --builder needs --push or --output type=oci,dest=FILE.tar: "
                    "BuildKit rewrites layer timestamps only when it exports the image"
                )
            output = f"type=image,name={request.tag},push=true,rewrite-timestamp=true"
        else:
            output = f"type=oci,dest={archive},rewrite-timestamp=true"  # --tag names it
    if client.buildx:
        argv = [client.path, "buildx", "build"]
        if request.builder:
            argv += ["--builder", request.builder]
        if request.push and not request.reproducible:
            argv.append("--push")
        elif output is None:
            argv.append("--load")
        if request.reproducible:
            argv.append("--provenance=false")  # the attestation records build time and host
    else:
        argv = client.build_prefix()
    argv += ["--progress", "plain", "--file", request.dockerfile]
    if not (request.reproducible and request.builder and not request.output):  # named in --output
        argv += ["--tag", request.tag]
    if output:
        argv += ["--output", output]
    for spec in request.cache_from:
        argv += ["--cache-from", spec]
    for spec in request.cache_to:
        argv += ["--cache-to", spec]
    for name, value in request.build_args:
        argv += ["--build-arg", f"{name}={value}"]
    for secret_id, source in request.secrets:
        argv += ["--secret", f"id={secret_id},src={source}"]
    for forward in request.ssh:
        argv += ["--ssh", forward]
    for spec in request.secret_specs:
        argv += ["--secret", spec]
    for key, value in request.labels:
        argv += ["--label", f"{key}={value}"]
    if request.platforms:
        argv += ["--platform", ",".join(request.platforms)]
    if request.target:
        argv += ["--target", request.target]
    for name, value in request.build_contexts:
        argv += ["--build-context", f"{name}={value}"]
    if request.network:
        argv += ["--network", request.network]
    if request.no_cache:
        argv.append("--no-cache")
    return [*argv, request.context]


# the CLI's line when nothing listens where DOCKER_HOST / the context points
_NO_DAEMON = re.compile(r"Cannot connect to the Docker daemon at (?P<address>\S+?)\.?(?:\s|$)")
_REFUSED = "the registry refused the credentials: docker login REGISTRY with valid ones"

# What the engine says when a build fails for a reason the user fixes outside the Dockerfile, and the fix
# (matched case-insensitively in the build's output, first match wins).
FAILURE_HINTS: tuple[tuple[str, str], ...] = (
    (
        "cache export is not supported for the docker driver",
        "--cache-to type=registry needs a builder that exports cache: use --cache-to type=inline "
        "(the cache travels in the pushed image), a docker-container/remote builder (--builder NAME), "
        "or turn on the containerd image store",
    ),
    (
        "docker exporter does not currently support exporting manifest lists",
        "several platforms cannot be loaded into this engine's image store: give --push or "
        "--output type=oci,dest=FILE.tar, or turn on the containerd image store",
    ),
    (
        "multi-platform build is not supported for the docker driver",
        "this builder cannot build several platforms: turn on the containerd image store or use a "
        "docker-container builder (--builder NAME)",
    ),
    (
        'conflicts with "unpack"',
        "the docker driver cannot rewrite timestamps while pushing: use --output type=oci,dest=FILE.tar "
        "(containerd image store) and push that, or a docker-container/remote builder (--builder NAME)",
    ),
    (
        "oci exporter is not supported for the docker driver",
        "Docker's classic image store cannot export OCI: turn on the containerd image store, or use a "
        "docker-container/remote builder (--builder NAME)",
    ),
    ("no basic auth credentials", "the registry wants credentials: docker login REGISTRY, then build again"),
    ("401 unauthorized", "the registry refused the credentials: docker login REGISTRY with valid ones"),
    (
        "authentication required",
        "the registry refused the credentials: docker login REGISTRY with valid ones",
    ),
    ("connect: connection refused", "the registry does not answer: check the tag's registry host and port"),
    ("no such host", "the registry's host name does not resolve: check the tag's registry"),
    ("no builder", "no buildx builder by that name: see `docker buildx ls`, or `docker buildx create`"),
    (
        "exec format error",
        "this host cannot run the target platform's binaries: install qemu-user-static and "
        "binfmt-support (or `docker run --privileged --rm tonistiigi/binfmt --install all`)",
    ),
)

# BuildKit goes on building after these; dockwright repeats them as warnings.
WARNING_MARKERS: tuple[tuple[str, str], ...] = (
    ("failed to configure registry cache importer", "--cache-from found no cache (built without it)"),
)


def failure_hint(text: str) -> str | None:
    """The fix for a known engine failure in ``text``, else None."""
    lowered = text.lower()
    return next((fix for marker, fix in FAILURE_HINTS if marker in lowered), None)


def build_warnings(text: str) -> tuple[str, ...]:
    """Warnings for problems BuildKit worked around (each line that shows one, once)."""
    found: list[str] = []
    for line in text.splitlines():
        for marker, what in WARNING_MARKERS:
            if marker in line and not any(line.split(marker, 1)[1].strip() in seen for seen in found):
                found.append(f"{what}: {line.split(marker, 1)[1].strip(' :')}")
    return tuple(found)


def failure_message(reader: ProgressReader, text: str, log_file: Path | None, lines: int = 20) -> str:
    """A failed build as one headline (the failing step and its error) followed by its last log lines."""
    headline = reader.headline()
    tail = reader.failure_tail(lines) if headline else text.splitlines()[-lines:]
    where = f" (full log: {log_file})" if log_file else ""
    hint = failure_hint("\n".join(line for line in text.splitlines()[-lines:] if "ERROR" in line))
    if hint:  # the engine, not the Dockerfile: one line that names the fix
        return f"build failed: {hint}{where}\n  {(text.strip().splitlines() or [''])[-1]}"
    first = f"build failed: {headline}{where}" if headline else f"build failed{where}"
    return "\n".join([first, *("  " + line for line in tail)])


class DockerEngine(CliEngine):
    """The Engine protocol over the Docker CLI."""

    name = "docker"

    def __init__(self, client: Client | None = None) -> None:
        super().__init__()
        self._client = client
        self._executable = ""  # found without probing BuildKit, until a build resolves the client
        # the Engine API's socket for the audit's inspect and save (docker_api): not with a named client
        self._api: DockerApi | None = None
        if client is None and (path := local_socket()) is not None:
            self._api = DockerApi(path)
        self._facts: dict[tuple[str, str], str] = {}  # the engine's answers that hold for this process
        self._server: dict[str, str] | None = None  # Version, Os, Arch (_server_facts)
        # the key the client probe and the driver are kept under between runs (probe_memo), once asked
        self._probe_key = ""
        self._probes_kept = False  # both answers came from probe_memo: nothing to keep after the build

    def prepare(self) -> None:
        """Ask ahead what a build asks the engine first (the engine's version and platform, the client's
        BuildKit probe, the current builder's driver): ``api.build`` runs it beside the planning, so those
        questions are off the build's path. The driver is asked of the first client found while that
        client's buildx is probed (two CLI runs at once, not one after the other), and kept only when the
        probe picks that client. Errors are left to the build's own asking."""
        import threading

        def server() -> None:
            with contextlib.suppress(DockwrightError):
                self._server_facts()

        asking = threading.Thread(target=server, name="dockwright-engine-server", daemon=True)
        asking.start()
        if self._kept_probes():
            asking.join()
            return
        driver = ""
        guess = ""
        with contextlib.suppress(DockwrightError):
            guess = self.executable if self._client is None else ""
        if guess:
            probing = threading.Thread(
                target=self._probe_client, name="dockwright-engine-client", daemon=True
            )
            probing.start()
            driver = self._driver_of(None, guess)
            probing.join()
        try:
            if self.client.buildx:
                if guess and self.client.path == guess:
                    self._facts.setdefault(("driver", ""), driver)
                self.buildx_driver(None)
        except DockwrightError:
            pass
        asking.join()

    def _kept_probes(self) -> bool:
        """Take the client and the current builder's driver from :mod:`probe_memo` when an earlier run
        kept them under the same key (the client not given, nothing that picks either changed)."""
        if self._client is not None:
            return False
        from dockwright.engine import probe_memo

        self._probe_key = probe_memo.signature(_client_names(None), os.environ)
        kept = probe_memo.kept(self._probe_key)
        if kept is None:
            return False
        path, buildx, driver, plugin = kept
        self._client = Client(path, buildx, plugin)
        self._facts[("driver", "")] = driver
        self._probes_kept = True
        return True

    def _keep_probes(self) -> None:
        """After a build that succeeded: keep the answers it was built with (asked, not kept ones)."""
        driver = self._facts.get(("driver", ""))
        if self._probe_key and not self._probes_kept and self._client is not None and driver is not None:
            from dockwright.engine import probe_memo

            probe_memo.keep(
                self._probe_key, self._client.path, self._client.buildx, driver, plugin=self._client.plugin
            )

    def _probe_client(self) -> None:
        with contextlib.suppress(DockwrightError):
            _ = self.client

    @property
    def client(self) -> Client:
        if self._client is None:
            self._client = find_client()
        return self._client

    @property
    def executable(self) -> str:
        """The CLI of every verb but ``build`` (which probes for BuildKit: :attr:`client`)."""
        if self._client is not None:
            return self._client.path
        if not self._executable:
            self._executable = find_executable()
        return self._executable

    def error_line(self, stderr: str) -> str:
        unreachable = _NO_DAEMON.search(stderr)
        if unreachable:
            return (
                f"no Docker engine answers at {unreachable['address']} "
                "(is dockerd running? DOCKER_HOST or `docker context use` picks the address)"
            )
        return super().error_line(stderr)

    @property
    def api_socket(self) -> str | None:
        """The Engine API socket :meth:`inspect_image` and :meth:`save` read, else None (the CLI)."""
        return self._api.path if self._api is not None else None

    def missing_image(self, ref: str, stderr: str) -> str | None:
        return f"no such image: {ref}" if "No such image" in stderr or "No such object" in stderr else None

    def inspect_image(self, ref: str) -> dict[str, Any]:
        """The image's inspect document: from the Engine API's socket when it answers, else the CLI."""
        if self._api is not None:
            try:
                status, body = self._api.inspect_image(ref)
            except Unreachable:
                self._api = None  # the CLI from now on (its error is the one to show)
            else:
                if status == 200 and isinstance(body, dict):
                    return body
                raise EngineError(self.missing_image(ref, str(body)) or f"{self.name} image inspect: {body}")
        return super().inspect_image(ref)

    def store_layers(self, inspect: Mapping[str, Any]) -> StoreLayers | None:
        """The image's layers unpacked in the engine's own store, where this process may read them and
        they are verified to be the inspected image's (:mod:`dockwright.engine.store_folders`), else None."""
        from dockwright.engine.store_folders import store_layers

        return store_layers(inspect)

    def save(self, ref: str) -> IO[bytes]:
        """The image as a docker-archive tar: read from the Engine API's socket when it takes the
        request (no CLI process relaying the bytes), else streamed from ``docker save``."""
        if self._api is not None:
            from dockwright.engine.readahead import ReadAhead

            try:
                return cast("IO[bytes]", ReadAhead(self._api.save(ref)))
            except Unreachable:
                self._api = None
        return super().save(ref)

    def ping(self) -> str:
        """The engine's version; EngineError (one line) when none answers."""
        return self._server_facts()["Version"]

    def _server_facts(self) -> dict[str, str]:
        """The engine's ``Version``, ``Os`` and ``Arch`` (asked once per engine object): ``GET /version``
        on the Engine API's socket when the CLI would talk to it, else ``docker version``."""
        known = self._server
        if known is not None:
            return known
        found = self._server_from_api()
        if found is None:
            done = self._cli(
                "version",
                "--format",
                "{{.Server.Version}} {{.Server.Os}}/{{.Server.Arch}}",
                timeout=30,
                check=False,
            )
            version, _, platform = done.stdout.strip().partition(" ")
            if done.returncode != 0 or not version:
                if _NO_DAEMON.search(done.stderr):  # the same line as every other verb's
                    raise EngineError(self.error_line(done.stderr))
                detail = (done.stderr.strip().splitlines() or ["no answer"])[-1]
                raise EngineError(f"no Docker engine answers {self.executable} ({detail})")
            system, _, arch = platform.partition("/")
            found = {"Version": version, "Os": system, "Arch": arch}
        self._server = found
        return found

    def _server_from_api(self) -> dict[str, str] | None:
        api = self._api
        if api is None:
            return None
        try:
            status, body = api.get_json("/version", "docker version")
        except (Unreachable, EngineError):
            return None  # the CLI asks, and its error is the one to show
        if status != 200 or not isinstance(body, dict) or not body.get("Version"):
            return None
        return {k: str(body.get(k, "")) for k in ("Version", "Os", "Arch")}

    def build_command(self, request: BuildRequest) -> list[str]:
        """The exact command :meth:`build` runs for ``request`` (without running anything else)."""
        return build_command(self.client, request)

    def follow_up_commands(self, request: BuildRequest) -> list[list[str]]:
        """The commands :meth:`build` runs after the build command (``docker load``, ``docker push``)."""
        return follow_up_commands(self.client, request)

    def build(self, request: BuildRequest, on_step: Callable[[BuildStep], None] | None = None) -> Image:
        _ = self.client  # a build runs every command with the BuildKit-capable client
        notes: tuple[str, ...] = ()
        if request.reuse_root:
            request, notes = self.reuse_root(request, on_step)
        image = self._build(request, on_step)
        self._keep_probes()
        return dataclasses.replace(image, extra={**image.extra, "notes": notes}) if notes else image

    def reuse_root(
        self, request: BuildRequest, on_step: Callable[[BuildStep], None] | None = None
    ) -> tuple[BuildRequest, tuple[str, ...]]:
        """The request with its ``root`` stage taken from a kept local image (built first when missing),
        and the lines that say which; the request unchanged where that path is not verified
        (:mod:`dockwright.engine.root_image`)."""
        from dockwright.engine import root_image

        plain = dataclasses.replace(request, reuse_root=False)
        try:
            stage = root_image.root_stage(Path(request.dockerfile).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            stage = None
        if stage is None or not self.client.buildx:
            return plain, ()
        native = self.native_platform()
        why = root_image.unused_because(request, native, stage)
        if why is None and os.environ.get("DOCKER_DEFAULT_PLATFORM", native) != native:
            why = "DOCKER_DEFAULT_PLATFORM"  # docker builds for it without --platform
        if why is None and self.buildx_driver(None) != "docker":
            why = "a builder other than the docker driver"
        upstream_id = self.local_image_id(stage.upstream) if why is None else ""
        if why is None and not upstream_id:
            why = f"{stage.upstream} is not in the engine and could not be pulled"
        if why is not None:
            return plain, (f"root: built in the file ({why}: no kept root image on that path)",)
        args = root_image.client_args(dict(request.build_args), os.environ)
        key = root_image.root_key(stage, upstream_id, native, args)
        tag = root_image.root_tag(stage.upstream, key)
        old_id = self.local_image_id(tag, pull=False)
        if old_id and request.no_cache and stage.fetches:
            self._build(root_image.root_request(plain, tag), on_step)  # no_cache: the downloads again
            if self.local_image_id(tag, pull=False) not in {old_id, ""}:
                self.remove_image(old_id)  # untagged by the rebuild: ~130 MB left dangling otherwise
            rebuilt = (
                f"root: rebuilt {tag} (--no-cache: its {stage.source} stage runs "
                f"{', '.join(stage.fetches)}, whose downloads its key does not cover)"
            )
            return root_image.with_root_context(plain, tag), (rebuilt,)
        if old_id:
            kept = f"root: reused {tag} (trimmed {stage.upstream}, image {upstream_id[:19]})"
            if request.no_cache:
                kept += (
                    "; --no-cache keeps it: its bytes follow from its key (that image's ID, the stages' "
                    f"text, the platform, their build args); `docker image rm {tag}` rebuilds it"
                )
            return root_image.with_root_context(plain, tag), (kept,)
        self._build(root_image.root_request(plain, tag), on_step)
        notes = [
            f"root: built {tag} (trimmed {stage.upstream}); builds of the same base reuse it, --no-cache too"
        ]
        older = root_image.others(self.executable, tag)
        if older:
            names = " ".join(older)
            notes.append(
                f"root: {len(older)} other root image(s) of {stage.upstream}: docker image rm {names}"
            )
        return root_image.with_root_context(plain, tag), tuple(notes)

    def tag_image(self, image: str, ref: str) -> None:
        """Name ``image`` (an ID or a name) ``ref`` too: through the Engine API's socket when it
        answers, else ``docker tag``; EngineError when the engine refuses."""
        if self._api is not None:
            try:
                status, message = self._api.tag(image, ref)
            except Unreachable:
                self._api = None
            else:
                if status >= 300:
                    raise EngineError(f"{self.name} tag {ref}: {message}")
                return
        self._cli("tag", image, ref)

    def untag(self, ref: str) -> None:
        """Remove the name ``ref``; the image goes too when no other name or container holds it
        (``docker image rm`` without force). A name already gone, or an engine that does not answer,
        is no error."""
        with contextlib.suppress(EngineError):
            if self._api is not None:
                try:
                    self._api.untag(ref)
                    return
                except Unreachable:
                    self._api = None
            self._cli("image", "rm", ref, check=False)

    def remove_image(self, image_id: str) -> None:
        """Remove an image this engine made (by ID); one still in use stays (no force)."""
        self._cli("image", "rm", image_id, check=False)

    def native_platform(self) -> str:
        """The engine's own platform, e.g. ``linux/amd64`` (asked once per engine object)."""
        try:
            facts = self._server_facts()
        except EngineError:
            return ""
        return f"{facts['Os']}/{facts['Arch']}" if facts["Os"] and facts["Arch"] else ""

    def buildx_driver(self, builder: str | None) -> str:
        """The driver of a buildx builder (the current one when None), e.g. ``docker`` (asked once per
        engine object and builder)."""
        if ("driver", builder or "") not in self._facts:
            self._facts[("driver", builder or "")] = self._driver_of(builder)
        return self._facts[("driver", builder or "")]

    def _driver_of(self, builder: str | None, client: str = "") -> str:
        """The driver ``buildx inspect`` names ("" when it does not answer); ``client``: the CLI to ask
        (the first one found, while :meth:`prepare` probes it), else the engine's."""
        try:
            inspect = self._cli(
                "buildx", "inspect", *([builder] if builder else []), check=False, executable=client
            )
        except EngineError:
            return ""
        return next(
            (
                line.split(":", 1)[1].strip()
                for line in inspect.stdout.splitlines()
                if line.startswith("Driver:")
            ),
            "",
        )

    def local_image_id(self, ref: str, pull: bool = True) -> str:
        """The engine's image ID of ``ref``; pulled first when missing and ``pull``; "" when neither."""
        for attempt in (False, pull):
            if attempt:
                self._cli("pull", "--quiet", ref, timeout=1800, check=False)
            try:
                return str(self.inspect_image(ref).get("Id", ""))
            except EngineError:
                if not pull:
                    return ""
        return ""

    def _build(self, request: BuildRequest, on_step: Callable[[BuildStep], None] | None = None) -> Image:
        if request.reproducible:
            self.ping()
            self.check_rewrites_timestamps(request.builder)
        if not exports_then_loads(request):
            return super().build(request, on_step)
        with tempfile.TemporaryDirectory(prefix="dockwright-oci-") as scratch:
            archive = str(Path(scratch) / ARCHIVE)
            image = super().build(dataclasses.replace(request, output=f"type=oci,dest={archive}"), on_step)
            for argv in follow_up_commands(self.client, request, archive):
                self._cli(*argv[1:], timeout=1800)
        info = self.inspect_image(request.tag)  # the containerd store's Id is the manifest digest
        extra = {**image.extra, "digest": str(info.get("Id", ""))}
        extra["output"] = "type=registry" if request.push else "loaded from an OCI export"
        return dataclasses.replace(
            image, image_id=str(info.get("Id", "")), size=int(info.get("Size", 0)), extra=extra
        )

    def check_rewrites_timestamps(self, builder: str | None) -> None:
        """EngineError unless the builder honours ``rewrite-timestamp``: the docker driver on Docker's
        classic image store accepts the option and ignores it (measured on Docker 26.1.5), so its layers
        keep the build's mtimes and no two digests match."""
        if (
            self.buildx_driver(builder) != "docker"
        ):  # docker-container, kubernetes, remote: BuildKit's own exporters
            return
        status = self._cli("info", "--format", "{{json .DriverStatus}}", check=False).stdout
        if CONTAINERD_STORE not in status:
            raise EngineError(
                "--reproducible: Docker's classic image store ignores rewrite-timestamp (layers keep the "
                "build's mtimes): turn on the containerd image store (daemon.json "
                '"features": {"containerd-snapshotter": true}) or use a docker-container/remote builder '
                "(--builder NAME)"
            )

    def progress_reader(self) -> ProgressReader:
        return ProgressReader()

    def build_env(self) -> Mapping[str, str]:
        return self.client.build_env()

    def launched(self, argv: list[str]) -> list[str]:
        return self.client.launched(argv)

    def build_failure(self, reader: ProgressReader, text: str, log_file: Path) -> str:
        return failure_message(reader, text, log_file)

    def built_image(
        self, request: BuildRequest, argv: list[str], reader: ProgressReader, text: str, log_file: Path
    ) -> Image:
        extra: dict[str, Any] = {"log_file": str(log_file), "command": argv, "warnings": build_warnings(text)}
        if request.output or request.push:  # exported or pushed; with --push the docker driver also loads
            stored = self._cli("image", "inspect", request.tag, check=False) if request.push else None
            info = json.loads(stored.stdout)[0] if stored is not None and stored.returncode == 0 else {}
            extra["output"] = request.output or "type=registry"
        else:
            info = self.inspect_image(request.tag)
        return Image(
            ref=request.tag,
            image_id=str(info.get("Id", "")),
            size=int(info.get("Size", 0)),
            cached_steps=tuple(reader.cached),
            log=text,
            extra=extra,
        )

    def history(self, ref: str) -> list[dict[str, Any]]:
        done = self._cli("history", "--no-trunc", "--format", "{{json .}}", ref)
        return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
