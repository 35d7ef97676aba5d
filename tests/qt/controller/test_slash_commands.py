"""What a sent ``/command`` does in the controller's layer: the window's own run here, the CLI's wait
for a session (and, some, for the reply), an unknown one is named; none is a prompt."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication

from desktop_app.core.copilot.session import ChatSession
from desktop_app.ui.controller.slash_commands import SlashCommands


class Owner(QObject):
    reply_finished = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.session: ChatSession | None = None
        self.busy = False


class Rig:
    def __init__(self) -> None:
        self.owner = Owner()
        self.cleared: list[bool] = []
        self.commands = SlashCommands(self.owner, lambda: self.cleared.append(True))
        self.said: list[tuple[str, str]] = []
        self.commands.said.connect(lambda text, level: self.said.append((text, level)))
        self.pickers: list[bool] = []
        self.commands.model_picker_wanted.connect(lambda: self.pickers.append(True))


def test_prompts_are_not_commands(qapp: QApplication) -> None:
    rig = Rig()
    assert not rig.commands.run("hello")
    assert not rig.commands.run("/usr/bin/env is where it lives")
    assert rig.said == []


def test_the_windows_own_commands(qapp: QApplication) -> None:
    rig = Rig()
    assert rig.commands.run("/clear")
    assert rig.commands.run("/new")  # its alias
    assert rig.cleared == [True, True]
    assert rig.commands.run("/Model")
    assert rig.pickers == [True]
    assert rig.said == []


def test_an_unknown_command_is_named(qapp: QApplication) -> None:
    rig = Rig()
    assert rig.commands.run("/fleet write it")  # the CLI's, but not one the window offers
    assert rig.said == [("Unknown command /fleet. Type / to see the commands this window knows.", "warning")]


def test_plan_asks_the_window_for_plan_mode_with_its_request(qapp: QApplication) -> None:
    rig = Rig()
    wanted: list[str] = []
    rig.commands.plan_wanted.connect(wanted.append)
    assert rig.commands.run("/plan write a README")
    assert rig.commands.run("/PLAN")
    assert wanted == ["write a README", ""]
    assert rig.said == []


def test_the_clis_commands_need_a_session_and_compact_waits_for_the_reply(qapp: QApplication) -> None:
    rig = Rig()
    assert rig.commands.run("/usage")
    assert rig.said[-1] == ("/usage needs a conversation with Copilot: send a message first.", "warning")
    rig.owner.busy = True  # the first reply: its session is still opening
    assert rig.commands.run("/usage")
    assert rig.said[-1][0] == "/usage waits for the reply to finish: run it again then."

    class Attached:
        sdk_rpc: Any = object()
        session_id = "s1"

    rig.owner.session = Attached()  # type: ignore[assignment]
    assert rig.commands.run("/compact")  # never while a reply streams (the CLI says so too)
    assert rig.said[-1][0] == "/compact waits for the reply to finish: run it again then."
