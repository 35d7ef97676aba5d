"""The window shell: layout and wiring, the toolbar, the menus, notices, dialogs of the window."""
