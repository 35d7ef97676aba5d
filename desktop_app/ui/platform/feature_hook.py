"""PySide6 without its ``__feature__`` import hook, which costs every later import of the app.

Importing PySide6 replaces ``builtins.__import__`` with ``__feature_import__``: each ``import``
statement then runs a Python function, and each newly imported module has its source read to see
whether it mentions PySide6 (for ``from __feature__ import snake_case, true_property``). That is
~5% of start-up for ~300 modules. The app never selects a feature (ruff bans ``__feature__``), so
every module would see Qt's default names either way: the plain import gives the same behaviour.
"""

from __future__ import annotations

import builtins

import PySide6.QtCore  # noqa: F401  # installs the hook, if this PySide6 has one


def drop_feature_import_hook() -> bool:
    """Put Python's own ``__import__`` back if PySide6's hook is the one installed (never another
    library's); True when it did. Call it before importing the app's modules."""
    hook = getattr(builtins, "__feature_import__", None)
    original = getattr(builtins, "__orig_import__", None)
    if hook is None or original is None or builtins.__import__ is not hook:
        return False
    builtins.__import__ = original
    return True
