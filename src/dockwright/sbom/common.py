"""Names, purls and properties both SBOM formats share (one place, so the two documents agree)."""

from __future__ import annotations

from dockwright.audit.inventory import DebPackage, PythonDist

TOOL = "dockwright"


def python_purl(dist: PythonDist) -> str:
    return f"pkg:pypi/{dist.key}@{dist.version}"


def debian_purl(package: DebPackage, distro: str = "debian") -> str:
    arch = f"?arch={package.architecture}" if package.architecture else ""
    return f"pkg:deb/{distro}/{package.name}@{package.version}{arch}"


def python_properties(dist: PythonDist) -> list[tuple[str, str]]:
    """Where the distribution was found and what the lock says about it."""
    rows = [("dockwright:path", dist.path)]
    if dist.layer is not None:
        rows.append(("dockwright:layer", str(dist.layer)))
    if dist.record_sha256:
        rows += [
            ("dockwright:record-sha256", dist.record_sha256),
            ("dockwright:record-files", str(dist.record_files)),
        ]
    if dist.wheel:
        rows.append(("dockwright:installed-from", dist.wheel))
    if dist.lock is not None:
        rows.append(("dockwright:lock-state", dist.lock.state))
        if dist.lock.locked_version:
            rows.append(("dockwright:lock-version", dist.lock.locked_version))
        if dist.lock.lock_file:
            rows.append(("dockwright:lock-file", dist.lock.lock_file))
        if dist.lock.hashes and dist.lock.state == "matches":
            rows.append(("dockwright:hashes-source", "lock: the artifacts pip verified (--require-hashes)"))
    return rows


def lock_hashes(dist: PythonDist) -> list[str]:
    """The lock's sha256 hex digests, when the installed version is the locked one."""
    if dist.lock is None or dist.lock.state != "matches":
        return []
    return [h.split(":", 1)[1] for h in dist.lock.hashes if h.startswith("sha256:")]


def debian_properties(package: DebPackage) -> list[tuple[str, str]]:
    rows = [("dockwright:path", package.path)]
    if package.layer is not None:
        rows.append(("dockwright:layer", str(package.layer)))
    if package.source:
        rows.append(("dockwright:debian-source", package.source))
    if package.licence:
        rows.append(("dockwright:debian-copyright-licences", package.licence))
    return rows
