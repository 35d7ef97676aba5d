"""A tool's request for permission, shown in full with every possible answer.

Nothing runs while a request waits: the CLI is blocked on the answer. Requests queue; the card shows
the oldest, and how many more wait.

Nothing is approved by accident (as browsers do for their permission prompts): when a request
appears, keyboard focus goes to the card itself, never to an Allow button; no Allow button is a
default button or has a window-wide mnemonic; for ``ARMING_DELAY_MS`` after a request appears (or
its window comes back to the front) the Allow buttons are disabled and keys on the card allow
nothing, so Enter or Space meant for the composer answers nothing. Allowing then takes a click, or
Ctrl+Enter on the focused card. Deny is one key away at any time: Esc on the card (or Alt+D).
Text typed on the card is passed on to the composer (``typed``), so none of it is lost. Everything
the card shows from the request is plain text: it comes from the model.
"""

from __future__ import annotations

import html
from functools import partial

from PySide6.QtCore import QEvent, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QFont, QKeyEvent, QPalette, QTextOption
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.vocabulary.permission_requests import Answer, Choice, PermissionPrompt, RuleOption
from desktop_app.ui.conversation.type_to_composer import is_typing
from desktop_app.ui.platform.fitting.elided_label import ElidedLabel, wrapping_label
from desktop_app.ui.platform.fitting.flow_layout import FlowLayout
from desktop_app.ui.platform.live_palette import follow_palette, tint

