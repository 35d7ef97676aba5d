"""Where the app and its Copilot CLI child keep their files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import platformdirs

from desktop_app import APP_ID


@dataclass(frozen=True)
class AppPaths:
    """The app's directories.

    ``copilot_home`` and ``cli_home`` are ``None`` by default so the CLI keeps its usual ``~/.copilot``
    and a user signed in to the terminal CLI is signed in here too. ``--data-dir`` confines every file,
    the CLI child's included, under one directory.
    """

    config_dir: Path
    data_dir: Path
    log_dir: Path
    copilot_home: Path | None = None
    cli_home: Path | None = None

    @property
    def confined(self) -> bool:
        """True when everything lives under one ``--data-dir`` (no keyring, no real HOME)."""
        return self.cli_home is not None

    @classmethod
    def default(cls) -> AppPaths:
        dirs = platformdirs.PlatformDirs(APP_ID, appauthor=False)
        return cls(
            config_dir=Path(dirs.user_config_dir),
            data_dir=Path(dirs.user_data_dir),
            log_dir=Path(dirs.user_log_dir),
        )

    @classmethod
    def under(cls, root: Path) -> AppPaths:
        root = root.expanduser().resolve()
        return cls(
            config_dir=root / "config",
            data_dir=root / "data",
            log_dir=root / "logs",
            copilot_home=root / "copilot-home",
            cli_home=root / "cli-home",
        )

    def ensure(self) -> None:
        for path in (
            self.config_dir,
            self.data_dir,
            self.log_dir,
            self.copilot_home,
            self.cli_home,
        ):
            if path is not None:
                path.mkdir(parents=True, exist_ok=True, mode=0o700)
