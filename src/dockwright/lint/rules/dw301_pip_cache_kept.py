"""## What it does
Flags `pip install` that keeps pip's download cache in the image: no `--no-cache-dir`, no
`PIP_NO_CACHE_DIR`, and no BuildKit cache mount on the cache directory of the user running it
(`/root/.cache/pip` as root, `$HOME/.cache/pip` otherwise), and no removal of that cache in the
same RUN (`rm -rf /root/.cache`, `pip cache purge`). `PIP_NO_CACHE_DIR` set to any value pip
accepts, even `off` or `0`, disables the cache (pip's own quirk), so it counts as clean.
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
from dockwright.lint.commands import is_pip_install
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


def _cache_removed(ctx: LintContext, instruction: Instruction, home: str) -> bool:
    """Does the same RUN delete the pip cache (``rm -rf /root/.cache``) or ``pip cache purge`` it?"""
    wanted = {f"{home}/.cache", f"{home}/.cache/pip"}
    for words in ctx.shell_commands(run_script(instruction)):
        texts = [w.text for w in words]
        if texts[:1] == ["rm"]:
            for arg in texts[1:]:
                path = re.sub(r"^(~|\$HOME|\$\{HOME\})(?=/)", home, arg).rstrip("*").rstrip("/")
                if path in wanted:
                    return True
        program = texts[0].rsplit("/", 1)[-1] if texts else ""
        if program.startswith("pip") and texts[1:3] == ["cache", "purge"]:
            return True
    return False


class PipCacheKept(Rule):
    code = "DW301"
    name = "pip-cache-kept"
    severity = Severity.WARNING
    summary = "pip install leaves its cache in the layer"
    aliases = ("DL3042",)
    fix = Applicability.SAFE

    def check(self, ctx: LintContext) -> Iterator[Finding]:
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
