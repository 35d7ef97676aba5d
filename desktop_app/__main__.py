"""`python -m desktop_app` (and the bundle's entry point)."""

import multiprocessing
import sys

from desktop_app.main import main

if __name__ == "__main__":  # not in the render process, which imports this module again
    multiprocessing.freeze_support()  # a bundle's render process starts here
    sys.exit(main())
