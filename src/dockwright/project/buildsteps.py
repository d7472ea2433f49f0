"""Build steps the app needs at run time, each with its evidence (issue 12, class 4).

- ``collectstatic``: a Django project whose settings install ``django.contrib.staticfiles``; ready
  when ``STATIC_ROOT`` is set (else collectstatic has nowhere to write, and the plan says so).
- ``compilemessages``: a Django project with ``locale/<lang>/LC_MESSAGES/*.po`` catalogs.
- ``pybabel-compile``: ``<dir>/<lang>/LC_MESSAGES/<domain>.po`` catalogs of a non-Django app that
  depends on Babel (Flask-Babel); without Babel nothing here can compile them (stated).
- ``makemigrations``: a Django project whose start script writes its migration files at start
  (``manage.py makemigrations [APP ...]``: the app's tree is root's in the image, so the non-root start
  stops on PermissionError); made in the builder, the start's own run finds no changes and writes
  nothing. ``outputs`` holds each line's arguments (``""``, ``"pages"``).
- ``prisma-generate``: a Prisma schema whose generator is Prisma Client Python, in a project that
  depends on ``prisma``: ready when the generator writes into the installed package (no ``output``);
  the step fetches Node.js, the Prisma CLI and the query engine at build time. The variables its
  datasource reads (``url = env("DATABASE_URL")``) are required at run time (:func:`prisma_env`).
- ``frontend``: a ``package.json`` with a ``build`` script whose output directory a Python file of the
  app names (a Flask static folder, a Django ``STATICFILES_DIRS`` entry, a template directory, a name
  a module of the package holding it gives from the package's folder); ready when the output directory
  is known and a lockfile says what to install: npm's, pnpm's, Yarn 1's, Yarn 2+'s or bun's
  (``data/frontend_managers.toml``); the tool's own config files and the variables they read
  (``project/frontend_config.py``).

Nothing is executed: settings are read from their syntax tree, package.json as JSON, and the other
front-end configs (vite, webpack) with a pattern each.
"""

from __future__ import annotations

import ast
import posixpath
import re
from collections.abc import Iterator
from dataclasses import replace
from functools import cache
from typing import Any

from dockwright.errors import ProjectError
from dockwright.lazy_re import lazy
from dockwright.project import frontend_config
from dockwright.project.detectors.django import named_settings
from dockwright.project.django_manage import manage_py
from dockwright.project.facts import AppFacts, BuildStepNeed, Evidence, Fact
from dockwright.project.frontend_copies import frontend_destination
from dockwright.project.static_root_env import served_by_app, static_root_env
from dockwright.project.tree import ProjectTree, data_table

_SKIP = frozenset(
    {".git", ".hg", "node_modules", "__pycache__", ".venv", "venv", "site-packages", ".tox", ".nox", "build"}
)
_NOT_THE_APP = frozenset({"tests", "test", "docs", "doc", "examples", "example", "bench", "benchmarks"})
MAX_DEPTH = 6
MAX_FILES = 5000
BABEL = frozenset({"babel", "flask-babel", "flask-babelex", "flask-babel-plus"})
NPM_LOCKS = ("package-lock.json", "npm-shrinkwrap.json")
# Build tools whose default output directory is known when nothing names another (their docs).
DEFAULT_OUTPUTS = (
    ("vite build", "dist"),  # https://vite.dev/config/build-options#build-outdir
    ("react-scripts build", "build"),  # https://create-react-app.dev/docs/production-build/
    ("parcel build", "dist"),  # https://parceljs.org/features/targets/
)
_OUT_FLAG = lazy(r"(?:--(?:outDir|out-dir|outdir|output-path|dist-dir)|\s-o)[= ]\s*['\"]?([\w./-]+)")
_CONFIG_FLAG = lazy(r"--config[= ]\s*['\"]?([\w./-]+)")
# package.json scripts that build for production, preferred to ``build`` when both exist
PRODUCTION_SCRIPTS = ("build:prod", "build:production", "build-prod", "build-production")
# `outDir: "dist"`, or computed from the config's folder: `path.resolve(__dirname, "../app/static")`
# (segments joined), `fileURLToPath(new URL("../app/static", import.meta.url))`
_VITE_OUT = lazy(
    r"outDir\s*:\s*(?:['\"`]([^'\"`$]+)['\"`]"
    r"|(?:path\.)?(?:resolve|join)\(\s*__dirname\s*,\s*((?:['\"][^'\"]*['\"]\s*,?\s*)+)\)"
    r"|fileURLToPath\(\s*new\s+URL\(\s*['\"]([^'\"]+)['\"]\s*,\s*import\.meta\.url\s*\)\s*\))"
)
_QUOTED = lazy(r"['\"]([^'\"]*)['\"]")
# rollup's `output: {file: "static/bundle.js"}` or `{dir: "dist"}` (https://rollupjs.org/configuration-options/#output-dir)
_ROLLUP_OUT = lazy(r"\b(?:file|dir)\s*:\s*['\"`]([^'\"`$]+)['\"`]")
# an output flag naming a file (`postcss -o static/site.css`), whose folder is the build's output
_FILE_OUTPUT = lazy(r"\.(?:css|js|mjs|cjs|map|html|json)$")
# `npm run NAME`, `yarn run NAME`, `pnpm run NAME`, `yarn NAME` for a script of the same package.json
_RUNS_SCRIPT = lazy(r"\b(?:npm\s+run(?:-script)?|pnpm\s+(?:run\s+)?|yarn\s+(?:run\s+)?)\s*([\w:.-]+)")
# ``path: path.resolve(__dirname, "dist")``, or relative to the folder npm runs the script in:
# ``path.resolve(`./static_compiled/`)`` (a template literal without substitutions counts too)
_WEBPACK_OUT = lazy(r"path\s*:\s*path\.(?:resolve|join)\(\s*(?:__dirname\s*,\s*)?['\"`]([^'\"`$]+)['\"`]")


