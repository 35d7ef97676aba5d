"""Help → About: the app's name, icon and version, the versions it runs on, and the data folder.

"Copy version info" puts all of it on the clipboard as plain text, for bug reports. Non-modal:
the caller shows it with ``open()``, passing the Copilot CLI's version when it knows it.
"""

from __future__ import annotations

import html
import platform
from pathlib import Path

import PySide6
from PySide6.QtCore import Qt, QTimer, Slot, qVersion
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app import APP_NAME, __version__
from desktop_app.core.vocabulary.account import AccountState

UNKNOWN = "unknown"
ICON_SIZE = 64
_FALLBACK_ICON = Path(__file__).resolve().parents[3] / "resources" / "copilot-desktop.svg"


def sdk_version() -> str:
    from importlib import metadata  # with its email parser, ~30 ms: not on the way to the window

    try:
        return metadata.version("github-copilot-sdk")
    except metadata.PackageNotFoundError:
        return UNKNOWN


def account_rows(account: AccountState | None) -> list[tuple[str, str]]:
    """The GitHub account and Copilot plan (a bug report says which plan; logins are no secret)."""
    if account is None:
        return []
    if account.account is None:
        return [("GitHub account", "not signed in")]
    return [("GitHub account", account.account.label), ("Copilot plan", account.plan or UNKNOWN)]


def version_rows(cli_version: str | None, data_dir: Path) -> list[tuple[str, str]]:
    """(label, value) for everything a bug report needs, in display order."""
    return [
        ("Copilot Desktop", __version__),
        ("github-copilot-sdk", sdk_version()),
        ("Copilot CLI", cli_version or UNKNOWN),
        ("Python", f"{platform.python_version()} ({platform.python_implementation()})"),
        ("Qt", f"{qVersion()} (PySide6 {PySide6.__version__})"),
        ("Operating system", platform.platform()),
        ("Data folder", str(data_dir)),
    ]


class AboutDialog(QDialog):
    def __init__(
        self,
        data_dir: Path,
        cli_version: str | None = None,
        parent: QWidget | None = None,
        account: AccountState | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"About {APP_NAME}")
        self.setMinimumWidth(480)
        self.rows = version_rows(cli_version, data_dir) + account_rows(account)
        layout = QVBoxLayout(self)

        header = QHBoxLayout()
        icon = QGuiApplication.windowIcon()
        if icon.isNull() and _FALLBACK_ICON.exists():
            icon = QIcon(str(_FALLBACK_ICON))
        self.icon_label = QLabel(self)
        self.icon_label.setPixmap(icon.pixmap(ICON_SIZE, ICON_SIZE))
        self.icon_label.setAccessibleName(f"{APP_NAME} icon")
        header.addWidget(self.icon_label)
        self.title_label = QLabel(
            f"<b style='font-size:16pt'>{html.escape(APP_NAME)}</b><br>Version {html.escape(__version__)}",
            self,
        )
        self.title_label.setAccessibleName(f"{APP_NAME} version {__version__}")
        header.addWidget(self.title_label, 1)
        layout.addLayout(header)

        form = QFormLayout()
        self.value_labels: dict[str, QLabel] = {}
        for name, value in self.rows[1:]:
            label = QLabel(value, self)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setWordWrap(True)
            label.setAccessibleName(name)
            form.addRow(f"{name}:", label)
            self.value_labels[name] = label
        layout.addLayout(form)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.copy_button = QPushButton("Copy version info", self)
        self.copy_button.setAccessibleName("Copy version info")
        self.copy_button.setToolTip("Copy all of the above as text, for a bug report")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName("Close")
        buttons.rejected.connect(self.reject)
        self.copy_button.clicked.connect(self.copy_version_info)
        layout.addWidget(buttons)

        self._restore_copy_text = QTimer(self)
        self._restore_copy_text.setSingleShot(True)
        self._restore_copy_text.setInterval(1500)
        self._restore_copy_text.timeout.connect(self._reset_copy_text)

    def version_info(self) -> str:
        """For a bug report, which may be public: the plan, but not who the user is on GitHub."""
        return "\n".join(f"{name}: {value}" for name, value in self.rows if name != "GitHub account")

    @Slot()
    def copy_version_info(self) -> None:
        QGuiApplication.clipboard().setText(self.version_info())
        self.copy_button.setText("Copied")
        self._restore_copy_text.start()

    @Slot()
    def _reset_copy_text(self) -> None:
        self.copy_button.setText("Copy version info")
