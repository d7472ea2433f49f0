"""Adler-32 checksums computed by the package's own C extension."""

from adler._adler import adler32

__all__ = ["adler32"]
