"""The operating system: the single-instance socket, process figures, desktop notifications."""
