"""The virtualized conversation view: one document per message, laid out only near the screen."""
