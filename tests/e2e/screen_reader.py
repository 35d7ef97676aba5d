"""A screen reader's view of the app, through AT-SPI: run by Debian's Python, which has pyatspi.

It is what Orca would use: the accessibility tree the app exposes on the session bus. The script
starts the AT-SPI bus, launches the app (the command after ``--``), and then, as a blind user's
assistive technology would, without touching the keyboard or screen:

1. reads the window's tree and lists every showing control that has no name, and every combo box
   no label names;
2. types a prompt into the control named "Message" (EditableText) and presses "Send or stop"
   (Action);
3. listens for announcements and waits until the control named "Conversation" reads ``--expect``;
4. prints one JSON object on stdout and ends the app.

    dbus-run-session -- /usr/bin/python3 screen_reader.py --prompt P --expect E -- APP COMMAND...

Not imported by the tests: pytest runs it in a child process (tests/e2e/test_screen_reader_e2e.py).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time

import pyatspi  # type: ignore[import-not-found]
from gi.repository import GLib  # type: ignore[import-not-found]

APP_NAME = "Copilot Desktop"
INTERACTIVE = {
    "push button",
    "toggle button",
    "check box",
    "radio button",
    "combo box",
    "text",
    "entry",
    "password text",
    "spin button",
    "slider",
    "list",
    "tree",
    "tree table",
    "table",
    "page tab",
    "menu item",
}


def _states(acc: object) -> set[str]:
    return {pyatspi.stateToString(s) for s in acc.getState().getStates()}  # type: ignore[attr-defined]


def _walk(acc: object, depth: int = 0) -> list[tuple[object, int]]:
    found = [(acc, depth)]
    if depth > 40:
        return found
    for index in range(acc.childCount):  # type: ignore[attr-defined]
        child = acc.getChildAtIndex(index)  # type: ignore[attr-defined]
        if child is not None and "showing" in _states(child):
            found += _walk(child, depth + 1)
    return found


def _text(acc: object) -> str:
    try:
        text = acc.queryText()  # type: ignore[attr-defined]
    except NotImplementedError:
        return ""
    return str(text.getText(0, text.characterCount))


def _items(acc: object) -> str:
    """What a list reads: its items' names (the conversation is one item per message)."""
    names = []
    for index in range(acc.childCount):  # type: ignore[attr-defined]
        child = acc.getChildAtIndex(index)  # type: ignore[attr-defined]
        if child is not None:
            names.append(str(child.name or "") or _text(child))
    return "\n".join(names)


def _labelled_by(acc: object) -> list[str]:
    names = []
    for relation in acc.getRelationSet():  # type: ignore[attr-defined]
        if relation.getRelationType() == pyatspi.RELATION_LABELLED_BY:
            for index in range(relation.getNTargets()):
                names.append(relation.getTarget(index).name)
    return names


def _find_app(timeout: float) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        desktop = pyatspi.Registry.getDesktop(0)
        for index in range(desktop.childCount):
            app = desktop.getChildAtIndex(index)
            if app is not None and app.name == APP_NAME and app.childCount:
                return app
        time.sleep(0.2)
    raise SystemExit(f"{APP_NAME} did not appear on the accessibility bus")


def _named(objects: list[tuple[object, int]], role: str, name: str) -> object:
    for acc, _ in objects:
        if acc.getRoleName() == role and acc.name == name:  # type: ignore[attr-defined]
            return acc
    raise SystemExit(f"no {role} named {name!r} in the tree")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--prompt", required=True)
    parser.add_argument("--expect", required=True, help="text the conversation must come to read")
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    bus = subprocess.Popen(["/usr/libexec/at-spi-bus-launcher", "--launch-immediately"])
    time.sleep(0.5)
    app_process = subprocess.Popen(
        command, env={**os.environ, "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1"}, stdout=subprocess.DEVNULL
    )
    report: dict[str, object] = {"announcements": []}
    try:
        app = _find_app(args.timeout)
        frame = app.getChildAtIndex(0)
        time.sleep(3)  # the CLI starts and the window settles
        objects = _walk(frame)
        report["unnamed"] = sorted(
            {
                f"{acc.getRoleName()} under {parent_path(acc)}"
                for acc, _ in objects
                if acc.getRoleName() in INTERACTIVE and not (acc.name or "").strip()
            }
        )
        report["unlabelled_combos"] = sorted(
            acc.name for acc, _ in objects if acc.getRoleName() == "combo box" and not _labelled_by(acc)
        )
        report["roles"] = sorted({f"{acc.getRoleName()}:{acc.name}" for acc, _ in objects if acc.name})
        message = _named(objects, "text", "Message")
        send = _named(objects, "push button", "Send or stop")
        conversation = next(acc for acc, _ in objects if acc.name == "Conversation")
        report["conversation_role"] = conversation.getRoleName()

        def heard(event: object) -> None:
            report["announcements"].append(str(event.any_data))  # type: ignore[attr-defined,union-attr]

        pyatspi.Registry.registerEventListener(heard, "object:announcement")
        # As Orca does: listening for name changes is what makes the app send them (and keeps
        # the cached names of the conversation's items current).
        pyatspi.Registry.registerEventListener(lambda _event: None, "object:property-change:accessible-name")
        message.queryEditableText().setTextContents(args.prompt)
        report["typed"] = _text(message)
        send.queryAction().doAction(0)
        started = time.monotonic()

        def poll() -> bool:
            read = _text(conversation) or _items(conversation)
            done = args.expect in read and any("complete" in a.lower() for a in report["announcements"])  # type: ignore[union-attr]
            if done or time.monotonic() - started > args.timeout:
                report["conversation"] = read
                pyatspi.Registry.stop()
                return False
            return True

        GLib.timeout_add(200, poll)
        pyatspi.Registry.start()
    finally:
        app_process.send_signal(signal.SIGTERM)
        try:
            app_process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            app_process.kill()
        bus.terminate()
    print(json.dumps(report))
    return 0


def parent_path(acc: object) -> str:
    names = []
    parent = acc.parent  # type: ignore[attr-defined]
    while parent is not None and parent.getRoleName() != "application":
        if parent.name:
            names.append(parent.name)
        parent = parent.parent
    return " / ".join(reversed(names)) or "the window"


if __name__ == "__main__":
    sys.exit(main())
