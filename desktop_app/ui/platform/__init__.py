"""Platform services for the UI: the single instance, notifications, background tasks."""
