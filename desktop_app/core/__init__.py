"""Everything that needs no Qt: settings, CLI discovery, events, metrics, markdown, the Copilot service.

Nothing in this package may import PySide6 or qasync (ruff's banned-api rule enforces it), so all of it
can be tested without a window.
"""
