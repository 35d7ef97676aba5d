"""Qt widgets and controllers; they subscribe to the core's events and never hold app logic."""
