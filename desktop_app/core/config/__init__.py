"""Where things live and what the user chose: paths, settings, credentials, MCP servers, window state."""
