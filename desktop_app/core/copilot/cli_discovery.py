"""Find the Copilot CLI binary, so the SDK never tries to download one.

Order: ``--cli-path``, ``COPILOT_CLI_PATH``, a copy bundled with a packaged build, the project's own
npm install, ``copilot`` on PATH. The platform binary (``@github/copilot-<platform>/copilot``) is
preferred over the node shim, which would cost an extra node process.
"""

from __future__ import annotations

import os
import platform
import shutil
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[3]
BUNDLE_DIR_NAME = "copilot-cli"


class CliNotFoundError(RuntimeError):
    """No usable CLI; the message says where we looked and how to fix it."""


@dataclass(frozen=True)
class CliLocation:
    path: Path
    origin: str  # how it was found, shown in the UI and logs


def platform_package() -> str:
    """The npm package suffix for this machine, e.g. ``linux-x64`` or ``darwin-arm64``."""
    system = {"linux": "linux", "darwin": "darwin", "win32": "win32"}.get(sys.platform, sys.platform)
    machine = platform.machine().lower()
    arch = {"x86_64": "x64", "amd64": "x64", "aarch64": "arm64", "arm64": "arm64"}.get(machine, machine)
    return f"{system}-{arch}"


def binary_name() -> str:
    return "copilot.exe" if sys.platform == "win32" else "copilot"


def npm_binary(root: Path) -> Path:
    return root / "node_modules" / "@github" / f"copilot-{platform_package()}" / binary_name()


def bundled_binary() -> Path | None:
    """The CLI that a PyInstaller build ships beside the app."""
    base = getattr(sys, "_MEIPASS", None)
    if base is None:
        return None
    return Path(base) / BUNDLE_DIR_NAME / binary_name()


def _usable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def find_cli(
    cli_path: str | None = None,
    env: Mapping[str, str] | None = None,
    project_root: Path = PROJECT_ROOT,
) -> CliLocation:
    env = os.environ if env is None else env
    if cli_path:
        path = Path(cli_path).expanduser()
        if not _usable(path):
            raise CliNotFoundError(f"--cli-path {path} is not an executable file.")
        return CliLocation(path.resolve(), "--cli-path")
    from_env = env.get("COPILOT_CLI_PATH")
    if from_env:
        path = Path(from_env).expanduser()
        if not _usable(path):
            raise CliNotFoundError(f"COPILOT_CLI_PATH={path} is not an executable file.")
        return CliLocation(path.resolve(), "COPILOT_CLI_PATH")
    bundled = bundled_binary()
    if bundled is not None and _usable(bundled):
        return CliLocation(bundled, "bundled with the app")
    local = npm_binary(project_root)
    if _usable(local):
        return CliLocation(local, "the project's npm install")
    on_path = shutil.which(binary_name(), path=env.get("PATH"))
    if on_path:
        return CliLocation(Path(on_path), "PATH")
    raise CliNotFoundError(
        "The GitHub Copilot CLI was not found. Install it with `make setup` "
        "(or `npm install @github/copilot@1.0.102` in the project folder), "
        "or point the app at it with --cli-path or COPILOT_CLI_PATH."
    )
