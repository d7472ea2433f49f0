r"""## What it does
Flags `pip install` that keeps pip's download cache in the image: no `--no-cache-dir`, no
`PIP_NO_CACHE_DIR`, and no BuildKit cache mount on the cache directory of the user running it
(`/root/.cache/pip` as root, `$HOME/.cache/pip` otherwise), and no removal of that cache in the
same RUN (`rm -rf /root/.cache`, `pip cache purge`). `PIP_NO_CACHE_DIR` set to any value pip
accepts, even `off` or `0`, disables the cache (pip's own quirk), so it counts as clean.
`uv pip install` and `uv sync` likewise: no `--no-cache`, no `UV_NO_CACHE`, no cache mount on uv's
cache (`UV_CACHE_DIR`, else `$HOME/.cache/uv`), no `rm -rf` of it or `uv cache clean` in the same RUN.
Only the stages whose layers ship are checked: the final stage and the stages it is built FROM.

## Why is this bad?
The cache is written into the layer: often as large as the packages themselves, and never
used again at run time. A cache mount keeps it between builds without shipping it — but only
when it targets the cache of the user that actually runs pip.

## Example
```Dockerfile
RUN pip install --require-hashes -r requirements.txt
```

## Use instead
```Dockerfile
RUN --mount=type=cache,target=/root/.cache/pip \
    pip install --require-hashes -r requirements.txt
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockwright.dockerfile.shell import run_script
from dockwright.dockerfile.syntax import Instruction, mount_options, mount_target
from dockwright.lint.commands import Call, is_pip_install
from dockwright.lint.context import LintContext, flag_fix
from dockwright.lint.rule import Applicability, Finding, Rule, Severity

#: pip reads PIP_NO_CACHE_DIR with strtobool and disables the cache for ANY valid value, even
#: "off"/"0"/"false" (pip's `_handle_no_cache_dir` callback); an invalid value fails the install
_STRTOBOOL = {"1", "0", "true", "false", "yes", "no", "on", "off", "y", "n", "t", "f"}
NO_CACHE = "--no-cache-dir"


def cache_mount_targets(instruction_flags: tuple[str | None, ...]) -> list[str]:
    targets = []
    for value in instruction_flags:
        options = mount_options(value)
        if options.get("type") == "cache":
            targets.append(mount_target(options))
    return targets


def _cache_removed(
    ctx: LintContext, instruction: Instruction, home: str, cache: str = "", tool: str = "pip"
) -> bool:
    """Does the same RUN delete the cache (``rm -rf /root/.cache``, ``cache`` itself) or purge it
    (``pip cache purge``, ``uv cache clean``)?"""
    wanted = {f"{home}/.cache", cache or f"{home}/.cache/pip"}
    for words in ctx.shell_commands(run_script(instruction)):
        texts = [w.text for w in words]
        if texts[:1] == ["rm"]:
            for arg in texts[1:]:
                path = re.sub(r"^(~|\$HOME|\$\{HOME\})(?=/)", home, arg).rstrip("*").rstrip("/")
                if path in wanted:
                    return True
        program = texts[0].rsplit("/", 1)[-1] if texts else ""
        if tool == "pip" and program.startswith("pip") and texts[1:3] == ["cache", "purge"]:
            return True
        if tool == "uv" and program == "uv" and texts[1:3] in (["cache", "clean"], ["cache", "prune"]):
            return True
    return False


#: uv reads boolean variables as clap does: these turn UV_NO_CACHE off, any other value on
_UV_FALSE = {"", "0", "false", "no", "off", "n", "f"}


def _uv_keeps_cache(call: Call, env: dict[str, str]) -> bool:
    installs = (call.tool == "uv-pip" and call.subcommand == "install") or (
        call.tool == "uv" and call.subcommand == "sync"
    )
    no_cache = call.has("--no-cache", "-n") or env.get("UV_NO_CACHE", "").lower() not in _UV_FALSE
    return installs and not no_cache


class PipCacheKept(Rule):
    code = "DW301"
    name = "pip-cache-kept"
    severity = Severity.WARNING
    summary = "pip install leaves its cache in the layer"
    aliases = ("DL3042",)
    fix = Applicability.SAFE

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        yield from self._uv(ctx)
        for stage in ctx.shipped_stages():
            env = ctx.env(stage)
            if env.get("PIP_NO_CACHE_DIR", "").lower() in _STRTOBOOL:
                continue
            for instruction, calls in ctx.runs(stage):
                for call in calls:
                    if (
                        call.tool != "pip"
                        or not is_pip_install(call)
                        or call.has("--no-cache-dir", "--no-cache")
                    ):
                        continue
                    user = ctx.user_at(stage, instruction)
                    wanted = f"{ctx.home_of(user)}/.cache/pip"
                    targets = cache_mount_targets(tuple(f.value for f in instruction.flags_named("mount")))
                    if any(t.rstrip("/") in (wanted, f"{ctx.home_of(user)}/.cache") for t in targets):
                        continue
                    if _cache_removed(ctx, instruction, ctx.home_of(user)):
                        continue
                    if targets:
                        mounted = ", ".join(targets)
                        message = (
                            f"cache mount targets {mounted}, but pip runs as {user} and caches in {wanted}"
                        )
                    else:
                        message = (
                            "pip install keeps its cache in the layer; add --no-cache-dir or a cache mount"
                        )
                    fix = None
                    for program in ("pip", "pip3", "python", "python3"):
                        fix = fix or flag_fix(
                            instruction,
                            program=program,
                            after="install",
                            flag="--no-cache-dir",
                            ctx=ctx,
                            call=call,
                        )
                    yield self.finding(ctx, ctx.line_span(instruction), message, fix)
                    break  # one finding per RUN, however many pip installs it holds

    def _uv(self, ctx: LintContext) -> Iterator[Finding]:
        """``uv pip install`` / ``uv sync`` keeping uv's cache in a shipped layer."""
        for stage in ctx.shipped_stages():
            env = ctx.env(stage)
            for instruction, calls in ctx.runs(stage):
                call = next((c for c in calls if _uv_keeps_cache(c, env)), None)
                if call is None:
                    continue
                user = ctx.user_at(stage, instruction)
                home = ctx.home_of(user)
                wanted = env.get("UV_CACHE_DIR", f"{home}/.cache/uv").rstrip("/")
                targets = cache_mount_targets(tuple(f.value for f in instruction.flags_named("mount")))
                if any(t.rstrip("/") in (wanted, f"{home}/.cache") for t in targets):
                    continue
                if _cache_removed(ctx, instruction, home, wanted, tool="uv"):
                    continue
                if targets:
                    message = f"cache mount targets {', '.join(targets)}, but uv caches in {wanted}"
                else:
                    message = "uv keeps its cache in the layer; add --no-cache or a cache mount on " + wanted
                after = "install" if call.tool == "uv-pip" else "sync"
                fix = flag_fix(instruction, program="uv", after=after, flag="--no-cache", ctx=ctx, call=call)
                yield self.finding(ctx, ctx.line_span(instruction), message, fix)
