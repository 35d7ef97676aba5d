"""Copilot Desktop: a native desktop chat client for GitHub Copilot."""

__version__ = "0.1.0"
APP_NAME = "Copilot Desktop"
APP_ID = "copilot-desktop"
