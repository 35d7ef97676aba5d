"""The settings dialog and its pages, and the appearance it applies."""
