"""The window's command line, ``copilot-desktop [--demo] [--data-dir DIR] ...``, in one place.

Its own module so that both the entry point (``main``) and the smoke test can read it without
importing each other.
"""

from __future__ import annotations

import argparse

from desktop_app import APP_NAME, __version__

# The window-less commands (``desktop_app.cli.commands``): named here so that the entry point can
# tell them apart without importing them, and the storage and exporters they bring (~50 ms).
COMMANDS = ("export", "import")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="copilot-desktop",
        description=f"{APP_NAME}: chat with GitHub Copilot.",
        epilog=(
            "Without a window: 'copilot-desktop export --help' (conversations as Markdown, HTML "
            "or JSON) and 'copilot-desktop import --help' (a JSON export back in)."
        ),
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="keep every file the app writes (the Copilot CLI's home included) under DIR",
    )
    parser.add_argument("--provider-url", metavar="URL", help="use this OpenAI-compatible endpoint")
    parser.add_argument("--model", metavar="NAME", help="the model to use")
    parser.add_argument("--api-key-env", metavar="VAR", help="read the endpoint's API key from this variable")
    parser.add_argument(
        "--context-tokens",
        metavar="N",
        type=int,
        help="the endpoint model's context window in tokens (long conversations are compacted to fit)",
    )
    parser.add_argument("--cli-path", metavar="PATH", help="the Copilot CLI binary to run")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="answer from a built-in scripted model through the real CLI (no account needed)",
    )
    parser.add_argument(
        "--agent",
        metavar="DIR",
        help="start new conversations in Agent mode, working in DIR (every action still asks first)",
    )
    parser.add_argument(
        "--share",
        action="store_true",
        help="share the first window live in a browser at launch and print the viewer link",
    )
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="check that this build works here (window, markdown, the CLI, a scripted reply); exit 0 or 1",
    )
    parser.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    return parser
