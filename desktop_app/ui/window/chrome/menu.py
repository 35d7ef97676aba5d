"""The window's commands and their keys, and the ☰ menu that lists them, each with its own mnemonic."""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QToolButton

from desktop_app import APP_NAME


class WindowMenu(QObject):
    """The actions exist here; what they do is wired by the window (``action.triggered``).

    Window actions are added to the window, so their keys work anywhere in it. The data actions
    (search, export, import) are off without a conversation store.
    """

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.settings_action = QAction("Settin&gs…", window)
        # The platform's Preferences key where it has one (not every Linux desktop does), and Ctrl+,.
        preferences = QKeySequence.keyBindings(QKeySequence.StandardKey.Preferences)
        self.settings_action.setShortcuts([*preferences, QKeySequence("Ctrl+,")])
        self.new_action = self._window_action("&New conversation", "Ctrl+T")
        self.search_action = self._window_action("&Search conversations…", "Ctrl+K")
        self.find_action = self._window_action("&Find in conversation…", "Ctrl+F")
        self.panel_action = self._window_action("&Tool panel", "Ctrl+J")
        self.panel_action.setCheckable(True)
        self.panel_action.setChecked(True)
        self.new_window_action = self._window_action("New &window", "Ctrl+N")
        # Without a mouse: F10 opens the ☰ menu, F6 moves between the panes.
        self.menu_key_action = self._window_action("Open the menu", "F10")
        self.next_pane_action = self._window_action("Next pane", "F6")
        self.quit_action = self._window_action("&Quit", "Ctrl+Q")
        self.menu = QMenu(window)
        menu = self.menu
        menu.addAction(self.new_action)
        menu.addAction(self.new_window_action)
        menu.addAction(self.search_action)
        menu.addAction(self.find_action)
        menu.addSeparator()
        self.export_action = menu.addAction("&Export this conversation…")
        self.export_all_action = menu.addAction("Export &all conversations…")
        self.import_action = menu.addAction("&Import conversations…")
        self.import_cli_action = menu.addAction("Import Copilot &CLI sessions")
        menu.addAction(self.panel_action)
        self.share_action = menu.addAction("S&hare live in a browser")
        self.share_action.setCheckable(True)
        menu.addSeparator()
        self.sign_in_action = menu.addAction("Sign in with GitH&ub…")
        self.sign_out_action = menu.addAction("Sign &out")
        self.sign_out_action.setVisible(False)
        menu.addAction(self.settings_action)
        menu.addSeparator()
        self.about_action = menu.addAction(f"A&bout {APP_NAME}")
        menu.addAction(self.quit_action)
        self._button: QToolButton | None = None
        self.menu_key_action.triggered.connect(self.open)

    def _window_action(self, text: str, key: str) -> QAction:
        """An action whose key works anywhere in this window (and that menus can show)."""
        action = QAction(text, self._window)
        action.setShortcut(QKeySequence(key))
        self._window.addAction(action)
        return action

    def set_store_available(self, available: bool) -> None:
        """Search, export and import need the conversation store."""
        data_actions = (
            self.search_action,
            self.export_action,
            self.export_all_action,
            self.import_action,
            self.import_cli_action,
        )
        for action in data_actions:
            action.setEnabled(available)

    def attach(self, button: QToolButton) -> None:
        """The ☰ button that shows the menu (and that F10 opens it under)."""
        button.setMenu(self.menu)
        self._button = button

    @Slot()
    def open(self) -> None:
        """F10: the ☰ menu under its button, its first item highlighted (popup, not a nested loop)."""
        button = self._button
        if button is None:
            return
        self.menu.popup(button.mapToGlobal(button.rect().bottomLeft()))
        actions = [a for a in self.menu.actions() if a.isEnabled() and not a.isSeparator()]
        if actions:
            self.menu.setActiveAction(actions[0])
