"""A chat window: lays out its parts and wires them to the controller and to each other.

What its commands do is in ``flows/``, its furniture (toolbar, menu, keys, geometry) in ``chrome/``,
and what it tells the user (notices, announcements, the session) in ``feedback/``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent, QMoveEvent, QResizeEvent
from PySide6.QtWidgets import QMainWindow, QVBoxLayout, QWidget

from desktop_app import APP_NAME
from desktop_app.core.config.settings import Settings
from desktop_app.core.config.window_state import WindowState
from desktop_app.core.vocabulary.access import Mode
from desktop_app.core.vocabulary.account import AccountState
from desktop_app.ui.account.account_button import AccountButton
from desktop_app.ui.account.sign_in_flow import SignInFlow
from desktop_app.ui.controller.controller import ChatController
from desktop_app.ui.conversation.chat_view import ChatView
from desktop_app.ui.conversation.composer import Composer
from desktop_app.ui.conversation.composer.attachment_input import WindowDrops, attach_button, take_mime
from desktop_app.ui.conversation.composer.attachment_tray import AttachmentTray
from desktop_app.ui.conversation.composer.card import ComposerCard
from desktop_app.ui.conversation.composer.edit_banner import EditBanner
from desktop_app.ui.conversation.composer.empty_state import EmptyState
from desktop_app.ui.conversation.composer.send_button import send_button
from desktop_app.ui.conversation.find_bar import FindBar
from desktop_app.ui.conversation.pending_bar import PendingBar
from desktop_app.ui.conversation.reply_presenter import ReplyPresenter
from desktop_app.ui.conversation.type_to_composer import TypeToComposer
from desktop_app.ui.platform.notifier import Notifier
from desktop_app.ui.share.live_share import LiveShare
from desktop_app.ui.share.share_bar import ShareBar
from desktop_app.ui.sidebar.conversation_list import ConversationSidebar
from desktop_app.ui.tools.permission_card import PermissionCard
from desktop_app.ui.tools.plan_panel import PlanPanel
from desktop_app.ui.tools.question_card import QuestionCard
from desktop_app.ui.tools.tool_panel import ToolPanel
from desktop_app.ui.window.agent_chip import AgentChip
from desktop_app.ui.window.banner import Banner
from desktop_app.ui.window.chrome.menu import WindowMenu
from desktop_app.ui.window.chrome.panel_toggle import ToolPanelToggle
from desktop_app.ui.window.chrome.panes import Panes
from desktop_app.ui.window.chrome.session_chips import SessionChips
from desktop_app.ui.window.chrome.side_panels import ChatSplitter
from desktop_app.ui.window.chrome.toolbar import ChatToolBar
from desktop_app.ui.window.chrome.window_geometry import WindowGeometry
from desktop_app.ui.window.feedback.notices import BannerNotices
from desktop_app.ui.window.feedback.notifications import ReplyNotifications
from desktop_app.ui.window.feedback.session_display import SessionDisplay
from desktop_app.ui.window.flows.agent_mode import AgentMode
from desktop_app.ui.window.flows.conversations import ShownConversation
from desktop_app.ui.window.flows.exchange import ExchangeFlows
from desktop_app.ui.window.flows.message_edits import MessageEdits
from desktop_app.ui.window.flows.permissions import PermissionRequests
from desktop_app.ui.window.flows.plan_mode import PlanMode
from desktop_app.ui.window.flows.questions import QuestionRequests
from desktop_app.ui.window.flows.search import ConversationSearch
from desktop_app.ui.window.flows.sending import Sending
from desktop_app.ui.window.flows.settings_choices import SettingsChoices
from desktop_app.ui.window.flows.slash import SlashFlow
from desktop_app.ui.window.flows.trash import TrashFlow
from desktop_app.ui.window.status_bar import ChatStatusBar

if TYPE_CHECKING:  # the dialogs are imported when first opened, not while the window opens
    from desktop_app.ui.settings.settings_dialog import SettingsDialog
    from desktop_app.ui.sidebar.search_dialog import SearchDialog


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

        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(8, 8, 8, 4)
        self.banner = Banner(central)
        self.view = ChatView(central)
        self.find_bar = FindBar(self.view, central)
        self.composer = Composer(central)
        self.permission_card = PermissionCard(central)
        self.question_card = QuestionCard(central)  # the agent's ask_user questions
        self.plan_panel = PlanPanel(central)
        self.pending_bar = PendingBar(central)
        self.share_bar = ShareBar(central)
        self.live_share = LiveShare(controller, self)
        self.tool_panel = ToolPanel(controller.tools, self)
        # The composer card: the editor, the session's chips, Send/Stop; the empty state over the view.
        self.send_button = send_button(central)
        self.composer_card = ComposerCard(self.composer, self.send_button, central)
        self.attachments = AttachmentTray(lambda: controller.access().mode.agentic, self.composer_card)
        self.composer_card.add_above(self.attachments)
        self.edit_banner = EditBanner(self.composer_card)
        self.composer_card.add_above(self.edit_banner)
        self.composer_card.add_chip(attach_button(self.attachments, self.composer_card))
        self.composer.take_mime = lambda mime: take_mime(self.attachments, mime)
        self.composer.has_attachments = lambda: bool(self.attachments.attachments)
        self.drops = WindowDrops(self, self.attachments)
        self.chips = SessionChips(self.composer_card)
        for chip in self.chips.chips():
            self.composer_card.add_chip(chip)
        self.empty_state = EmptyState(self.composer)
        self.view.set_empty_widget(self.empty_state)
        layout.addWidget(self.banner)
        layout.addWidget(self.share_bar)
        layout.addWidget(self.find_bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.plan_panel)
        layout.addWidget(self.permission_card)
        layout.addWidget(self.question_card)
        layout.addWidget(self.pending_bar)
        layout.addWidget(self.composer_card)
        TypeToComposer(self.view, self.composer)
        self.sidebar: ConversationSidebar | None = None
        splitter = ChatSplitter(self)  # the side panels keep their widths; the centre gives way
        if controller.store is not None:
            self.sidebar = ConversationSidebar(controller.store, self)
            splitter.addWidget(self.sidebar)
        splitter.addWidget(central)
        splitter.addWidget(self.tool_panel)
        splitter.set_central(central)
        splitter.setSizes([200, 700, 340] if self.sidebar is not None else [660, 340])
        self.splitter = splitter
        self.setCentralWidget(splitter)
        self.resize(1240 if self.sidebar is not None else 1000, 780)
        self.sending = Sending(
            controller, self.composer, self.send_button, self.pending_bar, self.attachments
        )
        self.menus = WindowMenu(self)
        self.toolbar = ChatToolBar(self.menus.settings_action, self.menus.panel_action, self)
        self.addToolBar(self.toolbar)
        self.menus.attach(self.toolbar.menu_button)
        self.menus.set_store_available(controller.store is not None)
        # Set by the app: which window has a conversation open (a conversation lives in one window),
        # and the app's notifier, for replies and requests seen elsewhere.
        self.owner_of: Callable[[str], ChatWindow | None] = lambda _cid: None
        self.notifier: Notifier | None = None
        self.status = ChatStatusBar(self)
        self.setStatusBar(self.status)

        toggle = self.panel_toggle = ToolPanelToggle(self.menus.panel_action, self.tool_panel, controller)
        view, card, panel = self.view, self.permission_card, self.tool_panel
        self.window_geometry = WindowGeometry(self, controller, toggle)
        self.pane_keys = Panes(self, self.sidebar, view, card, self.composer, panel)
        # Both looked up when a notification goes: the app sets one, a test may replace the other.
        self.notifications = ReplyNotifications(
            self, view, lambda: self.notifier, lambda: self.bring_to_front()
        )
        self.session_display = SessionDisplay(
            controller, self.toolbar, self.chips, self.status, view, toggle.follow
        )
        self.conversations = ShownConversation(
            self,
            controller,
            view,
            self.sending,
            self.sidebar,
            lambda cid: self.owner_of(cid),
            self.layout_changed.emit,
        )
        choices = self.choices = SettingsChoices(controller, self.chips, self.settings_chosen.emit, self)
        self.sign_in = SignInFlow(controller, self)
        choices.sign_in = self.sign_in.open
        self.notices = BannerNotices(
            self.banner, controller, choices.open_settings, choices.use_demo, self.sign_in.open
        )
        self.account_button = AccountButton(controller.account, self.sign_in.open, self.status)
        self.agent_chip = AgentChip(controller, self.status)  # Agent mode: the agent, the instructions
        self.status.addPermanentWidget(self.agent_chip)
        self.status.addPermanentWidget(self.account_button)
        self.agent_mode = AgentMode(
            controller, self.chips.mode_picker, self.session_display.show_access, self
        )
        self.plan_mode = PlanMode(controller, self.plan_panel, self)
        self.permissions = PermissionRequests(
            controller, card, panel, self.composer, self.notifications.notify, toggle.follow
        )
        self.questions = QuestionRequests(
            controller, self.question_card, self.composer, self.notifications.notify
        )
        self.search = ConversationSearch(controller, view, self.conversations.open_at, self)
        self.exchange = ExchangeFlows(controller, self.notices.report, self)
        self.trash = TrashFlow(controller, self.banner, self.sending.save_draft)
        self.edits = MessageEdits(
            controller, self.view, self.composer, self.attachments, self.edit_banner, self.choices,
            self.window_requested.emit, self.sending.save_draft,
        )  # fmt: skip
        self.sending.intercept = self.edits.send_edit
        self.slash = SlashFlow(
            controller,
            self.composer_card,
            central,
            self.attachments,
            self.chips.model_picker,
            self.conversations.new,
            view.add_notice,
        )
        self.sending.run_command = self.slash.commands.run
        self.slash.commands.plan_wanted.connect(lambda request: self.agent_mode.choose(Mode.PLAN, request))

        # The names the app and its tests reach the window's parts by.
        self.model_picker, self.mode_picker = self.chips.model_picker, self.chips.mode_picker
        self.source_badge, self.share_action = self.toolbar.source_badge, self.menus.share_action
        self.new_action, self.new_window_action = self.menus.new_action, self.menus.new_window_action
        self.search_action, self.panel_action = self.menus.search_action, self.menus.panel_action
        self.import_cli_action = self.menus.import_cli_action
        self.panes = self.pane_keys.stops
        self.open_conversation = self.conversations.open
        self.new_conversation = self.conversations.new
        self.open_settings = self.choices.open_settings
        self.use_folder = self.agent_mode.use_folder
        self._permission_asked = self.permissions.asked
        self._save_draft = self.sending.save_draft

        self._connect()
        self.session_display.show_access(controller.access())
        self.composer.setFocus()

    def _connect(self) -> None:
        c, m, sending, conversations = self.controller, self.menus, self.sending, self.conversations
        m.new_action.triggered.connect(conversations.new)
        m.search_action.triggered.connect(self.search.open_search)
        m.find_action.triggered.connect(self.find_bar.open_bar)
        self.find_bar.closed.connect(self.composer.setFocus)
        m.panel_action.triggered.connect(self.panel_toggle.chosen)
        m.panel_action.toggled.connect(self.tool_panel.setVisible)
        m.new_window_action.triggered.connect(lambda: self.window_requested.emit(None))
        m.next_pane_action.triggered.connect(self.pane_keys.focus_next)
        m.quit_action.triggered.connect(self.quit_requested.emit)
        m.settings_action.triggered.connect(self.choices.open_settings)
        m.export_action.triggered.connect(self.exchange.export_current)
        m.export_all_action.triggered.connect(self.exchange.export_all)
        m.import_action.triggered.connect(self.exchange.import_file)
        m.import_cli_action.triggered.connect(self.exchange.import_cli_sessions)
        m.share_action.triggered.connect(self.toggle_share)
        m.about_action.triggered.connect(self.open_about)
        m.sign_in_action.triggered.connect(self.sign_in.open)
        m.sign_out_action.triggered.connect(self.sign_in.sign_out)
        c.account.state_changed.connect(self._account_changed)
        c.account.failed.connect(lambda text: self.notices.report(text, "error"))
        self.chips.folder_button.clicked.connect(self.agent_mode.choose_folder)
        self.composer.send_requested.connect(sending.send)
        self.composer.textChanged.connect(self.pending_bar.clear_refusal)
        c.pending_changed.connect(sending.show_pending)
        c.send_refused.connect(self.pending_bar.show_refusal)
        self.attachments.refused.connect(self.pending_bar.show_refusal)
        self.pending_bar.edit_requested.connect(sending.edit_pending)
        self.pending_bar.cancel_requested.connect(self.controller.take_pending)
        self.pending_bar.send_now_requested.connect(self.controller.send_now)
        self.composer.stop_requested.connect(c.stop)
        self.send_button.clicked.connect(sending.send_or_stop)
        self.model_picker.activated.connect(self.choices.model_picked)
        line_edit = self.model_picker.lineEdit()
        if line_edit is not None:
            line_edit.returnPressed.connect(self.choices.model_typed)
        c.notice.connect(self.notices.show)
        c.busy_changed.connect(self._busy_changed)
        c.metrics_changed.connect(self.status.show_metrics)
        c.usage.changed.connect(self.status.usage_gauge.show_usage)
        c.models_changed.connect(self.chips.show_models)
        c.models.effort_changed.connect(self.chips.show_effort)
        self.chips.effort_picker.activated.connect(self.choices.effort_picked)
        c.source_changed.connect(self.session_display.show_source)
        c.phase_changed.connect(sending.phase_changed)
        c.user_message.connect(conversations.prompt_sent)
        self.view.copied.connect(lambda text: self.status.showMessage(text, 3000))
        c.conversation_opened.connect(conversations.opened)
        self.composer.textChanged.connect(sending.draft_changed)
        if self.sidebar is not None:
            self.sidebar.conversation_activated.connect(conversations.open)
            self.sidebar.new_requested.connect(conversations.new)
            self.sidebar.trashed.connect(self.trash.trashed)
            self.sidebar.open_in_new_window.connect(self.window_requested.emit)
        self._wire_reply()
        b = c.bridge
        b.permission_asked.connect(self.permissions.asked)
        b.permission_answered.connect(self.permissions.answered)
        b.context_usage.connect(self.status.show_context)
        self.permission_card.answered.connect(self.permissions.answer)
        self.permission_card.typed.connect(self.composer.insertPlainText)  # typing is never lost
        self.tool_panel.answer_requested.connect(self.permissions.answer_from_panel)
        self.view.tool_clicked.connect(self.panel_toggle.show_call)
        self.tool_panel.call_selected.connect(self.view.scroll_to_tool)
        c.tools_reloaded.connect(self.tool_panel.reload)
        c.tools_reloaded.connect(self.panel_toggle.follow)
        c.tools_reloaded.connect(self.permission_card.clear)
        c.access_changed.connect(self.session_display.show_access)
        self.mode_picker.activated.connect(self.agent_mode.mode_picked)
        self.live_share.sharing_changed.connect(self.share_bar.show_url)
        self.live_share.sharing_changed.connect(lambda url: self.share_action.setChecked(bool(url)))
        self.live_share.viewers_changed.connect(self.share_bar.show_viewers)
        self.share_bar.stop_requested.connect(self.live_share.stop)
        self.share_bar.lan_requested.connect(self.set_lan_sharing)
        self.live_share.lan_changed.connect(self.share_bar.show_lan)
        b.mcp_status.connect(self.session_display.mcp_status)
        b.title_changed.connect(conversations.show_title)

    # -- a reply in progress --------------------------------------------------------------------
    def _wire_reply(self) -> None:
        """The reply in progress reaches the view from the one model of it (the live conversation)."""
        self.reply_presenter = ReplyPresenter(self.controller.live, self.view, self, self.controller.tools)
        self.reply_presenter.tool_shown.connect(self.panel_toggle.follow)

    @Slot(bool)
    def _busy_changed(self, busy: bool) -> None:
        self.sending.show_busy(busy)
        self.notifications.reply_busy(busy)
        if not busy:
            self.view.finish_assistant()
            self.reply_presenter.release_held()  # the compaction markers that waited for it
            self.composer.setFocus()

    # -- windows, sharing, About ------------------------------------------------------------------
    def bring_to_front(self) -> None:
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    @Slot()
    def toggle_share(self) -> None:
        if self.live_share.server is not None:
            self.live_share.stop()
            return
        try:
            self.live_share.start()
        except Exception as exc:  # no free port, say
            self.notices.report(f"Could not start sharing: {exc}", "error")

    @Slot(bool)
    def set_lan_sharing(self, on: bool) -> None:
        try:
            self.live_share.set_lan(on)
        except OSError as exc:
            self.notices.report(f"Could not share on the network: {exc}", "error")

    @Slot(AccountState)
    def _account_changed(self, state: AccountState) -> None:
        self.menus.sign_out_action.setVisible(state.signed_in)
        self.menus.sign_in_action.setText(
            "Sign in with anothe&r account…" if state.signed_in else "Sign in with GitH&ub…"
        )

    @Slot()
    def open_about(self) -> None:
        from desktop_app.ui.window.about_dialog import AboutDialog

        dialog = AboutDialog(
            self.controller.data_dir, self.controller.cli_version, self, self.controller.account.state
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()  # not modal: the chat stays usable

    @property
    def announcements(self) -> list[str]:
        """What was announced to assistive technology."""
        return self.notifications.announcements

    @property
    def _search_dialog(self) -> SearchDialog | None:
        return self.search.dialog

    @property
    def _settings_dialog(self) -> SettingsDialog | None:
        return self.choices.dialog

    def window_state(self) -> WindowState:
        """Where this window is and what it shows, to bring it back at the next start."""
        return self.window_geometry.state()

    def restore(self, state: WindowState) -> None:
        self.window_geometry.restore(state)

    def moveEvent(self, event: QMoveEvent) -> None:
        super().moveEvent(event)
        self.layout_changed.emit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.layout_changed.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.sending.save_draft()
        self.live_share.stop()
        if self.sidebar is not None:
            self.sidebar.model.detach()
        self.controller.stop()
        event.accept()
        self.closed.emit()
