"""The conversation on screen: the view, the composer, the sidebar list, search."""
