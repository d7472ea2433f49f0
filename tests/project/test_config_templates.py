"""Configuration the start needs that the repository ships only as a template
(project/config_templates.py): warned with the reading line, never copied into the image."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.config_templates import template_names
from dockwright.project.detect import detect_project

MakeProject = Callable[[dict[str, str | bytes]], Path]

READS_INI = """\
import configparser


def main():
    parser = configparser.ConfigParser()
    parser.read("relay.ini")
    print(parser["KEYS"]["token"])


if __name__ == "__main__":
    main()
"""

IMPORTS_SETTINGS = """\
import secrets_local

print(secrets_local.TOKEN)
"""


def _notes(root: Path) -> list[str]:
    return [n for n in detect_project(root, python="3.13").notes if "which the repository does not have" in n]


def test_an_ini_file_read_beside_its_example(make_project: MakeProject) -> None:
    root = make_project(
        {"requirements.txt": "requests==2.32.3\n", "relay.py": READS_INI, "relay_example.ini": "[KEYS]\n"}
    )
    (note,) = _notes(root)
    assert note.startswith(
        "relay.py:6 reads relay.ini, which the repository does not have (relay_example.ini is its template)"
    )
    assert '-v "$PWD/relay.ini:/app/relay.ini:ro"' in note


def test_a_module_imported_beside_its_example(make_project: MakeProject) -> None:
    root = make_project(
        {
            "requirements.txt": "requests==2.32.3\n",
            "main.py": IMPORTS_SETTINGS,
            "secrets_local.py.example": "TOKEN = ''\n",
        }
    )
    (note,) = _notes(root)
    assert note.startswith(
        "main.py:1 imports the module of secrets_local.py, which the repository does not have"
    )


def test_no_warning_when_the_file_is_there_or_has_no_template(make_project: MakeProject) -> None:
    files: dict[str, str | bytes] = {"requirements.txt": "requests==2.32.3\n", "relay.py": READS_INI}
    assert _notes(make_project(files)) == []  # nothing says it is a left-out config
    assert _notes(make_project({**files, "relay.ini": "[KEYS]\n", "relay.ini.sample": ""})) == []


def test_template_names() -> None:
    names = template_names("app.json")
    for expected in (
        "app.json.example",
        "app.example.json",
        "app_sample.json",
        "example.app.json",
        "app.json.dist",
    ):
        assert expected in names


READS_DOTENV = """\
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    TOKEN: str
    model_config = SettingsConfigDict(env_file=Path(__file__).parent / "{name}")


settings = Settings()
"""


def test_a_dotenv_file_beside_its_example_is_no_missing_config(make_project: MakeProject) -> None:
    """pydantic-settings (and python-dotenv) skip a missing dotenv file: the app reads the environment,
    whose required variables the plan lists; no "the app stops at start" warning."""
    for name in (".env", ".env.production", "prod.env"):
        files = {
            "requirements.txt": "pydantic-settings==2.4.0\n",
            "config.py": READS_DOTENV.format(name=name),
            "main.py": "from config import settings\n\nif __name__ == '__main__':\n    print(settings.TOKEN)\n",
            f"{name}.example": "TOKEN=x\n",
        }
        root = make_project(files)
        assert _notes(root) == []
        assert "TOKEN" in {f.value for f in detect_project(root, python="3.13").app.required_env}


CHECKS_FIRST = """\
import os

here = os.path.dirname(os.path.realpath(__file__))
extra = os.path.join(here, "overrides.ini")
if os.path.exists(extra):
    with open(extra) as handle:
        print(handle.read())
print("serving")
"""


def test_a_file_read_only_after_an_existence_check_is_optional(make_project: MakeProject) -> None:
    """The app checks the path before reading it and goes on without it: no warning."""
    files: dict[str, str | bytes] = {"main.py": CHECKS_FIRST, "overrides.ini.sample": "[x]\n"}
    assert _notes(make_project(files)) == []
    unchecked = CHECKS_FIRST.replace("if os.path.exists(extra):", "if True:")
    assert len(_notes(make_project({**files, "main.py": unchecked}))) == 1
