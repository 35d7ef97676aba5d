"""Composition: the QApplication, the qasync loop, the one Copilot service and the windows."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib
import logging
import logging.handlers
import signal
import sys
from collections.abc import Callable
from pathlib import Path

import qasync  # after PySide6, so qasync binds to it
from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from desktop_app import APP_ID, APP_NAME, __version__
from desktop_app.core.config.credentials import open_secret_store
from desktop_app.core.config.customization import load_customization, write_instructions
from desktop_app.core.config.mcp_config import load_mcp_config
from desktop_app.core.config.paths import AppPaths
from desktop_app.core.config.settings import Settings, Source, apply_flags, load_settings, save_settings
from desktop_app.core.config.window_state import WindowState, load_windows, save_windows
from desktop_app.core.copilot.service import CopilotService
from desktop_app.core.copilot.session_options import Compaction
from desktop_app.core.permissions.rules import RuleBook
from desktop_app.core.platform import start_up_gc
from desktop_app.core.platform.process_info import rss_mb, seconds_since_start
from desktop_app.core.platform.system_notifications import SystemNotifications
from desktop_app.core.rendering.markdown_render import prewarm_lexers
from desktop_app.core.storage.conversation_store import ConversationStore
from desktop_app.core.storage.database import DatabaseTooNewError, StorageError, open_database
from desktop_app.core.storage.drafts import NewConversationDraft
from desktop_app.core.vocabulary.access import Mode, ToolAccess
from desktop_app.ui.controller.controller import ChatController
from desktop_app.ui.conversation.view.html_pool import shut_down as shut_down_render_process
from desktop_app.ui.platform.notifier import Notifier
from desktop_app.ui.platform.single_instance import InstanceServer, hand_over, server_name
from desktop_app.ui.settings import appearance
from desktop_app.ui.window.chat_window import ChatWindow

log = logging.getLogger(__name__)
RESOURCES = Path(__file__).resolve().parent.parent / "resources"
# Left out of start-up (imported where they are used) and imported once the window shows, so that
# neither the first window nor the first diff, restore or saved key waits for them.
DEFERRED_IMPORTS = ("difflib", "secrets", "desktop_app.core.vocabulary.checkpoints")
FREEZE_AFTER_MS = 1500  # start-up's objects leave the collector's way (after the deferred imports)


_OUR_HANDLERS: list[logging.Handler] = []


def configure_logging(paths: AppPaths, level: str, console: bool = True) -> None:
    """Log to a rotating file in the log dir (and warnings to stderr); never log secrets."""
    paths.log_dir.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    root.setLevel(level)
    for handler in _OUR_HANDLERS:
        root.removeHandler(handler)
        handler.close()
    _OUR_HANDLERS.clear()
    file_handler = logging.handlers.RotatingFileHandler(
        paths.log_dir / "copilot-desktop.log", maxBytes=2_000_000, backupCount=3, encoding="utf-8"
    )
    file_handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    _OUR_HANDLERS.append(file_handler)
    if console:
        stderr = logging.StreamHandler()
        stderr.setLevel(logging.WARNING)
        _OUR_HANDLERS.append(stderr)
    for handler in _OUR_HANDLERS:
        root.addHandler(handler)
    logging.getLogger("copilot").setLevel(logging.ERROR)  # the SDK logs every failed RPC traceback


class DesktopApp:
    """Holds what every window shares: paths, settings, the secret store and the Copilot service."""

    def __init__(self, app: QApplication, args: argparse.Namespace) -> None:
        app.setQuitOnLastWindowClosed(False)  # we quit after awaiting cleanup, not from Qt
        self.app = app
        self.args = args
        self.paths = AppPaths.under(Path(args.data_dir)) if args.data_dir else AppPaths.default()
        self.paths.ensure()
        configure_logging(self.paths, args.log_level, console=getattr(args, "log_console", True))
        saved, problem = load_settings(self.paths.config_dir)
        self.settings_problem = problem
        self.settings = apply_flags(
            saved,
            demo=args.demo,
            provider_url=args.provider_url,
            model=args.model,
            api_key_env=args.api_key_env,
            context_tokens=getattr(args, "context_tokens", None),
        )
        self.secrets = open_secret_store(self.paths.config_dir, confined=self.paths.confined)
        self.service = CopilotService(
            self.paths, cli_path=args.cli_path, demo=self.settings.source is Source.DEMO
        )
        self.store, self.store_problem, self.interrupted = self._open_store()
        self.service.rules = self._rule_book()
        self.service.compaction = Compaction.of(self.settings)
        self.service.mcp, _, self.mcp_problem = load_mcp_config(self.paths.config_dir)
        self.service.customization, problem = load_customization(self.paths.config_dir)
        if problem:
            log.warning("%s", problem)
        with contextlib.suppress(OSError):  # the file the CLI reads, as the customization says
            write_instructions(self.paths.config_dir, self.service.customization.user_instructions)
        appearance.apply(app, self.settings.theme)  # "system" too: it installs the focus rings
        self.new_draft = NewConversationDraft(self.paths.data_dir)
        self.windows: list[ChatWindow] = []
        self._closing: set[asyncio.Task[None]] = set()  # windows still letting go of their sessions
        system = SystemNotifications(APP_NAME, RESOURCES / "icons" / "copilot-desktop-128.png")
        self.notifier = Notifier(app.windowIcon(), app, system)
        self._quitting = False  # windows closing now come back at the next start
        self._remember = QTimer()
        self._remember.setSingleShot(True)
        self._remember.setInterval(500)
        self._remember.timeout.connect(self.remember_windows)
        self.quit_requested = asyncio.Event()

    def _open_store(self) -> tuple[ConversationStore | None, str | None, list[str]]:
        """The conversation database; without it the app still chats, and says it cannot save."""
        try:
            opened = open_database(self.paths.data_dir)
        except (DatabaseTooNewError, StorageError) as exc:
            log.warning("%s", exc)
            return None, f"{exc} Conversations in this window are not saved.", []
        store = ConversationStore(opened.connection)
        return store, opened.notice, store.mark_interrupted()

    def _rule_book(self) -> RuleBook:
        """The user's kept permission answers, shared by every window (in memory without a store)."""
        if self.store is None:
            return RuleBook()
        try:
            return RuleBook(self.store.permission_rules(), storage=self.store)
        except Exception as exc:
            log.warning("Could not read the kept permission rules: %s", exc)
            return RuleBook()

    def window_for(self, conversation_id: str) -> ChatWindow | None:
        """The window that has this conversation open, if any."""
        for window in self.windows:
            conversation = window.controller.conversation
            if conversation is not None and conversation.id == conversation_id:
                return window
        return None

    def request_window(self, conversation_id: str | None = None) -> ChatWindow:
        """Ctrl+N, 'Open in new window', a second launch: a window, or the one that has it."""
        if conversation_id is not None and (owner := self.window_for(conversation_id)) is not None:
            owner.bring_to_front()
            return owner
        window = self.open_window(conversation_id)
        window.bring_to_front()
        return window

    def open_window(self, conversation_id: str | None = None, state: WindowState | None = None) -> ChatWindow:
        controller = ChatController(
            self.service, self.settings, self.secrets, store=self.store, new_draft=self.new_draft
        )
        agent_dir = getattr(self.args, "agent", None)
        if agent_dir:
            controller.start_new_in(ToolAccess(Mode.AGENT, str(Path(agent_dir).resolve())))
        window = ChatWindow(controller)
        window.owner_of = self.window_for
        window.notifier = self.notifier
        window.settings_chosen.connect(self._save_settings)
        window.closed.connect(lambda: self._window_closed(window))
        window.window_requested.connect(self.request_window)
        window.quit_requested.connect(self.quit)
        window.layout_changed.connect(self._remember.start)
        if state is not None:
            window.restore(state)
        elif self.windows:  # cascade new windows so they do not hide each other exactly
            last = self.windows[-1]
            window.move(last.x() + 32, last.y() + 32)
        self.windows.append(window)
        window.show()
        controller.start()
        if conversation_id is not None:
            window.open_conversation(conversation_id)
        for problem in (self.settings_problem, self.store_problem, self.mcp_problem):
            if problem:
                window.view.add_notice(problem, "warning")
        if self.interrupted and len(self.windows) == 1 and conversation_id is None:
            # A reply was cut off by a crash: show it straight away, with its Retry.
            window.open_conversation(self._most_recent(self.interrupted))
        return window

    def _most_recent(self, conversation_ids: list[str]) -> str:
        assert self.store is not None
        conversations = [self.store.get_conversation(cid) for cid in conversation_ids]
        known = [c for c in conversations if c is not None]
        return max(known, key=lambda c: c.updated_at).id if known else conversation_ids[0]

    def _log_startup(self) -> None:
        """Runs once the window has been shown and painted (the first pass of the event loop)."""
        since_start, rss = seconds_since_start(), rss_mb()
        if since_start is not None and rss is not None:
            log.info(
                "startup: window shown %.0f ms after process start, RSS %.1f MB", since_start * 1000, rss
            )
        start_up_gc.resume()  # main() paused it for the start-up: its first collection comes now

    def _save_settings(self, settings: Settings) -> None:
        if settings.theme != self.settings.theme:
            appearance.apply(self.app, settings.theme)
        self.settings = settings
        self.service.compaction = Compaction.of(settings)
        try:
            save_settings(self.paths.config_dir, settings)
        except OSError as exc:
            log.warning("Could not save settings: %s", exc)

    def _window_closed(self, window: ChatWindow) -> None:
        if window in self.windows:
            # Closed by the user with others left: it does not come back. The last window closed,
            # or every window at Quit (remembered by quit()), comes back at the next start.
            if not self._quitting and len(self.windows) == 1:
                self._remember.stop()
                self.remember_windows()
            self.windows.remove(window)
            if not self._quitting and self.windows:
                self.remember_windows()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # Qt is tearing down after the loop ended (the display went away)
            log.warning("A window closed after the event loop stopped; its session is not detached")
            return
        # Not in the controller's own task group: closing cancels that group's tasks.
        task = loop.create_task(window.controller.close())
        self._closing.add(task)
        task.add_done_callback(self._closing.discard)
        if not self.windows:
            self.quit_requested.set()

    def quit(self) -> None:
        """Close every window (each keeps what it received), then stop; they return at next start."""
        self._quitting = True
        self._remember.stop()
        self.remember_windows()
        for window in list(self.windows):
            window.close()

    def remember_windows(self) -> None:
        if self._quitting and not self.windows:
            return
        try:
            save_windows(self.paths.config_dir, [w.window_state() for w in self.windows])
        except OSError as exc:
            log.warning("Could not remember the open windows: %s", exc)

    def handle_request(self, request: object) -> None:
        """Another launch of the app asked for a window (double-clicked again)."""
        log.info("Another launch asked for a window: %s", request)
        conversation = request.get("conversation") if isinstance(request, dict) else None
        self.request_window(conversation if isinstance(conversation, str) else None)

    def open_windows(self) -> None:
        """The windows open when the app last closed, or one new window."""
        states, problem = load_windows(self.paths.config_dir)
        if problem:
            log.warning("%s", problem)
        known = [s for s in states if s.conversation_id is None or self._exists(s.conversation_id)]
        if not known:
            self.open_window()
            return
        for state in known:
            window = self.open_window(state.conversation_id, state)
            if state is known[0]:
                window.bring_to_front()

    def _exists(self, conversation_id: str) -> bool:
        if self.store is None:
            return False
        conversation = self.store.get_conversation(conversation_id)
        return conversation is not None and conversation.trashed_at is None

    async def run(self) -> int:
        self.open_windows()
        if getattr(self.args, "share", False) and self.windows:
            url = self.windows[0].live_share.start()
            print(f"Sharing live: {url}", flush=True)  # for scripted demos
        QTimer.singleShot(0, self._log_startup)
        QTimer.singleShot(200, import_deferred)
        QTimer.singleShot(FREEZE_AFTER_MS, start_up_gc.freeze_start_up)
        QTimer.singleShot(300, prewarm_lexers)
        await self.quit_requested.wait()
        await self.shutdown()
        return 0

    async def shutdown(self) -> None:
        """Await cleanup while the loop still runs (never from aboutToQuit)."""
        for window in list(self.windows):
            await window.controller.close()
        if self._closing:
            await asyncio.wait(set(self._closing), timeout=10)
        await self.service.stop()
        shut_down_render_process()
        self.notifier.close()
        if self.store is not None:
            self.store.close()
            self.store = None


