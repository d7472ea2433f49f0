"""``python -m magicweb --port=8000``: GET / sniffs a PDF header, GET /healthz answers ok."""

from __future__ import annotations

import argparse
import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import magic
from cryptography.hazmat.primitives.asymmetric import rsa

KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        if self.path == "/healthz":
            body = b"ok"
        else:
            mime = magic.from_buffer(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", mime=True)
            token = jwt.encode({"mime": mime}, KEY, algorithm="RS256")
            body = json.dumps({"mime": mime, "signed": token[:16] + "..."}).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    ThreadingHTTPServer(("0.0.0.0", args.port), Handler).serve_forever()


if __name__ == "__main__":
    main()
