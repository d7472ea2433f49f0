"""Application factory: settings first, then the routers."""

from __future__ import annotations

from fastapi import FastAPI

from service.routes import router


def create_app() -> FastAPI:
    app = FastAPI(title="factory example")
    app.include_router(router, prefix="/api")

    @app.get("/")
    def root() -> dict[str, str]:
        return {"service": "factory example"}

    return app