def import_deferred() -> None:
    """The modules start-up left out (``DEFERRED_IMPORTS``), at an idle moment after the window."""
    for name in DEFERRED_IMPORTS:
        importlib.import_module(name)


def _install_signal_handlers(quit_app: Callable[[], None]) -> QTimer:
    def request_quit(*_args: object) -> None:
        QTimer.singleShot(0, quit_app)  # like Quit: windows keep what arrived and come back next time

    signal.signal(signal.SIGINT, request_quit)
    signal.signal(signal.SIGTERM, request_quit)
    # Python runs signal handlers only between bytecodes: wake the interpreter now and then.
    ticker = QTimer()
    ticker.start(250)
    ticker.timeout.connect(lambda: None)
    return ticker


def run(args: argparse.Namespace) -> int:
    paths = AppPaths.under(Path(args.data_dir)) if args.data_dir else AppPaths.default()
    instance = server_name(paths.data_dir)
    request: dict[str, object] = {"cmd": "window"}
    if hand_over(instance, request):
        # Already running for this user and data dir: it opened a window; two copies would fight
        # over the database.
        print(f"{APP_NAME} is already running: it opened a new window.")
        return 0
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    icon = RESOURCES / "copilot-desktop.svg"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    app.setQuitOnLastWindowClosed(False)
    desktop: list[DesktopApp] = []
    _ticker = _install_signal_handlers(lambda: desktop[0].quit() if desktop else app.closeAllWindows())
    server = InstanceServer()

    async def amain() -> int:
        desktop.append(DesktopApp(app, args))
        if server.listen(instance):
            server.request.connect(desktop[0].handle_request)
        else:
            log.info("Another instance answers on %s; running without the single-instance server", instance)
        try:
            return await desktop[0].run()
        finally:
            server.close()

    with event_loop_runner() as runner:
        return runner.run(amain())


def event_loop_runner() -> asyncio.Runner:
    """asyncio inside Qt's event loop (``asyncio.run(loop_factory=)`` needs Python 3.12)."""
    return asyncio.Runner(loop_factory=qasync.QEventLoop)