def detect_build_steps(
    tree: ProjectTree, app: AppFacts, depends_on: frozenset[str], dependency_file: str = "dependencies"
) -> tuple[BuildStepNeed, ...]:
    """Every build step the project needs, ready or with the reason it cannot be planned.

    ``depends_on``: canonical names of the locked or declared dependencies, read from ``dependency_file``.
    """
    files = list(_walk(tree))
    catalogs = [f for f in files if f.endswith(".po") and "/LC_MESSAGES/" in f]
    steps: list[BuildStepNeed] = []
    manage = manage_py(tree) if "django" in depends_on else None
    if manage is not None:
        steps += _django(tree, app, manage, catalogs)
    elif catalogs:
        steps.append(_babel(tree, catalogs, depends_on, dependency_file))
    for rel in files:
        if rel.rsplit("/", 1)[-1] == "package.json":
            frontend = _frontend(tree, rel, files)
            if frontend is not None:
                steps.append(frontend)
    prisma = _prisma(tree, files, depends_on, dependency_file)
    if prisma is not None:
        steps.append(prisma)
    if manage is not None and not any(step.kind == "frontend" for step in steps):
        unbuilt = _unbuilt_static(tree, app, manage, files)
        if unbuilt is not None:
            steps.append(unbuilt)
    return tuple(steps)


def _walk(tree: ProjectTree) -> Iterator[str]:
    """Project-relative files, skipping VCS, dependencies, virtualenvs, tests and docs."""
    count = 0

    def walk(rel: str, depth: int) -> Iterator[str]:
        nonlocal count
        for name in tree.listdir(rel):
            child = name if rel == "." else f"{rel}/{name}"
            if tree.is_dir(child):
                skipped = name in _SKIP or name in _NOT_THE_APP or name.startswith(".")
                if depth < MAX_DEPTH and not skipped and not tree.is_file(f"{child}/pyvenv.cfg"):
                    yield from walk(child, depth + 1)
            elif count < MAX_FILES:
                count += 1
                yield child

    yield from walk(".", 0)


# --- Django ------------------------------------------------------------------------------------------


def _settings_module(tree: ProjectTree, app: AppFacts, manage: str) -> str:
    for setting in app.env:
        if setting.name == "DJANGO_SETTINGS_MODULE":
            return setting.value
    return named_settings(_text(tree, manage)) or ""


def _module_file(tree: ProjectTree, module: str, bases: tuple[str, ...]) -> str | None:
    path = module.replace(".", "/")
    for base in bases:
        for rel in (f"{path}.py", f"{path}/__init__.py"):
            candidate = posixpath.normpath(posixpath.join(base, rel)) if base else rel
            if tree.is_file(candidate):
                return candidate
    return None


def _settings_files(tree: ProjectTree, first: str, bases: tuple[str, ...]) -> list[tuple[str, ast.Module]]:
    """The settings file and the modules it star-imports (``from .base import *``), parsed."""
    out: list[tuple[str, ast.Module]] = []
    todo = [first]
    while todo and len(out) < 8:
        rel = todo.pop(0)
        if rel in {r for r, _ in out}:
            continue
        try:
            module = ast.parse(_text(tree, rel))
        except (SyntaxError, ValueError):
            continue
        out.append((rel, module))
        package = posixpath.dirname(rel)
        for node in _top_level(module.body):
            if isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names):
                if node.level:
                    up = package
                    for _ in range(node.level - 1):
                        up = posixpath.dirname(up)
                    found = _module_file(tree, node.module or "__init__", (up,))
                else:
                    found = _module_file(tree, node.module or "", bases)
                if found:
                    todo.append(found)
    return out


