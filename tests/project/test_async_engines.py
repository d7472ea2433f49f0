"""create_async_engine on a URL whose driver runs plainly, and create_engine on an asyncio driver: a
warning naming the call's file:line (project/db_drivers.py async_notes, project/db_urls.py)."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.project.db_urls import engine_call, url_bindings
from dockwright.project.detect import detect_project

MakeProject = Callable[[dict[str, str | bytes]], Path]

BASE = "fastapi==0.115.0\nuvicorn==0.32.0\n"


def _notes(make_project: MakeProject, requirements: str, files: dict[str, str]) -> list[str]:
    project: dict[str, str | bytes] = {"requirements.txt": BASE + requirements, "shop/__init__.py": ""}
    project.update(files)
    facts = detect_project(make_project(project), python="3.13")
    return [n for n in facts.notes if "create_async_engine" in n or "create_engine gets" in n]


MAIN = """\
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import create_async_engine

{config}
engine = create_async_engine({arg})
app = FastAPI()
"""


@pytest.mark.parametrize(
    ("requirements", "config", "arg", "driver"),
    [
        ("sqlalchemy==2.0.36\npsycopg2-binary==2.9.10\n", "", '"postgresql://u:s3cret@db/shop"', "psycopg2"),
        (
            "sqlalchemy==2.0.36\npsycopg2-binary==2.9.10\n",
            'import os\nDATABASE_URL = os.getenv("DATABASE_URL", "postgresql+psycopg2://u:s3cret@db/shop")',
            "DATABASE_URL",
            "psycopg2",
        ),
        (
            "sqlalchemy==2.0.36\nPyMySQL==1.1.1\n",
            'USER = "app"',
            'f"mysql+pymysql://{USER}@db/shop"',
            "pymysql",
        ),
        ("sqlalchemy==2.0.36\n", "", '"sqlite:///./shop.db"', "sqlite3"),
        ("sqlalchemy==2.0.36\n", 'NAME = "shop.db"\nURL = "sqlite:///" + NAME', "URL", "sqlite3"),
    ],
)
def test_a_plain_driver_under_create_async_engine_is_said(
    make_project: MakeProject, requirements: str, config: str, arg: str, driver: str
) -> None:
    notes = _notes(make_project, requirements, {"shop/main.py": MAIN.format(config=config, arg=arg)})
    assert len(notes) == 1, notes
    line = 4 + config.count("\n") + 1
    assert notes[0].startswith(f"shop/main.py:{line}: create_async_engine gets the database URL ")
    assert f"whose driver {driver} does not run under asyncio" in notes[0]
    assert "s3cret" not in notes[0] and "asyncio.html" in notes[0]


def test_a_url_from_a_settings_class_of_another_module(make_project: MakeProject) -> None:
    """``settings.DATABASE_URL``: the field's default in the app's settings class."""
    settings = (
        "from pydantic_settings import BaseSettings\n\n"
        "class Settings(BaseSettings):\n"
        '    DATABASE_URL: str = "postgresql://shop@db/shop"\n\n'
        "settings = Settings()\n"
    )
    main = MAIN.format(config="from shop.settings import settings", arg="str(settings.DATABASE_URL)")
    requirements = "sqlalchemy==2.0.36\npsycopg2-binary==2.9.10\npydantic-settings==2.6.1\n"
    notes = _notes(make_project, requirements, {"shop/main.py": main, "shop/settings.py": settings})
    assert len(notes) == 1 and "shop/main.py:5: create_async_engine" in notes[0]
    assert "postgresql+asyncpg://" in notes[0]


@pytest.mark.parametrize(
    ("requirements", "arg"),
    [
        ("sqlalchemy==2.0.36\nasyncpg==0.30.0\n", '"postgresql+asyncpg://db/shop"'),
        ("sqlalchemy==2.0.36\npsycopg==3.2.3\n", '"postgresql+psycopg://db/shop"'),
        ("sqlalchemy==2.0.36\naiosqlite==0.20.0\n", '"sqlite+aiosqlite:///shop.db"'),
        # SQLAlchemy 2.1's postgresql:// is psycopg (3), which has an asyncio variant
        ("sqlalchemy==2.1.3\npsycopg==3.2.3\n", '"postgresql://db/shop"'),
        # a URL rewritten in the call is not the one written
        ("sqlalchemy==2.0.36\nasyncpg==0.30.0\n", 'URL.replace("postgresql://", "postgresql+asyncpg://")'),
    ],
)
def test_an_asyncio_driver_is_not_said(make_project: MakeProject, requirements: str, arg: str) -> None:
    config = 'URL = "postgresql://db/shop"'
    assert _notes(make_project, requirements, {"shop/main.py": MAIN.format(config=config, arg=arg)}) == []


def test_an_asyncio_driver_under_create_engine_is_said(make_project: MakeProject) -> None:
    main = (
        "from fastapi import FastAPI\nfrom sqlalchemy import create_engine\n\n"
        'engine = create_engine("postgresql+asyncpg://db/shop")\napp = FastAPI()\n'
    )
    notes = _notes(make_project, "sqlalchemy==2.0.36\nasyncpg==0.30.0\n", {"shop/main.py": main})
    assert len(notes) == 1
    assert notes[0].startswith("shop/main.py:4: create_engine gets the database URL postgresql+asyncpg://")
    assert "MissingGreenlet" in notes[0] or "error-xd2s" in notes[0]


def test_engine_call_reads_names_attributes_and_literals() -> None:
    def call(text: str) -> tuple[bool, str, str] | None:
        node = ast.parse(text, mode="eval").body
        assert isinstance(node, ast.Call)
        found = engine_call(node)
        return None if found is None else (found.is_async, found.url, found.name)

    assert call('create_async_engine("sqlite:///x.db")') == (True, "sqlite:///x.db", "")
    assert call("create_engine(url=settings.db_url, echo=True)") == (False, "", "db_url")
    assert call("create_engine(make_url())") is None
    assert call('connect("sqlite:///x.db")') is None
    tree = ast.parse('A = "postgresql://x"\nA = "mysql://y"\nclass S:\n    B: str = "sqlite://"\n')
    assert url_bindings(tree) == {"B": "sqlite://"}
