"""Read images straight from a registry over the HTTP API v2, without pulling them into an engine.

Manifests (Docker v2 and OCI, image indexes and manifest lists), configs and layer blobs are fetched
with ``urllib``; layers are streamed (never written to disk) and their sha256 checked as they pass.
Credentials come from the Docker client's config (``$DOCKER_CONFIG/config.json``, else
``~/.docker/config.json``): ``auths`` entries, or a ``credHelpers``/``credsStore`` helper
(``docker-credential-NAME get``). Bearer-token (``WWW-Authenticate: Bearer realm=...``) and basic auth
are both understood. HTTPS is used, with certificate checks; only loopback registries may answer over
plain HTTP (as the Docker engine allows by default).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import ipaddress
import json
import os
import re
import shutil
import ssl
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from dockwright.errors import EngineError
from dockwright.image_names import names_registry

MANIFEST_TYPES = (
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.v2+json",
)
INDEX_TYPES = MANIFEST_TYPES[:2]
_TIMEOUT = 30
_JSON_LIMIT = 16 << 20
_REFERENCE = re.compile(
    r"^(?P<host>[^/]+)/(?P<repo>[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*)"
    r"(?::(?P<tag>[\w][\w.-]{0,127}))?(?:@(?P<digest>[a-z0-9]+:[0-9a-fA-F]{32,}))?$"
)


@dataclass(frozen=True)
class Reference:
    host: str  # "127.0.0.1:5000", "ghcr.io"
    repository: str  # "team/app"
    tag: str = "latest"
    digest: str = ""

    @property
    def reference(self) -> str:
        return self.digest or self.tag

    def __str__(self) -> str:
        return f"{self.host}/{self.repository}" + (f"@{self.digest}" if self.digest else f":{self.tag}")


def parse_reference(ref: str) -> Reference:
    match = _REFERENCE.match(ref.strip())
    if not match or not names_registry(ref):
        raise EngineError(
            f"{ref!r} is not a registry reference: write HOST[:PORT]/REPOSITORY[:TAG|@sha256:DIGEST], "
            "e.g. 127.0.0.1:5000/app:1.0"
        )
    host = match["host"]
    if host == "docker.io":
        host = "registry-1.docker.io"
    return Reference(host, match["repo"], match["tag"] or "latest", match["digest"] or "")


def _loopback(host: str) -> bool:
    name = host.rsplit(":", 1)[0].strip("[]") if host.count(":") <= 1 or host.startswith("[") else host
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


# ---------------------------------------------------------------------------------------------- credentials


def docker_config_path(environ: Mapping[str, str] | None = None) -> Path:
    environ = os.environ if environ is None else environ
    folder = environ.get("DOCKER_CONFIG")
    return Path(folder) / "config.json" if folder else Path.home() / ".docker" / "config.json"


def credentials(host: str, environ: Mapping[str, str] | None = None) -> tuple[str, str] | None:
    """(user, secret) for ``host`` from the Docker client's config, or None when it holds none."""
    path = docker_config_path(environ)
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:
        raise EngineError(f"cannot read {path}: {error}") from error
    keys: tuple[str, ...] = (
        host,
        f"https://{host}",
        f"http://{host}",
        f"https://{host}/v1/",
        f"https://{host}/v2/",
    )
    if host == "registry-1.docker.io":
        keys += ("https://index.docker.io/v1/", "docker.io", "index.docker.io")
    helper = next(
        (config.get("credHelpers", {}).get(k) for k in keys if k in config.get("credHelpers", {})), None
    )
    for key in keys:
        entry = (config.get("auths") or {}).get(key)
        if isinstance(entry, dict) and entry.get("auth"):
            try:
                user, _, secret = base64.b64decode(entry["auth"]).decode().partition(":")
            except (ValueError, UnicodeDecodeError) as error:
                raise EngineError(f"{path}: the auth entry of {key} is not base64 user:password") from error
            return user, secret
        if isinstance(entry, dict) and entry.get("username"):
            return str(entry["username"]), str(entry.get("password", ""))
    helper = helper or config.get("credsStore")
    return _from_helper(str(helper), host) if helper else None


