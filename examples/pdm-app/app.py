"""A Starlette ASGI app, served by uvicorn, locked with PDM."""

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route


async def index(request: Request) -> JSONResponse:
    return JSONResponse({"hello": "world"})


async def livez(request: Request) -> PlainTextResponse:
    return PlainTextResponse("ok")


app = Starlette(routes=[Route("/", index), Route("/livez", livez)])
