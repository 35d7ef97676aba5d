"""Local conversation storage: one SQLite database (standard library ``sqlite3``) under the data dir."""