ARMING_DELAY_MS = 1000  # how long after a request appears before it can be allowed
KEYS_HINT = "Ctrl+Enter allows once · Esc denies · Tab reaches every choice"
ALLOW_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def plain_label(parent: QWidget) -> QLabel:
    """A label for model-controlled text: never rich text, whatever it looks like."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def plain_tooltip(text: str) -> str:
    """A tooltip that shows ``text`` as it is (Qt guesses rich text for tooltips otherwise)."""
    return f"<qt>{html.escape(text)}</qt>"


class PermissionCard(QFrame):
    """Signals:
    answered(str, Answer): a prompt id and the user's answer.
    typed(str): printable text typed while the card had focus (it belongs in the composer).
    """

    answered = Signal(str, Answer)
    typed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("permissionCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("Permission request")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # the request itself takes the focus
        self._queue: list[PermissionPrompt] = []
        self._shown_id: str | None = None
        self._arming = QTimer(self)
        self._arming.setSingleShot(True)
        self._arming.setInterval(ARMING_DELAY_MS)
        self._arming.timeout.connect(self._update_allow_buttons)
        self.title = ElidedLabel("", self)  # plain text; the whole title is its tooltip when cut
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.count = plain_label(self)
        self.intention = wrapping_label(self)
        self.warning = wrapping_label(self)
        self.detail = QPlainTextEdit(self)
        self.detail.setReadOnly(True)
        self.detail.setAccessibleName("What will run")
        self.detail.setFont(QFont("DejaVu Sans Mono", 9))
        self.detail.setMaximumHeight(120)
        self.detail.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.detail.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)  # a long command

        # No mnemonics on Allow: Alt+letter works from anywhere in the window, not only the card.
        self.allow_once = QPushButton("Allow once", self)
        self.allow_once.setAccessibleName("Allow once")
        self.allow_once.setToolTip("Allow once (Ctrl+Enter on the request)")
        self.allow_conversation = self._scoped_button("Allow in this conversation")
        self.allow_always = self._scoped_button("Always allow")
        self.scope = wrapping_label(self)
        self.scope.setAccessibleName("What a kept answer covers")
        self.keys = wrapping_label(self)
        self.keys.setText(KEYS_HINT)
        self.keys.setEnabled(False)  # shown dimmed: a hint
        self.deny = QPushButton("&Deny", self)
        self.deny.setAccessibleName("Deny")
        self.deny.setToolTip("Deny (Esc on the request)")
        self.deny_message_button = QPushButton("Deny with a &message…", self)
        self.deny_message_button.setAccessibleName("Deny with a message")
        for push in (self.allow_once, self.deny, self.deny_message_button):
            push.setAutoDefault(False)  # Enter in the window never presses any of them
            push.setDefault(False)
        self.allow_once.clicked.connect(lambda: self._answer(Answer(Choice.ALLOW_ONCE)))
        self.allow_conversation.clicked.connect(lambda: self._answer_scoped(Choice.ALLOW_CONVERSATION))
        self.allow_always.clicked.connect(lambda: self._answer_scoped(Choice.ALLOW_ALWAYS))
        self.deny.clicked.connect(lambda: self._answer(Answer(Choice.DENY)))
        self.deny_message_button.clicked.connect(self._ask_for_message)
        self.message = QLineEdit(self)
        self.message.setPlaceholderText("Tell the model why, or what to do instead; Enter sends")
        self.message.setAccessibleName("Message to the model")
        self.message.returnPressed.connect(self._deny_with_message)
        self.message.hide()

        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.count)
        buttons = FlowLayout()  # the answers wrap onto rows in a narrow window
        for button in (self.allow_once, self.allow_conversation, self.allow_always):
            buttons.addWidget(button)
        buttons.add_to_end(self.deny)
        buttons.add_to_end(self.deny_message_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addLayout(top)
        layout.addWidget(self.intention)
        layout.addWidget(self.detail)
        layout.addWidget(self.warning)
        layout.addWidget(self.scope)
        layout.addLayout(buttons)
        layout.addWidget(self.keys)
        layout.addWidget(self.message)
        self.hide()
        follow_palette(self, self._restyle)

    def _restyle(self) -> None:
        """The focus ring and the warning in the current theme's colours."""
        self.setStyleSheet(
            f"QFrame#permissionCard:focus {{ border: 2px solid {tint(QPalette.ColorRole.Highlight)}; }}"
        )
        self.warning.setStyleSheet(f"color: {tint('warning_text')};")

    def _scoped_button(self, text: str) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setAccessibleName(text.replace("&", ""))
        button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        return button

    @property
    def armed(self) -> bool:
        """Can the current request be allowed yet (its first second is over)?"""
        return self.current is not None and not self._arming.isActive()

    def changeEvent(self, event: QEvent) -> None:
        """The window came to the front with a request waiting: for the user it appears now."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow() and self.current:
            self._arming.start()
            self._update_allow_buttons()

    def take_focus(self) -> None:
        """A request appeared (or the user asked for every choice): the card, not a button, gets it."""
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Esc denies; Ctrl+Enter allows once, and Enter presses a button the user moved to, once the
        card is armed; other keys answer nothing, and printable text goes on to the composer."""
        key, modifiers = event.key(), event.modifiers()
        event.accept()
        if key == Qt.Key.Key_Escape:
            if self.message.isVisible() and self.message.hasFocus():
                self.message.hide()
                self.take_focus()
            else:
                self._answer(Answer(Choice.DENY))
            return
        if key in ALLOW_KEYS:
            focused = self.focusWidget()
            if not self.armed:
                return  # meant for the composer, or pressed before the request could be read
            if modifiers & Qt.KeyboardModifier.ControlModifier:
                self._answer(Answer(Choice.ALLOW_ONCE))
            elif isinstance(focused, QAbstractButton) and focused.isEnabled():
                focused.click()  # as in a dialog (a main window's buttons ignore Enter)
            return
        if is_typing(event):
            self.typed.emit(event.text())  # the user was typing a prompt: keep every character
            return
        event.ignore()
        super().keyPressEvent(event)

    # -- the queue ---------------------------------------------------------------------------
    @property
    def current(self) -> PermissionPrompt | None:
        return self._queue[0] if self._queue else None

    @property
    def waiting(self) -> list[PermissionPrompt]:
        return list(self._queue)

    def ask(self, prompt: PermissionPrompt) -> None:
        if any(p.prompt_id == prompt.prompt_id for p in self._queue):
            return
        self._queue.append(prompt)
        self._show_current()

    def resolved(self, prompt_id: str) -> None:
        """The request was answered (here, in the panel, or by the app stopping the reply)."""
        before = len(self._queue)
        self._queue = [p for p in self._queue if p.prompt_id != prompt_id]
        if len(self._queue) != before:
            self._show_current()

    def show_first(self, prompt_id: str) -> None:
        """Bring a waiting request to the front of the card (it may be queued behind another)."""
        for index, prompt in enumerate(self._queue):
            if prompt.prompt_id == prompt_id:
                self._queue.insert(0, self._queue.pop(index))
                self._show_current()
                return

    def clear(self) -> None:
        self._queue.clear()
        self._show_current()

    def _show_current(self) -> None:
        prompt = self.current
        if prompt is None:
            self._shown_id = None
            self._arming.stop()
            self.hide()
            return
        if prompt.prompt_id != self._shown_id:  # a new request under the user's hands: arm again
            self._shown_id = prompt.prompt_id
            self._arming.start()
            focused = QApplication.focusWidget()
            if focused is not None and self.isAncestorOf(focused):
                self.take_focus()  # off a button that now answers another request
        self.title.setText(f"Copilot wants to: {prompt.title}")
        self.count.setText(f"1 of {len(self._queue)}" if len(self._queue) > 1 else "")
        self.intention.setText(prompt.intention)
        self.intention.setVisible(bool(prompt.intention))
        self.warning.setText(prompt.warning)
        self.warning.setVisible(bool(prompt.warning))
        self.detail.setPlainText(prompt.detail)
        self._set_scopes(self.allow_conversation, Choice.ALLOW_CONVERSATION, prompt.options)
        self._set_scopes(self.allow_always, Choice.ALLOW_ALWAYS, prompt.options)
        if prompt.options:
            others = (
                f" (▾ for: {', '.join(o.label for o in prompt.options[1:])})"
                if len(prompt.options) > 1
                else ""
            )
            self.scope.setText(f"Keeping the answer covers {prompt.options[0].label}{others}.")
        else:
            self.scope.setText("This request can only be allowed once.")
        self.setAccessibleName(f"Permission request: {prompt.title}")
        self.setAccessibleDescription(
            "\n".join(
                t
                for t in (prompt.intention, prompt.detail, prompt.warning, self.scope.text(), KEYS_HINT)
                if t
            )
        )
        self.message.clear()
        self.message.hide()
        self._update_allow_buttons()
        self.show()

    @Slot()
    def _update_allow_buttons(self) -> None:
        """Allow buttons work once the request is armed (scoped ones only if it can be kept)."""
        prompt, armed = self.current, self.armed
        options = prompt.options if prompt is not None else ()
        self.allow_once.setEnabled(armed)
        self.allow_conversation.setEnabled(armed and bool(options))
        self.allow_always.setEnabled(armed and bool(options))

    def _set_scopes(self, button: QToolButton, choice: Choice, options: tuple[RuleOption, ...]) -> None:
        """The button keeps the first scope; its menu offers the others."""
        old = button.menu()
        if old is not None:  # an old menu answers for the request it was made for, or not at all
            button.setMenu(None)  # type: ignore[arg-type]  # Qt takes None: no menu
            old.deleteLater()
        prompt_id = self.current.prompt_id if self.current is not None else ""
        if len(options) > 1:
            menu = QMenu(button)
            for option in options:
                action = menu.addAction(option.label.replace("&", "&&"))  # no mnemonic from a path
                action.triggered.connect(partial(self._answer_for, prompt_id, Answer(choice, option)))
            button.setMenu(menu)
            button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        else:
            button.setPopupMode(QToolButton.ToolButtonPopupMode.DelayedPopup)
        with_scope = f"{button.accessibleName()}: {options[0].label}" if options else button.accessibleName()
        button.setToolTip(
            plain_tooltip(with_scope) if options else "This kind of request can only be allowed once."
        )

    # -- answering ---------------------------------------------------------------------------
    @Slot()
    def _ask_for_message(self) -> None:
        self.message.show()
        self.message.setFocus()

    @Slot()
    def _deny_with_message(self) -> None:
        text = self.message.text().strip()
        if text:
            self._answer(Answer(Choice.DENY_WITH_MESSAGE, message=text))

    def _answer_scoped(self, choice: Choice) -> None:
        prompt = self.current
        if prompt is not None and prompt.options:
            self._answer(Answer(choice, prompt.options[0]))

    def _answer_for(self, prompt_id: str, answer: Answer) -> None:
        """A scope picked from a menu: it answers only the request the menu was made for."""
        if self.current is not None and self.current.prompt_id == prompt_id:
            self._answer(answer)

    def _answer(self, answer: Answer) -> None:
        prompt = self.current
        if prompt is None or (answer.allowed and not self.armed):
            return
        self.resolved(prompt.prompt_id)
        self.answered.emit(prompt.prompt_id, answer)
