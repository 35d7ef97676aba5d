"""The controller: the one facade widgets talk to, and the bridge that brings core events to Qt."""
