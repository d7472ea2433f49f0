"""Is a build stage a Windows container? Linux-only advice (root, tini, ShellCheck) does not apply.

A stage is Windows when its base image is one of Microsoft's Windows bases (or a tag built on one,
such as ``python:3.13-windowsservercore-ltsc2022``), or when its ``SHELL`` is PowerShell or cmd.
Sources: https://hub.docker.com/r/microsoft/windows-servercore (mcr.microsoft.com/windows/*),
https://learn.microsoft.com/virtualization/windowscontainers/manage-containers/container-base-images.
"""

from __future__ import annotations

import re

from dockwright.dockerfile.syntax import Instruction

#: Windows base images (repository) and tag fragments of images built on them
_WINDOWS_IMAGE = re.compile(
    r"^(mcr\.microsoft\.com/)?(windows|microsoft)/(servercore|nanoserver|windowsservercore|windows-servercore"
    r"|server|windows|iotcore)\b"
    r"|^mcr\.microsoft\.com/windows\b"
    r"|[:-](windowsservercore|nanoserver)(-|$)|:ltsc20\d\d$"
)
#: SHELL programs that are not POSIX shells (Windows' own)
_WINDOWS_SHELLS = frozenset({"powershell", "powershell.exe", "pwsh", "pwsh.exe", "cmd", "cmd.exe"})


def windows_image(image: str) -> bool:
    """Is ``image`` (a FROM reference, ARGs resolved) a Windows container image?"""
    return bool(_WINDOWS_IMAGE.search(image.lower()))


def windows_shell(shell: Instruction | None) -> bool:
    """Does a ``SHELL`` instruction select PowerShell or cmd?"""
    if shell is None or not shell.arguments:
        return False
    return re.split(r"[\\/]", shell.arguments[0])[-1].lower() in _WINDOWS_SHELLS
