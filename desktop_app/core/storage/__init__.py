"""Conversations on disk: the database, the store, the recorder, drafts, import and export."""
