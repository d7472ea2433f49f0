"""A FakeEngine implementing the Engine protocol in memory, for tests that need no daemon.

Import it as ``from tests.engine.fakes import FakeEngine, FakeImage``. It records every call in
``calls``; builds are scripted (``build_steps``, ``build_error``) and store an image under the request's
tag; images carry an inspect dict, history rows and the bytes ``save`` streams; runs and container
states are scripted too.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from dockwright.engine.base import BuildRequest, BuildStep, Image, RunResult
from dockwright.errors import EngineError


@dataclass
class FakeImage:
    inspect: dict[str, Any]
    history: list[dict[str, Any]] = field(default_factory=list)
    archive: bytes = b""  # what ``save`` streams (a docker-archive/OCI tar made by the test)


@dataclass
class FakeEngine:
    images: dict[str, FakeImage] = field(default_factory=dict)
    build_steps: list[BuildStep] = field(default_factory=list)  # emitted by each build, in order
    build_error: str | None = None  # when set, build raises EngineError(build_error) after the steps
    build_size: int = 1_000_000
    run_results: list[RunResult] = field(default_factory=list)  # popped per run; default exit 0
    container_states: list[dict[str, Any]] = field(
        default_factory=lambda: [{"Running": True, "Health": {"Status": "healthy"}}]
    )  # popped per container_inspect; the last one stays
    stop_seconds: float = 0.3
    log_text: str = ""
    calls: list[tuple[str, ...]] = field(default_factory=list)
    requests: list[BuildRequest] = field(default_factory=list)
    secret_texts: list[dict[str, str]] = field(default_factory=list)  # per build: secret id -> content
    dockerfile_texts: list[str] = field(default_factory=list)  # per build: the Dockerfile it was given

    def add_image(
        self,
        ref: str,
        *,
        config: Mapping[str, Any] | None = None,
        size: int = 0,
        history: Sequence[Mapping[str, Any]] = (),
        archive: bytes = b"",
        image_id: str | None = None,
    ) -> FakeImage:
        ident = image_id or "sha256:" + hashlib.sha256(ref.encode()).hexdigest()
        image = FakeImage(
            {"Id": ident, "RepoTags": [ref], "Size": size, "Config": dict(config or {})},
            [dict(row) for row in history],
            archive,
        )
        self.images[ref] = image
        return image

    def _image(self, ref: str) -> FakeImage:
        if ref not in self.images:
            raise EngineError(f"no such image: {ref}")
        return self.images[ref]

    # --- the Engine protocol ---

    def build_command(self, request: BuildRequest) -> list[str]:
        self.calls.append(("build_command", request.tag))
        self.requests.append(request)
        return ["fake", "build", "--tag", request.tag, request.context]

    def build(self, request: BuildRequest, on_step: Callable[[BuildStep], None] | None = None) -> Image:
        self.calls.append(("build", request.tag))
        self.requests.append(request)
        self.dockerfile_texts.append(Path(request.dockerfile).read_text(encoding="utf-8"))
        self.secret_texts.append({sid: Path(src).read_text(encoding="utf-8") for sid, src in request.secrets})
        for step in self.build_steps:
            if on_step:
                on_step(step)
        if self.build_error:
            raise EngineError(self.build_error)
        image = self.add_image(request.tag, size=self.build_size)
        cached = tuple(step.name for step in self.build_steps if step.state == "cached")
        return Image(request.tag, image.inspect["Id"], self.build_size, cached, log="(fake build)")

    def inspect_image(self, ref: str) -> dict[str, Any]:
        self.calls.append(("inspect", ref))
        return self._image(ref).inspect

    def history(self, ref: str) -> list[dict[str, Any]]:
        self.calls.append(("history", ref))
        return self._image(ref).history

    def save(self, ref: str) -> IO[bytes]:
        self.calls.append(("save", ref))
        return io.BytesIO(self._image(ref).archive)

    def run(
        self,
        ref: str,
        args: Sequence[str] = (),
        *,
        detach: bool = False,
        name: str | None = None,
        entrypoint: Sequence[str] | None = None,
        network: str | None = None,
        env: Mapping[str, str] | None = None,
        timeout: float | None = None,
    ) -> RunResult:
        self._image(ref)
        self.calls.append(("run", ref, name or "", *args))
        return self.run_results.pop(0) if self.run_results else RunResult(0, "", "")

    def container_inspect(self, name: str) -> dict[str, Any]:
        self.calls.append(("container_inspect", name))
        states = self.container_states
        state = states.pop(0) if len(states) > 1 else states[0]
        return {"Name": "/" + name, "State": state}

    def stop(self, name: str, timeout: int = 10) -> float:
        self.calls.append(("stop", name))
        return self.stop_seconds

    def remove(self, name: str) -> None:
        self.calls.append(("remove", name))

    def logs(self, name: str) -> str:
        self.calls.append(("logs", name))
        return self.log_text
