"""A FastAPI service locked with uv."""

from fastapi import FastAPI

app = FastAPI(title="fastapi-uv")


@app.get("/")
async def index() -> dict[str, str]:
    return {"hello": "world"}


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}
