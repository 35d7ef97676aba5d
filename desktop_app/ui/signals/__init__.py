"""The one hop from the core into Qt: a session's events and the core's changes, as Qt signals."""