def _top_level(body: list[ast.stmt]) -> list[ast.stmt]:
    """A module's statements that run at import, those in ``try``/``except``/``else``/``finally`` and
    ``if`` blocks in place (``try: from .dev import *`` / ``except ImportError: from .prod import *``)."""
    out: list[ast.stmt] = []
    for node in body:
        if isinstance(node, ast.Try):
            blocks = [node.body, *(h.body for h in node.handlers), node.orelse, node.finalbody]
            out += [n for block in blocks for n in _top_level(block)]
        elif isinstance(node, ast.If):
            out += _top_level(node.body) + _top_level(node.orelse)
        else:
            out.append(node)
    return out


def _debug_test(test: ast.expr) -> bool | None:
    """Whether an ``if`` test holds when DEBUG is on (``DEBUG``, ``settings.DEBUG is True``: True) or off
    (``not DEBUG``, ``DEBUG is False``, ``DEBUG == False``: False); None for another test."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        inner = _debug_test(test.operand)
        return None if inner is None else not inner
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], (ast.Is, ast.Eq)):
        right = test.comparators[0]
        if isinstance(right, ast.Constant) and isinstance(right.value, bool):
            inner = _debug_test(test.left)
            return None if inner is None else inner == right.value
        return None
    name = test.id if isinstance(test, ast.Name) else test.attr if isinstance(test, ast.Attribute) else ""
    return True if name == "DEBUG" else None


def _statements(body: list[ast.stmt]) -> list[ast.stmt]:
    """A module's top-level statements, those of its ``if`` branches in place: of an ``if`` on DEBUG,
    the branch that runs with DEBUG off (the image's production settings: the development branch's
    STATIC_ROOT is not the one collectstatic fills); of any other ``if``, both branches, in order."""
    out: list[ast.stmt] = []
    for node in body:
        if not isinstance(node, ast.If):
            out.append(node)
            continue
        debug = _debug_test(node.test)
        if debug is not True:
            out += _statements(node.body)
        if debug is not False:
            out += _statements(node.orelse)
    return out


def _assignment(modules: list[tuple[str, ast.Module]], name: str) -> tuple[str, int, ast.expr] | None:
    found: tuple[str, int, ast.expr] | None = None
    for rel, module in modules:
        for node in _statements(module.body):
            if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                    found = (rel, node.lineno, node.value)
        if found and found[0] == rel:
            return found  # the file that star-imports others is read first and wins
    return found


def _django(tree: ProjectTree, app: AppFacts, manage: str, catalogs: list[str]) -> list[BuildStepNeed]:
    base = posixpath.dirname(manage)
    module = _settings_module(tree, app, manage)
    settings = _module_file(tree, module, (base, "", "src")) if module else None
    steps: list[BuildStepNeed] = []
    modules = _settings_files(tree, settings, (base, "", "src")) if settings else []
    strings = {
        n.value
        for _, m in modules
        for n in ast.walk(m)
        if isinstance(n, ast.Constant) and isinstance(n.value, str)
    }
    # compilemessages compiles every directory named ``locale`` and the settings' LOCALE_PATHS
    django_catalogs = [
        c for c in catalogs if "/locale/" in f"/{c}" or _catalog_dir(c).rsplit("/", 1)[-1] in strings
    ]
    missing = f"the settings module {module!r} named by {manage} was not found" if module else ""
    if settings is None:
        why = missing or f"{manage} names no settings module"
        steps.append(
            BuildStepNeed("collectstatic", (Evidence(manage),), ready=False, blocker=why, script=manage)
        )
    else:
        if "django.contrib.staticfiles" in strings:
            where = next(
                (r for r, _ in modules if tree.line_of(r, r"django\.contrib\.staticfiles")), settings
            )
            apps_line = tree.line_of(where, r"django\.contrib\.staticfiles")
            installed = Evidence(where, apps_line, "INSTALLED_APPS has django.contrib.staticfiles")
            root = _assignment(modules, "STATIC_ROOT")
            if root is None or (isinstance(root[2], ast.Constant) and root[2].value in (None, "")):
                steps.append(
                    BuildStepNeed(
                        "collectstatic",
                        (installed,),
                        ready=False,
                        blocker=f"STATIC_ROOT is not set in {settings}: collectstatic has nowhere to "
                        "write; set it (e.g. BASE_DIR / 'staticfiles') and serve it (WhiteNoise)",
                        script=manage,
                    )
                )
            else:
                rel, line, value = root
                static_root = Evidence(rel, line, f"STATIC_ROOT = {ast.unparse(value)[:80]}")
                need = BuildStepNeed(
                    "collectstatic",
                    (installed, static_root),
                    script=manage,
                    root_env=static_root_env(value),
                    served_by_app=served_by_app(strings),
                )
                steps.append(replace(need, done_by=_committed_manifest(tree, need)))
    made = _start_makemigrations(tree, app, manage)
    if made is not None:
        steps.append(made)
    if django_catalogs:
        dirs = sorted({_catalog_dir(c) for c in django_catalogs})
        evidence = Evidence(
            django_catalogs[0], None, f"{len(django_catalogs)} gettext catalog(s) in {', '.join(dirs)}"
        )
        steps.append(
            BuildStepNeed(
                "compilemessages",
                (evidence,),
                script=manage,
                outputs=tuple(sorted({_catalog_dir(c) for c in django_catalogs})),
                # the command reads the settings' LOCALE_PATHS: a named module that is absent stops it
                ready=settings is not None or not module,
                blocker=missing if settings is None else "",
            )
        )
    return steps


# `manage.py makemigrations [APP ...]` on a start script's line, up to the next shell operator
_MAKEMIGRATIONS = lazy(r"(?:^|[\s/])manage\.py\s+makemigrations\b([^;&|\n]*)")


def _start_makemigrations(tree: ProjectTree, app: AppFacts, manage: str) -> BuildStepNeed | None:
    """The start script's ``makemigrations`` runs (its lines' arguments), or None when it runs none."""
    evidence: list[Evidence] = []
    arguments: list[str] = []
    for rel in dict.fromkeys(e.file for e in app.command.evidence if not e.file.endswith(".py")):
        text = _text(tree, rel).replace("\\\n", " \n")  # a continued line keeps its number
        for number, line in enumerate(text.splitlines(), 1):
            if line.lstrip().startswith("#"):
                continue
            for found in _MAKEMIGRATIONS.finditer(line):
                evidence.append(Evidence(rel, number, line.strip().rstrip("\\").strip()[:120]))
                arguments.append(" ".join(found.group(1).split()))
    if not evidence:
        return None
    return BuildStepNeed("makemigrations", tuple(evidence), script=manage, outputs=tuple(arguments))


def _committed_manifest(tree: ProjectTree, need: BuildStepNeed) -> Evidence | None:
    """The manifest ``collectstatic`` wrote (ManifestStaticFilesStorage's ``staticfiles.json``) when the
    repository commits it in ``STATIC_ROOT``: the collected files ship with the source (built by a
    frontend tool the image does not run), and collecting again would rewrite that manifest from the
    app folders alone, losing the entries of files only the committed folder holds (HTTP 500 on
    templates asking for them)."""
    from dockwright.project.entry_run import static_root

    folder = static_root(tree, need)
    manifest = f"{folder}/staticfiles.json" if folder else None
    if manifest is None or not tree.is_file(manifest):
        return None
    return Evidence(manifest, None, "collected static files committed with their manifest")


_STATIC_TAG = lazy(r"""\{%\s*static\s+['"]([^'"{}]+)['"]""")


def _unbuilt_static(tree: ProjectTree, app: AppFacts, manage: str, files: list[str]) -> BuildStepNeed | None:
    """A frontend build no package.json script names: templates ask ``{% static 'css/app.css' %}`` for a
    file no folder of the project holds, under a Manifest storage, where rendering such a template
    raises (HTTP 500) until a build writes the file before ``collectstatic``."""
    base = posixpath.dirname(manage)
    module = _settings_module(tree, app, manage)
    settings = _module_file(tree, module, (base, "", "src")) if module else None
    if settings is None:
        return None
    modules = _settings_files(tree, settings, (base, "", "src"))
    storage = next(
        (
            (rel, n)
            for rel, m in modules
            for n in ast.walk(m)
            if isinstance(n, ast.Constant)
            and isinstance(n.value, str)
            and "ManifestStaticFilesStorage" in n.value
        ),
        None,
    )
    if storage is None:
        return None
    # static sources: app `static/` folders (the app directories finder) and STATICFILES_DIRS, known by
    # the last folder name their literals spell (`BASE_DIR / "assets"`, os.path.join(BASE_DIR, "public"))
    roots = {"static"}
    dirs = _assignment(modules, "STATICFILES_DIRS")
    if dirs is not None:
        for n in ast.walk(dirs[2]):
            if isinstance(n, ast.Constant) and isinstance(n.value, str):
                parts = [part for part in n.value.split("/") if part not in ("", ".", "..")]
                roots.update(parts[-1:])
    missing: list[Evidence] = []
    for rel in files:
        if not rel.endswith(".html") or "templates/" not in f"/{rel}":
            continue
        for number, line in tree.numbered_lines(rel):
            for path in _STATIC_TAG.findall(line):
                suffixes = tuple(f"{root}/{path}" for root in roots)
                if any(f.endswith(suffixes) for f in files):
                    continue
                missing.append(Evidence(rel, number, f"{{% static '{path}' %}}"))
    if not missing:
        return None
    rel, node = storage
    names = ", ".join(dict.fromkeys(e.detail.split("'")[1] for e in missing))
    backend = str(node.value).rsplit(".", 1)[-1]
    blocker = (
        f"templates name static files no folder of the project holds ({names}); with {backend} "
        f"({rel}:{node.lineno}) rendering them fails (HTTP 500) until a build writes them before "
        "collectstatic: add a `build` script to the package.json that makes them (or commit them under "
        "a static folder)"
    )
    return BuildStepNeed("frontend", tuple(missing[:5]), ready=False, blocker=blocker)


# --- Babel -------------------------------------------------------------------------------------------


def _catalog_dir(po: str) -> str:
    """``app/translations/fr/LC_MESSAGES/messages.po`` -> ``app/translations``."""
    return po.rsplit("/LC_MESSAGES/", 1)[0].rpartition("/")[0] or "."


def _babel(
    tree: ProjectTree, catalogs: list[str], depends_on: frozenset[str], dependency_file: str
) -> BuildStepNeed:
    dirs = tuple(sorted({_catalog_dir(c) for c in catalogs}))
    domains = tuple(sorted({c.rsplit("/", 1)[-1][: -len(".po")] for c in catalogs}))
    evidence = [Evidence(catalogs[0], None, f"{len(catalogs)} gettext catalog(s) in {', '.join(dirs)}")]
    if tree.is_file("babel.cfg"):
        evidence.append(Evidence("babel.cfg", None, "Babel extraction config"))
    babel = sorted(BABEL & depends_on)
    if not babel:
        return BuildStepNeed(
            "pybabel-compile",
            tuple(evidence),
            ready=False,
            blocker="gettext catalogs but no Babel in the dependencies and not a Django project: nothing "
            "the image installs compiles them (compile the .mo files yourself, or depend on Babel)",
            outputs=dirs,
            domains=domains,
        )
    evidence.append(Evidence(dependency_file, None, f"depends on {', '.join(babel)}"))
    return BuildStepNeed("pybabel-compile", tuple(evidence), outputs=dirs, domains=domains)


# --- Prisma Client Python ---------------------------------------------------------------------------

# The generator a Python client's schema names; a schema for the JavaScript client is another program's.
_PRISMA_PY_GENERATOR = lazy(r"""^\s*provider\s*=\s*["'](?:prisma-client-py|python -m prisma)["']""")


def _prisma(
    tree: ProjectTree, files: list[str], depends_on: frozenset[str], dependency_file: str
) -> BuildStepNeed | None:
    """Prisma Client Python's ``prisma generate``: its package ships no client until the step writes one
    from the schema (``from prisma import Prisma`` then raises at import). The step runs Node.js (found on
    the PATH, else the ``nodejs-bin`` package, else downloaded by ``nodeenv`` from nodejs.org), installs
    the Prisma CLI with npm from the npm registry, which downloads the query engine binary the client
    starts at run time. Planned when the generator writes into the installed package (its default); an
    ``output`` folder in the tree is stated, not planned.
    https://prisma-client-py.readthedocs.io/en/stable/reference/client/ (generate before use),
    https://prisma-client-py.readthedocs.io/en/stable/reference/binaries/ (engines downloaded)."""
    if "prisma" not in depends_on:
        return None
    for rel in files:
        if not rel.endswith(".prisma"):
            continue
        lines = list(tree.numbered_lines(rel))
        line = next((n for n, text in lines if _PRISMA_PY_GENERATOR.match(text)), None)
        if line is None:
            continue
        evidence = (
            Evidence(rel, line, "the schema's generator is Prisma Client Python"),
            Evidence(dependency_file, None, "depends on prisma"),
        )
        output = next((n for n, text in _block(lines, line) if _PRISMA_OUTPUT.match(text)), None)
        if output is not None:
            return BuildStepNeed(
                "prisma-generate",
                (*evidence, Evidence(rel, output, "the generator writes the client into the tree (output)")),
                ready=False,
                blocker=(
                    f"`prisma generate --schema {rel}` writes the client into the project's tree "
                    f"({rel}:{output}: output), which the planned builder step does not copy; run it in the "
                    "builder and copy that folder, or drop `output` (the client then lands in the package)"
                ),
                script="prisma generate",
            )
        return BuildStepNeed("prisma-generate", evidence, script="prisma generate")
    return None


_PRISMA_OUTPUT = lazy(r"^\s*output\s*=")
_PRISMA_ENV = lazy(r"""\benv\(\s*["']([A-Za-z_][A-Za-z0-9_]*)["']\s*\)""")


def _block(lines: list[tuple[int, str]], inside: int) -> list[tuple[int, str]]:
    """The lines of the ``{ ... }`` block holding line ``inside`` (a generator or datasource block)."""
    start = next((i for i in range(inside - 1, -1, -1) if "{" in lines[i][1]), 0)
    end = next((i for i in range(inside - 1, len(lines)) if "}" in lines[i][1]), len(lines) - 1)
    return lines[start : end + 1]


def prisma_env(tree: ProjectTree, steps: tuple[BuildStepNeed, ...]) -> tuple[Fact[str], ...]:
    """The variables the Prisma schema's datasource reads with ``env("NAME")`` (its ``url``, a
    ``directUrl``): the client connects with them at run time, and the schema gives no default."""
    out: dict[str, Fact[str]] = {}
    for step in steps:
        if step.kind != "prisma-generate":
            continue
        schema = step.evidence[0].file
        for line, text in tree.numbered_lines(schema):
            if text.lstrip().startswith("//"):
                continue
            for name in _PRISMA_ENV.findall(text):
                why = f'env("{name}") in the Prisma schema: the client connects with it at run time'
                out.setdefault(name, Fact(name, (Evidence(schema, line, why),)))
    return tuple(out.values())


# --- a frontend the Python app serves ----------------------------------------------------------------


def _frontend(tree: ProjectTree, package_json: str, files: list[str]) -> BuildStepNeed | None:
    try:
        data = tree.read_json(package_json)
    except ProjectError:
        return None
    scripts = data.get("scripts") if isinstance(data, dict) else None
    build = scripts.get("build") if isinstance(scripts, dict) else None
    if not isinstance(build, str) or not isinstance(scripts, dict):
        return None  # tooling only (linters, formatters): nothing to build
    # a production build beside `build` (`"build": "webpack --mode development"`, `"build:prod": "webpack
    # --mode production"`): the image serves the production one
    script = next((n for n in PRODUCTION_SCRIPTS if isinstance(scripts.get(n), str)), "build")
    build = str(scripts[script])
    directory = posixpath.dirname(package_json) or "."
    line = tree.line_of(package_json, rf'"{re.escape(script)}"\s*:')
    evidence = [Evidence(package_json, line, f"{script} script: {build[:80]}")]

    def blocked(why: str) -> BuildStepNeed:
        return BuildStepNeed(
            "frontend", tuple(evidence), ready=False, blocker=why, script=script, directory=directory
        )

    output, said = _output_dir(tree, directory, _expanded_script(scripts, build))
    if output is None:
        return blocked(
            "its output directory is unknown (no --out-dir flag, no vite/webpack output setting, no "
            "known build tool): give the frontend build a fixed output directory"
        )
    evidence.append(said)
    rel = posixpath.normpath(posixpath.join(directory, output))
    if rel.startswith("..") or rel == ".":
        return blocked(f"its output {output} is outside the project")
    served = _served_by(tree, rel, files)
    placed: tuple[tuple[str, str], ...] = ()
    if served is None and (copied := frontend_destination(tree, rel)) is not None:
        # the repository's own image copies the output where the app serves it (`COPY --from=ui /w/dist
        # ./svc/public`): the planned image does the same
        destination, said_copy = copied
        served = _served_by(tree, destination, files)
        if served is not None:
            evidence.append(said_copy)
            placed = ((rel, destination),)
    if served is None:
        return blocked(
            f"no Python file of the app names its output {rel}/ (a static folder, STATICFILES_DIRS, a "
            "template directory): a separate frontend, not built into this image"
        )
    evidence.append(served)
    row = next((r for r in managers() if tree.is_file(_join(directory, r["lockfile"]))), None)
    if row is None:
        return blocked(
            f"{directory}/ has no lockfile (npm, pnpm, yarn or bun) to install exactly; not planned"
        )
    lock = _join(directory, row["lockfile"])
    declared = data.get("packageManager")
    release = ""
    berry, refused = frontend_config.is_berry(tree, lock, declared) if row["tool"] == "yarn" else (False, "")
    if refused:
        return blocked(refused)
    if berry:
        row = next(r for r in managers() if r["name"] == "yarn-berry")
        installer, release, refused = frontend_config.berry_release(tree, directory, lock, declared)
    else:
        installer, refused = _installer(tree, row, lock, declared)
    if refused:
        return blocked(refused)
    configs = frontend_config.configs(tree, directory, row.get("configs"))
    registry_env, refused = frontend_config.registry_env(tree, configs, str(row["env_syntax"]))
    if refused:
        return blocked(refused)
    if row["tool"] == "npm":
        detail = f"npm lockfile for `npm ci`: {_locked_packages(tree, lock)} package(s)"
    else:
        detail = f"{row['tool']} lockfile for `{row['install']}` ({installer or release})"
    evidence.append(Evidence(lock, None, detail))
    return BuildStepNeed(
        "frontend",
        tuple(evidence),
        script=script,
        directory=directory,
        outputs=(rel,),
        placed=placed,
        lockfile=lock,
        installer=installer,
        manager=str(row["name"]),
        configs=(*configs, *([release] if release else [])),
        registry_env=registry_env,
    )


@cache
def managers() -> tuple[dict[str, Any], ...]:
    """The package managers a frontend installs with, by lockfile (data/frontend_managers.toml)."""
    return tuple(data_table("frontend_managers.toml")["manager"])


_PACKAGE_MANAGER = lazy(r"^(npm|pnpm|yarn|bun)@(\d+)([\w.+-]*?)(?:\+.*)?$")


def _installer(tree: ProjectTree, row: dict[str, str], lock: str, declared: object) -> tuple[str, str]:
    """What ``npm install --global`` installs before the frozen install (``pnpm@9``; "" for npm), or why
    the lock cannot be installed here. A package.json ``packageManager`` of the lock's tool names the
    version (``pnpm@10.4.1+sha512...`` -> ``pnpm@10.4.1``)."""
    tool = row["tool"]
    head = "\n".join(text for _, text in tree.numbered_lines(lock)[:20]) if tool != "bun" else ""
    match = _PACKAGE_MANAGER.match(declared) if isinstance(declared, str) else None
    if match and match.group(1) != tool:
        return "", f"package.json's packageManager is {declared} and the folder's lock is {lock}; not planned"
    pinned = f"{tool}@{match.group(2)}{match.group(3)}" if match else ""
    if tool == "pnpm" and not pinned:
        version = re.search(r"""^lockfileVersion:\s*['"]?(\d+)""", head, re.MULTILINE)
        by_lock = data_table("frontend_managers.toml")["pnpm_lock_versions"]
        pinned = by_lock.get(version.group(1), "") if version else ""
        if not pinned:
            return "", f"{lock}'s lockfileVersion is not one a known pnpm release writes; not planned"
    return (pinned or str(row["installer"])) if tool != "npm" else "", ""


def _locked_packages(tree: ProjectTree, lock: str) -> int:
    """How many packages ``npm ci`` installs from the lockfile (v2/v3 ``packages``, v1 ``dependencies``)."""
    try:
        data = tree.read_json(lock)
    except ProjectError:
        return 0
    if not isinstance(data, dict):
        return 0
    packages = data.get("packages")
    if isinstance(packages, dict):
        return sum(1 for key in packages if key)
    dependencies = data.get("dependencies")
    return len(dependencies) if isinstance(dependencies, dict) else 0


def _join(directory: str, name: str) -> str:
    return name if directory == "." else f"{directory}/{name}"


_MAX_SCRIPT = 20_000  # characters of an expanded script: past that, its `npm run NAME` stays as written


def _expanded_script(
    scripts: dict[str, object], build: str, depth: int = 0, done: dict[tuple[str, int], str] | None = None
) -> str:
    """The build script with the ``npm run NAME`` (``yarn NAME``, ``pnpm run NAME``) scripts it runs
    written in its place (``"build": "npm run build-js && npm run build-css"``), as far as four deep;
    each script expanded once (``done``), and no expansion longer than ``_MAX_SCRIPT``: a script running
    another many times stays bounded."""
    if depth >= 4:
        return build
    done = {} if done is None else done

    def inline(match: re.Match[str]) -> str:
        name = match.group(1)
        body = scripts.get(name)
        if not isinstance(body, str):
            return match.group(0)
        if (name, depth) not in done:
            done[name, depth] = _expanded_script(scripts, body, depth + 1, done)
        return done[name, depth]

    expanded = _RUNS_SCRIPT.sub(inline, build)
    return expanded if len(expanded) <= _MAX_SCRIPT else build


def _output_dir(tree: ProjectTree, directory: str, build: str) -> tuple[str | None, Evidence]:
    match = _OUT_FLAG.search(" " + build)
    package_json = _join(directory, "package.json")
    if match:
        out = match.group(1).rstrip("/")
        if _FILE_OUTPUT.search(out):  # `postcss -o static/app.css`, `esbuild --outfile`: a file's folder
            out = posixpath.dirname(out) or "."
        return out, Evidence(package_json, None, f"output {match.group(1)} (flag)")
    config = _CONFIG_FLAG.search(build)
    rollup = re.search(r"\brollup\b", build) is not None
    for name, pattern in (
        *(((config.group(1), _WEBPACK_OUT),) if config and "webpack" in build else ()),
        *((f"vite.config.{e}", _VITE_OUT) for e in ("js", "ts", "mjs", "mts")),
        *((f"webpack.config.{e}", _WEBPACK_OUT) for e in ("js", "cjs", "mjs", "ts")),
        *((f"rollup.config.{e}", _ROLLUP_OUT) for e in ("js", "mjs", "cjs", "ts") if rollup),
    ):
        rel = _join(directory, name)
        if tree.is_file(rel):
            found = pattern.search(_text(tree, rel))
            if found:
                line = tree.line_of(rel, re.escape(found.group(0)[:20]))
                written = _written_out(found)
                out = posixpath.normpath(written)
                if pattern is _ROLLUP_OUT and found.group(0).lstrip().startswith("file"):
                    out = posixpath.dirname(out) or "."  # rollup's `output.file`: one bundle in that folder
                return out, Evidence(rel, line, f"output {written}")
    angular = _join(directory, "angular.json")
    if "ng build" in build and tree.is_file(angular):
        found_path = _angular_output(tree, angular, build)
        if found_path:
            line = tree.line_of(angular, r'"outputPath"')
            return found_path, Evidence(angular, line, f"outputPath {found_path}")
    for tool, default in DEFAULT_OUTPUTS:
        if tool in build:
            return default, Evidence(package_json, None, f"{tool} writes {default}/ by default")
    return None, Evidence(package_json)


def _written_out(found: re.Match[str]) -> str:
    """The output folder a config's match names, relative to the config's folder: a literal, the
    segments of ``path.resolve(__dirname, ...)`` joined, or ``new URL(X, import.meta.url)``'s X."""
    if found.lastindex and found.lastindex >= 2 and found.group(2) is not None:
        segments: list[str] = _QUOTED.findall(found.group(2)) or ["."]
        return posixpath.join(*segments)
    if found.lastindex and found.lastindex >= 3 and found.group(3) is not None:
        return str(found.group(3))
    return str(found.group(1))


def _angular_output(tree: ProjectTree, angular: str, build: str) -> str | None:
    """The first project's build ``outputPath`` (a string, or ``{"base": ...}``): the configuration the
    script names (``--configuration X``), else ``defaultConfiguration``, else the plain options."""
    try:
        data = tree.read_json(angular)
    except ProjectError:
        return None
    projects = data.get("projects") if isinstance(data, dict) else None
    named = re.search(r"(?:--configuration|-c)[= ](\w+)", build)
    for project in (projects or {}).values() if isinstance(projects, dict) else ():
        try:
            target = project["architect"]["build"]
            configuration = named.group(1) if named else target.get("defaultConfiguration")
            chosen = (target.get("configurations") or {}).get(configuration) or {}
            path = chosen.get("outputPath") or target["options"]["outputPath"]
        except (KeyError, TypeError, AttributeError):
            continue
        if isinstance(path, dict):
            path = path.get("base")
        if isinstance(path, str) and path.strip("/"):
            return path.rstrip("/")
    return None


def _served_by(tree: ProjectTree, output: str, files: list[str]) -> Evidence | None:
    """The Python file (and line) that names the output directory: its last two path components,
    written as one string or as ``"a" / "b"`` / ``"a", "b"``; a one-component output needs an exact
    quoted name."""
    parts = output.split("/")[-2:]
    if len(parts) == 2:
        pattern = re.escape(parts[0]) + r"(?:/|['\"]\s*[,/]\s*['\"])" + re.escape(parts[1]) + r"/?['\"]"
    else:
        pattern = r"['\"](?:\.\./|\./)*" + re.escape(parts[0]) + r"/?['\"]"
    # <package>/static/...: Flask serves a package's static/ folder by default, and Django's app
    # directories finder collects it
    head, marker, _ = output.partition("/static")
    if marker and head and tree.is_file(f"{head}/__init__.py"):
        return Evidence(
            f"{head}/__init__.py", None, f"{output}/ is in the Python package {head}'s static/ folder"
        )
    regex = re.compile(pattern)
    inside = _named_inside_package(tree, output, files)
    if inside is not None:
        return inside
    for rel in files:
        if rel.endswith(".py"):
            text = _text(tree, rel)
            if parts[-1] in text and regex.search(text):
                line = tree.line_of(rel, pattern)
                return Evidence(rel, line, f"the app serves {output}/")
    return None


def _named_inside_package(tree: ProjectTree, output: str, files: list[str]) -> Evidence | None:
    """A module of a Python package holding the output that names the rest of its path from the
    package's folder (``tracker/dist`` named ``"dist"`` or ``"dist/static"`` in ``tracker/*.py``): Flask
    resolves ``static_folder`` and ``template_folder`` against the package's folder, and code joins
    them to ``os.path.dirname(__file__)`` or ``app.root_path``."""
    parts = output.split("/")
    for cut in range(len(parts) - 1, 0, -1):
        package, rest = "/".join(parts[:cut]), "/".join(parts[cut:])
        if not tree.is_file(f"{package}/__init__.py"):
            continue
        named = re.compile(r"['\"](?:\./)?" + re.escape(rest) + r"(?:/[^'\"\s]*)?['\"]")
        for rel in files:
            if rel.endswith(".py") and posixpath.dirname(rel) == package and named.search(_text(tree, rel)):
                line = tree.line_of(rel, named.pattern)
                return Evidence(rel, line, f"the package {package} serves {output}/ (named from its folder)")
    return None


def _text(tree: ProjectTree, rel: str) -> str:
    try:
        return tree.read_text(rel)
    except ProjectError:
        return ""
