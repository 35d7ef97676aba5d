"""Plan mode's card above the composer: the plan as it changes, and "Start building".

The plan is markdown the model wrote: it is rendered by the app's renderer, cleaned by
``sanitize.for_view`` and shown in a document that loads no resource and a browser that follows no
link, so nothing in it can run, load or navigate. The summary that comes with a request to build
is shown as plain text. Start building is never a default button and never takes the focus: it
takes a click (or Tab to it and Space).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.rendering import sanitize
from desktop_app.core.rendering.markdown_render import MarkdownRenderer
from desktop_app.ui.conversation.safe_document import NoResourceDocument

TITLE = "Plan"
WAITING = "Copilot has a plan and asks to start building."
PLANNING = "Copilot is planning: it changes nothing in the folder until you click Start building."


class PlanPanel(QFrame):
    """Shows ``show_plan``'s markdown; ``ask`` shows the request to build and its two answers.

    Signals:
        start_building(): the user approved the plan.
        keep_planning(str): the user declined it, with what to change ("" for nothing said).
    """

    start_building = Signal()
    keep_planning = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("planPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(TITLE)
        self._renderer: MarkdownRenderer | None = None  # built at the first plan (pygments is slow)
        self.content = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        self.title = QLabel(TITLE, self)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.status = QLabel(PLANNING, self)
        self.status.setWordWrap(True)
        self.document = NoResourceDocument(self)
        self.browser = QTextBrowser(self)
        self.browser.setDocument(self.document)
        self.browser.setOpenLinks(False)  # a link in the plan goes nowhere
        self.browser.setOpenExternalLinks(False)
        self.browser.setAccessibleName("The plan")
        self.browser.setMaximumHeight(220)
        self.summary = QLabel(self)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)  # the model's words: never rich text
        self.summary.setWordWrap(True)
        self.summary.setVisible(False)
        self.feedback = QLineEdit(self)
        self.feedback.setPlaceholderText("What to change (optional), then Keep planning")
        self.feedback.setAccessibleName("What to change in the plan")
        self.start_button = QPushButton("Start building", self)
        self.start_button.setAutoDefault(False)
        self.start_button.setToolTip("Approve the plan: Copilot goes on in Agent mode and builds it")
        self.keep_button = QPushButton("Keep planning", self)
        self.keep_button.setAutoDefault(False)
        self.keep_button.setToolTip("Decline for now: Copilot stays in Plan mode and revises the plan")
        self.answers = QWidget(self)
        row = QHBoxLayout(self.answers)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.feedback, 1)
        row.addWidget(self.keep_button)
        row.addWidget(self.start_button)
        self.answers.setVisible(False)
        layout.addWidget(self.title)
        layout.addWidget(self.status)
        layout.addWidget(self.browser)
        layout.addWidget(self.summary)
        layout.addWidget(self.answers)
        self.start_button.clicked.connect(self._start)
        self.keep_button.clicked.connect(self._keep)
        self.feedback.returnPressed.connect(self._keep)

    @property
    def asking(self) -> bool:
        return self.answers.isVisibleTo(self)

    def show_plan(self, content: str) -> None:
        """The plan as it is now (markdown from the model)."""
        self.content = content
        if self._renderer is None:
            self._renderer = MarkdownRenderer(code_header=False)
        html = self._renderer.render(content) if content.strip() else ""
        self.document.setHtml(sanitize.for_view(html))

    def ask(self, summary: str) -> None:
        """Copilot asks to leave plan mode and build."""
        self.status.setText(WAITING)
        self.summary.setText(summary)
        self.summary.setVisible(bool(summary.strip()))
        self.answers.setVisible(True)

    def settled(self) -> None:
        """The request was answered or withdrawn: the answers go."""
        self.status.setText(PLANNING)
        self.summary.setVisible(False)
        self.answers.setVisible(False)
        self.feedback.clear()

    def clear(self) -> None:
        self.settled()
        self.content = ""
        self.document.clear()

    @Slot()
    def _start(self) -> None:
        if self.asking:
            self.settled()
            self.start_building.emit()

    @Slot()
    def _keep(self) -> None:
        if self.asking:
            feedback = self.feedback.text().strip()
            self.settled()
            self.keep_planning.emit(feedback)
