"""What can be done with one message: on hover, in its context menu and from the keyboard."""
