"""Literal secrets written into the project's own Python modules: named in a note, never repeated.

What it does
    Reads each app module's assignments, at module level and in class bodies (a Django settings
    module's ``SECRET_KEY = "..."``, a Flask app's ``app.config["SECRET_KEY"] = "..."``, a settings
    class's ``aws_secret_access_key: str = "..."``, a dict entry ``{"PASSWORD": "..."}``), and every
    string of a module whose text holds a credential's keyword (``data/secret_shapes.toml``). A
    secret-looking name set to a real value (``secret_values.literal_secret``), a URL with a password, a
    value shaped like a provider's credential, or a literal fallback of an environment read
    (``os.environ.get("API_TOKEN", "...")``) becomes a note with the file, the line and the setting's
    name: the value itself never reaches a fact, a note, the kept plan or the planning memo (the module
    scan keeps the line and the name only, and a scan that found one is never kept). Modules of tests,
    docs and examples are left out (``detectors.base.outside_app``); a start file the plan already names
    (``secret_files``) is not named twice. What code writes under a secret's name without holding one is
    no secret: a key or name in words (``TOKEN_TYPE = "tokentype"``), a path, a sentence, a pattern or
    prefix (``*_REGEX``, ``*_PREFIX``), a value that says it stands in (``"change-me"``), a doc's
    ``"example"``, and a line the project marks (``# nosec``, ``# noqa: S105``).

Why is this bad?
    The image needs the source, so ``COPY . .`` (or the wheel) carries the module and its value: anyone
    who can pull the image reads the secret in its layer, and every container of it shares the same key.

Example
    ``svc/settings.py`` with ``SECRET_KEY = "django-insecure-..."`` -> ``svc/settings.py:4 sets
    SECRET_KEY to a literal secret ...: read it from the environment instead``.

Use instead
    ``SECRET_KEY = os.environ["SECRET_KEY"]``, given at run time (``docker run -e``, a secret store).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple

from dockwright.project.ast_names import dotted
from dockwright.secret_values import address, label, literal_secret, may_hold_secret, secret_shape

if TYPE_CHECKING:
    from dockwright.project.detectors.scan import ModuleScan

# environment reads whose second argument (or `default=`) is used when the variable is unset: the os
# module's, python-decouple's `config` and django-environ's `env`
_ENV_READS = frozenset(
    {
        "os.environ.get",
        "environ.get",
        "os.getenv",
        "getenv",
        "os.environ.setdefault",
        "config",
        "env",
        "env.str",
    }
)


class CodeSecret(NamedTuple):
    """A literal secret of a module: its line, the setting's name (or the credential's kind for a value
    shaped like one) and how it is held: ``set``, ``fallback`` or ``shape``. Never the value."""

    line: int
    name: str
    held: str


# a value that says it stands in for the real one (`"insecure-demo-key-change-me"`): it leaks nothing
_STAND_IN = re.compile(
    r"change[-_ ]?(?:me|it|this)|replace[-_ ]?me|placeholder|dummy|not[-_ ]?secret|example", re.I
)


# what code writes under a secret's name that is none: a key or a name in words (`TOKEN_TYPE = "tokentype"`,
# `REFRESH_TOKEN_PARAM = "refresh_token"`, `"GIT_AUTH_TOKEN"`: an API's field, another variable), where
# one is mounted or kept (`"/run/secrets/db"`, `"~/.netrc"`), a sentence about one
_NO_VALUE = re.compile(
    # words: a lowercase run goes on with its piece, only a capital or a separator starts the next (one
    # way to split a value: an optional separator let a run of n letters split 2^n ways, and a value that
    # then failed on a digit took minutes)
    r"^(?:[A-Za-z][a-z]*(?:[-_.:][A-Za-z][a-z]*|[A-Z][a-z]*)*|[a-z][a-z0-9]*(?:_[a-z0-9]+)+|_*[A-Z]+(?:_[A-Z0-9]+)+_*"
    r"|(?:/|~/|\.{1,2}/).*|.*\s.*)$",
    re.S,
)
# the project's own word that a line's literal is no secret: bandit's `# nosec` (B105-B107: hard-coded
# passwords, https://bandit.readthedocs.io/en/latest/config.html#exclusions),
# and ruff's noqa comment naming S105-S107
_WAIVED = re.compile(r"#\s*nosec\b|#\s*noqa\b(?!:)|#\s*noqa:[^#]*\bS10[567]\b")
# names in code that hold something about a secret (`_SECRET_NAME_REGEX`, `TOKEN_PREFIX`)
_ABOUT = re.compile(
    r"(?:_RE|_REGEX|_PATTERN|_PREFIX|_SUFFIX|_ATTR|_PARAM|_FIELD|_KEY_NAME|_FORMAT|_TEMPLATE|_LABEL|_MSG"
    r"|_MESSAGE|_ERROR|_HELP|_TEXT|_DOC|_DESCRIPTION|_LOCATION|_SOURCE|_TITLE|_SUBJECT|_HEADING|_CAPTION)$",
    re.I,
)


def _secret(name: str, value: str, noted: bool = True) -> bool:
    """``value`` under ``name`` is a literal secret (``noted``: one a note names; else any value that may
    be one, whatever the note's filters leave out: what is never written to the planning memo)."""
    if literal_secret(name, value) is None or len(value) < 6:
        return False
    if literal_secret(name, value) == "name" and (address(value) or label(name, value)):
        return False  # an endpoint's address or a UI label under a secret-sounding name (a constant)
    return not noted or (
        any(c.isalnum() for c in value)  # a marker (`"<!--#"`), no secret
        # words of a language not written in ASCII (a UI string, `"パスワード変更完了"`): keys and tokens
        # are ASCII, and a password in code is too, but for a few letters (rw37: zou's email titles)
        and any(c.isascii() and c.isalnum() for c in value)
        and not _ABOUT.search(name)
        and not _STAND_IN.search(value)
        and not _NO_VALUE.match(value)
    )


def _target_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
        key = node.slice.value
        return key if isinstance(key, str) else None
    return None


def _text(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _valued(name: str, value: ast.expr, out: list[CodeSecret], noted: bool = True) -> None:
    """What ``name = value`` holds: a literal, a dict's entries (by their keys), an environment read's
    literal fallback."""
    text = _text(value)
    if text is not None:
        if _secret(name, text, noted):
            out.append(CodeSecret(value.lineno, name, "set"))
        return
    if isinstance(value, ast.Dict):
        for key, item in zip(value.keys, value.values, strict=True):
            key_text = _text(key)
            # a schema's or a doc's example (`"example": {"password": "..."}`) shows a value, holds none
            if key_text is not None and key_text.isidentifier() and "example" not in key_text.lower():
                _valued(key_text, item, out, noted)
        return
    if isinstance(value, ast.Call) and value.args and dotted(value.func) in _ENV_READS:
        given = [k.value for k in value.keywords if k.arg == "default"]
        fallback = value.args[1] if len(value.args) >= 2 else (given[0] if given else None)
        variable = _text(value.args[0]) or name
        default = _text(fallback)
        if fallback is not None and default is not None and _secret(variable, default, noted):
            out.append(CodeSecret(fallback.lineno, variable, "fallback"))


def _assignments(body: list[ast.stmt], out: list[CodeSecret], noted: bool = True) -> None:
    for statement in body:
        if isinstance(statement, ast.Assign):
            for target in statement.targets:
                name = _target_name(target)
                if name is not None:
                    _valued(name, statement.value, out, noted)
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            name = _target_name(statement.target)
            if name is not None:
                _valued(name, statement.value, out, noted)
        elif isinstance(statement, ast.ClassDef):
            _assignments(statement.body, out, noted)
        elif isinstance(statement, (ast.If, ast.Try, ast.With)):  # module-level branches run at import
            for block in ("body", "orelse", "finalbody"):
                _assignments(getattr(statement, block, []), out, noted)
            for handler in getattr(statement, "handlers", []):
                _assignments(handler.body, out, noted)


def code_secrets(module: ast.Module, text: str) -> list[CodeSecret]:
    """The literal secrets of one module, by line (one per line); ``text``: its source, which says
    cheaply whether any may be there."""
    if not may_hold_secret(text):
        return []
    out: list[CodeSecret] = []
    _assignments(module.body, out)
    shaped = secret_shape(text) is not None  # the text holds one: which string does
    for node in ast.walk(module) if shaped else ():
        value = node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None
        shape = secret_shape(value) if value else None
        if shape is not None:
            out.append(CodeSecret(getattr(node, "lineno", 0), shape, "shape"))
    lines = text.splitlines()
    by_line: dict[int, CodeSecret] = {}
    for found in sorted(out, key=lambda s: (s.line, s.held != "shape")):
        if not _WAIVED.search(lines[found.line - 1] if 0 < found.line <= len(lines) else ""):
            by_line.setdefault(found.line, found)
    return list(by_line.values())


def holds_literal_secret(module: ast.Module, text: str) -> bool:
    """Whether the module may hold a literal secret, whatever the notes leave out (a line marked
    ``# nosec``, a sentence, a stand-in's word): its scan, whose strings and assigned values carry the
    text's literals, is never written to the planning memo."""
    if not may_hold_secret(text):
        return False
    if secret_shape(text) is not None:
        return True
    out: list[CodeSecret] = []
    _assignments(module.body, out, noted=False)
    return bool(out)


def code_secret_notes(scans: Mapping[str, ModuleScan], notes: Sequence[str]) -> list[str]:
    """A note for each literal secret of an app module (by file and line), but for a file one of
    ``notes`` names already (``secret_files.script_secret_notes``: the start file)."""
    from dockwright.project.detectors.base import outside_app  # it imports the scan, which imports this

    named = {note.split(" ", 1)[0].rsplit(":", 1)[0] for note in notes}
    return [
        code_secret_note(rel, secret)
        for rel, scan in scans.items()
        if rel not in named and not outside_app(rel)
        for secret in scan.literal_secrets
    ]


def code_secret_note(rel: str, secret: CodeSecret) -> str:
    """The note naming ``secret`` of module ``rel`` (its line and name, never its value)."""
    where = f"{rel}:{secret.line}"
    if secret.held == "fallback":
        return (
            f"{where} falls back to a literal secret when {secret.name} is unset, and the image carries "
            f"the source: read {secret.name} from the environment without a fallback (docker run -e "
            f"{secret.name}) so a missing value fails at start, and remove the literal from the file"
        )
    held = (
        f"holds a value shaped like {secret.name}"
        if secret.held == "shape"
        else f"sets {secret.name} to a literal secret"
    )
    return (
        f"{where} {held}, and the image carries the source: read it from the environment instead "
        "(os.environ, docker run -e) and remove it from the file"
    )
