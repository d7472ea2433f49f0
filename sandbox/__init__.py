"""The offline engine sandbox: the test suite's own Docker engine, base images, PyPI index and Debian mirror.

No registry is reachable where dockwright's tests run, so everything an image build needs is made
locally from Debian packages and PyPI downloads fetched on the host:

- ``up`` installs Debian trixie's Docker 26 + buildx (pinned .debs, ``engine.py``) and reuses a running
  engine or starts that dockerd (and ``down`` stops only what ``up`` started);
- a Debian mirror on 127.0.0.1 holding the .deb closure of every package the generator may install;
- a PEP 503 "simple" index on 127.0.0.1 holding every distribution the examples' locks name (index and
  mirror served over HTTP/1.1 keep-alive by ``fileserver.py``, as real ones are);
- stand-in base images (``python:X.Y.Z-slim-bookworm``, the distroless images) carrying the pip and apt
  configuration that points at those servers (pip.conf, uv.toml, apt sources), tagged with exactly the
  names generated Dockerfiles use, and ``ghcr.io/astral-sh/uv:<version>`` made from uv's wheels
  (``uvimage.py``);
- Podman's copies of the stand-ins (``podman.py``) and a rootless Podman leg (``rootless.py``: an
  unprivileged user with subordinate IDs and its own image store).

Run from the repository root: ``python -m sandbox up|down|status|env``.
"""
