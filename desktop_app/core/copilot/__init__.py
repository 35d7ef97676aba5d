"""The Copilot boundary: the SDK and the CLI process (service), sessions and what they are opened with,
the event mapping, CLI discovery and the CLI's own sessions; ``byok``: the OpenAI-compatible side."""
