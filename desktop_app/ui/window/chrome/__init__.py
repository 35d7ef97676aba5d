"""The window's furniture: the toolbar, the menu and the keys, the tool panel's toggle, its geometry."""
