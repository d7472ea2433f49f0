"""A variable tested then refused with a web framework's request error (``raise HTTPException(401)``,
``NotAuthorizedException``) answers that one request; the app goes on serving, so it is not required.
A raise of anything else, or an exit, still is (project/refused_env.py)."""

from __future__ import annotations

import ast

import pytest

from dockwright.project.refused_env import refused_env

CHECK = """import os
import sys


async def current_user(request):
    token = os.getenv("SERVICE_TOKEN")
    if not token:
        {stop}
    return token
"""


@pytest.mark.parametrize(
    "stop",
    [
        'raise HTTPException(status_code=401, detail="no token")',
        "raise fastapi.HTTPException(401)",
        'raise NotAuthorizedException("set SERVICE_TOKEN")',
        "raise PermissionDenied",
        "raise exceptions.AuthenticationFailed()",
        "raise web.HTTPUnauthorized()",
    ],
)
def test_a_request_error_is_no_stop(stop: str) -> None:
    assert refused_env(ast.parse(CHECK.format(stop=stop))) == []


@pytest.mark.parametrize(
    "stop",
    ['raise RuntimeError("SERVICE_TOKEN is not set")', "raise SystemExit(1)", "sys.exit(1)", "raise"],
)
def test_other_stops_still_require_it(stop: str) -> None:
    found = refused_env(ast.parse(CHECK.format(stop=stop)))
    assert [name for name, _, _ in found] == ["SERVICE_TOKEN"]
