"""Window-less entry points: the command-line parser, the commands that need no window, the smoke test."""
