"""A FastAPI service that answers with the workspace's greeting library."""

from fastapi import FastAPI
from greeting import greet

app = FastAPI(title="api")


@app.get("/")
async def index() -> dict[str, str]:
    return {"message": greet("workspace")}


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}
