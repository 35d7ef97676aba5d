"""A scripted GitHub for end-to-end tests (docstring rewritten once probed)."""

from tests.scripted_github.accounts import LoggedRequest, ScriptedAccount
from tests.scripted_github.browser import BrowseRefusedError, BrowserVisit
from tests.scripted_github.copilot_api import CATALOGUE, ChatCall, ScriptedModel
from tests.scripted_github.server import ScriptedGitHub

__all__ = [
    "CATALOGUE",
    "BrowseRefusedError",
    "BrowserVisit",
    "ChatCall",
    "LoggedRequest",
    "ScriptedAccount",
    "ScriptedGitHub",
    "ScriptedModel",
]
