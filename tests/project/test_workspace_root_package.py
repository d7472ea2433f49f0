"""A uv workspace whose root is itself a package the app member depends on (an SDK at the root, its
example servers as members): the .dockerignore re-includes the root's entries one by one (``!.`` after
``*`` re-includes nothing: Docker matches no path against "."), less its tests and docs and the members
the app does not reach; without them the root's wheel was built empty and the app stopped on import."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.initialize import plan_project

MakeProject = Callable[[dict[str, str | bytes]], Path]

HATCH = '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
LOCK = (
    'version = 1\nrequires-python = ">=3.11"\n\n[manifest]\nmembers = ["sdk", "echo", "stories"]\n\n'
    '[[package]]\nname = "sdk"\nversion = "1.0"\nsource = { editable = "." }\n\n'
    '[[package]]\nname = "echo"\nversion = "0.1"\nsource = { editable = "servers/echo" }\n'
    'dependencies = [{ name = "sdk" }]\n\n'
    '[[package]]\nname = "stories"\nversion = "0.1"\nsource = { editable = "servers/stories" }\n'
    'dependencies = [{ name = "sdk" }]\n'
)


def _project(name: str, body: str = "") -> str:
    return f'[project]\nname = "{name}"\nversion = "0.1"\nrequires-python = ">=3.11"\n{body}\n{HATCH}'


def test_the_root_package_enters_the_context_entry_by_entry(make_project: MakeProject) -> None:
    root_toml = _project("sdk", 'readme = "README.md"\n') + (
        '\n[tool.hatch.build.targets.wheel]\npackages = ["src/sdk"]\n\n'
        '[tool.uv.workspace]\nmembers = ["servers/*"]\n'
    )
    echo = _project("echo", 'dependencies = ["sdk"]\n\n[project.scripts]\necho = "echo.cli:main"\n')
    echo += "\n[tool.uv.sources]\nsdk = { workspace = true }\n"
    root = make_project(
        {
            "pyproject.toml": root_toml,
            "uv.lock": LOCK,
            "README.md": "# sdk\n",
            "src/sdk/__init__.py": "",
            "tests/test_sdk.py": "",
            "docs/index.md": "",
            ".github/workflows/ci.yml": "",
            "docker-compose.yml": "services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: Quarry-9f8e7d\n",
            "servers/echo/pyproject.toml": echo,
            "servers/echo/src/echo/__init__.py": "",
            "servers/echo/src/echo/cli.py": "import sdk\n\n\ndef main():\n    print(sdk)\n",
            "servers/stories/pyproject.toml": _project("stories", 'dependencies = ["sdk"]\n'),
            "servers/stories/src/stories/__init__.py": "",
        }
    )
    plan = plan_project(root / "servers/echo", {"python": "3.12"})
    ignored = [e.pattern for e in plan.dockerignore]
    assert ignored[0] == "*"
    assert "!." not in ignored
    for entry in ("!src", "!README.md", "!servers", "!servers/echo"):
        assert entry in ignored, entry
    assert "servers/stories" in ignored  # a member the app does not reach
    assert ignored.index("servers/stories") > ignored.index("!servers")
    for left in ("!tests", "!docs", "!.github", "!docker-compose.yml"):  # a descriptor holding a secret
        assert left not in ignored, left
