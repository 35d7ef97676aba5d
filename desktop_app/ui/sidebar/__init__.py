"""The sidebar: the saved conversations, and search across them."""
