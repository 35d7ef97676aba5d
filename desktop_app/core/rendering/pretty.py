"""Tool arguments for people: JSON (given as text or as objects) indented and key-sorted."""

from __future__ import annotations

import json
from typing import Any


def pretty_json(value: Any) -> str:
    """Indented JSON; text that is not JSON comes back as it is."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return str(value)
    try:
        return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True, default=str)
    except (TypeError, ValueError):
        return str(value)
