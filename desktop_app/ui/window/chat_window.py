"""A chat window: banner, conversation, composer, model picker and metrics."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import (
    QAccessible,
    QAccessibleAnnouncementEvent,
    QAction,
    QCloseEvent,
    QKeySequence,
    QMoveEvent,
    QResizeEvent,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QSplitter,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app import APP_NAME
from desktop_app.core.config.mcp_status import McpStatuses
from desktop_app.core.config.settings import Settings, Source
from desktop_app.core.config.window_state import WindowState
from desktop_app.core.rendering.sanitize import rich_text_tooltip
from desktop_app.core.storage.conversation_store import title_from_prompt
from desktop_app.core.storage.models import ConversationWithMessages
from desktop_app.core.vocabulary.access import Mode, ToolAccess
from desktop_app.core.vocabulary.events import McpServerChanged, PermissionAnswered, ToolStarted
from desktop_app.core.vocabulary.notices import Notice, NoticeKind, Phase
from desktop_app.core.vocabulary.permission_requests import Answer, Choice, PermissionPrompt
from desktop_app.ui.controller.controller import ChatController
from desktop_app.ui.conversation.chat_view import ChatView
from desktop_app.ui.conversation.composer import Composer
from desktop_app.ui.conversation.conversation_list import ConversationSidebar
from desktop_app.ui.conversation.pending_bar import PendingBar
from desktop_app.ui.conversation.search_dialog import SearchDialog
from desktop_app.ui.conversation.type_to_composer import TypeToComposer
from desktop_app.ui.platform.notifier import Notifier
from desktop_app.ui.settings.settings_dialog import SettingsDialog
from desktop_app.ui.share.live_share import LiveShare
from desktop_app.ui.share.share_bar import ShareBar
from desktop_app.ui.tools.permission_card import PermissionCard
from desktop_app.ui.tools.tool_panel import ToolPanel
from desktop_app.ui.window.about_dialog import AboutDialog
from desktop_app.ui.window.banner import Banner
from desktop_app.ui.window.data_actions import ask_export, ask_import, safe_file_name
from desktop_app.ui.window.status_bar import ChatStatusBar

NOTIFY_AFTER_S = 4.0  # replies quicker than this were watched; no notification for them


def elide_path(path: str, limit: int = 40) -> str:
    return path if len(path) <= limit else "…" + path[-(limit - 1) :]


class ChatWindow(QMainWindow):
    """Signals:
    closed(): the window was closed (the app quits when the last one goes).
    settings_chosen(Settings): the user chose new settings here (model pick or Settings dialog).
    window_requested(object): open another window, with this conversation id (or None: a new one).
    quit_requested(): the user chose Quit (every window closes and comes back at the next start).
    layout_changed(): moved, resized or showing another conversation (the app remembers windows).
    """

    closed = Signal()
    settings_chosen = Signal(Settings)
    window_requested = Signal(object)
    quit_requested = Signal()
    layout_changed = Signal()

    def __init__(self, controller: ChatController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setWindowTitle(APP_NAME)
        self.resize(920, 760)
        self._settings_dialog: SettingsDialog | None = None

        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(8, 8, 8, 4)
        self.banner = Banner(central)
        self.view = ChatView(central)
        self.composer = Composer(central)
        self.permission_card = PermissionCard(central)
        self.pending_bar = PendingBar(central)
        self.share_bar = ShareBar(central)
        self.live_share = LiveShare(controller, self)
        self.tool_panel = ToolPanel(controller.tools, self)
        self.send_button = QPushButton("Send", central)
        self.send_button.setAccessibleName("Send or stop")
        row = QHBoxLayout()
        row.addWidget(self.composer, 1)
        row.addWidget(self.send_button, 0, Qt.AlignmentFlag.AlignBottom)
        layout.addWidget(self.banner)
        layout.addWidget(self.share_bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.permission_card)
        layout.addWidget(self.pending_bar)
        layout.addLayout(row)
        TypeToComposer(self.view, self.composer)
        self.sidebar: ConversationSidebar | None = None
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        if controller.store is not None:
            self.sidebar = ConversationSidebar(controller.store, self)
            splitter.addWidget(self.sidebar)
        splitter.addWidget(central)
        splitter.addWidget(self.tool_panel)
        splitter.setStretchFactor(splitter.indexOf(central), 1)
        splitter.setSizes([200, 700, 340] if self.sidebar is not None else [660, 340])
        self.splitter = splitter
        self.setCentralWidget(splitter)
        self.resize(1240 if self.sidebar is not None else 1000, 780)
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(400)
        self._draft_timer.timeout.connect(self._save_draft)
        self.composer.setPlainText(controller.draft())

        toolbar = QToolBar("Chat", self)
        toolbar.setMovable(False)
        self.source_badge = QLabel("", toolbar)
        self.source_badge.setTextFormat(Qt.TextFormat.PlainText)  # an endpoint's name: not markup
        self.model_picker = QComboBox(toolbar)
        self.model_picker.setEditable(True)
        self.model_picker.setMinimumContentsLength(22)
        self.model_picker.setAccessibleName("Model")
        self.model_picker.setToolTip("Model (pick one, or type a name and press Enter)")
        model_edit = self.model_picker.lineEdit()
        if model_edit is not None:
            model_edit.setAccessibleName("Model")
        toolbar.addWidget(_label_for(self.model_picker, " Model: ", toolbar))
        toolbar.addWidget(self.model_picker)
        toolbar.addSeparator()
        self.mode_picker = QComboBox(toolbar)
        self.mode_picker.addItem("Chat", Mode.CHAT.value)
        self.mode_picker.addItem("Agent", Mode.AGENT.value)
        self.mode_picker.setAccessibleName("Mode")
        self.mode_picker.setToolTip(
            "Chat: only the app's own safe tools (calculator, clock).\n"
            "Agent: Copilot's built-in tools work in a folder you choose; each action asks first."
        )
        self.folder_button = QToolButton(toolbar)
        self.folder_button.setAccessibleName("Agent folder")
        self.folder_button.setToolTip("The folder Agent mode works in (click to change)")
        self.folder_button.clicked.connect(self.choose_folder)
        toolbar.addWidget(_label_for(self.mode_picker, " Mode: ", toolbar))
        toolbar.addWidget(self.mode_picker)
        toolbar.addWidget(self.folder_button)
        toolbar.addSeparator()
        toolbar.addWidget(self.source_badge)
        self.settings_action = QAction("Settin&gs…", self)
        # The platform's Preferences key where it has one (not every Linux desktop does), and Ctrl+,.
        preferences = QKeySequence.keyBindings(QKeySequence.StandardKey.Preferences)
        self.settings_action.setShortcuts([*preferences, QKeySequence("Ctrl+,")])
        self.settings_action.triggered.connect(self.open_settings)
        spacer = QWidget(toolbar)
        spacer.setSizePolicy(
            spacer.sizePolicy().horizontalPolicy().Expanding, spacer.sizePolicy().verticalPolicy()
        )
        toolbar.addWidget(spacer)
        toolbar.addAction(self.settings_action)
        self.menu_button = QToolButton(toolbar)
        self.menu_button.setText("☰")
        self.menu_button.setAccessibleName("Menu")
        self.menu_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        toolbar.addWidget(self.menu_button)
        self.addToolBar(toolbar)
        self.new_action = self._window_action("&New conversation", "Ctrl+T", self.new_conversation)
        self.search_action = self._window_action("&Search conversations…", "Ctrl+K", self.open_search)
        self.panel_action = self._window_action("&Tool panel", "Ctrl+J", self._panel_chosen)
        self.panel_action.setCheckable(True)
        self.panel_action.setChecked(True)
        self.panel_action.toggled.connect(self.tool_panel.setVisible)
        self._panel_auto = True  # shown when there is something in it, until the user decides
        toolbar.insertAction(self.settings_action, self.panel_action)
        self.new_window_action = self._window_action(
            "New &window", "Ctrl+N", lambda: self.window_requested.emit(None)
        )
        # Without a mouse: F10 opens the ☰ menu, F6 moves between the panes.
        self.menu_key_action = self._window_action("Open the menu", "F10", self.open_menu)
        self.next_pane_action = self._window_action("Next pane", "F6", self.focus_next_pane)
        self.quit_action = self._window_action("&Quit", "Ctrl+Q", self.quit_requested.emit)
        # Which window has a conversation open (set by the app): a conversation lives in one window.
        self.owner_of: Callable[[str], ChatWindow | None] = lambda _cid: None
        self.mcp_statuses = McpStatuses()  # this window's MCP servers, as the session reports them
        self.notifier: Notifier | None = None  # the app's, for replies and requests seen elsewhere
        self._reply_started_at = 0.0
        self.announcements: list[str] = []  # what was announced to assistive technology
        self._search_dialog: SearchDialog | None = None
        self._scroll_target: str | None = None
        self._folder_dialog: QFileDialog | None = None
        self._held_notices: list[str] = []
        self._build_menu()
        self._show_access(controller.access())

        self.status = ChatStatusBar(self)
        self.setStatusBar(self.status)
        self._connect()
        self.composer.setFocus()

    def _connect(self) -> None:
        c = self.controller
        self.composer.send_requested.connect(self._send)
        self.composer.textChanged.connect(self.pending_bar.clear_refusal)
        c.pending_changed.connect(self._show_pending)
        c.send_refused.connect(self.pending_bar.show_refusal)
        self.pending_bar.edit_requested.connect(self._edit_pending)
        self.pending_bar.cancel_requested.connect(self.controller.take_pending)
        self.composer.stop_requested.connect(c.stop)
        self.send_button.clicked.connect(self._send_or_stop)
        self.model_picker.activated.connect(self._model_picked)
        line_edit = self.model_picker.lineEdit()
        if line_edit is not None:
            line_edit.returnPressed.connect(self._model_typed)
        c.notice.connect(self._show_notice)
        c.busy_changed.connect(self._busy_changed)
        c.metrics_changed.connect(self.status.show_metrics)
        c.models_changed.connect(self._set_models)
        c.source_changed.connect(self._set_source)
        c.phase_changed.connect(self._phase_changed)
        c.user_message.connect(self.view.add_user_message)
        c.user_message.connect(self._prompt_sent)
        self.view.copied.connect(lambda text: self.status.showMessage(text, 3000))
        self.view.theme_changed.connect(self._rerender)
        c.conversation_opened.connect(self._conversation_opened)
        self.composer.textChanged.connect(self._draft_timer.start)
        if self.sidebar is not None:
            self.sidebar.conversation_activated.connect(self.open_conversation)
            self.sidebar.new_requested.connect(self.new_conversation)
            self.sidebar.trashed.connect(self._trashed)
            self.sidebar.open_in_new_window.connect(self.window_requested.emit)
        c.reply_started.connect(self.view.begin_assistant)
        b = c.bridge
        b.text_delta.connect(self.view.append_delta)
        b.reasoning_delta.connect(self.view.append_reasoning)
        b.message_completed.connect(self._message_completed)
        b.tool_started.connect(self._tool_started)
        b.permission_asked.connect(self._permission_asked)
        b.permission_answered.connect(self._permission_answered)
        b.context_usage.connect(self.status.show_context)
        self.permission_card.answered.connect(self._answer_permission)
        self.permission_card.typed.connect(self.composer.insertPlainText)  # typing is never lost
        self.tool_panel.answer_requested.connect(self._answer_from_panel)
        self.view.tool_clicked.connect(self._tool_clicked)
        self.tool_panel.call_selected.connect(self.view.scroll_to_tool)
        c.tools_reloaded.connect(self.tool_panel.reload)
        c.tools_reloaded.connect(self._auto_panel)
        c.tools_reloaded.connect(self.permission_card.clear)
        c.access_changed.connect(self._show_access)
        self.mode_picker.activated.connect(self._mode_picked)
        self.live_share.sharing_changed.connect(self.share_bar.show_url)
        self.live_share.sharing_changed.connect(lambda url: self.share_action.setChecked(bool(url)))
        self.live_share.viewers_changed.connect(self.share_bar.show_viewers)
        self.share_bar.stop_requested.connect(self.live_share.stop)
        self.share_bar.lan_requested.connect(self.set_lan_sharing)
        self.live_share.lan_changed.connect(self.share_bar.show_lan)
        b.idle.connect(self._idle)
        b.session_failed.connect(lambda message: self.view.add_notice(message, "error"))
        b.cli_exited.connect(lambda message: self.view.add_notice(message, "error"))
        b.compaction.connect(self._compaction)
        b.mcp_status.connect(self._mcp_status)
        b.title_changed.connect(self._title_changed)

    def _build_menu(self) -> None:
        menu = QMenu(self)
        menu.addAction(self.new_action)
        menu.addAction(self.new_window_action)
        menu.addAction(self.search_action)
        menu.addSeparator()
        self.export_action = menu.addAction("&Export this conversation…", self.export_current)
        self.export_all_action = menu.addAction("Export &all conversations…", self.export_all)
        self.import_action = menu.addAction("&Import conversations…", self.import_file)
        self.import_cli_action = menu.addAction("Import Copilot &CLI sessions", self.import_cli_sessions)
        menu.addAction(self.panel_action)
        self.share_action = menu.addAction("S&hare live in a browser", self.toggle_share)
        self.share_action.setCheckable(True)
        menu.addSeparator()
        menu.addAction(self.settings_action)
        menu.addSeparator()
        self.about_action = menu.addAction(f"A&bout {APP_NAME}", self.open_about)
        menu.addAction(self.quit_action)
        self.menu_button.setMenu(menu)
        has_store = self.controller.store is not None
        data_actions = (
            self.search_action,
            self.export_action,
            self.export_all_action,
            self.import_action,
            self.import_cli_action,
        )
        for action in data_actions:
            action.setEnabled(has_store)

    def _report(self, text: str, level: str) -> None:
        actions = [("Dismiss", self.banner.clear)] if level == "error" else []
        self.banner.show_message(text, level, actions)  # type: ignore[arg-type]

    @Slot()
    def export_current(self) -> None:
        store, conversation = self.controller.store, self.controller.conversation
        if store is None:
            return
        if conversation is None:
            self._report("Send a message first: this conversation is still empty.", "info")
            return
        name = safe_file_name(conversation.title or "conversation") + ".md"
        ask_export(self, store, [conversation.id], name, self._report)

    @Slot()
    def export_all(self) -> None:
        if self.controller.store is not None:
            ask_export(self, self.controller.store, None, "copilot-conversations.json", self._report)

    @Slot()
    def import_file(self) -> None:
        if self.controller.store is not None:
            ask_import(self, self.controller.store, self._report)

    @Slot()
    def import_cli_sessions(self) -> None:
        if self.controller.store is not None:
            self._report("Reading the Copilot CLI's sessions…", "info")
            self.controller.import_cli_sessions(self._report)

    # -- conversations ----------------------------------------------------------------------
    @Slot()
    def new_conversation(self) -> None:
        self._save_draft()
        self.controller.new_conversation()

    @Slot(str)
    def open_conversation(self, conversation_id: str) -> None:
        owner = self.owner_of(conversation_id)
        if owner is not None and owner is not self:
            owner.bring_to_front()  # open in another window already: go there, never open it twice
            if self.sidebar is not None:
                self.sidebar.select(self.controller.conversation.id if self.controller.conversation else None)
            return
        self._save_draft()
        self.controller.open_conversation(conversation_id)

    def panes(self) -> list[QWidget]:
        """The keyboard's stops for F6: the sidebar, the conversation, a waiting request, the composer,
        the tool panel."""
        stops: list[QWidget] = []
        if self.sidebar is not None and self.sidebar.isVisible():
            stops.append(self.sidebar.list)
        stops.append(self.view)
        if self.permission_card.isVisible():  # a waiting request is a stop of its own
            stops.append(self.permission_card)
        stops.append(self.composer)
        if self.tool_panel.isVisible():
            stops.append(self.tool_panel.list)
        return stops

    def _window_action(self, text: str, key: str, slot: Callable[..., object]) -> QAction:
        """An action whose key works anywhere in this window (and that menus can show)."""
        action = QAction(text, self)
        action.setShortcut(QKeySequence(key))
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    @Slot()
    def open_menu(self) -> None:
        """F10: the ☰ menu under its button, its first item highlighted (popup, not a nested loop)."""
        menu = self.menu_button.menu()
        if menu is None:
            return
        menu.popup(self.menu_button.mapToGlobal(self.menu_button.rect().bottomLeft()))
        actions = [a for a in menu.actions() if a.isEnabled() and not a.isSeparator()]
        if actions:
            menu.setActiveAction(actions[0])

    @Slot()
    def focus_next_pane(self) -> None:
        stops = self.panes()
        focused = self.focusWidget()
        current = next((i for i, w in enumerate(stops) if w is focused or w.isAncestorOf(focused)), -1)
        stops[(current + 1) % len(stops)].setFocus(Qt.FocusReason.TabFocusReason)

    def bring_to_front(self) -> None:
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    @Slot(object)
    def _conversation_opened(self, opened: ConversationWithMessages | None) -> None:
        self._draft_timer.stop()
        self.composer.blockSignals(True)
        if opened is None:
            self.view.clear_conversation()
            self.composer.setPlainText(self.controller.draft())
            self._title_changed("")
        else:
            self.view.show_messages(opened.messages, opened.tool_calls)
            self.composer.setPlainText(opened.conversation.draft)
            self._title_changed(opened.conversation.title)
            if self._scroll_target is not None:
                self.view.scroll_to_message(self._scroll_target)
        self._scroll_target = None
        self.composer.blockSignals(False)
        if self.sidebar is not None:
            self.sidebar.select(None if opened is None else opened.conversation.id)
        self._phase_changed(self.controller.phase)
        self.composer.setFocus()
        self.layout_changed.emit()

    @Slot()
    def _rerender(self, *_args: object) -> None:
        """Show the open conversation again in the new colours (not while a reply streams)."""
        store, conversation = self.controller.store, self.controller.conversation
        if store is not None and conversation is not None and not self.controller.busy:
            self.view.show_messages(store.messages(conversation.id), store.tool_calls(conversation.id))

    @Slot()
    def open_search(self) -> None:
        store = self.controller.store
        if store is None:
            return
        if self._search_dialog is None:
            self._search_dialog = SearchDialog(store, self)
            self._search_dialog.message_chosen.connect(self.show_message)
        self._search_dialog.show_search()

    @Slot(str, str)
    def show_message(self, conversation_id: str, message_id: str) -> None:
        current = self.controller.conversation
        if current is not None and current.id == conversation_id:
            if not self.view.scroll_to_message(message_id):
                # Sent in this window since it opened: reload to know where each message is.
                self.controller.conversation = None
                self._scroll_target = message_id
                self.open_conversation(conversation_id)
            return
        self._scroll_target = message_id
        self.open_conversation(conversation_id)

    @Slot(str)
    def _prompt_sent(self, text: str) -> None:
        self.layout_changed.emit()  # a new conversation exists now
        if self.windowTitle() == APP_NAME:
            self._title_changed(title_from_prompt(text))
        conversation = self.controller.conversation
        if self.sidebar is not None and conversation is not None:
            self.sidebar.select(conversation.id)

    @Slot()
    def _save_draft(self) -> None:
        self._draft_timer.stop()
        self.controller.save_draft(self.composer.toPlainText())

    @Slot(str, str)
    def _trashed(self, conversation_id: str, title: str) -> None:
        current = self.controller.conversation
        if current is None or current.id != conversation_id:
            self._offer_undo(conversation_id, title)
            return
        self._save_draft()
        switched = self.controller.new_conversation()  # the undo is offered once it cleared the banner
        switched.add_done_callback(lambda _task: self._offer_undo(conversation_id, title))

    def _offer_undo(self, conversation_id: str, title: str) -> None:
        store = self.controller.store
        assert store is not None

        def undo() -> None:
            store.restore(conversation_id)
            self.banner.clear()

        name = title or "New conversation"
        self.banner.show_message(f"Moved “{name}” to the trash.", "info", [("Undo", undo)])

    # -- composer ---------------------------------------------------------------------------
    @Slot(str)
    def _send(self, text: str) -> None:
        if self.controller.send(text):
            self.composer.clear()

    @Slot()
    def _show_pending(self) -> None:
        self.pending_bar.show_pending(self.controller.pending, self.controller.wait_reason())

    @Slot(int)
    def _edit_pending(self, key: int) -> None:
        """A waiting prompt back in the composer, before what is typed there now."""
        prompt = self.controller.take_pending(key)
        if prompt is None:
            return
        typed = self.composer.toPlainText()
        self.composer.setPlainText(prompt.text + (f"\n{typed}" if typed.strip() else ""))
        self.composer.moveCursor(QTextCursor.MoveOperation.End)
        self.composer.setFocus()

    @Slot()
    def _send_or_stop(self) -> None:
        if self.controller.busy:
            self.controller.stop()
        else:
            self.composer.submit()

    def announce(self, text: str) -> None:
        """Tell a screen reader (politely) about a reply starting or ending, never token by token."""
        self.announcements.append(text)
        event = QAccessibleAnnouncementEvent(self.view, text)
        QAccessible.updateAccessibility(event)

    @Slot(bool)
    def _busy_changed(self, busy: bool) -> None:
        self.send_button.setText("Stop" if busy else "Send")
        self._show_pending()
        self.announce("Copilot is replying" if busy else "Copilot's reply is complete")
        if busy:
            self._reply_started_at = time.monotonic()
        elif time.monotonic() - self._reply_started_at >= NOTIFY_AFTER_S:
            self._notify("Copilot has replied", self.windowTitle())
        if not busy:
            self.view.finish_assistant()
            for text in self._held_notices:
                self.view.add_notice(text, "info")
            self._held_notices.clear()
            self.composer.setFocus()

    @Slot(str)
    def _compaction(self, text: str) -> None:
        """Compaction runs in the background: a marker waits for a streaming reply to end."""
        if self.view.streaming:
            self._held_notices.append(text)
        else:
            self.view.add_notice(text, "info")

    # -- replies ----------------------------------------------------------------------------
    @Slot(str)
    def _message_completed(self, content: str, has_tools: bool) -> None:
        if has_tools:
            self.view.close_segment(content if content.strip() else None)
        elif content.strip():
            self.view.finish_assistant(content)

    # -- tools and permissions --------------------------------------------------------------
    @Slot(object)
    def _tool_started(self, event: ToolStarted) -> None:
        call = self.controller.tools.get(event.tool_call_id)
        label = call.label if call is not None else event.tool_name
        self.view.add_tool_marker(event.tool_call_id, label)
        self._auto_panel()

    def _notify(self, title: str, text: str) -> None:
        if self.notifier is not None:
            self.notifier.notify(self, title, text, self.bring_to_front)
        elif not self.isActiveWindow():
            QApplication.alert(self)

    @Slot(bool)
    def _panel_chosen(self, _shown: bool) -> None:
        self._panel_auto = False

    def _auto_panel(self) -> None:
        if self._panel_auto:
            wanted = self.controller.access().mode is Mode.AGENT or bool(self.controller.tools.calls)
            self.panel_action.setChecked(wanted)

    @Slot(str)
    def _tool_clicked(self, call_id: str) -> None:
        self.panel_action.setChecked(True)
        self.tool_panel.select(call_id)

    @Slot(object)
    def _permission_asked(self, prompt: PermissionPrompt) -> None:
        self.permission_card.ask(prompt)
        self._auto_panel()
        self.tool_panel.select(prompt.tool_call_id or prompt.prompt_id)
        self._notify("Copilot is waiting for your approval", prompt.summary)
        self.permission_card.take_focus()  # the request, never an Allow button

    @Slot(object)
    def _permission_answered(self, event: PermissionAnswered) -> None:
        self.permission_card.resolved(event.prompt.prompt_id)
        if not self.permission_card.isVisible():
            self.composer.setFocus()

    @Slot(str, object)
    def _answer_permission(self, prompt_id: str, answer: Answer) -> None:
        self.controller.answer_permission(prompt_id, answer)

    @Slot(object)
    def _mcp_status(self, event: McpServerChanged) -> None:
        if event.problem:
            self.view.add_notice(event.problem, "warning")
        self.mcp_statuses.update(event)
        self.status.show_mcp(self.mcp_statuses.summary, self.mcp_statuses.details)

    @Slot(str, str)
    def _answer_from_panel(self, call_id: str, choice: str) -> None:
        card = self.permission_card
        prompt = next((p for p in card.waiting if (p.tool_call_id or p.prompt_id) == call_id), None)
        if prompt is None:
            return
        card.show_first(prompt.prompt_id)
        if choice == "more":
            card.take_focus()
            return
        card.resolved(prompt.prompt_id)
        self.controller.answer_permission(prompt.prompt_id, Answer(Choice(choice)))

    @Slot(object)
    def _show_access(self, access: ToolAccess) -> None:
        self.mode_picker.setCurrentIndex(self.mode_picker.findData(access.mode.value))
        agent = access.mode is Mode.AGENT
        self.folder_button.setVisible(agent)
        self.folder_button.setText(f"in {elide_path(access.working_directory, 32)}" if agent else "")
        # The folder may come from an imported conversation: a tooltip that shows it as text.
        where = f"Agent mode works in {access.working_directory} (click to change)"
        self.folder_button.setToolTip(rich_text_tooltip(where))
        if not agent and self.mcp_statuses.summary:  # MCP servers run in Agent mode only
            self.mcp_statuses.clear()
            self.status.show_mcp("", "")
        self._auto_panel()

    @Slot(int)
    def _mode_picked(self, index: int) -> None:
        mode = Mode(self.mode_picker.itemData(index))
        current = self.controller.access()
        if mode is current.mode:
            return
        if mode is Mode.CHAT:
            self.controller.set_access(ToolAccess())
        else:
            self.choose_folder()

    @Slot()
    def choose_folder(self) -> None:
        """Agent mode needs a folder the user picked; the dialog is not modal (no nested loop)."""
        if self._folder_dialog is None:
            dialog = QFileDialog(self, "Choose the folder Copilot may work in")
            dialog.setFileMode(QFileDialog.FileMode.Directory)
            dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
            dialog.fileSelected.connect(self.use_folder)
            dialog.rejected.connect(lambda: self._show_access(self.controller.access()))
            self._folder_dialog = dialog
        current = self.controller.access().working_directory
        if current:
            self._folder_dialog.setDirectory(current)
        self._folder_dialog.open()

    @Slot(str)
    def use_folder(self, folder: str) -> None:
        if folder:
            access = ToolAccess(Mode.AGENT, folder)
            self.controller.set_access(access)

    @Slot(bool)
    def _idle(self, aborted: bool) -> None:
        self.view.finish_assistant()
        if aborted:
            self.view.add_notice("Stopped.", "info")

    @Slot(str)
    def _title_changed(self, title: str) -> None:
        self.setWindowTitle(f"{title[:60]} — {APP_NAME}" if title else APP_NAME)

    # -- banner, models, settings -------------------------------------------------------------
    @Slot(Notice)
    def _show_notice(self, notice: Notice) -> None:
        if notice.kind in (NoticeKind.CLEAR, NoticeKind.READY):
            self.banner.clear()
            if notice.kind is NoticeKind.READY and self.controller.settings.source is Source.DEMO:
                self.banner.show_message(notice.text, "info")
            return
        actions: list[tuple[str, Callable[[], object]]] = []
        if notice.kind is NoticeKind.SIGN_IN:
            actions = [
                ("Re-check", self.controller.recheck),
                ("Use a model endpoint…", self.open_settings),
                ("Try the demo", self._use_demo),
            ]
        elif notice.kind is NoticeKind.ENDPOINT:
            actions = [("Settings…", self.open_settings)]
        elif notice.kind is NoticeKind.FAILED:
            actions = [
                ("Retry", self.controller.start),
                ("Settings…", self.open_settings),
            ]
        elif notice.kind is NoticeKind.INTERRUPTED:
            actions = [("Retry", self.controller.retry_last)]
        elif notice.kind is NoticeKind.RESUME_FAILED:
            actions = [("Continue in a new session", self.controller.continue_in_new_session)]
        elif notice.kind is NoticeKind.RETRYING:
            actions = [("Stop", self.controller.stop)]
        elif notice.kind is NoticeKind.ERROR:
            actions = [("Dismiss", self.banner.clear)]
        self.banner.show_message(notice.text, notice.level, actions)

    @Slot(list, str)
    def _set_models(self, models: list[str], current: str) -> None:
        self.model_picker.blockSignals(True)
        self.model_picker.clear()
        self.model_picker.addItems(models)
        if current:
            self.model_picker.setCurrentText(current)
        self.model_picker.blockSignals(False)

    @Slot(str)
    def _set_source(self, label: str) -> None:
        phrase = label if label.startswith("GitHub") else label[:1].lower() + label[1:]
        self.view.set_placeholder(
            f"Ask anything. Answers come from {phrase}.\n\n"
            "Enter sends · Shift+Enter adds a line · Esc stops a reply"
        )
        self.source_badge.setText(f"  {label}  ")
        self.status.show_source(label)
        demo = self.controller.settings.source is Source.DEMO
        self.source_badge.setStyleSheet("color:#8a4b00; font-weight:600;" if demo else "")

    @Slot(Phase)
    def _phase_changed(self, phase: Phase) -> None:
        # Sending while Copilot starts keeps the prompt until it can go; Enter still says why when
        # nothing can go (the button is off then).
        self.send_button.setEnabled(self.controller.refusal() is None or self.controller.busy)
        if phase is Phase.READY:
            self.pending_bar.clear_refusal()
        self._show_pending()

    @Slot(int)
    def _model_picked(self, _index: int) -> None:
        self._choose_model(self.model_picker.currentText())

    @Slot()
    def _model_typed(self) -> None:
        self._choose_model(self.model_picker.currentText())

    def _choose_model(self, name: str) -> None:
        name = name.strip()
        settings = self.controller.settings
        if not name or name == settings.model or settings.source is Source.DEMO:
            return
        field = "endpoint_model" if settings.source is Source.ENDPOINT else "copilot_model"
        new = settings.with_overrides(**{field: name})
        self.controller.apply_settings(new)
        self.settings_chosen.emit(new)

    @Slot()
    def _use_demo(self) -> None:
        new = self.controller.settings.with_overrides(source=Source.DEMO)
        self.controller.apply_settings(new)

    @Slot()
    def toggle_share(self) -> None:
        if self.live_share.server is not None:
            self.live_share.stop()
            return
        try:
            self.live_share.start()
        except Exception as exc:  # no free port, say
            self._report(f"Could not start sharing: {exc}", "error")

    @Slot(bool)
    def set_lan_sharing(self, on: bool) -> None:
        try:
            self.live_share.set_lan(on)
        except OSError as exc:
            self._report(f"Could not share on the network: {exc}", "error")

    @Slot()
    def open_about(self) -> None:
        dialog = AboutDialog(self.controller.data_dir, self.controller.cli_version, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()  # not modal: the chat stays usable

    @Slot()
    def open_settings(self) -> None:
        if self._settings_dialog is None:
            self._settings_dialog = SettingsDialog(self.controller, self)
            self._settings_dialog.settings_accepted.connect(self._settings_accepted)
        self._settings_dialog.load()
        self._settings_dialog.open()  # not exec(): no nested event loop under qasync

    @Slot(Settings)
    def _settings_accepted(self, settings: Settings) -> None:
        self.settings_chosen.emit(settings)
        self.controller.apply_settings(settings)

    def moveEvent(self, event: QMoveEvent) -> None:
        super().moveEvent(event)
        self.layout_changed.emit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.layout_changed.emit()

    def window_state(self) -> WindowState:
        """Where this window is and what it shows, to bring it back at the next start."""
        rect = self.normalGeometry() if self.isMaximized() else self.geometry()
        conversation = self.controller.conversation
        return WindowState(
            conversation.id if conversation is not None else None,
            rect.x(),
            rect.y(),
            rect.width(),
            rect.height(),
            self.isMaximized(),
            None if self._panel_auto else self.panel_action.isChecked(),
        )

    def restore(self, state: WindowState) -> None:
        self.setGeometry(state.x, state.y, state.width, state.height)
        if state.tool_panel is not None:
            self._panel_auto = False
            self.panel_action.setChecked(state.tool_panel)
        if state.maximized:
            self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._save_draft()
        self.live_share.stop()
        if self.sidebar is not None:
            self.sidebar.model.detach()
        self.controller.stop()
        event.accept()
        self.closed.emit()


def _label_for(widget: QWidget, text: str, parent: QWidget) -> QLabel:
    """A label that screen readers tie to ``widget``: on Linux a combo box's name is its value, so
    what it is for comes from this "labelled by" relation."""
    label = QLabel(text, parent)
    label.setBuddy(widget)
    return label
