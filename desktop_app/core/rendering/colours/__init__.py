"""Colours outside the conversation view: the widgets' tones per theme, and WCAG contrast checks."""
