"""The composer: the growing editor, its card with the chips and Send/Stop, the empty state."""

from desktop_app.ui.conversation.composer.editor import MAX_LINES, WINDOW_SHORTCUTS, Composer

__all__ = ["MAX_LINES", "WINDOW_SHORTCUTS", "Composer"]
