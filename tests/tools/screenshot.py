"""Look at the app as a person would: a real window on Xvfb, a typed prompt, screenshots.

Starts the scripted model server and Xvfb, launches ``python -m desktop_app`` against the server in a
throw-away data dir, types a prompt with xdotool and saves a screenshot mid-stream and one after.
Needs Debian's xvfb, xdotool and imagemagick (``import``).

    python -m tests.tools.screenshot [--out DIR] [--prompt TEXT] [-- extra app flags]
    python -m tests.tools.screenshot --tools   # Agent mode: a finished, a waiting and a running call
    python -m tests.tools.screenshot --diff    # Agent mode: an approved edit's diff and Changes
    python -m tests.tools.screenshot --launch  # a prompt typed the moment the window appears
    python -m tests.tools.screenshot --attachments  # an image and a text file, sent and in the composer
    python -m tests.tools.screenshot --plan  # /plan: the plan card asking to start building

Where Debian's openbox is installed, it runs as the window manager (focus, decorations) as on a desktop.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.model_server import MODEL, ModelServer
from tests.scripted_github import ScriptedGitHub

PROMPT = "MARKDOWN SLOW 0 Show me some formatted output"
DIFF_BEFORE = 'import sys\n\n\ndef greet(name):\n    print("Hello " + name)\n    return None\n'
DIFF_AFTER = (
    'def greet(name: str, excited: bool = False) -> str:\n    """Say hello."""\n'
    '    mark = "!" if excited else "."\n    return f"Hello, {name}{mark}"\n'
)
PAPERCLIP_X = 236  # px into the window: the attach button, first at the composer's bottom left


def _wait_for_window(env: dict[str, str], timeout: float = 30) -> str:
    """The X window id of the app's main window."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = subprocess.run(
            ["xdotool", "search", "--onlyvisible", "--name", "Copilot Desktop"],
            env=env,
            capture_output=True,
            text=True,
        )
        ids = found.stdout.split()
        if ids:
            return ids[-1]
        time.sleep(0.2)
    raise SystemExit("the app window did not appear")


def fake_browser(opened: Path) -> Path:
    """A "browser" for xdg-open: it writes down the page it was asked to open, for the scripted
    GitHub to visit as a user's browser would."""
    script = opened.parent / "browser.sh"
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$1" >> "{opened}"\n', encoding="utf-8")
    script.chmod(0o700)
    return script


