"""The platform descriptors a repository deploys with, read once per plan for every reader
(``plan_files.PlanFiles.descriptor``): Render's blueprint, DigitalOcean's app spec, Railway's and fly.io's
config, Heroku's app.json.

Each loader returns the parsed file, or None when it is missing or unreadable (a broken descriptor
says nothing; the detectors fall back to other sources). YAML numbers stay as written: every value
these files give is text to a shell or an environment (``value: 3.10`` is Python 3.10, not 3.1).

Sources: https://render.com/docs/blueprint-spec,
https://docs.digitalocean.com/products/app-platform/reference/app-spec/,
https://docs.railway.com/reference/config-as-code, https://fly.io/docs/reference/configuration/,
https://devcenter.heroku.com/articles/app-json-schema,
https://devcenter.heroku.com/articles/build-docker-images-heroku-yml (heroku.yml's build.docker)
"""

from __future__ import annotations

import copy
import functools
import posixpath
import threading
from typing import TYPE_CHECKING, Any

from dockwright.errors import ProjectError
from dockwright.project.tree import ProjectTree

if TYPE_CHECKING:  # PyYAML loads when a YAML descriptor is read, not with the detectors
    import yaml

    from dockwright.project.plan_files import PlanFiles

DIGITALOCEAN = (".do/app.yaml", ".do/deploy.template.yaml")
# the folder values (Render's rootDir, DigitalOcean's source_dir) that mean the repository's root
ROOT = ("", ".", "./", "/")


@functools.cache
def _text_loader() -> type[yaml.SafeLoader]:
    import yaml

    class _TextLoader(yaml.SafeLoader):
        """SafeLoader whose numbers stay text."""

    _TextLoader.yaml_implicit_resolvers = {
        first: [(tag, pattern) for tag, pattern in resolvers if not tag.endswith((":float", ":int"))]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return _TextLoader


def load(tree: ProjectTree, rel: str) -> Any:
    """The descriptor's data (YAML, JSON or TOML by its name), or None."""
    if not tree.is_file(rel):
        return None
    if rel.endswith((".yaml", ".yml")):
        try:
            text = tree.read_text(rel)
        except ProjectError:
            return None
        with _PARSED_YAML_LOCK:
            kept = _PARSED_YAML.get(text, _UNSEEN)
        if kept is _UNSEEN:
            kept = _yaml_data(text)
            with _PARSED_YAML_LOCK:
                if len(_PARSED_YAML) >= _PARSED_YAML_MAX:
                    _PARSED_YAML.pop(next(iter(_PARSED_YAML)))
                _PARSED_YAML[text] = kept
        try:
            return copy.deepcopy(kept)  # a copy of its own for each caller
        except RecursionError:
            return _yaml_data(text)
    try:
        return tree.read_json(rel) if rel.endswith(".json") else tree.read_toml(rel)
    except (ProjectError, RecursionError):  # unreadable
        return None


# a YAML text -> its data (None: not YAML the loader reads), oldest first: the same text is parsed once
# per process (a plan loaded each workflow of a large repository 7-8 times: docs/lean.md "Session 27")
_PARSED_YAML: dict[str, Any] = {}
_PARSED_YAML_MAX = 64
_PARSED_YAML_LOCK = threading.Lock()
_UNSEEN = object()


def _yaml_data(text: str) -> Any:
    import yaml

    try:
        return yaml.load(text, Loader=_text_loader())  # a SafeLoader
    except (yaml.YAMLError, RecursionError):  # nested past the parser's depth
        return None


def items(value: object) -> list[dict[str, Any]]:
    """The mappings of a list (a descriptor's services, jobs, envs), else none."""
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def render_services(files: PlanFiles) -> list[dict[str, Any]]:
    """render.yaml's services that build this app: a native runtime (not ``docker``/``image``) at the
    repository's root (no other ``rootDir``)."""
    data = files.descriptor("render.yaml")
    return [
        service
        for service in items(data.get("services") if isinstance(data, dict) else None)
        if (service.get("runtime") or service.get("env")) not in ("docker", "image")
        and str(service.get("rootDir") or "") in ROOT
    ]


def digitalocean_specs(files: PlanFiles) -> list[tuple[str, dict[str, Any]]]:
    """Each DigitalOcean app spec (a deploy template wraps it in ``spec:``), with its file."""
    out: list[tuple[str, dict[str, Any]]] = []
    for rel in DIGITALOCEAN:
        data = files.descriptor(rel)
        spec = data.get("spec", data) if isinstance(data, dict) else None
        if isinstance(spec, dict):
            out.append((rel, spec))
    return out


def digitalocean_here(component: dict[str, Any]) -> bool:
    """A DigitalOcean component built from the repository's root by a buildpack (no Dockerfile)."""
    return str(component.get("source_dir") or "") in ROOT and not component.get("dockerfile_path")


def platform_recipes(tree: ProjectTree) -> frozenset[str]:
    """The Dockerfiles (project paths) a platform descriptor builds the app's image from: heroku.yml's
    ``build.docker`` (``web: Dockerfile``, or ``web: {dockerfile: ...}``), fly.toml's ``[build]
    dockerfile``, render.yaml's ``dockerfilePath``. Read from the tree (the own-image rule runs
    before a plan's files exist)."""
    named: list[object] = []
    heroku = load(tree, "heroku.yml")
    docker = (
        heroku.get("build", {}).get("docker")
        if isinstance(heroku, dict) and isinstance(heroku.get("build"), dict)
        else None
    )
    for value in docker.values() if isinstance(docker, dict) else ():
        named.append(value.get("dockerfile") if isinstance(value, dict) else value)
    fly = load(tree, "fly.toml")
    build = fly.get("build") if isinstance(fly, dict) else None
    named.append(build.get("dockerfile") if isinstance(build, dict) else None)
    render = load(tree, "render.yaml")
    named += [
        s.get("dockerfilePath") for s in items(render.get("services") if isinstance(render, dict) else None)
    ]
    return frozenset(
        posixpath.normpath(v.strip().lstrip("/")) for v in named if isinstance(v, str) and v.strip()
    )
