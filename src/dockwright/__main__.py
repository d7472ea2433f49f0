import sys

from dockwright.cli import main

sys.exit(main())
