import sys

from imr.cli import main

sys.exit(main())
