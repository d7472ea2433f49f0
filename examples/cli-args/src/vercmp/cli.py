"""``vercmp VERSION VERSION... [--newest]``: print the versions in PEP 440 order."""

from __future__ import annotations

import argparse

from packaging.version import InvalidVersion, Version


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="vercmp", description="Sort version numbers (PEP 440 order).")
    parser.add_argument("versions", nargs="+", help="two or more version numbers")
    parser.add_argument("--newest", action="store_true", help="print only the newest version")
    args = parser.parse_args(argv)
    try:
        ordered = sorted(args.versions, key=Version)
    except InvalidVersion as error:
        parser.error(str(error))
    print(ordered[-1] if args.newest else " < ".join(ordered))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
