"""What the window's commands do: conversations, sending, settings, Agent mode, permissions, search,
export and import, trash."""
