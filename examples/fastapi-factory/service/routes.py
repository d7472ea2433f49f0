"""The API's routes, mounted under /api by the factory."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()


@router.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/items/{item}")
def item(item: int) -> dict[str, int]:
    return {"item": item}
