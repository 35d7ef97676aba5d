"""The OpenAI-compatible side of the boundary: an endpoint's model list, SSE chunks, the scripted demo."""
