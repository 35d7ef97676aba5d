"""`python -m desktop_app`."""

import sys

from desktop_app.main import main

sys.exit(main())
