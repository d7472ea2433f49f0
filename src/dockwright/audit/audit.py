"""Run the checklist on an image and build the AuditReport (``schema = "dockwright.audit/1"``)."""

from __future__ import annotations

import contextlib
import importlib
import os
import re
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dockwright.errors import ConfigError

if TYPE_CHECKING:
    from collections.abc import Callable, Generator, Sequence

    from dockwright.audit.checks import Check, CheckOptions, CheckResult, Evidence
    from dockwright.audit.image import ImageFacts, PathSize
    from dockwright.engine.base import Engine

# The checklist (and what it imports) loads on first use: run_audit loads it while the engine
# exports the image, in a thread, instead of before the export starts; with it the module of
# ``to_jsonable`` (AuditReport.to_dict; its own small module, not the project facts': ~20 ms of CPU
# of dataclasses no audit reads), and the report's writers (``html`` and its entity table: 4-16 ms
# that followed the read).
_LATER_MODULES = ("dockwright.audit.checks", "dockwright.jsonable", "dockwright.audit.report")


def _load_later_modules(context: bool = False) -> None:
    """Import the checklist and the report's writers (``context``: also what compares the image with
    the project's lock, :mod:`dockwright.audit.inventory`, which ``--context`` checks read)."""
    for name in (*_LATER_MODULES, *(("dockwright.audit.inventory",) if context else ())):
        importlib.import_module(name)
    from dockwright.audit.checks import prepare
    from dockwright.secret_values import load_shapes

    prepare()
    load_shapes()  # what the report's redaction matches (redact.redact)


AUDIT_SCHEMA = "dockwright.audit/1"


@dataclass(frozen=True)
class ImageSummary:
    ref: str
    id: str
    created: str
    os: str
    architecture: str
    os_release: str
    size: int
    files: int
    wasted_bytes: int
    dive_wasted_bytes: int = 0  # dive's definition (visible copies of rewritten files included)
    dive_user_wasted_percent: float = 0.0  # dive's wasted bytes over the bytes of layers 1..n
    # how, not what (compared alike): "archive" (an export, registry blobs), "store" (the engine's
    # folders), "cache"
    layers_read: str = field(default="", compare=False)


@dataclass(frozen=True)
class LayerRow:
    index: int
    digest: str
    created_by: str
    size: int
    files: int
    whiteouts: int
    wasted: int  # bytes of this layer that later layers hide


@dataclass(frozen=True)
class HistoryRow:
    created_by: str
    created: str
    empty_layer: bool
    layer: int | None


@dataclass(frozen=True)
class AuditReport:
    """The audit of one image; ``to_dict()`` is the ``dockwright.audit/1`` JSON document.

    Keys: schema, verdict ("PASS" | "FAIL"), image {ref, id, created, os, architecture, os_release, size,
    files, wasted_bytes, dive_wasted_bytes, dive_user_wasted_percent, layers_read}, layers [{index, digest,
    created_by, size, files, whiteouts, wasted}], history [{created_by, created, empty_layer, layer}],
    top_level / largest_dirs / largest_files [{path, size, files}], wasted [evidence], checks [{id,
    title, status, summary, evidence [{path, layer, bytes, detail}], group}], counts {PASS, WARN, FAIL,
    SKIP}, notes, seconds. Sizes are bytes; ``layer`` is
    the index in ``layers``. New keys may be added within version 1; none is removed or renamed.
    """

    image: ImageSummary
    layers: tuple[LayerRow, ...]
    history: tuple[HistoryRow, ...]
    top_level: tuple[PathSize, ...]
    largest_dirs: tuple[PathSize, ...]
    largest_files: tuple[PathSize, ...]
    wasted: tuple[Evidence, ...]  # the largest hidden copies
    checks: tuple[CheckResult, ...]
    counts: tuple[tuple[str, int], ...]
    notes: tuple[str, ...] = ()
    seconds: float = 0.0
    schema: str = AUDIT_SCHEMA

    @property
    def failed(self) -> bool:
        from dockwright.audit.checks import Status

        return any(c.status is Status.FAIL for c in self.checks)

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def check(self, check_id: str) -> CheckResult:
        return next(c for c in self.checks if c.id == check_id)

    def to_dict(self) -> dict[str, Any]:
        from dockwright.jsonable import to_jsonable

        data: dict[str, Any] = to_jsonable(self)
        data["counts"] = dict(self.counts)
        verdict = "FAIL" if self.failed else "PASS"
        return {"schema": self.schema, "verdict": verdict, **{k: v for k, v in data.items() if k != "schema"}}


