"""The state of a conversation in memory: the reply in progress, its tool calls, metrics, waiting prompts."""
