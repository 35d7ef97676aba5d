"""The Copilot boundary: the SDK, the CLI process, the event mapping, CLI discovery, the demo model."""
