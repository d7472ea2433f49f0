"""pydantic-settings fields without a default are variables the container must be given."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

from dockwright.project.apps import detect_app
from dockwright.project.settings_env import required_settings
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]


def names(source: str) -> list[str]:
    tree = ast.parse(source)
    imports: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module:
            imports.update({a.asname or a.name: f"{node.module}.{a.name}" for a in node.names})
    return [name for name, _, _ in required_settings(tree, imports)]


V2 = """
from typing import ClassVar
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

class ShopSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_prefix="shop_")
    token: str
    region: str = "eu"
    retries: int = Field(3)
    mirror: str = Field(..., validation_alias="MIRROR_URL")
    tags: list[str] = Field(default_factory=list)
    note: str | None
    kind: ClassVar[str] = "x"
    _cache: dict[str, str]
"""


def test_v2_required_fields_with_prefix_and_alias() -> None:
    assert names(V2) == ["SHOP_TOKEN", "MIRROR_URL", "SHOP_NOTE"]


def test_v1_optional_fields_default_to_none_and_env_keyword_names_the_variable() -> None:
    source = (
        "import pydantic\n\n"
        "class Conf(pydantic.BaseSettings):\n"
        "    dsn: str\n"
        "    proxy: Optional[str]\n"
        "    key: str = pydantic.Field(..., env='SIGNING_KEY')\n\n"
        "    class Config:\n"
        "        env_prefix = 'svc_'\n"
    )
    assert names(source) == ["SVC_DSN", "SIGNING_KEY"]


def test_case_sensitive_and_inherited_settings_classes() -> None:
    source = (
        "from pydantic_settings import BaseSettings\n\n"
        "class Common(BaseSettings):\n"
        "    model_config = {'env_prefix': 'app_', 'case_sensitive': True}\n"
        "    home: str\n\n"
        "class Worker(Common):\n"
        "    queue: str\n"
    )
    assert names(source) == ["app_home", "app_queue"]


def test_plain_models_and_defaults_require_nothing() -> None:
    source = (
        "from pydantic import BaseModel\n"
        "from pydantic_settings import BaseSettings\n\n"
        "class Payload(BaseModel):\n    body: str\n\n"
        "class Tuning(BaseSettings):\n    workers: int = 2\n"
    )
    assert names(source) == []


def test_app_facts_list_the_fields_as_required_env(make_project: MakeProject) -> None:
    root = make_project(
        {
            "api/__init__.py": "",
            "api/config.py": (
                "from pydantic_settings import BaseSettings\n\n"
                "class Settings(BaseSettings):\n    signing_secret: str\n    debug: bool = False\n"
            ),
            "api/main.py": "from fastapi import FastAPI\nfrom api.config import Settings\n\napp = FastAPI()\n",
            "tests/conftest.py": (
                "from pydantic_settings import BaseSettings\n\nclass T(BaseSettings):\n    only_tests: str\n"
            ),
        }
    )
    tree = ProjectTree(root)
    app = detect_app(tree, None, dependencies=frozenset({"fastapi", "uvicorn", "pydantic-settings"}))
    assert [f.value for f in app.required_env] == ["SIGNING_SECRET"]
    evidence = app.required_env[0].evidence[0]
    assert (evidence.file, evidence.line) == ("api/config.py", 4)
    assert "'signing_secret' of Settings" in evidence.detail


def test_a_prefix_given_as_a_class_keyword_names_the_variable() -> None:
    source = (
        "from pydantic import SecretStr\n"
        "from pydantic_settings import BaseSettings\n\n"
        "class EnvConfig(BaseSettings, env_file='.env', extra='ignore'):\n"
        "    pass\n\n"
        "class _Client(EnvConfig, env_prefix='client_'):\n"
        "    token: SecretStr\n"
        "    name: str = 'bot'\n\n"
        "class _Redis(EnvConfig, env_prefix='redis_', case_sensitive=True):\n"
        "    password: str\n"
    )
    assert names(source) == ["CLIENT_TOKEN", "redis_password"]


def test_a_nested_settings_or_model_field_is_no_variable() -> None:
    source = """
from enum import Enum
from typing import Optional
from pydantic import BaseModel
from pydantic_settings import BaseSettings


class Mode(str, Enum):
    live = "live"


class Listen(BaseSettings):
    host: str = "127.0.0.1"


class Limits(BaseModel):
    burst: int = 5


class Settings(BaseSettings):
    listen: Listen
    limits: Optional["Limits"]
    mode: Mode
    token: str
"""
    found = required_settings(
        ast.parse(source),
        {"BaseModel": "pydantic.BaseModel", "BaseSettings": "pydantic_settings.BaseSettings"},
    )
    assert [name for name, _, _ in found] == ["MODE", "TOKEN"]
