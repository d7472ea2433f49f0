"""Application factory; the module-level app is what the ASGI server imports."""

from __future__ import annotations

from litestar import Litestar, get

from notes import settings
from notes.controllers import NoteController, health


@get("/")
async def index() -> dict[str, str]:
    return {"service": settings.TITLE}


def create_app() -> Litestar:
    return Litestar(route_handlers=[index, health, NoteController])


app = create_app()
