"""User settings: where answers come from and which model, saved as JSON (never the API key)."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from desktop_app.core.vocabulary.targets import Source as Source  # settings name where answers come from

SETTINGS_FILE = "settings.json"


@dataclass(frozen=True)
class Settings:
    source: Source = Source.COPILOT
    copilot_model: str = ""
    endpoint_url: str = ""
    endpoint_model: str = ""
    # Where the key comes from when not stored: an environment variable's name (``--api-key-env``).
    api_key_env: str = ""
    # The endpoint model's context window in tokens (0: the CLI's default); local models are small.
    endpoint_context_tokens: int = 0
    # Infinite sessions: summarise older turns in the background as the context fills up.
    compaction: bool = True
    compaction_start: float = 0.80  # start compacting in the background at this share of the window
    compaction_limit: float = 0.95  # wait for compaction before sending past this share
    # A reply with no sign of life (no text, reasoning or tool activity) for this long is stopped.
    reply_timeout_s: int = 120
    theme: str = "system"  # "system" follows the desktop; "light" or "dark" override it

    @property
    def model(self) -> str:
        if self.source is Source.ENDPOINT:
            return self.endpoint_model
        if self.source is Source.DEMO:
            return "scripted-demo"
        return self.copilot_model

    def with_overrides(self, **changes: Any) -> Settings:
        """Apply command-line overrides that are set (``None`` means 'not given')."""
        given = {k: v for k, v in changes.items() if v is not None}
        return replace(self, **given) if given else self

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["source"] = self.source.value
        return data

    @classmethod
    def from_json(cls, data: Any) -> Settings:
        if not isinstance(data, dict):
            raise ValueError("settings file does not hold a JSON object")
        defaults = {f.name: getattr(cls(), f.name) for f in fields(cls)}
        values: dict[str, Any] = {}
        for key, value in data.items():
            if key not in defaults:
                continue
            if key == "source":
                values[key] = Source(value)
            else:
                values[key] = _typed(key, value, defaults[key])
        settings = cls(**values)
        settings.check()
        return settings

    def check(self) -> None:
        """Values a hand-edited file could get wrong; raises ValueError naming the setting."""
        if self.endpoint_context_tokens < 0:
            raise ValueError("endpoint_context_tokens must be 0 or more")
        if not 0.1 <= self.compaction_start < self.compaction_limit <= 1.0:
            raise ValueError("compaction_start and compaction_limit must satisfy 0.1 <= start < limit <= 1")
        if not 5 <= self.reply_timeout_s <= 3600:
            raise ValueError("reply_timeout_s must be between 5 and 3600 seconds")
        if self.theme not in ("system", "light", "dark"):
            raise ValueError("theme must be system, light or dark")


def _typed(key: str, value: Any, default: Any) -> Any:
    """A JSON value of the setting's own type (bool is not an int here; an int is a fine float)."""
    if isinstance(default, bool):
        if isinstance(value, bool):
            return value
        raise ValueError(f"setting {key!r} must be true or false")
    if isinstance(default, int):
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise ValueError(f"setting {key!r} must be a whole number")
    if isinstance(default, float):
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        raise ValueError(f"setting {key!r} must be a number")
    if isinstance(value, str):
        return value
    raise ValueError(f"setting {key!r} must be a string")


def load_settings(config_dir: Path) -> tuple[Settings, str | None]:
    """Read the settings; a broken file yields defaults plus a message saying what was wrong.

    The broken file is kept (renamed) rather than overwritten, so nothing the user wrote is lost.
    """
    path = config_dir / SETTINGS_FILE
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Settings(), None
    except OSError as exc:
        return Settings(), f"Could not read {path}: {exc.strerror}. Using default settings."
    try:
        return Settings.from_json(json.loads(raw.decode("utf-8"))), None
    except (ValueError, TypeError) as exc:  # UnicodeDecodeError is a ValueError
        aside = path.with_suffix(".broken.json")
        try:
            path.replace(aside)
        except OSError:
            aside = path
        return (
            Settings(),
            f"Settings file was unreadable ({exc}); kept it as {aside} and started fresh.",
        )


def save_settings(config_dir: Path, settings: Settings) -> None:
    """Write atomically so a crash mid-write never leaves a half file."""
    config_dir.mkdir(parents=True, exist_ok=True)
    path = config_dir / SETTINGS_FILE
    fd, tmp = tempfile.mkstemp(dir=config_dir, prefix=".settings-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(settings.to_json(), handle, indent=2)
            handle.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def apply_flags(
    settings: Settings,
    *,
    demo: bool = False,
    provider_url: str | None = None,
    model: str | None = None,
    api_key_env: str | None = None,
    context_tokens: int | None = None,
) -> Settings:
    """Command-line flags override the saved settings for this run only (they are not saved)."""
    if demo:
        settings = settings.with_overrides(source=Source.DEMO)
    elif provider_url:
        settings = settings.with_overrides(
            source=Source.ENDPOINT, endpoint_url=provider_url, endpoint_model=model
        )
    elif model:
        field = "endpoint_model" if settings.source is Source.ENDPOINT else "copilot_model"
        settings = settings.with_overrides(**{field: model})
    return settings.with_overrides(api_key_env=api_key_env, endpoint_context_tokens=context_tokens)
