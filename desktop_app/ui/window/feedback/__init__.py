"""What the window tells the user: the banner's notices, announcements and notifications, the session."""