def account_scenario(
    github: ScriptedGitHub, opened: Path, env: dict[str, str], window: str, out: Path
) -> None:
    """Signed out; Sign in with GitHub from the ☰ menu; the browser approves; the keychain question;
    signed in, with the account, the models and the premium requests; a reply from Copilot."""

    def key(*keys: str) -> None:
        subprocess.run(["xdotool", "key", *keys], env=env, check=True)

    def root(name: str) -> None:
        subprocess.run(["import", "-window", "root", str(out / name)], env=env, check=True)

    key("F10")
    time.sleep(0.8)
    key("u")  # Sign in with GitH&ub…
    for _ in range(300):
        if opened.exists() and opened.read_text(encoding="utf-8").strip():
            break
        time.sleep(0.1)
    time.sleep(0.8)
    root("sign-in-waiting.png")
    github.browse(opened.read_text(encoding="utf-8").splitlines()[-1])
    time.sleep(1.5)
    root("sign-in-consent.png")
    key("alt+s")  # Save and sign in
    time.sleep(3)
    root("sign-in-done.png")
    key("Escape")
    subprocess.run(["xdotool", "windowfocus", "--sync", window], env=env, check=True)
    time.sleep(2)
    subprocess.run(["import", "-window", window, str(out / "signed-in.png")], env=env, check=True)
    click = ["xdotool", "mousemove", "--window", window, "290", "723", "click", "1"]  # the model chip
    subprocess.run(click, env=env, check=True)
    key("alt+Down")  # its list
    time.sleep(1)
    # The screen, for the popup (a window of its own), cut to the main window's frame.
    found = subprocess.run(
        ["xdotool", "getwindowgeometry", "--shell", window],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    geometry = dict(line.split("=", 1) for line in found.stdout.split())
    frame = f"{geometry['WIDTH']}x{geometry['HEIGHT']}+{geometry['X']}+{geometry['Y']}"
    shot = ["import", "-window", "root", "-crop", frame, "+repage", str(out / "model-picker.png")]
    subprocess.run(shot, env=env, check=True)
    key("Down", "Return")  # the included model
    time.sleep(0.5)
    subprocess.run(["xdotool", "windowfocus", "--sync", window], env=env, check=True)
    composer = ["xdotool", "mousemove", "--window", window, "680", "700", "click", "1"]
    subprocess.run(composer, env=env, check=True)
    subprocess.run(["xdotool", "type", "--delay", "8", "Hello, Copilot"], env=env, check=True)
    key("Return")
    time.sleep(4)
    subprocess.run(["import", "-window", window, str(out / "signed-in-reply.png")], env=env, check=True)
    print(
        f"screenshots in {out}/: start.png sign-in-waiting.png sign-in-consent.png sign-in-done.png "
        "signed-in.png model-picker.png signed-in-reply.png"
    )


def attachments_scenario(env: dict[str, str], window: str, out: Path, pace: float) -> None:
    """A screenshot and a text file attached with the paperclip's dialog, sent, then attached again
    to a prompt not sent yet: the sent bubble's thumbnails and the composer's chips in one shot."""
    files = Path(tempfile.mkdtemp(prefix="copilot-desktop-attach-"))
    screenshot = Path(__file__).resolve().parents[2] / "resources" / "screenshots" / "main-window.png"
    shutil.copy(screenshot, files / "screenshot.png")
    (files / "notes.md").write_text("# Notes\n\nThe window is too wide on a laptop.\n", encoding="utf-8")

    def run(*command: str) -> None:
        subprocess.run(list(command), env=env, check=True)

    def attach() -> None:
        found = subprocess.run(
            ["xdotool", "getwindowgeometry", "--shell", window],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        height = int(dict(line.split("=", 1) for line in found.stdout.split())["HEIGHT"])
        run("xdotool", "mousemove", "--window", window, str(PAPERCLIP_X), str(height - 57), "click", "1")
        time.sleep(1.5 * pace)
        run("xdotool", "type", "--delay", "4", f'"{files / "screenshot.png"}" "{files / "notes.md"}"')
        run("xdotool", "key", "Return")
        time.sleep(1 * pace)
        run("xdotool", "windowfocus", "--sync", window)

    def shot(name: str) -> None:
        run("import", "-window", window, str(out / name))

    try:
        attach()
        run("xdotool", "type", "--delay", "8", "SHORT What is wrong with this window?")
        shot("attachments-composer.png")
        run("xdotool", "key", "Return")
        time.sleep(6 * pace)
        attach()
        run("xdotool", "type", "--delay", "8", "And with these?")
        time.sleep(0.5 * pace)
        shot("attachments.png")
        print(f"screenshots in {out}/: start.png attachments-composer.png attachments.png")
    finally:
        shutil.rmtree(files, ignore_errors=True)


def customized(work: Path, config: Path) -> None:
    """A project with instructions, a custom agent and a skill; the user's own instructions."""
    github = work / ".github"
    (github / "agents").mkdir(parents=True)
    (github / "skills" / "changelog").mkdir(parents=True)
    (github / "copilot-instructions.md").write_text("Use type hints everywhere.\n", encoding="utf-8")
    (github / "agents" / "reviewer.agent.md").write_text(
        "---\nname: reviewer\ndescription: Reviews changes for bugs\n---\nYou review.\n", encoding="utf-8"
    )
    (github / "skills" / "changelog" / "SKILL.md").write_text(
        "---\nname: changelog\ndescription: Writes a changelog entry\n---\nWrite one.\n", encoding="utf-8"
    )
    config.mkdir(parents=True, exist_ok=True)
    extra = tempfile.mkdtemp(prefix="shared-docs-")
    own = {"user_instructions": "Answer in British English.", "additional_directories": [extra]}
    (config / "customization.json").write_text(json.dumps(own), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default="screenshots")
    parser.add_argument("--prompt", default=PROMPT)
    parser.add_argument("--mid", type=float, default=0.6, help="seconds after Enter for the first shot")
    parser.add_argument("--after", type=float, default=4.0, help="seconds after Enter for the last shot")
    parser.add_argument("--display", default=":97")
    parser.add_argument("--data-dir", help="use this data dir (kept) instead of a throw-away one")
    parser.add_argument("--tools", action="store_true", help="the tool panel scenario (Agent mode)")
    parser.add_argument("--diff", action="store_true", help="an approved edit: inline diff, Changes")
    parser.add_argument("--settings", action="store_true", help="the Settings dialog, each tab")
    parser.add_argument("--share", action="store_true", help="start the app sharing its window live")
    parser.add_argument("--lan", action="store_true", help="with --share: the LAN warning, then LAN on")
    parser.add_argument("--menu", action="store_true", help="after a reply: F10's menu, the sidebar's")
    parser.add_argument("--slash", action="store_true", help="after a reply: /usage, then / and its list")
    parser.add_argument("--launch", action="store_true", help="type and send the moment the window shows")
    parser.add_argument("--account", action="store_true", help="sign in with GitHub (the scripted GitHub)")
    parser.add_argument("--pace", type=float, default=1.0, help="multiply the waits (a loaded machine)")
    parser.add_argument("--find", help="after the reply: Ctrl+F, this text, a shot (find.png)")
    parser.add_argument("--attachments", action="store_true", help="attach, send, attach again")
    parser.add_argument("--theme", choices=("light", "dark"), help="the app's theme (Settings → Appearance)")
    parser.add_argument("--question", action="store_true", help="the agent asks (ask_user): the card")
    parser.add_argument("--plan", action="store_true", help="/plan in a folder: the plan, Start building")
    parser.add_argument("app_args", nargs="*")
    args = parser.parse_args()
    for tool in ("Xvfb", "xdotool", "import"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is missing: apt-get install xvfb xdotool imagemagick")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    server = ModelServer.start()
    server.chunk_delay = 0.03
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    github = ScriptedGitHub.start() if args.account else None
    if github is not None:
        github.github_mcp = True  # no "github-mcp-server failed to start" in the shots
    opened = Path(tempfile.mkdtemp(prefix="copilot-desktop-browser-")) / "opened"
    if github is not None:
        env.update(github.env())
        env["BROWSER"] = str(fake_browser(opened))  # xdg-open hands it GitHub's page
        # ...when no desktop names a default browser: empty XDG folders for the app's process
        empty = opened.parent
        for name in ("XDG_DATA_DIRS", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CONFIG_DIRS"):
            env[name] = str(empty)
    env["DISPLAY"] = args.display
    xvfb = subprocess.Popen(["Xvfb", args.display, "-screen", "0", "1280x860x24"])
    data_dir = args.data_dir or tempfile.mkdtemp(prefix="copilot-desktop-shot-")
    if args.theme:
        config = Path(data_dir) / "config"
        config.mkdir(parents=True, exist_ok=True)
        (config / "settings.json").write_text(json.dumps({"theme": args.theme}), encoding="utf-8")
    work = Path(tempfile.mkdtemp(prefix="copilot-desktop-agent-"))
    if args.settings:
        customized(work, Path(data_dir) / "config")
    app = None
    manager = None
    try:
        time.sleep(1)
        if shutil.which("openbox"):
            manager = subprocess.Popen(["openbox"], env=env, stderr=subprocess.DEVNULL)
            time.sleep(0.5)
        command = [sys.executable, "-m", "desktop_app", "--data-dir", data_dir]
        if github is None:
            command += args.app_args or ["--provider-url", server.base_url, "--model", MODEL]
        if args.tools or args.diff or args.plan:
            command += ["--agent", str(work)]
        if args.share:
            command += ["--share"]
        app = subprocess.Popen(command, env=env)
        window = _wait_for_window(env)
        if args.launch:
            # A person types the moment the window appears, while the CLI is still starting.
            subprocess.run(["xdotool", "windowfocus", "--sync", window], env=env, check=True)
            subprocess.run(["xdotool", "type", "--delay", "8", "Hello, typed at launch"], env=env, check=True)
            subprocess.run(["xdotool", "key", "Return"], env=env, check=True)
            for number in range(1, 9):  # however long the start takes here, one shows the wait
                time.sleep(0.5)
                shot_path = out / f"pending-{number}.png"
                subprocess.run(["import", "-window", window, str(shot_path)], env=env, check=True)
            time.sleep(12)
            answered = out / "launch-answered.png"
            subprocess.run(["import", "-window", window, str(answered)], env=env, check=True)
            print(f"screenshots in {out}/: pending-1..8.png launch-answered.png")
            return 0
        time.sleep(3 * args.pace)  # the CLI starts and the window settles
        # No window manager runs on Xvfb: give the window focus as one would, or Qt never sees it
        # active and window shortcuts (Alt mnemonics, Ctrl+K) do nothing.
        subprocess.run(["xdotool", "windowfocus", "--sync", window], env=env, check=True)

        def shot(name: str) -> None:
            subprocess.run(["import", "-window", window, str(out / name)], env=env, check=True)

        def say(prompt: str) -> None:
            subprocess.run(["xdotool", "type", "--delay", "8", prompt], env=env, check=True)
            subprocess.run(["xdotool", "key", "Return"], env=env, check=True)

        shot("start.png")
        if github is not None:
            account_scenario(github, opened, env, window, out)
            return 0
        if args.settings:
            # Open Settings with its key (where a window manager places the window is its own
            # business), then go through the tabs with Ctrl+Tab.
            if args.tools:  # a first reply: Customize shows the Agent session's instructions and skills
                say("Hello")
                time.sleep(5 * args.pace)
                shot("start.png")
            subprocess.run(["xdotool", "key", "ctrl+comma"], env=env, check=True)
            time.sleep(1.5)
            for tab in ("model", "permissions", "conversations", "mcp", "customize"):
                subprocess.run(
                    ["import", "-window", "root", str(out / f"settings-{tab}.png")], env=env, check=True
                )
                subprocess.run(["xdotool", "key", "ctrl+Tab"], env=env, check=True)  # the next tab
                time.sleep(0.8)
            print(f"screenshots in {out}/: settings-*.png")
            return 0
        if args.share and args.lan:
            subprocess.run(["xdotool", "key", "alt+n"], env=env, check=True)  # On my network
            time.sleep(1.5)
            subprocess.run(["import", "-window", "root", str(out / "lan-warning.png")], env=env, check=True)
            subprocess.run(["xdotool", "key", "alt+n"], env=env, check=True)  # Share on network
            time.sleep(1.5)
            shot("lan-on.png")
            print(f"screenshots in {out}/: start.png lan-warning.png lan-on.png")
            return 0
        if args.menu:
            say("SHORT hello")
            time.sleep(2)
            subprocess.run(["xdotool", "key", "F10"], env=env, check=True)
            time.sleep(1)
            subprocess.run(["import", "-window", "root", str(out / "menu.png")], env=env, check=True)
            subprocess.run(["xdotool", "key", "Escape", "F6"], env=env, check=True)  # to the sidebar
            time.sleep(0.5)
            subprocess.run(["xdotool", "key", "shift+F10"], env=env, check=True)
            time.sleep(1)
            subprocess.run(["import", "-window", "root", str(out / "sidebar-menu.png")], env=env, check=True)
            print(f"screenshots in {out}/: start.png menu.png sidebar-menu.png")
            return 0
        if args.attachments:
            attachments_scenario(env, window, out, args.pace)
            return 0
        if args.slash:
            say("hello")
            time.sleep(6 * args.pace)
            say("/usage")  # the CLI's answer, a notice in the conversation
            time.sleep(2 * args.pace)
            subprocess.run(["xdotool", "type", "--delay", "8", "/co"], env=env, check=True)
            time.sleep(1)
            shot("slash-commands.png")
            print(f"screenshots in {out}/: start.png slash-commands.png")
            return 0
        if args.diff:
            target = work / "greet.py"
            target.write_text(DIFF_BEFORE, encoding="utf-8")
            edit = {"path": str(target), "old_str": DIFF_BEFORE.split("\n\n\n")[1], "new_str": DIFF_AFTER}
            say("PREAMBLE TOOL edit " + json.dumps(edit))
            time.sleep(6 * args.pace)  # the card is up and armed
            subprocess.run(["xdotool", "key", "ctrl+Return"], env=env, check=True)  # Allow once
            time.sleep(4 * args.pace)
            shot("inline-diff.png")
            print(f"screenshots in {out}/: start.png inline-diff.png")
            return 0
        if args.question:
            ask = {
                "question": "Which licence should the new project use?",
                "choices": ["MIT", "Apache-2.0", "GPL-3.0-or-later"],
                "allowFreeform": True,
            }
            say("PREAMBLE TOOL ask_user " + json.dumps(ask))
            time.sleep(6 * args.pace)
            shot("question-card.png")
            subprocess.run(["xdotool", "key", "Tab", "Tab", "space"], env=env, check=True)  # the 2nd choice
            time.sleep(3 * args.pace)
            shot("question-answered.png")
            print(f"screenshots in {out}/: start.png question-card.png question-answered.png")
            return 0
        if args.plan:
            say("/plan PLANFLOW Add a greeting file")  # Plan mode; the model writes, revises, asks
            time.sleep(6 * args.pace)
            shot("plan-mode.png")
            print(f"screenshots in {out}/: start.png plan-mode.png")
            return 0
        if args.tools:
            say('PREAMBLE TOOL calculate {"expression": "(25 * 4 + 10) / 4"}')
            time.sleep(3 * args.pace)
            command_line = "for i in 1 2 3 4 5 6; do echo step $i; sleep 1; done; ls -la"
            say("TOOL bash " + json.dumps({"command": command_line, "description": "Count to six"}))
            time.sleep(2.5 * args.pace)
            shot("permission.png")
            subprocess.run(["xdotool", "key", "ctrl+Return"], env=env, check=True)  # the card has focus
            time.sleep(3.5 * args.pace)
            shot("tool-running.png")
            time.sleep(6 * args.pace)
            shot("tool-done.png")
            print(f"screenshots in {out}/: start.png permission.png tool-running.png tool-done.png")
            return 0
        say(args.prompt)
        time.sleep(args.mid)
        shot("mid-stream.png")
        time.sleep(max(0.0, args.after - args.mid))
        shot("after.png")
        if args.find:
            subprocess.run(["xdotool", "key", "ctrl+f"], env=env, check=True)
            time.sleep(0.5)
            subprocess.run(["xdotool", "type", "--delay", "8", args.find], env=env, check=True)
            time.sleep(1.5)
            shot("find.png")
        print(f"screenshots in {out}/: start.png mid-stream.png after.png")
    finally:
        if app is not None:
            app.terminate()
            app.wait(timeout=20)
        if manager is not None:
            manager.terminate()
            manager.wait(timeout=10)
        xvfb.terminate()
        xvfb.wait(timeout=10)
        server.stop()
        if github is not None:
            github.stop()
        if not args.data_dir:
            shutil.rmtree(data_dir, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
