"""A freedesktop notification server for tests, run by Debian's Python (python3-gi).

Owns ``org.freedesktop.Notifications`` on the session bus, as GNOME Shell or a notification daemon
does; prints each notification as a JSON line on stdout (after ``ready``), and on a stdin line
``click <id>`` emits ``ActionInvoked(id, "default")`` and ``NotificationClosed(id, 2)``, as a
daemon does when the user clicks a notification.

Not imported by the tests: they run it in a child process.
"""

from __future__ import annotations

import json
import sys
import threading

from gi.repository import Gio, GLib  # type: ignore[import-not-found]

NAME = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
INTERFACE = """
<node>
  <interface name="org.freedesktop.Notifications">
    <method name="GetCapabilities"><arg type="as" direction="out"/></method>
    <method name="Notify">
      <arg type="s" direction="in"/><arg type="u" direction="in"/><arg type="s" direction="in"/>
      <arg type="s" direction="in"/><arg type="s" direction="in"/><arg type="as" direction="in"/>
      <arg type="a{sv}" direction="in"/><arg type="i" direction="in"/>
      <arg type="u" direction="out"/>
    </method>
    <method name="CloseNotification"><arg type="u" direction="in"/></method>
    <method name="GetServerInformation">
      <arg type="s" direction="out"/><arg type="s" direction="out"/>
      <arg type="s" direction="out"/><arg type="s" direction="out"/>
    </method>
    <signal name="ActionInvoked"><arg type="u"/><arg type="s"/></signal>
    <signal name="NotificationClosed"><arg type="u"/><arg type="u"/></signal>
  </interface>
</node>
"""


def main() -> int:
    loop = GLib.MainLoop()
    state = {"next": 0, "connection": None}

    def emit(connection: Gio.DBusConnection, signal: str, args: GLib.Variant) -> None:
        connection.emit_signal(None, PATH, NAME, signal, args)

    def call(connection, sender, path, interface, method, params, invocation) -> None:  # type: ignore[no-untyped-def]
        if method == "GetCapabilities":
            invocation.return_value(GLib.Variant("(as)", (["actions", "body"],)))
        elif method == "GetServerInformation":
            invocation.return_value(GLib.Variant("(ssss)", ("fake", "tests", "1", "1.2")))
        elif method == "CloseNotification":
            invocation.return_value(None)
        elif method == "Notify":
            app, replaces, icon, summary, body, actions, hints, timeout = params.unpack()
            state["next"] += 1
            number = replaces or state["next"]
            record = {"id": number, "app": app, "icon": icon, "summary": summary, "body": body}
            record["actions"] = actions
            record["hints"] = {k: v for k, v in hints.items() if isinstance(v, str | int)}
            record["timeout"] = timeout
            print(json.dumps(record), flush=True)
            invocation.return_value(GLib.Variant("(u)", (number,)))

    def acquired(connection: Gio.DBusConnection, name: str) -> None:
        state["connection"] = connection
        info = Gio.DBusNodeInfo.new_for_xml(INTERFACE).interfaces[0]
        connection.register_object(PATH, info, call, None, None)

    def owned(connection: Gio.DBusConnection, name: str) -> None:
        print("ready", flush=True)

    Gio.bus_own_name(Gio.BusType.SESSION, NAME, Gio.BusNameOwnerFlags.NONE, acquired, owned, None)

    def read_commands() -> None:
        for line in sys.stdin:
            words = line.split()
            if len(words) == 2 and words[0] == "click":
                number = int(words[1])

                def click(number: int = number) -> bool:
                    connection = state["connection"]
                    emit(connection, "ActionInvoked", GLib.Variant("(us)", (number, "default")))
                    emit(connection, "NotificationClosed", GLib.Variant("(uu)", (number, 2)))
                    return False

                GLib.idle_add(click)
        GLib.idle_add(loop.quit)

    threading.Thread(target=read_commands, daemon=True).start()
    loop.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
