"""gRPC services: a script that builds a ``grpc.server`` and adds a listening port.

## What it detects
A module importing grpc that calls ``add_insecure_port(ADDRESS)`` or ``add_secure_port(ADDRESS,
...)`` (on a ``grpc.server(...)`` or ``grpc.aio.server()``) at module level or under its
``__main__`` guard (also inside the ``serve()`` that guard runs), the shallowest first. A client
script (``grpc.insecure_channel``) listens on nothing and is not taken; generated ``*_pb2_grpc.py``
stubs define ``add_*Servicer_to_server`` but never add a port.

## Evidence
The ``add_*_port`` call, and the line the port is read from (``"[::]:50051"``, ``"[::]:" + port``
with ``port = os.environ.get("PORT", "8080")``, ``f"[::]:{port}"`` ...).

## Example
```python
# greeter_server.py
from concurrent import futures
import grpc

def serve():
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    server.add_insecure_port("[::]:50061")
    server.start()
    server.wait_for_termination()

if __name__ == "__main__":
    serve()
```

## Start command
``python FILE``: the script is the server (gRPC Python has no server program). The service speaks
HTTP/2 gRPC, not HTTP/1: there is no HTTP path to probe, so the image's probe connects to the port
(TCP). A port read from an environment variable is set with ``ENV`` so probe and server agree; an
address bound to loopback (``localhost:50051``) is reported. Without a literal port, gRPC's
conventional 50051.
"""

from __future__ import annotations

import ast

from dockwright.project.detectors.base import Candidate, Context
from dockwright.project.detectors.scan import dotted
from dockwright.project.detectors.tornado_app import self_served, serving_call
from dockwright.project.listen_port import listen_port

_ADD_PORT = ("add_insecure_port", "add_secure_port")


def _loopback(address: ast.AST) -> bool:
    text = ""
    if isinstance(address, ast.Constant) and isinstance(address.value, str):
        text = address.value
    elif isinstance(address, ast.BinOp) and isinstance(address.left, ast.Constant):
        text = str(address.left.value)
    elif (
        isinstance(address, ast.JoinedStr) and address.values and isinstance(address.values[0], ast.Constant)
    ):
        text = str(address.values[0].value)
    return text.startswith(("localhost:", "127.0.0.1:", "[::1]:"))


def detect(ctx: Context) -> list[Candidate]:
    for scan in ctx.scans:
        found = serving_call(scan, "grpc", _ADD_PORT)
        if found is None:
            continue
        tree, call = found
        address = (
            call.args[0]
            if call.args
            else next((kw.value for kw in call.keywords if kw.arg == "address"), None)
        )
        if address is None:
            continue
        notes: tuple[str, ...] = ()
        if _loopback(address):
            notes = (
                f"{scan.rel}:{call.lineno}: the server listens on a loopback address, unreachable from "
                "outside the container; listen on [::]:PORT",
            )
        said = f"gRPC server listening here ({dotted(call.func)})"
        return [self_served(ctx, "grpc", scan, call, listen_port(tree, address), said, notes)]
    return []
