import sys

from dockwright.launch import main

sys.exit(main())
