"""Dynaconf validators that require a name make the settings raise at start when the variable is
unset; the values usually sit in a ``.env`` the build context leaves out: the plan names them."""

from __future__ import annotations

import ast

from dockwright.project.detectors.scan import scan_module
from dockwright.project.dynaconf_env import required_dynaconf

SETTINGS = """
from dynaconf import Dynaconf, Validator

settings = Dynaconf(
    envvar_prefix="SHOP",
    load_dotenv=True,
    validators=[
        Validator("DB_HOST", "DB_USER", required=True),
        Validator("PORT", required=True, default=8080),
        Validator("TOKEN", must_exist=True),
        Validator("DEBUG_KEY", required=True, env="development"),
        Validator("TIMEOUT", is_type_of=int),
    ],
)
"""


def _required(text: str) -> list[tuple[str, int]]:
    scan = scan_module("shop/config.py", text)
    assert scan is not None
    return [(name, line) for name, line, _ in scan.settings_env]


def test_required_names_with_the_prefix() -> None:
    assert _required(SETTINGS) == [("SHOP_DB_HOST", 8), ("SHOP_DB_USER", 8), ("SHOP_TOKEN", 10)]


def test_default_and_disabled_prefixes() -> None:
    default = SETTINGS.replace('    envvar_prefix="SHOP",\n', "")
    assert _required(default)[0] == ("DYNACONF_DB_HOST", 7)
    none = SETTINGS.replace('envvar_prefix="SHOP"', "envvar_prefix=False")
    assert _required(none)[0] == ("DB_HOST", 8)


def test_settings_files_and_other_libraries_are_left_alone() -> None:
    files = SETTINGS.replace("load_dotenv=True,", 'settings_files=["settings.toml"],')
    assert _required(files) == []
    other = (
        "from mylib import Dynaconf, Validator\ns = Dynaconf(validators=[Validator('A', required=True)])\n"
    )
    assert (
        required_dynaconf(ast.parse(other), {"Dynaconf": "mylib.Dynaconf", "Validator": "mylib.Validator"})
        == []
    )
