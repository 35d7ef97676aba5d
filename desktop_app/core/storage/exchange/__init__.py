"""Conversations in and out of the database: the export formats and the checks on imported files."""
