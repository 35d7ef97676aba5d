"""`python -m desktop_app` (and the bundle's entry point)."""

import sys

from desktop_app.main import main

if __name__ == "__main__":  # not in the render process, which imports this module again
    if getattr(sys, "frozen", False):  # multiprocessing costs ~15 ms at start-up: only a bundle needs it
        import multiprocessing

        multiprocessing.freeze_support()  # a bundle's render process starts here
    sys.exit(main())
