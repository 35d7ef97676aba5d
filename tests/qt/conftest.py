"""Fixtures shared by the widget tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication

from desktop_app.ui.settings import appearance


@pytest.fixture
def app() -> Iterator[QApplication]:
    """The application in the light theme, given back to the system's theme afterwards."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    appearance.apply(app, "light")
    yield app
    appearance.apply(app, "system")
