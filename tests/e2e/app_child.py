"""The real app in a child process, sending one prompt as soon as it is ready (for crash tests).

python -m tests.e2e.app_child PROMPT [app flags...]
"""

from __future__ import annotations

import asyncio
import sys

from PySide6.QtWidgets import QApplication

from desktop_app.app import DesktopApp, event_loop_runner
from desktop_app.cli.command_line import build_parser


async def amain(app: QApplication, prompt: str, argv: list[str]) -> int:
    desktop = DesktopApp(app, build_parser().parse_args(argv))
    window = desktop.open_window()
    ready = asyncio.Event()
    window.controller.phase_changed.connect(lambda phase: phase != "starting" and ready.set())
    if window.controller.phase.value == "starting":
        await ready.wait()
    if not window.controller.send(prompt):
        print("could not send", window.controller.phase.value, file=sys.stderr)
        return 1
    await desktop.quit_requested.wait()
    await desktop.shutdown()
    return 0


def main() -> int:
    prompt, argv = sys.argv[1], sys.argv[2:]
    app = QApplication(sys.argv[:1])
    with event_loop_runner() as runner:
        return runner.run(amain(app, prompt, argv))


if __name__ == "__main__":
    sys.exit(main())
