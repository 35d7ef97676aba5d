"""Command line: ``copilot-desktop [--demo] [--data-dir DIR] [--provider-url URL] ...``.

``copilot-desktop export|import ...`` run without a window (see ``desktop_app.cli.commands``).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from desktop_app.cli.command_line import COMMANDS, build_parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in COMMANDS:
        # Scriptable commands: imported here so they never load Qt.
        from desktop_app.cli.commands import run as run_command

        return run_command(argv)
    args = build_parser().parse_args(argv)
    if args.provider_url and not args.provider_url.startswith(("http://", "https://")):
        print("--provider-url must start with http:// or https://", file=sys.stderr)
        return 2
    if args.smoke_test:
        from desktop_app.cli.smoke_test import run as smoke_test

        return smoke_test()
    from desktop_app.core.platform import start_up_gc

    start_up_gc.pause()  # until the first window shows (DesktopApp._log_startup)
    try:
        from desktop_app.ui.platform.feature_hook import drop_feature_import_hook

        drop_feature_import_hook()  # before the app's ~300 modules: each would pay for the hook
        from desktop_app.app import run

        return run(args)
    finally:
        start_up_gc.resume()  # a start-up that failed before its window
