"""Report which build of each private dependency the image holds, and use the extra's module."""

import dwchain
import dwmail  # installed only through dwchain[full] -> dwleaf[email]
import dwtorch
from packaging.version import Version  # from PyPI, beside the private index


def main() -> None:
    build = Version(dwtorch.__version__)
    print(f"dwtorch {build.public} ({build.local} build) on {dwtorch.DEVICE}")
    print(f"{dwchain.chain()} with dwmail: {dwmail.validate('ops@example.com')}")


if __name__ == "__main__":
    main()