def report_from_facts(
    facts: ImageFacts,
    options: CheckOptions,
    checks: Sequence[Check] | None = None,
    seconds: float = 0.0,
    *,
    complete: Callable[[], ImageFacts] | None = None,
) -> AuditReport:
    """The report of ``checks`` (default: the whole checklist, ``CHECKS``) on ``facts``.

    ``facts`` may still wait for the secret scan (``secrets_pending``, the first stage of
    :func:`dockwright.audit.image.read_image_stages`): then everything that does not read the scan's
    hits is computed first, while the scan's worker finishes, and the checks that read them
    (:func:`dockwright.audit.checks.reads_secrets`) run on ``complete()``, the whole facts. The
    report is the same either way."""
    from dockwright.audit.checks import CHECKS, Evidence, Status, dir_totals, reads_secrets, run_checks
    from dockwright.audit.checks.common import share_readings
    from dockwright.audit.checks.registry import prepare_later

    chosen = tuple(CHECKS if checks is None else checks)
    pending = facts.secrets_pending
    if pending and complete is None:
        raise ValueError("facts wait for the secret scan: report_from_facts needs complete")
    later = [i for i, check in enumerate(chosen) if pending and reads_secrets(check)]
    now = [i for i in range(len(chosen)) if i not in later]
    results: dict[int, CheckResult] = dict(
        zip(now, run_checks(facts, options, [chosen[i] for i in now]), strict=True)
    )
    totals = dir_totals(facts)
    top_level = facts.top_level(totals=totals)
    largest_dirs = facts.largest_dirs(totals=totals)
    largest_files = facts.largest_files()
    files = sum(1 for _ in facts.regular_files())
    hidden = sorted(facts.hidden, key=lambda c: (-c.size, c.path))[:20]
    for index in later:
        prepare_later(chosen[index], facts)
    if pending:
        assert complete is not None
        whole = complete()
        share_readings(facts, whole)  # the file-table passes the early checks made
        facts = whole
        results.update(zip(later, run_checks(facts, options, [chosen[i] for i in later]), strict=True))
    ordered = tuple(results[i] for i in range(len(chosen)))
    counts = tuple((s.value, sum(1 for r in ordered if r.status is s)) for s in Status)
    return AuditReport(
        image=ImageSummary(
            ref=facts.ref,
            id=facts.image_id,
            created=facts.created,
            os=facts.os,
            architecture=facts.architecture,
            os_release=facts.os_release,
            size=facts.size,
            files=files,
            wasted_bytes=facts.wasted_bytes,
            dive_wasted_bytes=facts.dive_wasted_bytes,
            dive_user_wasted_percent=round(100 * facts.dive_user_wasted_ratio, 2),
            layers_read=facts.layers_read,
        ),
        layers=tuple(
            LayerRow(lay.index, lay.digest, lay.created_by, lay.size, lay.files, lay.whiteouts, lay.wasted)
            for lay in facts.layers
        ),
        history=tuple(HistoryRow(h.created_by, h.created, h.empty_layer, h.layer) for h in facts.history),
        top_level=top_level,
        largest_dirs=largest_dirs,
        largest_files=largest_files,
        wasted=tuple(
            Evidence("/" + c.path, c.layer, c.size, f"{c.how} in layer {c.by_layer}") for c in hidden
        ),
        checks=ordered,
        counts=counts,
        notes=facts.notes,
        seconds=round(seconds, 3),
    )


