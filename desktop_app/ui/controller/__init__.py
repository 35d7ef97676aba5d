"""The controller: the one facade widgets talk to, the jobs it hands out, and the bridge that brings
core events to Qt."""
