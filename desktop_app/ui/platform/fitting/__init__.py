"""Widgets and layouts that fit the space they are given, never asking the window to grow."""
