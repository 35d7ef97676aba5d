"""A tool's request for permission, shown in full with every possible answer.

Nothing runs while a request waits: the CLI is blocked on the answer. Requests queue; the card shows
the oldest, and how many more wait.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
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

from desktop_app.core.permissions import Answer, Choice, PermissionPrompt, RuleOption


class PermissionCard(QFrame):
    """Signals:
    answered(str, object): a prompt id and the user's ``Answer``.
    """

    answered = Signal(str, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("permissionCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("Permission request")
        self._queue: list[PermissionPrompt] = []
        self.title = QLabel(self)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.count = QLabel(self)
        self.intention = QLabel(self)
        self.intention.setWordWrap(True)
        self.warning = QLabel(self)
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #b35900;")
        self.detail = QPlainTextEdit(self)
        self.detail.setReadOnly(True)
        self.detail.setAccessibleName("What will run")
        self.detail.setFont(QFont("DejaVu Sans Mono", 9))
        self.detail.setMaximumHeight(120)
        self.detail.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)

        self.allow_once = QPushButton("&Allow once", self)
        self.allow_once.setAccessibleName("Allow once")
        self.allow_conversation = self._scoped_button("Allow in this &conversation")
        self.allow_always = self._scoped_button("Al&ways allow")
        self.scope = QLabel(self)
        self.scope.setWordWrap(True)
        self.scope.setAccessibleName("What a kept answer covers")
        self.deny = QPushButton("&Deny", self)
        self.deny.setAccessibleName("Deny")
        self.deny_message_button = QPushButton("Deny with a &message…", self)
        self.deny_message_button.setAccessibleName("Deny with a message")
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
        buttons = QHBoxLayout()
        for button in (self.allow_once, self.allow_conversation, self.allow_always):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.deny)
        buttons.addWidget(self.deny_message_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addLayout(top)
        layout.addWidget(self.intention)
        layout.addWidget(self.detail)
        layout.addWidget(self.warning)
        layout.addWidget(self.scope)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        self.hide()

    def _scoped_button(self, text: str) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setAccessibleName(text.replace("&", ""))
        button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        return button

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter presses the focused button, as in a dialog (a main window's buttons ignore it)."""
        focused = self.focusWidget()
        keys = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if event.key() in keys and isinstance(focused, QAbstractButton):
            focused.click()
            return
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
            self.hide()
            return
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
        self.message.clear()
        self.message.hide()
        self.show()

    def _set_scopes(self, button: QToolButton, choice: Choice, options: tuple[RuleOption, ...]) -> None:
        """The button keeps the first scope; its menu offers the others."""
        button.setEnabled(bool(options))
        if len(options) > 1:
            menu = QMenu(button)
            for option in options:
                action = menu.addAction(option.label)
                action.triggered.connect(partial(self._answer, Answer(choice, option)))
            button.setMenu(menu)
            button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        else:
            button.setPopupMode(QToolButton.ToolButtonPopupMode.DelayedPopup)
            old = button.menu()
            if old is not None:
                button.removeAction(old.menuAction())
                old.deleteLater()
        with_scope = f"{button.accessibleName()}: {options[0].label}" if options else button.accessibleName()
        button.setToolTip(with_scope if options else "This kind of request can only be allowed once.")

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

    def _answer(self, answer: Answer) -> None:
        prompt = self.current
        if prompt is None:
            return
        self.resolved(prompt.prompt_id)
        self.answered.emit(prompt.prompt_id, answer)