def max_size_from_project(root: Path) -> float | None:
    """``[tool.dockwright] max-size-mb`` of ``root/pyproject.toml`` (None when absent)."""
    from dockwright.config import read_pyproject_table

    table = read_pyproject_table(root)  # once: the file is parsed by each call
    value = table.get("max-size-mb", table.get("max_size_mb"))
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise ConfigError(f"[tool.dockwright] max-size-mb must be a positive number, got {value!r}")
    return float(value)


def run_audit(
    ref: str,
    engine: Engine | None,
    *,
    context: str | Path | None = None,
    max_size_mb: float | None = None,
    run: bool = False,
    options: CheckOptions | None = None,
    facts: ImageFacts | None = None,
    env_file: str | Path | None = None,
    network: str | None = None,
) -> AuditReport:
    """Read ``ref`` through ``engine`` (or take ``facts`` read elsewhere, e.g. from a registry; then
    without an engine nothing is run) and run the checklist."""
    start = time.monotonic()
    stream = None
    stages: Generator[ImageFacts, None, None] | None = None
    if facts is None:
        if engine is None:
            raise ConfigError("an audit needs an engine or image facts")
        from dockwright.audit.prefetch import start_save

        stream = start_save(engine, ref)  # first: what follows runs while the engine writes the export
    try:
        root = Path(context).resolve() if context is not None else None
        if root is not None and not root.is_dir():
            raise ConfigError(f"--context {context}: not a directory")
        origin = "--max-size"
        if max_size_mb is None:
            project = root if root is not None else Path.cwd()
            max_size_mb = max_size_from_project(project)
            origin = "[tool.dockwright] max-size-mb"
        elif max_size_mb <= 0:
            raise ConfigError(f"--max-size must be a positive number of MB, got {max_size_mb:g}")
        run_env = read_env_file(Path(env_file)) if env_file is not None else None
        if facts is None:
            assert engine is not None
            # the checklist's modules load in a thread while the engine prepares and streams the export
            loader = threading.Thread(target=_load_later_modules, args=(root is not None,), daemon=True)
            loader.start()
            try:
                from dockwright.audit.image import read_image_stages

                stages = read_image_stages(engine, ref, stream=stream)
                facts = next(stages)  # the secret scan's worker may still be scanning
            finally:
                loader.join()
    except BaseException:
        if stages is not None:
            stages.close()
        raise
    finally:
        if stream is not None:
            stream.close()  # read_image_stages closed it already, unless an error came first
    from dockwright.audit.checks import CheckOptions

    base = options or CheckOptions()
    opts = CheckOptions(
        context=root,
        max_size_mb=max_size_mb,
        max_size_origin=origin,
        run=run,
        engine=engine,
        which=base.which,
        run_process=base.run_process,
        run_timeout_s=base.run_timeout_s,
        sleep=base.sleep,
        run_env=run_env if run_env is not None else base.run_env,
        run_network=network if network is not None else base.run_network,
    )
    if stages is None or not facts.secrets_pending:
        if stages is not None:
            stages.close()
        return report_from_facts(facts, opts, seconds=time.monotonic() - start)
    read_at: list[float] = []

    def whole() -> ImageFacts:
        assert stages is not None
        complete = next(stages)
        read_at.append(time.monotonic())  # where ``seconds`` has always been read: the read's end
        return complete

    with contextlib.closing(stages):
        report = report_from_facts(facts, opts, complete=whole)
    return replace(report, seconds=round(read_at[0] - start, 3))


def read_env_file(path: Path) -> tuple[tuple[str, str], ...]:
    """``KEY=VALUE`` lines as ``docker run --env-file`` reads them (``#`` comments, no quote handling);
    a bare ``KEY`` takes the value from this process's environment, like docker does."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"--env-file {path}: cannot read it: {error.strerror or error}") from error
    except UnicodeDecodeError as error:
        raise ConfigError(
            f"--env-file {path}: not UTF-8 text ({error.reason} at byte {error.start})"
        ) from error
    out: list[tuple[str, str]] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key.strip()):
            raise ConfigError(f"--env-file {path}:{number}: not KEY=VALUE")
        if not sep:
            if key.strip() in os.environ:
                out.append((key.strip(), os.environ[key.strip()]))
            continue
        out.append((key.strip(), value))
    return tuple(out)