def _from_helper(helper: str, host: str) -> tuple[str, str] | None:
    program = shutil.which(f"docker-credential-{helper}")
    if program is None:
        raise EngineError(
            f"the Docker config names the credential helper {helper!r}, but docker-credential-{helper} "
            "is not on PATH: install it, or log in again with `docker login`"
        )
    done = subprocess.run(
        [program, "get"], input=host, capture_output=True, text=True, timeout=30, check=False
    )
    if done.returncode != 0:
        return None  # the helper knows no credentials for this host
    try:
        data = json.loads(done.stdout)
    except ValueError as error:
        raise EngineError(f"docker-credential-{helper} answered something that is not JSON") from error
    return str(data.get("Username", "")), str(data.get("Secret", ""))


# ---------------------------------------------------------------------------------------------- HTTP


def _challenge(header: str) -> tuple[str, dict[str, str]]:
    scheme, _, rest = header.strip().partition(" ")
    params = dict(re.findall(r'(\w+)="([^"]*)"', rest))
    return scheme.lower(), params


@dataclass
class RegistryClient:
    """One registry, one repository: GET manifests and blobs with the right credentials."""

    ref: Reference
    environ: Mapping[str, str] | None = None
    scheme: str = ""
    _authorization: str = ""
    _asked: bool = False
    _credentials: tuple[str, str] | None = None
    opener: Any = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.opener = urllib.request.build_opener(_NoRedirectAuth())

    def _url(self, path: str) -> str:
        return f"{self.scheme}://{self.ref.host}/v2/{path}"

    def _open(self, url: str, headers: Mapping[str, str]) -> Any:
        request = urllib.request.Request(url, headers=dict(headers))
        return self.opener.open(request, timeout=_TIMEOUT)

    def _ensure_scheme(self) -> None:
        if self.scheme:
            return
        schemes = ("https", "http") if _loopback(self.ref.host) else ("https",)
        last: Exception | None = None
        for scheme in schemes:
            try:
                self.scheme = scheme
                with self._open(self._url(""), {}):
                    return
            except urllib.error.HTTPError:
                return  # it answers (401 is fine here)
            except (urllib.error.URLError, ssl.SSLError, OSError) as error:
                last = error
        self.scheme = ""
        reason = getattr(last, "reason", last)
        raise EngineError(
            f"cannot reach registry {self.ref.host} ({reason}): check the address and that it is running"
        )

    def _refused(self) -> EngineError:
        config = docker_config_path(self.environ)
        if self._credentials:
            return EngineError(
                f"registry {self.ref.host} refused the credentials of {self._credentials[0]!r} "
                f"(from {config}): log in again with `docker login {self.ref.host}`"
            )
        return EngineError(
            f"registry {self.ref.host} needs credentials: `docker login {self.ref.host}` "
            f"(dockwright reads {config}; DOCKER_CONFIG names another folder)"
        )

    def _authorize(self, header: str) -> None:
        """Answer a 401 challenge once: a bearer token from the realm, or basic credentials."""
        if self._asked:
            raise self._refused()
        self._asked = True
        self._credentials = credentials(self.ref.host, self.environ)
        scheme, params = _challenge(header)
        basic = ""
        if self._credentials:
            basic = "Basic " + base64.b64encode(":".join(self._credentials).encode()).decode()
        if scheme == "basic":
            self._authorization = basic
            return
        if scheme != "bearer" or "realm" not in params:
            raise EngineError(f"registry {self.ref.host} asks for an unknown authentication: {header[:80]}")
        query = {"service": params.get("service", ""), "scope": f"repository:{self.ref.repository}:pull"}
        url = params["realm"] + "?" + urllib.parse.urlencode({k: v for k, v in query.items() if v})
        try:
            with self._open(url, {"Authorization": basic} if basic else {}) as response:
                data = json.loads(response.read(_JSON_LIMIT))
        except urllib.error.HTTPError as error:
            if error.code in (401, 403):
                raise self._refused() from error
            raise EngineError(f"registry token service {params['realm']} answered {error.code}") from error
        except (urllib.error.URLError, OSError, ValueError) as error:
            raise EngineError(f"cannot get a token from {params['realm']}: {error}") from error
        token = data.get("token") or data.get("access_token")
        if not token:
            raise EngineError(f"registry token service {params['realm']} returned no token")
        self._authorization = f"Bearer {token}"

    def get(self, path: str, accept: tuple[str, ...] = ()) -> Any:
        """An open response for ``/v2/<path>`` (the caller closes it), authenticating when asked."""
        self._ensure_scheme()
        for _ in range(3):
            headers = {"Accept": ", ".join(accept)} if accept else {}
            if self._authorization:
                headers["Authorization"] = self._authorization
            try:
                return self._open(self._url(path), headers)
            except urllib.error.HTTPError as error:
                if error.code == 401:
                    self._authorize(error.headers.get("WWW-Authenticate", ""))
                    continue
                if error.code == 404:
                    raise EngineError(f"not found in registry {self.ref.host}: {self.ref}") from error
                raise EngineError(f"registry {self.ref.host} answered {error.code} for {path}") from error
            except (urllib.error.URLError, OSError) as error:
                raise EngineError(f"registry {self.ref.host} stopped answering: {error}") from error
        raise EngineError(f"registry {self.ref.host} keeps refusing {path}")

    def manifest(self, reference: str) -> tuple[dict[str, Any], str, str]:
        """(manifest document, its media type, its digest)."""
        with self.get(f"{self.ref.repository}/manifests/{reference}", MANIFEST_TYPES) as response:
            body = response.read(_JSON_LIMIT)
            media = str(response.headers.get("Content-Type", "")).split(";")[0].strip()
            digest = str(response.headers.get("Docker-Content-Digest", ""))
        try:
            document = json.loads(body)
        except ValueError as error:
            raise EngineError(f"registry {self.ref.host}: the manifest of {self.ref} is not JSON") from error
        media = str(document.get("mediaType") or media)
        return document, media, digest or "sha256:" + hashlib.sha256(body).hexdigest()

    def blob_json(self, digest: str) -> dict[str, Any]:
        with self.get(f"{self.ref.repository}/blobs/{digest}") as response:
            body = response.read(_JSON_LIMIT)
        _check_digest(digest, hashlib.sha256(body).hexdigest(), self.ref)
        document = json.loads(body)
        return document if isinstance(document, dict) else {}

    @contextlib.contextmanager
    def blob_stream(self, digest: str) -> Iterator[IO[bytes]]:
        """The blob as a stream whose sha256 is checked when the caller has read it to the end."""
        with self.get(f"{self.ref.repository}/blobs/{digest}") as response:
            stream = HashingReader(response)
            yield io.BufferedReader(stream, 1 << 16)
            stream.drain()
            _check_digest(digest, stream.hexdigest(), self.ref)


def _check_digest(expected: str, actual: str, ref: Reference) -> None:
    algorithm, _, value = expected.partition(":")
    if algorithm == "sha256" and value.lower() != actual:
        raise EngineError(f"registry {ref.host}: blob {expected[:19]}… of {ref} does not match its digest")


class HashingReader(io.RawIOBase):
    """Pass bytes through and hash them."""

    def __init__(self, stream: IO[bytes]) -> None:
        super().__init__()
        self._stream = stream
        self._hash = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._stream.read(len(buffer))
        self._hash.update(data)
        buffer[: len(data)] = data
        return len(data)

    def drain(self) -> None:
        while True:
            data = self._stream.read(1 << 20)
            if not data:
                return
            self._hash.update(data)

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


class _NoRedirectAuth(urllib.request.HTTPRedirectHandler):
    """Follow blob redirects (to storage) without carrying the registry's Authorization header along."""

    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> Any:
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if (
            new is not None
            and urllib.parse.urlsplit(newurl).netloc != urllib.parse.urlsplit(req.full_url).netloc
        ):
            new.remove_header("Authorization")
        return new
