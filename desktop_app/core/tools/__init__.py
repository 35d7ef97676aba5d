"""The app's own tools, offered to the model (safe: they run no commands and touch no files)."""
