"""A SQLAlchemy database URL whose driver the project does not install is a warning naming the line and
the distribution (project/db_drivers.py); the URL's credentials are never repeated."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.project.db_drivers import drivers
from dockwright.project.detect import detect_project

MakeProject = Callable[[dict[str, str | bytes]], Path]

APP = """\
import os

from fastapi import FastAPI
from sqlalchemy import create_engine

from shop.config import DATABASE_URL

engine = create_engine(DATABASE_URL)
app = FastAPI()
"""


def _notes(make_project: MakeProject, requirements: str, config: str) -> list[str]:
    files: dict[str, str | bytes] = {
        "requirements.txt": requirements,
        "shop/__init__.py": "",
        "shop/config.py": config,
        "shop/main.py": APP,
    }
    facts = detect_project(make_project(files), python="3.13")
    return [n for n in facts.notes if "database URL" in n]


BASE = "fastapi==0.115.0\nuvicorn==0.32.0\nsqlalchemy==2.0.36\n"


@pytest.mark.parametrize(
    ("requirements", "config", "said"),
    [
        (
            "psycopg2-binary==2.9.10\n",
            'import os\nDATABASE_URL = os.getenv("DATABASE_URL", "postgresql+psycopg://u:s3cret@db/shop")\n',
            "shop/config.py:2: the database URL postgresql+psycopg:// makes SQLAlchemy import psycopg, "
            "which the project does not install (add psycopg;",
        ),
        (
            "psycopg[binary]==3.2.3\n",
            'USER = "app"\nDATABASE_URL = f"postgresql://{USER}:pw@db/shop"\n',
            "shop/config.py:2: the database URL postgresql:// makes SQLAlchemy import psycopg2",
        ),
        (
            "",
            'DATABASE_URL = "mysql+pymysql://root@localhost/shop"\n',
            "(add pymysql;",
        ),
    ],
)
def test_a_driver_the_project_lacks_is_said(
    make_project: MakeProject, requirements: str, config: str, said: str
) -> None:
    notes = _notes(make_project, BASE + requirements, config)
    assert len(notes) == 1 and said in notes[0]
    assert "s3cret" not in notes[0] and "https://docs.sqlalchemy.org/en/20/dialects/" in notes[0]


@pytest.mark.parametrize(
    ("requirements", "config"),
    [
        ("psycopg2-binary==2.9.10\n", 'DATABASE_URL = "postgresql://u@db/shop"\n'),
        ("psycopg==3.2.3\n", 'DATABASE_URL = "postgresql+psycopg://u@db/shop"\n'),
        ("PyMySQL==1.1.1\n", 'DATABASE_URL = "mysql+pymysql://u@db/shop"\n'),
        ("", 'DATABASE_URL = "sqlite:///shop.db"\n'),
    ],
)
def test_an_installed_driver_is_not_said(make_project: MakeProject, requirements: str, config: str) -> None:
    assert _notes(make_project, BASE + requirements, config) == []


@pytest.mark.parametrize(
    ("sqlalchemy", "installed", "driver"),
    [
        ("sqlalchemy", "psycopg2", "psycopg"),
        ("sqlalchemy>=1.4", "psycopg2-binary", "psycopg"),
        ("sqlalchemy<2.1", "psycopg", "psycopg2"),
    ],
)
def test_the_default_postgresql_driver_follows_sqlalchemy_release(
    make_project: MakeProject, sqlalchemy: str, installed: str, driver: str
) -> None:
    """SQLAlchemy 2.1 made psycopg (3) the default driver of postgresql://: an unpinned SQLAlchemy
    installs the newest release, so psycopg2 alone is the wrong driver there."""
    requirements = f"fastapi==0.115.0\nuvicorn==0.32.0\n{sqlalchemy}\n{installed}\n"
    notes = _notes(make_project, requirements, 'DATABASE_URL = "postgresql://u@db/shop"\n')
    assert len(notes) == 1 and f"makes SQLAlchemy import {driver}," in notes[0]
    if driver == "psycopg":
        assert "or keep psycopg2 by naming it: postgresql+psycopg2://" in notes[0]


def test_without_sqlalchemy_nothing_is_said(make_project: MakeProject) -> None:
    requirements = "fastapi==0.115.0\nuvicorn==0.32.0\n"
    app = 'from fastapi import FastAPI\nURL = "postgresql+psycopg://db/x"\napp = FastAPI()\n'
    files: dict[str, str | bytes] = {"requirements.txt": requirements, "main.py": app}
    facts = detect_project(make_project(files), python="3.13")
    assert not [n for n in facts.notes if "database URL" in n]


def test_every_row_cites_sqlalchemy_docs() -> None:
    rows = [d for each in drivers().values() for d in each]
    assert all(d.source.startswith("https://docs.sqlalchemy.org/") for d in rows)


@pytest.mark.parametrize(
    ("sqlalchemy", "driver"),
    [("sqlalchemy==2.1.3", "psycopg"), ("sqlalchemy==2.0.36", "psycopg2"), ("sqlalchemy>=2.1.2", "psycopg")],
)
def test_an_exact_pin_past_the_release_line_takes_its_row(
    make_project: MakeProject, sqlalchemy: str, driver: str
) -> None:
    """``==2.1.3`` is on the 2.1 line although it admits neither 2.1.0 nor a far release."""
    requirements = f"fastapi==0.115.0\nuvicorn==0.32.0\n{sqlalchemy}\n"
    notes = _notes(make_project, requirements, 'DATABASE_URL = "postgresql://u@db/shop"\n')
    assert len(notes) == 1 and f"makes SQLAlchemy import {driver}," in notes[0]


@pytest.mark.parametrize(
    "config",
    [
        # the scheme a URL is rewritten from, tested for, or compared with is not one the app connects with
        'import os\nDATABASE_URL = os.environ["DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://")\n',
        'import os\nURL = os.environ["DATABASE_URL"]\nDATABASE_URL = URL.removeprefix("postgres://")\n',
        'import os\nURL = os.environ["DATABASE_URL"]\n'
        'DATABASE_URL = "postgresql+psycopg://" + URL[13:] if URL.startswith("postgresql://") else URL\n',
        'import os\nURL = os.environ["DATABASE_URL"]\n'
        'DATABASE_URL = URL if URL != "postgresql://" else "postgresql+psycopg://localhost/shop"\n',
        'import os\nURL = os.environ["DATABASE_URL"]\n'
        'DATABASE_URL = URL.startswith(("postgres://", "postgresql://")) and "postgresql+psycopg://h/db"\n',
    ],
)
def test_a_scheme_rewritten_away_is_not_the_driver(make_project: MakeProject, config: str) -> None:
    assert _notes(make_project, BASE + "psycopg[binary]==3.2.3\n", config) == []


def test_the_scheme_a_url_is_rewritten_to_is_still_read(make_project: MakeProject) -> None:
    config = 'import os\nDATABASE_URL = os.environ["DATABASE_URL"].replace("postgres://", "postgresql+psycopg://")\n'
    notes = _notes(make_project, BASE + "psycopg2-binary==2.9.10\n", config)
    assert len(notes) == 1
    assert "postgresql+psycopg:// makes SQLAlchemy import psycopg," in notes[0]


def test_a_conversion_of_an_unset_variable_inside_a_try_is_not_required(make_project: MakeProject) -> None:
    """rw41 respondent-home-ui: ``int(os.getenv(X))`` in ``try``/``except TypeError`` (None handled)."""
    config = (
        "import os\n\ntry:\n    INDENT = int(os.getenv('JSON_INDENT_LOGGING'))\nexcept TypeError:\n    INDENT = None\n"
        "DATABASE_URL = 'sqlite:///x.db'\n"
    )
    files: dict[str, str | bytes] = {
        "requirements.txt": BASE,
        "shop/__init__.py": "",
        "shop/config.py": config,
        "shop/main.py": APP,
    }
    facts = detect_project(make_project(files), python="3.13")
    assert "JSON_INDENT_LOGGING" not in [f.value for f in facts.app.required_env]
