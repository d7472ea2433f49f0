"""Route handlers, grouped in a controller and registered by the factory."""

from __future__ import annotations

from litestar import Controller, get, post

from notes import settings

_NOTES: list[str] = []


@get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


class NoteController(Controller):
    path = "/notes"

    @get()
    async def list_notes(self) -> list[str]:
        return list(_NOTES)

    @post()
    async def add_note(self, data: dict[str, str]) -> dict[str, int]:
        if len(_NOTES) < settings.MAX_NOTES:
            _NOTES.append(data.get("text", ""))
        return {"count": len(_NOTES)}
